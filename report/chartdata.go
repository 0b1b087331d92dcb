package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Charts holds the numbers behind every chart of a report. Each chart is
// drawn from these numbers alone, and each number is taken as it is from
// the result folder's CSV files (see Folder); only the histogram bins of
// the net saving are derived, by counting iterations.
type Charts struct {
	// NetSaving has one histogram per policy arm.
	NetSaving []NetSavingChart
	// Reentry is the Kaplan-Meier re-entry curve of every arm.
	Reentry []ReentryCurve
	// InCare is the fan chart of children in care at each year's end.
	InCare []InCareFan
	// Costs is the mean cost of each arm, by component.
	Costs CostChart
	// Tornado (one per arm named in tornado.csv, or one if it names
	// none) and Acceptability are nil when the folder lacks their files.
	Tornado       []TornadoChart
	Acceptability []AcceptabilityCurve
	// CashFlow is each policy's net saving year by year (yearly.csv),
	// Offsets its support spend beside the costs it avoids
	// (comparison.csv).
	CashFlow []CashFlowChart
	Offsets  []OffsetChart
}

// NetSavingChart is the distribution of one policy's net saving over the
// iterations (from iterations.csv), with the mean, 95% interval and
// probability of saving money of comparison.csv.
type NetSavingChart struct {
	Arm, Baseline string
	// Values is the net saving of each iteration (baseline minus policy
	// cost_total_discounted), in the order of iterations.csv.
	Values []float64
	// Bins is the histogram of Values: equal, contiguous bins.
	Bins []Bin
	// From comparison.csv's net_saving and prob_cost_saving rows.
	Mean, P2_5, P97_5, ProbCostSaving float64
}

// Bin is one bar of a histogram: Count values v with Lo <= v < Hi.
type Bin struct {
	Lo, Hi float64
	Count  int
}

// ReentryCurve is an arm's rows of survival.csv where the curve is
// defined (cum_reentry is not NA).
type ReentryCurve struct {
	Arm    string
	Month  []int
	Cum    []float64 // cum_reentry
	Lo, Hi []float64 // cum_reentry_p2_5, cum_reentry_p97_5
}

// InCareFan is an arm's in_care_end rows of yearly.csv.
type InCareFan struct {
	Arm                    string
	Year                   []int
	Mean, P2_5, P50, P97_5 []float64
}

// CostChart is the mean undiscounted cost of every arm by component, from
// summary.csv.
type CostChart struct {
	// Metrics are the component metrics, in stacking order, and Labels
	// their names for people.
	Metrics, Labels []string
	Arms            []string
	// Mean[a][k] is the mean of Metrics[k] in Arms[a].
	Mean [][]float64
	// Total[a] is the mean of cost_total in Arms[a] (the components add
	// up to it in every iteration).
	Total []float64
}

// TornadoChart is the rows of tornado.csv of one arm (its optional arm
// column), largest swing first.
type TornadoChart struct {
	Arm  string
	Rows []resultdir.TornadoRow
}

// AcceptabilityCurve is one policy's rows of acceptability.csv, in
// increasing value_per_reentry_averted.
type AcceptabilityCurve struct {
	Arm, Baseline string
	Value, Prob   []float64
}

// costComponents are the cost metrics stacked in the cost chart: they add
// up to cost_total.
var costComponents = []struct{ metric, label string }{
	{sim.MCostPlacements, "placements"},
	{sim.MCostSocialWork, "social work"},
	{sim.MCostSupport, "support"},
	{sim.MCostOneOff, "one-off (entry, re-entry, return)"},
}

