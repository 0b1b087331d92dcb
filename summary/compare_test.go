package summary

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/sim"
)

func TestCompare(t *testing.T) {
	res := resultstest.Tiny()
	res.Outcomes[1][2].Metrics[5] = 800 // a round cost instead of 1e9
	// Per iteration (baseline, support):
	//   re-entries            10 7 | 12 12 | 8 9      averted 3, 0, -1
	//   cost (discounted)     1000 950 | 1200 1250 | 900 800
	//     incremental -50, 50, -100; net saving 50, -50, 100
	//   support cost (disc.)  100 | 0 | 50            roi 0.5, NA, 2
	//   cost per re-entry averted -50/3, NA (none averted), 100
	// Type-7 percentiles of three sorted values a b c: p2.5 = .95a+.05b,
	// p97.5 = .05b+.95c; of two: p2.5 = .975a+.025b, p50 = (a+b)/2.
	want := []Comparison{
		{Metric: "reentries_averted", Mean: 2.0 / 3, SD: math.Sqrt(13.0 / 3),
			P2_5: -0.95, P50: 0, P97_5: 2.85, ProbPositive: 1.0 / 3},
		{Metric: "incremental_cost", Mean: -100.0 / 3, SD: math.Sqrt(17500.0 / 3),
			P2_5: -97.5, P50: -50, P97_5: 45, ProbPositive: 1.0 / 3},
		{Metric: "net_saving", Mean: 100.0 / 3, SD: math.Sqrt(17500.0 / 3),
			P2_5: -45, P50: 50, P97_5: 97.5, ProbPositive: 2.0 / 3},
		{Metric: "roi", Mean: 1.25, SD: math.Sqrt(1.125),
			P2_5: 0.5375, P50: 1.25, P97_5: 1.9625, ProbPositive: 1},
		// The mean is the ratio of means, (-100/3)/(2/3) = -50, not the
		// mean of the ratios (125/3).
		{Metric: "cost_per_reentry_averted", Mean: -50, SD: (350.0 / 3) / math.Sqrt2,
			P2_5: 0.975*(-50.0/3) + 0.025*100, P50: 125.0 / 3, P97_5: 0.025*(-50.0/3) + 0.975*100,
			ProbPositive: 0.5},
		{Metric: "prob_cost_saving", Mean: 2.0 / 3, SD: resultstest.NaN, P2_5: resultstest.NaN, P50: resultstest.NaN, P97_5: resultstest.NaN, ProbPositive: resultstest.NaN},
		{Metric: "diff_children", Mean: 0, SD: 0, P2_5: 0, P50: 0, P97_5: 0, ProbPositive: 0},
		// returns home 40 42 | 0 1 | 38 39
		{Metric: "diff_returns_home", Mean: 4.0 / 3, SD: math.Sqrt(1.0 / 3),
			P2_5: 1, P50: 1, P97_5: 1.95, ProbPositive: 1},
		{Metric: "diff_reentries", Mean: -2.0 / 3, SD: math.Sqrt(13.0 / 3),
			P2_5: -2.85, P50: 0, P97_5: 0.95, ProbPositive: 1.0 / 3},
		// NA in the baseline's second iteration: two values, -0.05 and
		// 0.1-1e-7.
		{Metric: "diff_reentry_rate_12m", Mean: (0.05 - 1e-7) / 2, SD: (0.15 - 1e-7) / math.Sqrt2,
			P2_5: 0.975*-0.05 + 0.025*(0.1-1e-7), P50: (0.05 - 1e-7) / 2,
			P97_5: 0.025*-0.05 + 0.975*(0.1-1e-7), ProbPositive: 0.5},
	}
	got, err := Compare(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6+len(res.Metrics) {
		t.Errorf("got %d rows, want %d", len(got), 6+len(res.Metrics))
	}
	for i, w := range want {
		if i >= len(got) {
			break
		}
		g := got[i]
		w.Arm, w.Baseline = "support", "baseline"
		if g.Arm != w.Arm || g.Baseline != w.Baseline || g.Metric != w.Metric ||
			!resultstest.Near(g.Mean, w.Mean) || !resultstest.Near(g.SD, w.SD) || !resultstest.Near(g.P2_5, w.P2_5) ||
			!resultstest.Near(g.P50, w.P50) || !resultstest.Near(g.P97_5, w.P97_5) || !resultstest.Near(g.ProbPositive, w.ProbPositive) {
			t.Errorf("row %d\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestCompareOneArm(t *testing.T) {
	res := resultstest.Tiny()
	res.Arms, res.Outcomes = res.Arms[:1], res.Outcomes[:1]
	got, err := Compare(res)
	if err != nil || len(got) != 0 {
		t.Errorf("Compare with only a baseline = %v, %v; want no rows", got, err)
	}
}

func TestCompareMissingMetric(t *testing.T) {
	res := resultstest.Tiny()
	res.Metrics[6] = "something_else" // no cost_support_discounted
	_, err := Compare(res)
	if err == nil || !strings.Contains(err.Error(), "cost_support_discounted") {
		t.Errorf("Compare without support cost: error %v, want one naming the metric", err)
	}
}

// TestNetSavings: the net saving of each iteration is the baseline's
// discounted cost minus the policy's, and comparison.csv's net_saving
// summarises exactly those values; results with the cost metric alone
// (as read back from iterations.csv) will do.
func TestNetSavings(t *testing.T) {
	res := resultstest.Tiny()
	got, err := NetSavings(res, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1000 - 950, 1200 - 1250, 900 - 1e9}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("iteration %d: %v, want %v", i, got[i], want[i])
		}
	}
	cmp, err := Compare(res)
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(got)
	for _, c := range cmp {
		if c.Metric == NetSaving && (c.Mean != s.Mean || c.P2_5 != s.P2_5 || c.P97_5 != s.P97_5) {
			t.Errorf("comparison's net saving %+v is not the summary of NetSavings %+v", c, s)
		}
	}
	k := res.Metric(sim.MCostTotalDiscounted)
	only := &sim.Results{Arms: res.Arms, Metrics: []string{sim.MCostTotalDiscounted}, Outcomes: make([][]sim.Outcome, 2)}
	for a := range res.Outcomes {
		for _, o := range res.Outcomes[a] {
			only.Outcomes[a] = append(only.Outcomes[a], sim.Outcome{Metrics: []float64{o.Metrics[k]}})
		}
	}
	if again, err := NetSavings(only, 1); err != nil || !slices.Equal(again, got) {
		t.Errorf("from the cost metric alone: %v, %v; want %v", again, err, got)
	}
	for _, a := range []int{0, 2, -1} {
		if _, err := NetSavings(res, a); err == nil {
			t.Errorf("arm %d: no error", a)
		}
	}
	only.Metrics = []string{sim.MCostTotal}
	if _, err := NetSavings(only, 1); err == nil || !strings.Contains(err.Error(), sim.MCostTotalDiscounted) {
		t.Errorf("without the cost metric: %v", err)
	}
}
