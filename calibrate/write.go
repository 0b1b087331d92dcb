package calibrate

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/reunify/reunify/ssda903"
)

// WriteOptions are the parts of a scenario that the 903 does not hold.
type WriteOptions struct {
	Name         string   // scenario name; made safe for a folder name
	HorizonYears int      // simulated years (default 5)
	Sources      []string // file names read, for the header comment
}

// Defaults not estimable from the 903: weekly costs by placement type,
// from the shipped local-authority scenario.
var weeklyCost = [ssda903.NumTypes]struct {
	pounds float64
	source string
}{
	ssda903.Kinship:                {300, "assumption: kinship carer allowance"},
	ssda903.InHouseFoster:          {600, "NSPCC 2024: in-house foster about £600 a week"},
	ssda903.AgencyFoster:           {900, "NSPCC 2024: agency foster £820-£1,000 a week (midpoint)"},
	ssda903.ChildrensHome:          {4500, "NSPCC 2024: children's homes £4,000-£5,000 a week (midpoint)"},
	ssda903.Secure:                 {7000, "NSPCC 2024: secure £6,000-£8,000 a week (midpoint)"},
	ssda903.PlacedWithParents:      {1000, "assumption, as local-authority.toml's \"other\" (£1,000 a week): replace with your own figure"},
	ssda903.SupportedAccommodation: {1000, "assumption, as local-authority.toml's \"other\" (£1,000 a week): replace with your own figure"},
	ssda903.Other:                  {1000, "assumption, as local-authority.toml's \"other\" (£1,000 a week)"},
}

