package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// CashFlowChart is one policy's discounted net saving year by year
// against the baseline, from yearly.csv: each year's mean
// cost_total_discounted of the baseline minus the policy's (the mean of
// the differences), and the running total. Support is the policy's mean
// support spend in each year and PlacementsAvoided the baseline's mean
// placement cost less the policy's, both undiscounted, as yearly.csv
// holds them.
type CashFlowChart struct {
	Arm, Baseline                                   string
	Year                                            []int
	BaselineCost, PolicyCost, NetSaving, Cumulative []float64
	Support, PlacementsAvoided                      []float64
	// Payback is the first year whose cumulative net saving is at least
	// zero, 0 if none within the horizon.
	Payback int
}

// OffsetChart is one policy's support spend beside the costs it avoids
// over the horizon, from comparison.csv (undiscounted means): the
// diff_cost_support row, and the diff_cost_placements,
// diff_cost_social_work and diff_cost_one_off rows negated (a cost
// avoided is a negative difference).
type OffsetChart struct {
	Arm                                     string
	Support, Placements, SocialWork, OneOff float64
}

// offsetParts are the rows of an OffsetChart, in order: the metric of
// comparison.csv, the sign that makes it a positive amount, and the
// labels.
var offsetParts = []struct {
	metric       string
	sign         float64
	label, short string // for the table, and under the chart's bar
}{
	{summary.DiffPrefix + sim.MCostSupport, 1, "support spend", "support spend"},
	{summary.DiffPrefix + sim.MCostPlacements, -1, "placement costs avoided", "placements avoided"},
	{summary.DiffPrefix + sim.MCostSocialWork, -1, "social-work costs avoided", "social work avoided"},
	{summary.DiffPrefix + sim.MCostOneOff, -1, "entry and re-entry costs avoided", "entry, re-entry avoided"},
}

// values returns the chart's amounts in the order of offsetParts.
func (o OffsetChart) values() []float64 {
	return []float64{o.Support, o.Placements, o.SocialWork, o.OneOff}
}

// cashFlows gathers the year-by-year net saving of every policy.
func cashFlows(f *resultdir.Folder) []CashFlowChart {
	if len(f.Arms) < 2 {
		return nil
	}
	mean := func(arm, metric string) map[int]float64 {
		m := map[int]float64{}
		for _, y := range f.Yearly {
			if y.Arm == arm && y.Metric == metric {
				m[y.Year] = y.Mean
			}
		}
		return m
	}
	base := f.Arms[0]
	bcost, bplace := mean(base, sim.MCostTotalDiscounted), mean(base, sim.MCostPlacements)
	var out []CashFlowChart
	for _, arm := range f.Arms[1:] {
		pcost, pplace, psup := mean(arm, sim.MCostTotalDiscounted), mean(arm, sim.MCostPlacements), mean(arm, sim.MCostSupport)
		cf := CashFlowChart{Arm: arm, Baseline: base}
		cum := 0.0
		for _, y := range f.Yearly {
			if y.Arm != base || y.Metric != sim.MCostTotalDiscounted {
				continue
			}
			p, ok := pcost[y.Year]
			if !ok {
				continue
			}
			ns := bcost[y.Year] - p
			cum += ns
			cf.Year = append(cf.Year, y.Year)
			cf.BaselineCost = append(cf.BaselineCost, bcost[y.Year])
			cf.PolicyCost = append(cf.PolicyCost, p)
			cf.NetSaving = append(cf.NetSaving, ns)
			cf.Cumulative = append(cf.Cumulative, cum)
			cf.Support = append(cf.Support, valueOr(psup, y.Year))
			avoided := math.NaN()
			if b, ok := bplace[y.Year]; ok {
				avoided = b - valueOr(pplace, y.Year)
			}
			cf.PlacementsAvoided = append(cf.PlacementsAvoided, avoided)
			if cf.Payback == 0 && cum >= 0 {
				cf.Payback = y.Year
			}
		}
		if len(cf.Year) > 0 {
			out = append(out, cf)
		}
	}
	return out
}

