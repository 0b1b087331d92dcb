package summary

import (
	"math"
	"slices"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/sim"
)

// ceacResults builds two-arm results whose iteration i averts averted[i]
// re-entries at an extra discounted cost of incr[i].
func ceacResults(averted, incr []float64) *sim.Results {
	res := &sim.Results{
		Arms:    []string{"baseline", "support"},
		Metrics: []string{sim.MReentries, sim.MCostTotalDiscounted, sim.MCostSupportDisc},
	}
	res.Outcomes = make([][]sim.Outcome, 2)
	for i := range averted {
		res.Iterations = append(res.Iterations, i)
		o := func(m ...float64) sim.Outcome {
			return sim.Outcome{Metrics: m, AtRisk: []float64{0}, CumReentry: []float64{resultstest.NaN}}
		}
		res.Outcomes[0] = append(res.Outcomes[0], o(10, 1000, 0))
		res.Outcomes[1] = append(res.Outcomes[1], o(10-averted[i], 1000+incr[i], 1))
	}
	res.TotalIterations = len(averted)
	return res
}

func TestAcceptability(t *testing.T) {
	// Iteration i is worth it above lambda = incr/averted: 1000, 2000,
	// 500; the fourth saves money and always is; the fifth (NaN cost)
	// is left out.
	res := ceacResults([]float64{1, 2, 4, 0, 3}, []float64{1000, 4000, 2000, -10, resultstest.NaN})
	tests := []struct {
		value, want float64
	}{
		{0, 0.25},      // only the money-saving iteration
		{500, 0.25},    // 4*500 - 2000 = 0 is not above 0
		{600, 0.5},     // and iteration 2
		{1000, 0.5},    // 1*1000 - 1000 = 0 again
		{1500, 0.75},   // and iteration 0
		{2500, 1},      // all four
		{-100, 0.25},   // a negative value only keeps the saver
		{61614, 1},     // the seeds' cost of a re-entry
		{2000.5, 1},    // just above iteration 1's threshold
		{1999.5, 0.75}, // just below
	}
	var values []float64
	for _, tt := range tests {
		values = append(values, tt.value)
	}
	pts, err := Acceptability(res, values)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != len(tests) {
		t.Fatalf("%d points, want %d", len(pts), len(tests))
	}
	for i, tt := range tests {
		p := pts[i]
		if p.Arm != "support" || p.Baseline != "baseline" || p.Value != tt.value {
			t.Errorf("point %d is %+v", i, p)
		}
		if p.ProbWorthIt != tt.want {
			t.Errorf("value %v: prob_worth_it %v, want %v", tt.value, p.ProbWorthIt, tt.want)
		}
	}
}

func TestAcceptabilityAtZeroIsProbCostSaving(t *testing.T) {
	res := resultstest.Tiny()
	pts, err := Acceptability(res, []float64{0})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := Compare(res)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(cmp, func(c Comparison) bool { return c.Metric == ProbCostSaving })
	if pts[0].ProbWorthIt != cmp[i].Mean {
		t.Errorf("acceptability at 0 is %v, prob_cost_saving %v", pts[0].ProbWorthIt, cmp[i].Mean)
	}
}

func TestAcceptabilityRejectsNaN(t *testing.T) {
	if _, err := Acceptability(resultstest.Tiny(), []float64{math.NaN()}); err == nil {
		t.Error("a NaN value was accepted")
	}
}

func TestDefaultAcceptabilityValues(t *testing.T) {
	vs := DefaultAcceptabilityValues()
	if !slices.IsSorted(vs) || vs[0] != 0 || vs[len(vs)-1] != 200000 || !slices.Contains(vs, ValuePerReentryAverted) {
		t.Errorf("grid %v: want 0 to 200000, sorted, with %v", vs, ValuePerReentryAverted)
	}
}
