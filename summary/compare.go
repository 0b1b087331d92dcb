package summary

import (
	"errors"
	"fmt"
	"math"

	"github.com/reunify/reunify/sim"
)

// Comparison metric names (comparison.csv), besides diff_<metric>.
const (
	ReentriesAverted      = "reentries_averted"
	IncrementalCost       = "incremental_cost"
	NetSaving             = "net_saving"
	ROI                   = "roi"
	CostPerReentryAverted = "cost_per_reentry_averted"
	ProbCostSaving        = "prob_cost_saving"
	// DiffPrefix starts the name of the difference, policy minus
	// baseline, of a per-iteration metric: diff_reentries and so on.
	DiffPrefix = "diff_"
)

// Comparison is one row of comparison.csv: a comparison metric of a policy
// arm against the baseline arm, computed iteration by iteration (both arms
// of an iteration share their random numbers) and then summarised across
// iterations. Undefined values are NaN.
type Comparison struct {
	Arm      string // the policy arm
	Baseline string // the baseline arm (Results.Arms[0])
	Metric   string
	Mean     float64
	SD       float64
	P2_5     float64
	P50      float64
	P97_5    float64
	// ProbPositive is the share of iterations (where the metric is
	// defined) in which it is > 0.
	ProbPositive float64
}

// series is one comparison metric across iterations.
type series struct {
	name string
	xs   []float64
}

// Compare compares every policy arm (Results.Arms[1:]) with the baseline
// arm, iteration by iteration. For each policy arm it returns, in order:
//
//   - reentries_averted: baseline re-entries minus policy re-entries;
//   - incremental_cost: policy minus baseline cost_total_discounted;
//   - net_saving: baseline minus policy cost_total_discounted;
//   - roi: net_saving divided by the policy's cost_support_discounted
//     (NaN in an iteration where that is 0);
//   - cost_per_reentry_averted: incremental_cost divided by
//     reentries_averted (NaN in an iteration where none are averted);
//   - prob_cost_saving: Mean is the share of iterations with net_saving
//     > 0; the other fields are NaN;
//   - diff_<metric>: policy minus baseline, for every metric in
//     Results.Metrics.
//
// The mean of cost_per_reentry_averted is the ratio of the means (mean
// incremental cost over mean re-entries averted, over the iterations where
// both are defined): the incremental cost-effectiveness ratio (ICER) that
// health economists report. The mean of the per-iteration ratios would be
// dominated by iterations where almost nothing is averted. Its SD,
// percentiles and ProbPositive are still those of the per-iteration ratios.
//
// Compare needs the metrics reentries, cost_total_discounted and
// cost_support_discounted.
func Compare(res *sim.Results) ([]Comparison, error) {
	if err := Check(res); err != nil {
		return nil, err
	}
	var out []Comparison
	for a := 1; a < len(res.Arms); a++ {
		cs, err := compareArm(res, a)
		if err != nil {
			return nil, err
		}
		out = append(out, cs.summarize(res.Arms[a], res.Arms[0], diffSeries(res, a))...)
	}
	return out, nil
}

// armComparison holds the per-iteration comparison metrics of a policy
// arm against the baseline.
type armComparison struct {
	averted, incr, saving, roi, icer []float64
}

// compareArm computes the per-iteration comparison metrics of arm a
// against arm 0.
func compareArm(res *sim.Results, a int) (armComparison, error) {
	var ks [3]int
	for j, name := range []string{sim.MReentries, sim.MCostTotalDiscounted, sim.MCostSupportDisc} {
		if ks[j] = res.Metric(name); ks[j] < 0 {
			return armComparison{}, fmt.Errorf("summary: comparing arms: results lack metric %q", name)
		}
	}
	saving, err := NetSavings(res, a)
	if err != nil {
		return armComparison{}, err
	}
	kRe, kCost, kSup := ks[0], ks[1], ks[2]
	n := len(res.Iterations)
	averted := make([]float64, n)
	incr := make([]float64, n)
	roi := make([]float64, n)
	icer := make([]float64, n)
	for i := range n {
		b, p := res.Outcomes[0][i].Metrics, res.Outcomes[a][i].Metrics
		averted[i] = b[kRe] - p[kRe]
		incr[i] = p[kCost] - b[kCost]
		roi[i] = ratio(saving[i], p[kSup])
		icer[i] = ratio(incr[i], averted[i])
	}
	return armComparison{averted, incr, saving, roi, icer}, nil
}

