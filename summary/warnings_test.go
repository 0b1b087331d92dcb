package summary

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/sim"
)

// savingResults are two arms whose net saving in iteration i is
// savings[i], with params parameters drawn per iteration.
func savingResults(savings []float64, params int) *sim.Results {
	res := &sim.Results{Arms: []string{"baseline", "support"}, Metrics: []string{sim.MReentries, sim.MCostTotalDiscounted}}
	res.Outcomes = make([][]sim.Outcome, 2)
	for i, s := range savings {
		res.Iterations = append(res.Iterations, i)
		res.Outcomes[0] = append(res.Outcomes[0], sim.Outcome{Metrics: []float64{10, 1e6}, AtRisk: []float64{10}, CumReentry: []float64{0}})
		res.Outcomes[1] = append(res.Outcomes[1], sim.Outcome{Metrics: []float64{9, 1e6 - s}, AtRisk: []float64{10}, CumReentry: []float64{0}})
		if params > 0 {
			res.Params = append(res.Params, make([]float64, params))
		}
	}
	for p := range params {
		res.ParamNames = append(res.ParamNames, "p"+string(rune('a'+p)))
	}
	res.TotalIterations = len(savings)
	return res
}

func normalSavings(n int, mean, sd float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = mean + sd*r.NormFloat64()
	}
	return xs
}

// Each warning appears when, and only when, its rule says.
func TestWarnings(t *testing.T) {
	has := func(ws []string, s string) bool {
		for _, w := range ws {
			if strings.Contains(w, s) {
				return true
			}
		}
		return false
	}
	const (
		chance = "is chance alone"
		prob   = "the probability that it saves money"
		sign   = "cannot tell whether it saves or costs money"
		voi    = "too few to estimate the value of information"
	)
	for _, c := range []struct {
		name      string
		savings   []float64
		params    int
		want, not []string
	}{
		// A clear saving, many iterations, uncertain parameters: silence.
		{"precise", normalSavings(2000, 5000, 1000, 1), 3, nil, []string{chance, prob, sign, voi}},
		// The same without uncertain parameters: chance alone, and only that.
		{"no parameters", normalSavings(2000, 5000, 1000, 1), 0, []string{chance}, []string{prob, sign, voi}},
		// 100 iterations near p = 0.5: the probability is known to about
		// ±10 points, not ±5; the mean (0.1 sd) is within 1.96 SE of 0.
		{"few iterations", normalSavings(100, 100, 1000, 2), 1, []string{prob, sign}, []string{chance, voi}},
		// 5,000 iterations pin the probability to ±1.4 points; a mean of
		// 0.01 sd is still within 1.96 SE (0.028 sd) of 0.
		{"mean near zero", normalSavings(5000, 10, 1000, 3), 2, []string{sign}, []string{prob, chance}},
		// Too few for the value of information.
		{"nine iterations", normalSavings(9, 5000, 1, 4), 1, []string{voi}, []string{chance, sign}},
	} {
		ws := Warnings(savingResults(c.savings, c.params))
		for _, w := range c.want {
			if !has(ws, w) {
				t.Errorf("%s: no warning %q in %q", c.name, w, ws)
			}
		}
		for _, w := range c.not {
			if has(ws, w) {
				t.Errorf("%s: a warning %q it should not have: %q", c.name, w, ws)
			}
		}
	}
}

// The probability rule sits where ProbPrecision says: at p = 0.5 about
// 385 iterations give ±5 points, so 380 are too few and 390 enough.
func TestWarningsProbabilityThreshold(t *testing.T) {
	alternating := func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(1 - 2*(i%2)) // +1, -1: p = 0.5, mean 0 or 1/n
		}
		return xs
	}
	for n, want := range map[int]bool{380: true, 390: false} {
		got := false
		for _, w := range precisionWarnings("support", alternating(n)) {
			got = got || strings.Contains(w, "the probability that it saves money")
		}
		if got != want {
			t.Errorf("%d iterations at p = 0.5: warned %v, want %v", n, got, want)
		}
	}
}

// capWarnings names, once per parameter, the values at which voi.csv's
// estimate was cut to the naive EVPI, in pounds without exponent, and
// nothing when no row was cut.
func TestCapWarnings(t *testing.T) {
	pts := []VOIPoint{
		{Value: 0, Parameter: AllParameters}, {Value: 0, Parameter: "a"},
		{Value: 85000, Parameter: AllParameters, Capped: true}, {Value: 85000, Parameter: "a"},
		{Value: 1e9, Parameter: AllParameters, Capped: true}, {Value: 1e9, Parameter: "a"},
	}
	got := capWarnings(pts)
	if len(got) != 1 {
		t.Fatalf("%d warnings, want 1: %q", len(got), got)
	}
	for _, want := range []string{"all the uncertain parameters together", "2 of 3 values", "£85,000 to £1,000,000,000", "upper bound"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("warning %q lacks %q", got[0], want)
		}
	}
	for i := range pts {
		pts[i].Capped = false
	}
	if got := capWarnings(pts); len(got) != 0 {
		t.Errorf("warnings with no row capped: %q", got)
	}
}

// The probability warning states the figure its rule decides on: for
// every count of savings out of 20 to 400 iterations, it warns exactly
// when the half-width it prints is above 5 points, that printed figure
// reads as above 5, and the iterations it asks for are more than it had.
// At 49 of 50 (98%) it warns with ±5.1 (the plain formula said ±3.9
// while the rule, on another figure, warned), and at 0 or all of them
// it never says ±0.0.
func TestWarningsProbabilityAgrees(t *testing.T) {
	re := regexp.MustCompile(`within ±([0-9.]+) percentage points .* about ([0-9]+) iterations`)
	for n := 20; n <= 400; n += 7 {
		for x := 0; x <= n; x += 1 + n/25 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = -1
				if i < x {
					xs[i] = 1
				}
			}
			pp, err := ProbPrecision(xs, ProbHalfWidth, PrecisionLevel)
			if err != nil {
				t.Fatal(err)
			}
			var warned string
			for _, w := range precisionWarnings("support", xs) {
				if strings.Contains(w, "the probability that it saves money") {
					warned = w
				}
			}
			if (warned != "") != (pp.HalfWidth > ProbHalfWidth) {
				t.Fatalf("%d of %d: half-width %.4f, warning %q", x, n, pp.HalfWidth, warned)
			}
			if warned == "" {
				continue
			}
			m := re.FindStringSubmatch(warned)
			if m == nil {
				t.Fatalf("%d of %d: warning %q", x, n, warned)
			}
			if hw, _ := strconv.ParseFloat(m[1], 64); !(hw > 100*ProbHalfWidth) {
				t.Errorf("%d of %d: warns that ±%s is not within ±5: %q", x, n, m[1], warned)
			}
			if need, _ := strconv.Atoi(m[2]); need <= n {
				t.Errorf("%d of %d: asks for %d iterations: %q", x, n, need, warned)
			}
		}
	}
	xs := make([]float64, 50)
	for i := range xs {
		xs[i] = 1
	}
	xs[0] = -1
	ws := precisionWarnings("support", xs)
	if len(ws) == 0 || !strings.Contains(ws[0], "(98%) is known only to within ±5.1 percentage points") {
		t.Errorf("49 of 50: %q", ws)
	}
	for _, all := range []float64{1, -1} {
		for i := range xs {
			xs[i] = all
		}
		for _, n := range []int{5, 10, 30} {
			for _, w := range precisionWarnings("support", xs[:n]) {
				if strings.Contains(w, "±0.0") {
					t.Errorf("%d iterations all %g: %q", n, all, w)
				}
			}
		}
	}
}