// valueOr is m[k], or NaN when m lacks k.
func valueOr(m map[int]float64, k int) float64 {
	if v, ok := m[k]; ok {
		return v
	}
	return math.NaN()
}

// offsets gathers each policy's support spend and the costs it avoids.
func offsets(f *resultdir.Folder) []OffsetChart {
	var out []OffsetChart
	for _, arm := range f.Arms[1:] {
		o := OffsetChart{Arm: arm}
		dst := []*float64{&o.Support, &o.Placements, &o.SocialWork, &o.OneOff}
		any := false
		for k, p := range offsetParts {
			*dst[k] = math.NaN()
			if c, ok := f.ComparisonOf(arm, p.metric); ok {
				*dst[k] = p.sign * c.Mean
				any = true
			}
		}
		if any {
			out = append(out, o)
		}
	}
	return out
}

// paramLabels names the parts of a parameter's scenario path for people.
var paramLabels = map[string]string{
	"hr_reentry":            "re-entry hazard ratio",
	"hr_maltreatment":       "maltreatment hazard ratio",
	"hr_return":             "return-home hazard ratio",
	"cost_per_month":        "cost a month",
	"weekly_cost":           "weekly cost",
	"moves_per_year":        "moves a year",
	"reentry":               "re-entry",
	"cumulative":            "curve,",
	"post":                  "after return:",
	"pre":                   "before return:",
	"costs":                 "cost of",
	"home":                  "",
	"package":               "",
	"placement":             "",
	"factor":                "",
	"stock":                 "children in care:",
	"entries":               "entries:",
	"social_work_per_month": "social work a month",
	"entry":                 "entry",
}

// ParamLabel names a parameter's scenario path for people:
// "package.post_return_support.post.hr_reentry" is "post return support:
// re-entry hazard ratio after return", and "home.reentry.cumulative.1"
// is "re-entry curve, point 2".
func ParamLabel(path string) string {
	segs := strings.Split(strings.TrimPrefix(path, resultdir.ParamPrefix), ".")
	if len(segs) >= 3 && segs[0] == "package" {
		label := strings.ReplaceAll(segs[1], "_", " ") + ": " + ParamLabel(strings.Join(segs[2:], "."))
		return strings.Replace(label, ": after return: ", ": ", 1) + phaseSuffix(segs[2])
	}
	var words []string
	for i, s := range segs {
		if n, err := strconv.Atoi(s); err == nil && i > 0 {
			words = append(words, "point "+strconv.Itoa(n+1))
			continue
		}
		if l, ok := paramLabels[s]; ok {
			if l != "" {
				words = append(words, l)
			}
			continue
		}
		words = append(words, strings.ReplaceAll(s, "_", " "))
	}
	return strings.Join(words, " ")
}

// paramValue formats a value of the parameter at path: pounds for a
// cost (a path under costs. or a key naming a cost), else three
// significant figures.
func paramValue(path string, v float64) string {
	path = strings.TrimPrefix(path, resultdir.ParamPrefix)
	if strings.HasPrefix(path, "costs.") || strings.Contains(path[strings.LastIndexByte(path, '.')+1:], "cost") {
		return money(v)
	}
	return round3(v)
}

// phaseSuffix says which phase of a package a parameter belongs to.
func phaseSuffix(seg string) string {
	switch seg {
	case "post":
		return " after return"
	case "pre":
		return " before return"
	}
	return ""
}

// round3 formats a parameter's value for people: three significant
// figures, never in exponent notation.
func round3(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	if v == 0 {
		return "0"
	}
	digits := 2 - int(math.Floor(math.Log10(math.Abs(v))))
	if digits <= 0 {
		return thousands(math.Round(v/math.Pow(10, float64(-digits))) * math.Pow(10, float64(-digits)))
	}
	s := fixed(v, digits)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}
