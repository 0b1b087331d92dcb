package scenario

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Resolved returns the scenario as TOML with every default filled in and
// every override applied: the scenario as run. Load reads it back to a
// scenario that builds the same model.
func (s *Scenario) Resolved() []byte {
	var b bytes.Buffer
	kv := func(k, v string) { fmt.Fprintf(&b, "%s = %s\n", k, v) }
	kv("name", tomlString(s.Name))
	if s.Description != "" {
		kv("description", tomlString(s.Description))
	}
	kv("horizon_years", s.HorizonYears.String())
	kv("age_bands", list(s.AgeBands))
	for _, p := range s.Placements {
		b.WriteString("\n[[placement]]\n")
		kv("name", tomlString(p.Name))
		kv("weekly_cost", p.WeeklyCost.String())
		kv("moves_per_year", p.MovesPerYear.String())
		if p.MoveTo != nil {
			kv("move_to", inlineMap(p.MoveTo))
		}
	}
	pop := func(name string, p Population) {
		fmt.Fprintf(&b, "\n[%s]\n", name)
		kv("count", p.Count.String())
		if p.AgeShares != nil {
			kv("age_shares", list(p.AgeShares))
		}
		if p.PlacementShares != nil {
			kv("placement_shares", inlineMap(p.PlacementShares))
		}
		kv("mean_months_in_care", p.MeanMonthsInCare.String())
		kv("prior_failed_returns", p.PriorFailedReturns.String())
	}
	pop("stock", s.Stock)
	b.WriteString("\n[entries]\n")
	kv("per_year", s.Entries.PerYear.String())
	kv("trend", s.Entries.Trend.String())
	if s.Entries.AgeShares != nil {
		kv("age_shares", list(s.Entries.AgeShares))
	}
	if s.Entries.PlacementShares != nil {
		kv("placement_shares", inlineMap(s.Entries.PlacementShares))
	}
	pop("cohort", s.Cohort)

	b.WriteString("\n[care]\n")
	kv("duration_breaks_months", list(s.Care.DurationBreaksMonths))
	rh := s.Care.ReturnHomePerYear
	if rh.Single {
		kv("return_home_per_year", list(rh.Rows[0]))
	} else {
		rows := make([]string, len(rh.Rows))
		for i, r := range rh.Rows {
			rows[i] = "  " + list(r) + ","
		}
		kv("return_home_per_year", "[\n"+strings.Join(rows, "\n")+"\n]")
	}
	kv("permanence_per_year", bandsText(s.Care.PermanencePerYear))

	h := s.Home
	b.WriteString("\n[home]\n")
	kv("reentry", hazardText(h.Reentry))
	kv("maltreatment", hazardText(h.Maltreatment))
	kv("maltreatment_reentry_probability", h.MaltreatmentReentryProbability.String())
	kv("stable_months", h.StableMonths.String())
	kv("case_close_months", h.CaseCloseMonths.String())
	rp := h.ReentryPlacementShares
	if rp.PerBand {
		rows := make([]string, len(rp.Maps))
		for i, m := range rp.Maps {
			rows[i] = "  " + inlineMap(m) + ","
		}
		kv("reentry_placement_shares", "[\n"+strings.Join(rows, "\n")+"\n]")
	} else if len(rp.Maps) == 1 {
		kv("reentry_placement_shares", inlineMap(rp.Maps[0]))
	}

	for _, f := range s.Factors {
		b.WriteString("\n[[factor]]\n")
		kv("name", tomlString(f.Name))
		kv("prevalence", bandsText(f.Prevalence))
		kv("hr_return", f.HRReturn.String())
		kv("hr_reentry", f.HRReentry.String())
		kv("hr_maltreatment", f.HRMaltreatment.String())
	}
	b.WriteString("\n[history]\n")
	for _, r := range []struct {
		n string
		r Ratios
	}{{"older", s.History.Older}, {"many_placements", s.History.ManyPlacements},
		{"short_care", s.History.ShortCare}, {"prior_failure", s.History.PriorFailure}} {
		kv(r.n, inline([]string{"hr_return", "hr_reentry", "hr_maltreatment"},
			[]string{r.r.HRReturn.String(), r.r.HRReentry.String(), r.r.HRMaltreatment.String()}))
	}

	co := s.Costs
	b.WriteString("\n[costs]\n")
	kv("social_work_per_month", co.SocialWorkPerMonth.String())
	kv("entry", co.Entry.String())
	kv("reentry", co.Reentry.String())
	kv("return", co.Return.String())
	kv("discount_rate", co.DiscountRate.String())
	kv("price_year", co.PriceYear.String())
	b.WriteString("\n[tiers]\n")
	kv("amber", s.Tiers.Amber.String())
	kv("red", s.Tiers.Red.String())

	for _, p := range s.Packages {
		b.WriteString("\n[[package]]\n")
		kv("name", tomlString(p.Name))
		kv("uptake", p.Uptake.String())
		kv("fixed_per_year", p.FixedPerYear.String())
		var ek, ev []string
		if p.Eligible.Tiers != nil {
			ek, ev = append(ek, "tiers"), append(ev, strList(p.Eligible.Tiers))
		}
		if p.Eligible.AgeBands != nil {
			xs := make([]string, len(p.Eligible.AgeBands))
			for i, a := range p.Eligible.AgeBands {
				xs[i] = strconv.Itoa(a)
			}
			ek, ev = append(ek, "age_bands"), append(ev, "["+strings.Join(xs, ", ")+"]")
		}
		if p.Eligible.Placements != nil {
			ek, ev = append(ek, "placements"), append(ev, strList(p.Eligible.Placements))
		}
		if p.Eligible.Factors != nil {
			ek, ev = append(ek, "factors"), append(ev, strList(p.Eligible.Factors))
		}
		if ek != nil {
			kv("eligible", inline(ek, ev))
		}
		kv("pre", inline([]string{"months", "cost_per_month", "cost_at_start", "hr_return", "persist_months"},
			[]string{p.Pre.Months.String(), p.Pre.CostPerMonth.String(), p.Pre.CostAtStart.String(), p.Pre.HRReturn.String(), p.Pre.PersistMonths.String()}))
		kv("post", inline([]string{"months", "cost_per_month", "cost_at_start", "hr_reentry", "hr_maltreatment", "persist_months"},
			[]string{p.Post.Months.String(), p.Post.CostPerMonth.String(), p.Post.CostAtStart.String(), p.Post.HRReentry.String(), p.Post.HRMaltreatment.String(), p.Post.PersistMonths.String()}))
		if cp := p.Capacity; cp != nil {
			full, queue := cp.choices()
			kv("capacity", inline([]string{"places", "when_full", "queue", "start_month"},
				[]string{strconv.Itoa(cp.places()), tomlString(full), tomlString(queue), strconv.FormatFloat(cp.StartMonth, 'f', -1, 64)}))
		}
	}
	for _, a := range s.Arms {
		b.WriteString("\n[[arm]]\n")
		kv("name", tomlString(a.Name))
		kv("packages", strList(a.Packages))
	}
	for _, cr := range s.Correlations {
		b.WriteString("\n[[correlation]]\n")
		kv("params", strList(cr.Params))
		kv("rho", cr.Rho.String())
	}
	return b.Bytes()
}