// num formats x with 4 significant digits, as a plain decimal.
func num(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// numList writes xs as the inside of a TOML array.
func numList(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}

// segLabels names the segments that start at starts: "0-6", ..., "24+".
func segLabels(starts []float64) []string {
	out := make([]string, len(starts))
	for i, a := range starts {
		if i+1 < len(starts) {
			out[i] = fmt.Sprintf("%g-%g", a, starts[i+1])
		} else {
			out[i] = fmt.Sprintf("%g+", a)
		}
	}
	return out
}

// ageLabels names the age bands that start at years: "under 1", "1-4",
// ..., "16-17".
func ageLabels(years []float64) []string {
	out := make([]string, len(years))
	for i, a := range years {
		hi := 18.0
		if i+1 < len(years) {
			hi = years[i+1]
		}
		if a == 0 {
			out[i] = fmt.Sprintf("under %g", hi)
		} else {
			out[i] = fmt.Sprintf("%g-%g", a, hi-1)
		}
	}
	return out
}

// months formats r's time at risk in months.
func months(r Rate) string { return strconv.FormatFloat(r.Months(), 'f', 1, 64) }

// RateValue returns the scenario value of a yearly rate and a comment
// stating its evidence: with events, a lognormal distribution with the
// estimate as mean and its Poisson standard error (rate/sqrt(events)) as
// sd; with time at risk but no events, the Jeffreys gamma(shape=0.5,
// rate=years at risk), weakly informative, mean half an event over the
// time observed; with no time at risk, ok is false.
func RateValue(r Rate) (value, comment string, ok bool) {
	switch {
	case r.Events > 0:
		m := r.PerYear()
		return fmt.Sprintf("%q", fmt.Sprintf("lognormal(mean=%s, sd=%s)", num(m), num(r.SE()))),
			fmt.Sprintf("%d %s in %s months at risk", r.Events, plural(r.Events, "event"), months(r)), true
	case r.Exposure > 0:
		return fmt.Sprintf("%q", fmt.Sprintf("gamma(shape=0.5, rate=%s)", num(r.Exposure))),
			fmt.Sprintf("0 events in %s months at risk: weakly informative Jeffreys prior, mean %s a year", months(r), num(0.5/r.Exposure)), true
	}
	return "0", "no time at risk in the data", false
}

// shares returns "{ a = 0.25, b = 0.75 }" over the named types, rounded
// to 4 decimals so that they still sum to exactly 1 (largest remainder).
func shares(counts []float64, names []string) string {
	total := 0.0
	for _, c := range counts {
		total += c
	}
	const unit = 10000
	q := make([]int, len(counts))
	rem := make([]float64, len(counts))
	sum := 0
	for i, c := range counts {
		x := c / total * unit
		q[i] = int(math.Floor(x))
		rem[i] = x - float64(q[i])
		sum += q[i]
	}
	for sum < unit {
		best := -1
		for i := range rem {
			if best < 0 || rem[i] > rem[best] {
				best = i
			}
		}
		q[best]++
		rem[best] = -1
		sum++
	}
	var parts []string
	for i, n := range names {
		if q[i] > 0 {
			parts = append(parts, fmt.Sprintf("%s = %s", n, strconv.FormatFloat(float64(q[i])/unit, 'f', -1, 64)))
		}
	}
	if names == nil { // a list, not a table
		for i := range q {
			parts = append(parts, strconv.FormatFloat(float64(q[i])/unit, 'f', -1, 64))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// WriteScenario writes a complete, commented scenario from the estimates.
// Every estimate carries its count of events and months at risk; rates are
// lognormal (or weakly informative gamma) distributions and proportions
// beta distributions sized by that evidence, so a small authority's
// scenario carries wide uncertainty. Costs, maltreatment and support are
// not in the 903: the scenario has national defaults with their sources,
// a baseline arm and a commented example policy.
func WriteScenario(w io.Writer, e *Estimates, opt WriteOptions) error {
	var present []ssda903.PlacementType
	for t := range ssda903.NumTypes {
		seen := e.TypeMonths[t] > 0 || e.EntryType[t] > 0 || e.StockType[t] > 0 || e.ReentryType[t] > 0
		for f := range ssda903.NumTypes {
			seen = seen || e.MoveTo[f][t] > 0
		}
		if seen {
			present = append(present, t)
		}
	}
	if len(present) == 0 {
		return errors.New("no episodes fall in the window: check --from and --to, or the files")
	}
	names := make([]string, len(present))
	for i, t := range present {
		names[i] = t.String()
	}
	typeCounts := func(c [ssda903.NumTypes]int) []float64 {
		out := make([]float64, len(present))
		for i, t := range present {
			out[i] = float64(c[t])
		}
		return out
	}
	intsF := func(c []int) []float64 {
		out := make([]float64, len(c))
		for i, x := range c {
			out[i] = float64(x)
		}
		return out
	}
	name := unsafeName.ReplaceAllString(opt.Name, "-")
	if name == "" || name == "-" {
		name = "calibrated"
	}
	horizon := opt.HorizonYears
	if horizon <= 0 {
		horizon = 5
	}

	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Calibrated by \"reunify calibrate\" from a local authority's SSDA903 return:\n")
	for _, s := range opt.Sources {
		p("#   %s\n", s)
	}
	p("# Collection window %s to %s (%.2f years): time after %s is censored.\n", e.Window.From, e.Window.To, e.Window.Years(), e.Window.To)
	p("# %d children with usable episodes. Every estimate below gives its\n", e.Children)
	p("# evidence: events and months at risk (occurrence/exposure, piecewise-\n")
	p("# constant hazards). Rates are per YEAR. Rates with events are lognormal\n")
	p("# (sd = rate/sqrt(events), the Poisson standard error); with no events a\n")
	p("# weakly informative gamma(shape=0.5, rate=years at risk). Proportions\n")
	p("# are beta distributions. Shares (age, placement mixes) are plain numbers\n")
	p("# as the schema requires; their counts are in the comments.\n")
	p("# The 903 holds no costs, risk factors, maltreatment or support: those\n")
	p("# below are national defaults (local-authority.toml) with their sources.\n")
	p("# Rates are population averages: the scenario has no risk factors, so\n")
	p("# do not add hazard ratios without rescaling the rates.\n\n")
	p("name = %q\n", name)
	p("description = %q\n", fmt.Sprintf("Calibrated from SSDA903 data, %s to %s", e.Window.From, e.Window.To))
	p("horizon_years = %d\n", horizon)
	bandNames := ageLabels(AgeBands)
	p("age_bands = [%s] # DfE bands: %s\n", numList(AgeBands), strings.Join(bandNames, ", "))

	// Placements.
	p("\n# Placement types from PLACE and PLACE_PROVIDER. Moves are changes of\n")
	p("# placement type within a period of care; moves between two placements\n")
	p("# of the same type are not modelled.\n")
	var pooled [ssda903.NumTypes]float64
	for f := range ssda903.NumTypes {
		for t := range ssda903.NumTypes {
			pooled[t] += float64(e.MoveTo[f][t])
		}
	}
	for _, t := range present {
		p("\n[[placement]]\nname = %q\n", t.String())
		p("weekly_cost = %s # %s\n", num(weeklyCost[t].pounds), weeklyCost[t].source)
		r := e.Moves[t]
		p("# %s months observed in this placement type\n", strconv.FormatFloat(e.TypeMonths[t], 'f', 1, 64))
		if len(present) == 1 {
			p("moves_per_year = 0 # the only placement type in the data: no moves between types\n")
			continue
		}
		v, cm, ok := RateValue(r)
		if !ok {
			p("moves_per_year = 0 # %s\n", cm)
			continue
		}
		p("moves_per_year = %s # %s\n", v, cm)
		var dest []float64
		var dnames []string
		n := 0.0
		for _, u := range present {
			if u != t {
				dest = append(dest, float64(e.MoveTo[t][u]))
				dnames = append(dnames, u.String())
				n += float64(e.MoveTo[t][u])
			}
		}
		note := fmt.Sprintf("destinations of %d moves", int(n))
		if n == 0 {
			k := 0
			for _, u := range present {
				if u != t {
					dest[k] = pooled[u]
					k++
				}
			}
			note = "no moves seen from here: destinations of all moves"
			if sum(dest) == 0 {
				for i := range dest {
					dest[i] = 1
				}
				note = "no moves seen at all: equal shares (assumption)"
			}
		}
		p("move_to = %s # %s\n", shares(dest, dnames), note)
	}

	// Stock.
	p("\n# Children in care on %s.\n[stock]\n", e.Window.From)
	p("count = %d\n", e.Stock)
	if e.Stock > 0 {
		p("age_shares = %s # ages on %s of %d children\n", shares(intsF(e.StockAges), nil), e.Window.From, e.Stock)
		p("placement_shares = %s # placements of %d children\n", shares(typeCounts(e.StockType), names), e.Stock)
		if e.StockKnown > 0 {
			p("mean_months_in_care = %s # mean time in care on %s of the %d of %d children whose period start is in the files (a cross-section: longer stays are over-represented)\n",
				num(e.StockMonths/float64(e.StockKnown)), e.Window.From, e.StockKnown, e.Stock)
		} else {
			p("mean_months_in_care = 24 # not in the files (no period start seen): assumption, DfE 2024 median time in care is about 2 years\n")
		}
		k, n := float64(e.StockReentry), float64(e.Stock)
		p("prior_failed_returns = %q # %d of %d children are in a period that followed a return home seen in the files (a lower bound: earlier returns are not in the files); beta(k+0.5, n-k+0.5)\n",
			fmt.Sprintf("beta(alpha=%s, beta=%s)", num(k+0.5), num(n-k+0.5)), e.StockReentry, e.Stock)
	}

	// Entries.
	p("\n# New periods of care (RNE S) after %s that are not re-entries after a\n# return home seen in the files.\n[entries]\n", e.Window.From)
	rate := e.Entries.PerYear()
	switch n := float64(e.Entries.Events); {
	case n >= 6:
		// entries.per_year must stay within the schema's bounds, so the
		// Poisson uncertainty is a symmetric triangular distribution with
		// the same mean and sd.
		half := rate / math.Sqrt(n) * math.Sqrt(6)
		p("per_year = %q # %d entries in %.2f years; triangular with the Poisson sd (rate/sqrt(entries))\n",
			fmt.Sprintf("triangular(min=%s, mode=%s, max=%s)", num(rate-half), num(rate), num(rate+half)), e.Entries.Events, e.Entries.Exposure)
	default:
		p("per_year = %s # %d entries in %.2f years (too few to state a distribution)\n", num(rate), e.Entries.Events, e.Entries.Exposure)
	}
	p("trend = 0 # not estimated: assumption, flat\n")
	if e.Entries.Events > 0 {
		p("age_shares = %s # age at entry of %d entries\n", shares(intsF(e.EntryAges), nil), e.Entries.Events)
		p("placement_shares = %s # first placement of %d entries\n", shares(typeCounts(e.EntryType), names), e.Entries.Events)
	}

	// Care.
	durNames := segLabels(DurationBreaks)
	last := DurationBreaks[len(DurationBreaks)-1]
	p("\n[care]\nduration_breaks_months = [%s] # months in care: %s\n", numList(DurationBreaks), strings.Join(durNames, ", "))
	p("# Return home (REC E4A, E4B) per year, one row per age band, one column\n")
	p("# per segment. Time in periods that began before the files (start\n")
	p("# unknown) counts only in the %s column, once %g months are seen.\n", durNames[len(durNames)-1], last)
	p("return_home_per_year = [\n")
	for bd, row := range e.Return {
		var vals, notes []string
		for s, r := range row {
			v, cm, ok := RateValue(r)
			if !ok {
				var pool Rate
				for _, rr := range e.Return {
					pool.add(rr[s])
				}
				if v2, cm2, ok2 := RateValue(pool); ok2 {
					v, cm = v2, "no time at risk at this age: all ages pooled, "+cm2
				} else {
					v, cm = "0", "no time at risk in the data at any age"
				}
			}
			vals = append(vals, v)
			notes = append(notes, fmt.Sprintf("%s months: %s", durNames[s], cm))
		}
		p("  # %s: %s\n", bandNames[bd], strings.Join(notes, "; "))
		p("  [%s],\n", strings.Join(vals, ", "))
	}
	p("]\n")
	p("# Permanent exits per year by age band: adoption, special guardianship\n")
	p("# and child arrangements orders (%d), and, because the model has no other\n", e.PermanenceOrders)
	p("# way out of care before 18, the other exits (%d: E2, E3, E5-E9, E13-E17).\n", e.OtherExits)
	p("# %d exits at 18 are left to the model's 18th birthday.\n", e.Age18)
	p("permanence_per_year = [\n")
	for bd, r := range e.Permanence {
		v, cm, _ := RateValue(r)
		p("  %s, # %s: %s\n", v, bandNames[bd], cm)
	}
	p("]\n")

	// Home.
	p("\n[home]\n")
	p("# Re-entry to care after a return home, per year by months since the\n")
	p("# return (%d returns home in the window):\n", e.Returns)
	var rv []string
	reentryNames := segLabels(ReentryStarts)
	for s, r := range e.Reentry {
		v, cm, _ := RateValue(r)
		p("#   %s months: %s\n", reentryNames[s], cm)
		rv = append(rv, v)
	}
	p("reentry = { starts_months = [%s], per_year = [%s] }\n", numList(ReentryStarts), strings.Join(rv, ", "))
	p("# Maltreatment is not in the 903. Farmer 2011 found 46%% re-abused or\n")
	p("# neglected within 2 years; this is local-authority.toml's curve.\n")
	p("maltreatment = { months = [24], cumulative = [0.30] }\n")
	p("maltreatment_reentry_probability = 0 # re-entries after maltreatment are already in the re-entry rates above\n")
	p("stable_months = 24 # UEA 2020: a stable return is 2+ years at home\n")
	p("case_close_months = 12 # assumption: cases close a year after a return\n")
	re := typeCounts(e.ReentryType)
	note := fmt.Sprintf("placements on %d re-entries", int(sum(re)))
	switch {
	case sum(re) > 0:
	case e.Entries.Events > 0:
		re, note = typeCounts(e.EntryType), "no re-entries seen: the first placements of entries"
	case e.Stock > 0:
		re, note = typeCounts(e.StockType), "no re-entries or entries seen: the placements of the stock"
	default:
		re = make([]float64, len(present))
		re[0], note = 1, "no re-entries, entries or stock seen (assumption)"
	}
	p("reentry_placement_shares = %s # %s\n", shares(re, names), note)

	p(`
[costs]
social_work_per_month = 600 # assumption: social-work time on an open case
entry = 2000 # assumption: assessment and court work on entry
reentry = 2000 # assumption: as on entry
return = 0
discount_rate = 0.035 # HM Treasury Green Book
price_year = 2024

[[arm]]
name = "baseline"
packages = []

# An example policy (uncomment to compare it with the baseline): Holmes
# 2014, £5,627 a year to support a return, here over 12 months; its effect
# is an assumption.
#
# [[package]]
# name = "post_return_support"
# uptake = 0.8 # assumption: most families engage
# post = { months = 12, cost_per_month = 469, hr_reentry = 0.7, hr_maltreatment = 0.8, persist_months = 6 }
#
# [[arm]]
# name = "post_return_support"
# packages = ["post_return_support"]
`)
	_, err := io.WriteString(w, b.String())
	return err
}