// ChartData gathers the numbers behind every chart from the folder.
func ChartData(f *resultdir.Folder) *Charts {
	c := &Charts{}
	for a, arm := range f.Arms[1:] {
		// The folder's own iterations: NetSavings fails only on results
		// LoadFolder never makes, which then draw no histogram.
		values, _ := summary.NetSavings(f.PerIteration, a+1)
		ns := NetSavingChart{Arm: arm, Baseline: f.Arms[0], Values: values,
			Mean: math.NaN(), P2_5: math.NaN(), P97_5: math.NaN(), ProbCostSaving: math.NaN()}
		if r, ok := f.ComparisonOf(arm, summary.NetSaving); ok {
			ns.Baseline, ns.Mean, ns.P2_5, ns.P97_5 = r.Baseline, r.Mean, r.P2_5, r.P97_5
		}
		if r, ok := f.ComparisonOf(arm, summary.ProbCostSaving); ok {
			ns.ProbCostSaving = r.Mean
		}
		ns.Bins = histogram(ns.Values, 30)
		c.NetSaving = append(c.NetSaving, ns)
	}
	for _, arm := range f.Arms {
		rc := ReentryCurve{Arm: arm}
		for _, p := range f.Survival {
			if p.Arm != arm || !finite(p.CumReentry) {
				continue
			}
			rc.Month = append(rc.Month, p.Month)
			rc.Cum = append(rc.Cum, p.CumReentry)
			rc.Lo = append(rc.Lo, p.CumReentryP2_5)
			rc.Hi = append(rc.Hi, p.CumReentryP97_5)
		}
		c.Reentry = append(c.Reentry, rc)

		fan := InCareFan{Arm: arm}
		for _, y := range f.Yearly {
			if y.Arm != arm || y.Metric != sim.MInCareEnd {
				continue
			}
			fan.Year = append(fan.Year, y.Year)
			fan.Mean = append(fan.Mean, y.Mean)
			fan.P2_5 = append(fan.P2_5, y.P2_5)
			fan.P50 = append(fan.P50, y.P50)
			fan.P97_5 = append(fan.P97_5, y.P97_5)
		}
		c.InCare = append(c.InCare, fan)
	}

	for _, k := range costComponents {
		c.Costs.Metrics = append(c.Costs.Metrics, k.metric)
		c.Costs.Labels = append(c.Costs.Labels, k.label)
	}
	for _, arm := range f.Arms {
		c.Costs.Arms = append(c.Costs.Arms, arm)
		row := make([]float64, len(costComponents))
		for k, comp := range costComponents {
			row[k] = math.NaN()
			if s, ok := f.Summary[resultdir.ArmMetric{Arm: arm, Metric: comp.metric}]; ok {
				row[k] = s.Mean
			}
		}
		c.Costs.Mean = append(c.Costs.Mean, row)
		total := math.NaN()
		if s, ok := f.Summary[resultdir.ArmMetric{Arm: arm, Metric: sim.MCostTotal}]; ok {
			total = s.Mean
		}
		c.Costs.Total = append(c.Costs.Total, total)
	}

	for _, r := range f.Tornado {
		i := slices.IndexFunc(c.Tornado, func(t TornadoChart) bool { return t.Arm == r.Arm })
		if i < 0 {
			c.Tornado = append(c.Tornado, TornadoChart{Arm: r.Arm})
			i = len(c.Tornado) - 1
		}
		c.Tornado[i].Rows = append(c.Tornado[i].Rows, r)
	}
	for _, t := range c.Tornado {
		// Largest swing first; ties keep the file's order.
		slices.SortStableFunc(t.Rows, func(a, b resultdir.TornadoRow) int { return cmp.Compare(math.Abs(b.Swing), math.Abs(a.Swing)) })
	}
	for _, r := range f.Acceptability {
		i := slices.IndexFunc(c.Acceptability, func(a AcceptabilityCurve) bool { return a.Arm == r.Arm })
		if i < 0 {
			c.Acceptability = append(c.Acceptability, AcceptabilityCurve{Arm: r.Arm, Baseline: r.Baseline})
			i = len(c.Acceptability) - 1
		}
		a := &c.Acceptability[i]
		a.Value = append(a.Value, r.Value)
		a.Prob = append(a.Prob, r.ProbWorthIt)
	}
	c.CashFlow, c.Offsets = cashFlows(f), offsets(f)
	for i := range c.Acceptability {
		a := &c.Acceptability[i]
		idx := make([]int, len(a.Value))
		for j := range idx {
			idx[j] = j
		}
		slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(a.Value[x], a.Value[y]) })
		v, p := make([]float64, len(idx)), make([]float64, len(idx))
		for j, k := range idx {
			v[j], p[j] = a.Value[k], a.Prob[k]
		}
		a.Value, a.Prob = v, p
	}
	return c
}

// histogram bins the finite values of xs into about n equal bins whose
// width is a round number (1, 2, 2.5 or 5 times a power of ten) and whose
// edges are multiples of the width. It returns nil if there are no finite
// values.
func histogram(xs []float64, n int) []Bin {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if lo > hi {
		return nil
	}
	width := niceStep((hi - lo) / float64(n))
	if width == 0 {
		width = niceStep(math.Max(math.Abs(lo), 1) / 10)
	}
	first := math.Floor(lo / width)
	span := math.Floor(hi/width) - first
	if !(width > 0) || !finite(first, span) || span > float64(10*n) || math.Abs(first) > 1<<50 {
		// Values beyond what floats can bin (±1e308, or far from zero
		// for their spread): one bin holding them all.
		return []Bin{{Lo: lo, Hi: hi, Count: countFinite(xs)}}
	}
	nb := int(span) + 1
	bins := make([]Bin, nb)
	for i := range bins {
		bins[i].Lo = (first + float64(i)) * width
		bins[i].Hi = (first + float64(i+1)) * width
	}
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		i := int(math.Floor(x/width) - first)
		bins[min(max(i, 0), nb-1)].Count++
	}
	return bins
}

// niceStep rounds a positive step up to 1, 2, 2.5 or 5 times a power of
// ten; 0 for a step that is not positive.
func niceStep(step float64) float64 {
	if !(step > 0) || math.IsInf(step, 0) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(step)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= step*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// countFinite counts the values of xs that are neither NaN nor infinite.
func countFinite(xs []float64) int {
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			n++
		}
	}
	return n
}
