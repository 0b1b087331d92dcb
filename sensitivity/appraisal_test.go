package sensitivity

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/summary"
)

// TestBreakevenProbability: the value at which the policy saves money
// with probability Prob is where the share of iterations with a positive
// net saving crosses Prob: just below it (the support cheaper) the share
// is at least Prob, just above it below; and saving with 90% probability
// needs a cheaper support than breaking even on average.
func TestBreakevenProbability(t *testing.T) {
	build := fromFile(t, cohortFile, nil)
	cfg := BreakevenConfig{Path: "package.support.post.cost_per_month", Metric: Metric{Name: summary.NetSaving}, Lo: 0, Hi: 3000, Prob: 0.9}
	o := opts(40, 2)
	b, err := RunBreakeven(context.Background(), build, cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	if !(b.ValueProb < b.Value) {
		t.Fatalf("saves money with 90%% probability at %v, breaks even on average at %v: want the first cheaper", b.ValueProb, b.Value)
	}
	share := func(c float64) float64 {
		m, params, err := build([]string{cfg.Path + "=" + strconv.FormatFloat(c, 'g', -1, 64)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := run(context.Background(), m, params, o)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Evaluate(res, Metric{Name: summary.NetSaving, Arm: m.Arms[1].Name})
		if err != nil {
			t.Fatal(err)
		}
		return s.ProbPositive
	}
	step := DefaultRelTol * (cfg.Hi - cfg.Lo)
	if lo, hi := share(b.ValueProb-step), share(b.ValueProb+step); !(lo >= 0.9 && hi <= 0.9) {
		t.Errorf("share saving money %v just below and %v just above %v, want them either side of 90%%", lo, hi, b.ValueProb)
	}
	var row strings.Builder
	if err := b.WriteCSV(&row); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.SplitN(row.String(), "\n", 2)[0], ",current,prob,value_prob") {
		t.Errorf("breakeven.csv with a probability lacks its columns: %q", row.String())
	}
	// Without Prob, breakeven.csv keeps its columns.
	cfg.Prob = 0
	b, err = RunBreakeven(context.Background(), build, cfg, opts(5, 1))
	if err != nil {
		t.Fatal(err)
	}
	row.Reset()
	b.WriteCSV(&row)
	if strings.Contains(row.String(), "value_prob") || !math.IsNaN(b.ValueProb) {
		t.Errorf("a search without a probability wrote %q (value_prob %v)", row.String(), b.ValueProb)
	}
	// A probability is of the metric being above 0: another target is
	// refused.
	cfg.Prob, cfg.Target = 0.9, 100
	var ie *InputError
	if _, err := RunBreakeven(context.Background(), build, cfg, opts(5, 1)); !errors.As(err, &ie) {
		t.Errorf("a probability with target 100: %v, want an InputError", err)
	}
}

// TestShortNeverWritesExponents: the terminal tables write money as
// digits (1165810, not 1.16581e+06), small numbers too.
func TestShortNeverWritesExponents(t *testing.T) {
	for v, want := range map[float64]string{1165810.4: "1165810", -2.5e9: "-2500000000", 0.0000012345: "0.0000012345", 0.25: "0.25", 123456: "123456", math.NaN(): "NA"} {
		if got := short(v); got != want {
			t.Errorf("short(%v) = %q, want %q", v, got, want)
		}
	}
}
