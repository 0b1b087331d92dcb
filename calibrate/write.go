package calibrate

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/ssda903"
)

// ScenarioMark and FittedMark are the first line of a scenario calibrate
// writes from SSDA903 files and of one it fits to targets: the mark by
// which --force knows the file as calibrate's own.
const (
	ScenarioMark = "# Calibrated by \"reunify calibrate\" from a local authority's SSDA903 return:\n"
	FittedMark   = "# Fitted by \"reunify calibrate\" from "
)

// WriteOptions are the parts of a scenario that the 903 does not hold.
type WriteOptions struct {
	Name         string   // scenario name; made safe for a folder name
	Authority    string   // the authority's code, "" for the files as a whole
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

// PosteriorValue returns a pooled rate's scenario value, a gamma
// distribution, and a comment stating its evidence: the cell's events and
// months at risk, the rate the pattern gives it and the posterior mean.
// With no time at risk anywhere in its table, ok is false.
func PosteriorValue(p Posterior) (value, comment string, ok bool) {
	if !(p.Alpha > 0 && p.Beta > 0) {
		return "0", "no time at risk in the data", false
	}
	return fmt.Sprintf("%q", p.Value()),
		fmt.Sprintf("%d %s in %s months, pattern %s: %s", p.Events, plural(p.Events, "event"), months(p.Own()), num(p.PriorMean), num(p.Mean())), true
}

// pooledNote describes how strongly a table was pooled.
func pooledNote(pl Pooling, authorities int) string {
	s := fmt.Sprintf("cells like the pattern vary around it by about %.0f%%, and about %.0f%% of cells are unlike it", 100*pl.Phi, 100*pl.Unlike)
	if authorities > 1 {
		s += fmt.Sprintf("; this authority's level is shrunk toward the region of %d authorities with the weight of %s events", authorities, num(pl.AuthorityStrength))
	}
	return s
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

// Scenario is the scenario WriteScenario writes, as text, checked by the
// scenario reader (as path, for its messages): a scenario that does not
// load is an *InputError, as the reader's limits and calibrate's flags
// keep every figure within the schema, so the input is the likelier
// cause.
func Scenario(path string, e *Estimates, pr *Pooled, opt WriteOptions) (string, error) {
	var buf strings.Builder
	if err := WriteScenario(&buf, e, pr, opt); err != nil {
		return "", &InputError{fmt.Errorf("calibrate: %w", err)}
	}
	if _, err := scenario.LoadBytes(path, []byte(buf.String()), nil); err != nil {
		return "", &InputError{fmt.Errorf("calibrate: the figures estimated from these files do not make a valid scenario: %w\ncheck the files and the window (--from, --to); if they are an ordinary return, please report this", err)}
	}
	return buf.String(), nil
}

// WriteScenario writes a complete, commented scenario from the estimates
// and their pooled posteriors (PoolAll). Every estimate carries its count
// of events and months at risk; rates are the posterior gamma
// distributions and proportions beta distributions sized by that
// evidence, so a small authority's scenario carries wide uncertainty. Costs, maltreatment and support are
// not in the 903: the scenario has national defaults with their sources,
// a baseline arm and a commented example policy.
func WriteScenario(w io.Writer, e *Estimates, pr *Pooled, opt WriteOptions) error {
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
	p("%s", ScenarioMark)
	for _, s := range opt.Sources {
		p("#   %s\n", s)
	}
	if opt.Authority != "" {
		p("# Authority %s (column LA): its children only; its rates are shrunk\n", opt.Authority)
		p("# toward the region of the %d authorities in the files.\n", pr.Authorities)
	}
	p("# Collection window %s to %s (%.2f years): time after %s is censored.\n", e.Window.From, e.Window.To, e.Window.Years(), e.Window.To)
	p("# %d children with usable episodes. Every estimate below gives its\n", e.Children)
	p("# evidence: events and months at risk (occurrence/exposure, piecewise-\n")
	p("# constant hazards). Rates are per YEAR. Each rate is partially pooled\n")
	p("# (empirical Bayes, gamma-Poisson): shrunk toward the pattern over its\n")
	p("# table's cells by a weight estimated from how much the cells differ, so\n")
	p("# a cell with few events borrows from its neighbours and one with many\n")
	p("# keeps its own rate; each is written as its posterior gamma\n")
	p("# distribution. Proportions are beta distributions. Shares (age,\n")
	p("# placement mixes) are plain numbers as the schema requires; their\n")
	p("# counts are in the comments.\n")
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
	p("# of the same type are not modelled. Move rates are pooled toward the\n")
	p("# rate over all types (%s).\n", pooledNote(pr.MovesPool, pr.Authorities))
	var pooled [ssda903.NumTypes]float64
	for f := range ssda903.NumTypes {
		for t := range ssda903.NumTypes {
			pooled[t] += float64(e.MoveTo[f][t])
		}
	}
	for _, t := range present {
		p("\n[[placement]]\nname = %q\n", t.String())
		p("weekly_cost = %s # %s\n", num(weeklyCost[t].pounds), weeklyCost[t].source)
		p("# %s months observed in this placement type\n", strconv.FormatFloat(e.TypeMonths[t], 'f', 1, 64))
		if len(present) == 1 {
			p("moves_per_year = 0 # the only placement type in the data: no moves between types\n")
			continue
		}
		v, cm, ok := PosteriorValue(pr.Moves[t])
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
		switch {
		case 2*e.StockKnown >= e.Stock && e.StockMonths > 0:
			p("mean_months_in_care = %s # mean time in care on %s of the %d of %d children whose period start is in the files (a cross-section: longer stays are over-represented)\n",
				num(e.StockMonths/float64(e.StockKnown)), e.Window.From, e.StockKnown, e.Stock)
		default:
			// The children whose start is in the files are the ones who
			// came into care within them: their mean is that of short
			// stays, not of the stock.
			p("mean_months_in_care = 24 # the period start of only %d of %d children is in the files, too few to estimate: assumption, DfE 2024 median time in care is about 2 years\n", e.StockKnown, e.Stock)
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
	p("# Pooled: each cell is shrunk toward the pattern of an age effect times a\n")
	p("# months-in-care effect fitted to all cells, so a cell with few events\n")
	p("# borrows from its neighbours (%s).\n", pooledNote(pr.ReturnPool, pr.Authorities))
	p("# Each cell: events in months at risk, the pattern's rate: the posterior mean.\n")
	p("return_home_per_year = [\n")
	for bd, row := range pr.Return {
		var vals, notes []string
		for s, post := range row {
			v, cm, _ := PosteriorValue(post)
			vals = append(vals, v)
			notes = append(notes, fmt.Sprintf("%s: %s", durNames[s], cm))
		}
		p("  # %s: %s\n", bandNames[bd], strings.Join(notes, "; "))
		p("  [%s],\n", strings.Join(vals, ", "))
	}
	p("]\n")
	p("# Permanent exits per year by age band: adoption, special guardianship\n")
	p("# and child arrangements orders (%d), and, because the model has no other\n", e.PermanenceOrders)
	p("# way out of care before 18, the other exits (%d: E2, E3, E5-E9, E13-E17).\n", e.OtherExits)
	p("# %d exits at 18 are left to the model's 18th birthday. Pooled toward the\n", e.Age18)
	p("# rate over all ages (%s).\n", pooledNote(pr.PermanencePool, pr.Authorities))
	p("permanence_per_year = [\n")
	for bd, post := range pr.Permanence {
		v, cm, _ := PosteriorValue(post)
		p("  %s, # %s: %s\n", v, bandNames[bd], cm)
	}
	p("]\n")

	// Home.
	p("\n[home]\n")
	p("# Re-entry to care after a return home, per year by months since the\n")
	p("# return (%d returns home in the window), pooled toward the rate over\n", e.Returns)
	p("# all months since return (%s):\n", pooledNote(pr.ReentryPool, pr.Authorities))
	var rv []string
	reentryNames := segLabels(ReentryStarts)
	for s, post := range pr.Reentry {
		v, cm, _ := PosteriorValue(post)
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