// NetSavings returns the net saving of arm a against the baseline, arm
// 0, in each iteration: the baseline's cost_total_discounted minus arm
// a's in the same iteration (the two share their random numbers). It is
// comparison.csv's net_saving before it is summarised, the terminal
// table's and the report's. It needs that one metric only, so results
// read back from iterations.csv will do (see resultdir.Folder).
func NetSavings(res *sim.Results, a int) ([]float64, error) {
	if res == nil {
		return nil, errors.New("summary: net saving: no results")
	}
	k := res.Metric(sim.MCostTotalDiscounted)
	if k < 0 {
		return nil, fmt.Errorf("summary: comparing arms: results lack metric %q", sim.MCostTotalDiscounted)
	}
	if a < 1 || a >= len(res.Outcomes) || len(res.Outcomes[a]) != len(res.Outcomes[0]) {
		return nil, fmt.Errorf("summary: net saving of arm %d: results have %d arms, or arms of different lengths", a, len(res.Outcomes))
	}
	xs := make([]float64, len(res.Outcomes[0]))
	for i := range xs {
		b, p := res.Outcomes[0][i].Metrics, res.Outcomes[a][i].Metrics
		if len(b) <= k || len(p) <= k {
			return nil, fmt.Errorf("summary: net saving of arm %d: iteration %d lacks metric %q", a, i, sim.MCostTotalDiscounted)
		}
		xs[i] = b[k] - p[k]
	}
	return xs, nil
}

// diffSeries is, for each metric of the results, its per-iteration
// difference between arm a and arm 0.
func diffSeries(res *sim.Results, a int) []series {
	n := len(res.Iterations)
	var ss []series
	for k, m := range res.Metrics {
		d := make([]float64, n)
		for i := range n {
			d[i] = res.Outcomes[a][i].Metrics[k] - res.Outcomes[0][i].Metrics[k]
		}
		ss = append(ss, series{DiffPrefix + m, d})
	}
	return ss
}

// ratio is x/y, or NaN when y is 0.
func ratio(x, y float64) float64 {
	if y == 0 {
		return math.NaN()
	}
	return x / y
}

// summarize turns the comparison of one policy arm, and then the diffs,
// into comparison rows in the order Compare documents.
func (cs armComparison) summarize(arm, base string, diffs []series) []Comparison {
	row := func(name string, xs []float64) Comparison {
		st := Summarize(xs)
		return Comparison{
			Arm: arm, Baseline: base, Metric: name,
			Mean: st.Mean, SD: st.SD, P2_5: st.P2_5, P50: st.P50, P97_5: st.P97_5,
			ProbPositive: ProbPositive(xs),
		}
	}
	icer := row(CostPerReentryAverted, cs.icer)
	// The ICER: ratio of means, not mean of ratios (see Compare).
	icer.Mean = ratioOfMeans(cs.incr, cs.averted)
	nan := math.NaN()
	out := []Comparison{
		row(ReentriesAverted, cs.averted),
		row(IncrementalCost, cs.incr),
		row(NetSaving, cs.saving),
		row(ROI, cs.roi),
		icer,
		{
			Arm: arm, Baseline: base, Metric: ProbCostSaving,
			Mean: ProbPositive(cs.saving),
			SD:   nan, P2_5: nan, P50: nan, P97_5: nan, ProbPositive: nan,
		},
	}
	for _, d := range diffs {
		out = append(out, row(d.name, d.xs))
	}
	return out
}

// ratioOfMeans is mean(num)/mean(den) over the indices where both are
// defined; NaN if there are none or mean(den) is 0.
func ratioOfMeans(num, den []float64) float64 {
	var x, y []float64
	for i := range num {
		if !math.IsNaN(num[i]) && !math.IsNaN(den[i]) {
			x = append(x, num[i])
			y = append(y, den[i])
		}
	}
	my := meanOf(y)
	if len(y) == 0 || my == 0 {
		return math.NaN()
	}
	return meanOf(x) / my
}