func list(vs []Value) string {
	xs := make([]string, len(vs))
	for i, v := range vs {
		xs[i] = v.String()
	}
	return "[" + strings.Join(xs, ", ") + "]"
}

func strList(ss []string) string {
	xs := make([]string, len(ss))
	for i, s := range ss {
		xs[i] = tomlString(s)
	}
	return "[" + strings.Join(xs, ", ") + "]"
}

func inline(keys, vals []string) string {
	xs := make([]string, len(keys))
	for i := range keys {
		xs[i] = keys[i] + " = " + vals[i]
	}
	return "{ " + strings.Join(xs, ", ") + " }"
}

func inlineMap(m map[string]Value) string {
	keys := slices.Sorted(maps.Keys(m))
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = m[k].String()
	}
	for i, k := range keys {
		if !reName.MatchString(k) {
			keys[i] = tomlString(k)
		}
	}
	if len(keys) == 0 {
		return "{}"
	}
	return inline(keys, vals)
}

func bandsText(b Bands) string {
	if b.Scalar {
		return b.Values[0].String()
	}
	return list(b.Values)
}

func hazardText(h Hazard) string {
	if h.IsCumulative() {
		return inline([]string{"months", "cumulative"}, []string{list(h.Months), list(h.Cumulative)})
	}
	return inline([]string{"starts_months", "per_year"}, []string{list(h.StartsMonths), list(h.PerYear)})
}
