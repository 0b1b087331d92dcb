package resultstest

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/reunify/reunify/sim"
)

// NaN is the value of a metric that is undefined in an iteration.
var NaN = math.NaN()

// Tiny is a hand-made result set: two arms, three iterations (a shard's
// share: global indices 1, 3 and 5 of six), two years, survival to month
// 2 and one sampled parameter. Its numbers are chosen for hand
// computation (the tests of summary work them out) and to exercise
// number formatting (1e-7, 1e9, NA). Each call returns a fresh copy.
func Tiny() *sim.Results {
	metrics := []string{
		sim.MChildren, sim.MReturnsHome, sim.MReentries, sim.MReentryRate12,
		sim.MReentryRate60, sim.MCostTotalDiscounted, sim.MCostSupportDisc,
	}
	out := func(m, y, risk, cum []float64) sim.Outcome {
		return sim.Outcome{Metrics: m, Yearly: y, AtRisk: risk, CumReentry: cum}
	}
	nan := NaN
	return &sim.Results{
		Arms:            []string{"baseline", "support"},
		Metrics:         metrics,
		Yearly:          []string{sim.MEntries, sim.MCostTotal},
		Years:           2,
		SurvivalMonths:  2,
		ParamNames:      []string{"home.reentry.hr"},
		Iterations:      []int{1, 3, 5},
		TotalIterations: 6,
		Params:          [][]float64{{0.8}, {1.1}, {1e-7}},
		Outcomes: [][]sim.Outcome{
			{ // baseline
				out([]float64{100, 40, 10, 0.25, 0.5, 1000, 0},
					[]float64{50, 600, 45, 400},
					[]float64{40, 30, 20}, []float64{0, 0.1, 0.3}),
				out([]float64{100, 0, 12, nan, nan, 1200, 0},
					[]float64{52, 700, 48, 500},
					[]float64{0, 0, 0}, []float64{nan, nan, nan}),
				out([]float64{100, 38, 8, 1e-7, 0.4, 900, 0},
					[]float64{49, 500, 51, 400},
					[]float64{38, 30, 25}, []float64{0, 0.15, 0.5}),
			},
			{ // support
				out([]float64{100, 42, 7, 0.2, 0.45, 950, 100},
					[]float64{50, 580, 45, 370},
					[]float64{42, 35, 30}, []float64{0, 0.05, 0.2}),
				out([]float64{100, 1, 12, 1, 1, 1250, 0},
					[]float64{52, 720, 48, 530},
					[]float64{1, 0, 0}, []float64{0, 1, 1}),
				out([]float64{100, 39, 9, 0.1, 0.35, 1e9, 50},
					[]float64{49, 1e9, 51, 0},
					[]float64{39, 33, 28}, []float64{0, 0.1, nan}),
			},
		},
	}
}

// Near reports whether got and want agree to 1e-12 (relative, or
// absolute near 0); NaN agrees with NaN.
func Near(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if got == want {
		return true
	}
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Golden compares got with the golden file testdata/name of the package
// under test, or rewrites it when the test runs with -update.
func Golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from its golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
