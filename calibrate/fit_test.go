package calibrate_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// simulate runs the baseline of a scenario and returns the mean and Monte
// Carlo standard error of a metric.
func simulate(t *testing.T, name string, data []byte, metric string, iterations int, seed uint64) (float64, float64) {
	t.Helper()
	sc, err := scenario.LoadBytes(name, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, ps, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Iterations: iterations, Seed: seed, Workers: 2, Params: ps})
	if err != nil {
		t.Fatal(err)
	}
	col := res.Column(0, metric)
	n, s := 0.0, 0.0
	for _, x := range col {
		n, s = n+1, s+x
	}
	mean, ss := s/n, 0.0
	for _, x := range col {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

// TestFit fits to targets by bisection (one parameter per target) and by
// Nelder-Mead (more parameters than targets), then checks the fitted
// scenario, run again with a different seed, reproduces each target
// within Monte Carlo error (4 combined standard errors).
func TestFit(t *testing.T) {
	data, err := os.ReadFile("testdata/fit.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		targets []calibrate.Target
		params  []string
		method  string
	}{
		{"bisection", []calibrate.Target{{"reentry_rate_12m", 0.32}}, []string{"home.reentry.cumulative.0"}, "bisection"},
		{"two by two", []calibrate.Target{{"reentry_rate_12m", 0.3}, {"returns_home", 100}},
			[]string{"home.reentry.cumulative.0", "care.return_home_per_year.0"}, "bisection"},
		{"nelder-mead", []calibrate.Target{{"returns_home", 90}}, []string{"care.return_home_per_year.0", "care.return_home_per_year.1"}, "nelder-mead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := calibrate.FitOptions{Options: sim.Options{Iterations: 40, Seed: 5, Workers: 2}}
			r, err := calibrate.Fit(context.Background(), "fit.toml", data, tc.targets, tc.params, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Converged || r.Method != tc.method {
				t.Fatalf("converged %v by %s after %d evaluations: %+v", r.Converged, r.Method, r.Evals, r)
			}
			var out bytes.Buffer
			if err := calibrate.WriteFitted(&out, "fit.toml", data, r, opt); err != nil {
				t.Fatal(err)
			}
			for k, tg := range tc.targets {
				if d := math.Abs(r.Achieved[k] - tg.Value); d > 2*r.MCSE[k] {
					t.Errorf("%s: achieved %v, target %v: off by more than 2 SE (%v)", tg.Metric, r.Achieved[k], tg.Value, r.MCSE[k])
				}
				mean, se := simulate(t, "fitted.toml", out.Bytes(), tg.Metric, 40, 77)
				if d, lim := math.Abs(mean-tg.Value), 4*math.Hypot(se, r.MCSE[k]); d > lim {
					t.Errorf("%s: the fitted scenario with another seed gives %v, target %v (limit %v)", tg.Metric, mean, tg.Value, lim)
				}
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	data, _ := os.ReadFile("testdata/fit.toml")
	for _, tc := range []struct {
		target, param, want string
	}{
		{"no_such_metric=1", "home.reentry.cumulative.0", "target no_such_metric: no such metric (metrics: children, "},
		{"reentry_rate_12m=0.3", "home.reentry.nothing", "--param home.reentry.nothing: no key \"nothing\""},
		{"reentry_rate_12m=0.3", "home.reentry", "--param home.reentry is not a number: name a single value, e.g. home.reentry.cumulative.1"},
	} {
		tg, err := calibrate.ParseTarget(tc.target)
		if err != nil {
			t.Fatal(err)
		}
		_, err = calibrate.Fit(context.Background(), "fit.toml", data, []calibrate.Target{tg}, []string{tc.param}, calibrate.FitOptions{Options: sim.Options{Iterations: 2}})
		if err == nil || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
			t.Errorf("got %v\nwant prefix %s", err, tc.want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want calibrate.Target
		ok   bool
	}{
		{"reentry_rate_12m=0.18", calibrate.Target{"reentry_rate_12m", 0.18}, true},
		{" returns_home = 120 ", calibrate.Target{"returns_home", 120}, true},
		{"reentry_rate_12m", calibrate.Target{}, false},
		{"=0.1", calibrate.Target{}, false},
		{"x=abc", calibrate.Target{}, false},
		{"x=NaN", calibrate.Target{}, false},
	} {
		got, err := calibrate.ParseTarget(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseTarget(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestValue(t *testing.T) {
	sc, err := scenario.Load("testdata/fit.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want float64
	}{
		{"home.reentry.cumulative.1", 0.3},
		{"care.return_home_per_year.1", 0.2},
		{"placement.childrens_home.weekly_cost", 4500},
		{"placement.0.moves_per_year", 0.3},
		{"factor.substance.hr_reentry", 1.5},
		{"entries.per_year", 40},
	} {
		v, err := sc.Lookup(tc.path)
		if got := v.Mean(); err != nil || got != tc.want {
			t.Errorf("Lookup(%s) = %v, %v; want %v", tc.path, got, err, tc.want)
		}
	}
}
