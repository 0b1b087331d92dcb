package scenario

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/reunify/reunify/sim"
)

// Explain writes the resolved scenario for a reader: every parameter with
// its value or distribution (mean and 95% interval), defaults marked, the
// engine's monthly rates next to yearly ones, and the piecewise monthly
// hazards derived from the cumulative form with the cumulative shares they
// imply at 12, 24 and 60 months.
func (s *Scenario) Explain(w io.Writer) error {
	m, params, err := s.Build()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	section := func(title string) { fmt.Fprintf(tw, "\n%s\n", title) }
	line := func(path, value, note string) { fmt.Fprintf(tw, "  %s\t%s\t%s\n", path, value, note) }
	val := func(path string, v Value, unit string, monthly bool) {
		text := formatNum(v.Num)
		var notes []string
		if v.Dist != nil {
			text = v.Dist.String()
			notes = append(notes, fmt.Sprintf("mean %s, 95%% interval %s to %s", g(v.Dist.Mean()), g(v.Dist.Quantile(0.025)), g(v.Dist.Quantile(0.975))))
		}
		if unit != "" {
			notes = append(notes, unit)
		}
		if monthly {
			notes = append(notes, fmt.Sprintf("= %s per month", g(v.Mean()/12)))
		}
		if v.def {
			notes = append(notes, "(default)")
		}
		line(path, text, strings.Join(notes, "; "))
	}
	vals := func(path string, vs []Value, unit string, monthly bool) {
		for i, v := range vs {
			val(fmt.Sprintf("%s.%d", path, i), v, unit, monthly)
		}
	}
	ratios := func(path string, r Ratios, unit string) {
		val(path+"hr_return", r.HRReturn, unit, false)
		val(path+"hr_reentry", r.HRReentry, unit, false)
		val(path+"hr_maltreatment", r.HRMaltreatment, unit, false)
	}
	shares := func(path string, mp map[string]Value) {
		if mp == nil {
			line(path, "(none)", "")
			return
		}
		var xs []string
		for _, k := range slices.Sorted(maps.Keys(mp)) {
			xs = append(xs, k+"="+formatNum(mp[k].Num))
		}
		line(path, strings.Join(xs, ", "), "shares by placement")
	}

	fmt.Fprintf(tw, "scenario %s\n", s.Name)
	if s.Description != "" {
		fmt.Fprintf(tw, "%s\n", s.Description)
	}
	section("general")
	val("horizon_years", s.HorizonYears, fmt.Sprintf("years = %s months", g(m.Horizon)), false)
	var bands []string
	for i, a := range s.AgeBands {
		hi := "18"
		if i+1 < len(s.AgeBands) {
			hi = formatNum(s.AgeBands[i+1].Num)
		}
		bands = append(bands, fmt.Sprintf("%d: %s-%s", i, formatNum(a.Num), hi))
	}
	note := "age bands in years"
	if s.AgeBands[0].def {
		note += " (default)"
	}
	line("age_bands", strings.Join(bands, ", "), note)

	for _, p := range s.Placements {
		path := "placement." + p.Name + "."
		section("[[placement]] " + p.Name)
		val(path+"weekly_cost", p.WeeklyCost, "pounds per week", false)
		val(path+"moves_per_year", p.MovesPerYear, "moves per year", true)
		if p.MoveTo != nil {
			shares(path+"move_to", p.MoveTo)
		}
	}
	pop := func(name string, p Population) {
		section("[" + name + "]")
		val(name+".count", p.Count, "children at month 0", false)
		if p.AgeShares != nil {
			line(name+".age_shares", list(p.AgeShares), "shares by age band")
		}
		if p.PlacementShares != nil {
			shares(name+".placement_shares", p.PlacementShares)
		}
		val(name+".mean_months_in_care", p.MeanMonthsInCare, "months", false)
		val(name+".prior_failed_returns", p.PriorFailedReturns, "proportion", false)
	}
	pop("stock", s.Stock)
	section("[entries]")
	val("entries.per_year", s.Entries.PerYear, "entries per year", true)
	val("entries.trend", s.Entries.Trend, "yearly proportional change", false)
	if s.Entries.AgeShares != nil {
		line("entries.age_shares", list(s.Entries.AgeShares), "shares by age band")
	}
	if s.Entries.PlacementShares != nil {
		shares("entries.placement_shares", s.Entries.PlacementShares)
	}
	pop("cohort", s.Cohort)

	section("[care]")
	line("care.duration_breaks_months", list(s.Care.DurationBreaksMonths), "months in care at which segments start")
	rh := s.Care.ReturnHomePerYear
	for r, row := range rh.Rows {
		path := fmt.Sprintf("care.return_home_per_year.%d", r)
		if rh.Single {
			path = "care.return_home_per_year"
		}
		vals(path, row, "per year", true)
	}
	if s.Care.PermanencePerYear.Scalar {
		val("care.permanence_per_year", s.Care.PermanencePerYear.Values[0], "per year, all age bands", true)
	} else {
		vals("care.permanence_per_year", s.Care.PermanencePerYear.Values, "per year", true)
	}

	section("[home]")
	hazard := func(name string, h Hazard, p sim.Piecewise) {
		path := "home." + name
		if h.IsCumulative() {
			line(path, "cumulative form", "share with the event by each month since return")
			vals(path+".months", h.Months, "months", false)
			vals(path+".cumulative", h.Cumulative, "cumulative share", false)
		} else {
			line(path, "piecewise form", "")
			vals(path+".starts_months", h.StartsMonths, "months", false)
			vals(path+".per_year", h.PerYear, "per year", true)
		}
		for k := range p.Starts {
			seg := fmt.Sprintf("from month %s", g(p.Starts[k]))
			if k+1 < len(p.Starts) {
				seg = fmt.Sprintf("months %s-%s", g(p.Starts[k]), g(p.Starts[k+1]))
			}
			line("  derived hazard "+seg, g(p.Rates[k]), "per month")
		}
		line("  implied cumulative share", fmt.Sprintf("12m %.4f, 24m %.4f, 60m %.4f", p.Cumulative(12), p.Cumulative(24), p.Cumulative(60)), "")
	}
	h := s.Home
	hazard("reentry", h.Reentry, m.Home.Reentry)
	hazard("maltreatment", h.Maltreatment, m.Home.Maltreatment)
	val("home.maltreatment_reentry_probability", h.MaltreatmentReentryProbability, "probability", false)
	val("home.stable_months", h.StableMonths, "months", false)
	val("home.case_close_months", h.CaseCloseMonths, "months", false)
	if h.ReentryPlacementShares.PerBand {
		for i, mp := range h.ReentryPlacementShares.Maps {
			shares(fmt.Sprintf("home.reentry_placement_shares.%d", i), mp)
		}
	} else {
		shares("home.reentry_placement_shares", h.ReentryPlacementShares.Maps[0])
	}

	for _, f := range s.Factors {
		path := "factor." + f.Name + "."
		section("[[factor]] " + f.Name)
		if f.Prevalence.Scalar {
			val(path+"prevalence", f.Prevalence.Values[0], "proportion, all age bands", false)
		} else {
			vals(path+"prevalence", f.Prevalence.Values, "proportion", false)
		}
		ratios(path, f.Ratios, "hazard ratio")
	}
	section("[history]")
	for _, r := range []struct {
		n, what string
		r       Ratios
	}{{"older", "aged 12+ at return", s.History.Older}, {"many_placements", "3+ placements", s.History.ManyPlacements},
		{"short_care", "under 6 months in care", s.History.ShortCare}, {"prior_failure", "1+ failed returns", s.History.PriorFailure}} {
		ratios("history."+r.n+".", r.r, r.what)
	}

	section("[costs]")
	co := s.Costs
	val("costs.social_work_per_month", co.SocialWorkPerMonth, "pounds per month while a case is open", false)
	val("costs.entry", co.Entry, "pounds, one-off", false)
	val("costs.reentry", co.Reentry, "pounds, one-off", false)
	val("costs.return", co.Return, "pounds, one-off", false)
	val("costs.discount_rate", co.DiscountRate, "per year", false)
	val("costs.price_year", co.PriceYear, "0 = unstated", false)
	section("[tiers]")
	val("tiers.amber", s.Tiers.Amber, "risk score threshold (0 = none)", false)
	val("tiers.red", s.Tiers.Red, "risk score threshold (0 = none)", false)

	for _, p := range s.Packages {
		path := "package." + p.Name + "."
		section("[[package]] " + p.Name)
		val(path+"uptake", p.Uptake, "probability", false)
		val(path+"fixed_per_year", p.FixedPerYear, "pounds per year", false)
		el := p.Eligible
		var who []string
		if el.Tiers != nil {
			who = append(who, "tiers "+strings.Join(el.Tiers, "/"))
		}
		if el.AgeBands != nil {
			who = append(who, "age bands "+strings.Trim(fmt.Sprint(el.AgeBands), "[]"))
		}
		if el.Placements != nil {
			who = append(who, "placements "+strings.Join(el.Placements, "/"))
		}
		if el.Factors != nil {
			who = append(who, "any of factors "+strings.Join(el.Factors, "/"))
		}
		if who == nil {
			who = []string{"everyone"}
		}
		line(path+"eligible", strings.Join(who, "; "), "")
		val(path+"pre.months", p.Pre.Months, "months", false)
		val(path+"pre.cost_per_month", p.Pre.CostPerMonth, "pounds per family per month", false)
		val(path+"pre.cost_at_start", p.Pre.CostAtStart, "pounds per family, once when support starts", false)
		val(path+"pre.hr_return", p.Pre.HRReturn, "hazard ratio", false)
		val(path+"pre.persist_months", p.Pre.PersistMonths, "months", false)
		val(path+"post.months", p.Post.Months, "months", false)
		val(path+"post.cost_per_month", p.Post.CostPerMonth, "pounds per family per month", false)
		val(path+"post.cost_at_start", p.Post.CostAtStart, "pounds per family, once when support starts", false)
		val(path+"post.hr_reentry", p.Post.HRReentry, "hazard ratio", false)
		val(path+"post.hr_maltreatment", p.Post.HRMaltreatment, "hazard ratio", false)
		val(path+"post.persist_months", p.Post.PersistMonths, "months", false)
		if cp := p.Capacity; cp != nil {
			full, queue := cp.choices()
			line(path+"capacity", fmt.Sprintf("%d families at once; when full: %s; queue: %s; team starts at month %v", cp.places(), full, queue, cp.StartMonth), "")
		} else {
			line(path+"capacity", "unlimited: every eligible family that takes up the offer is supported", "")
		}
	}
	section("arms")
	for i, a := range s.Arms {
		note := ""
		if i == 0 {
			note = "baseline"
		}
		pk := strings.Join(a.Packages, ", ")
		if pk == "" {
			pk = "(no packages)"
		}
		line("arm."+a.Name, pk, note)
	}
	section(fmt.Sprintf("uncertain parameters (%d, drawn once per iteration)", len(params)))
	for _, p := range params {
		note := ""
		if len(p.Mix) > 0 {
			note = "correlated (Gaussian copula)"
		}
		line(p.Path, p.Dist.(*Dist).String(), note)
	}
	if len(s.Correlations) > 0 {
		section("correlations (of the parameters' normal scores)")
		dist := map[string]bool{}
		for _, p := range params {
			dist[p.Path] = true
		}
		for _, cr := range s.Correlations {
			note := ""
			for _, path := range cr.Params {
				if !dist[path] {
					note = "ignored: " + path + " is a fixed number, not a distribution"
				}
			}
			line(strings.Join(cr.Params, " ~ "), "rho "+cr.Rho.String(), note)
		}
	}
	return tw.Flush()
}

// g formats a derived number compactly.
func g(x float64) string { return fmt.Sprintf("%.6g", x) }
