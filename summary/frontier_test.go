package summary

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Three arms, four iterations, worked by hand in the comments of
// TestFrontierByHand and TestExpectedLossByHand.
var (
	handReentries = [][]float64{
		{2, 3, 1, 2}, // baseline
		{1, 2, 1, 1},
		{0, 3, 0, 1},
	}
	handCosts = [][]float64{
		{1000, 1000, 1000, 1000},
		{1500, 1200, 1100, 1400},
		{2500, 2000, 900, 1800},
	}
	handValues = []float64{0, 1000, 2000}
)

func TestFrontierByHand(t *testing.T) {
	got, err := Frontier(handValues, handReentries, handCosts)
	if err != nil {
		t.Fatal(err)
	}
	want := []FrontierPoint{
		// Value 0, net benefit = -cost. Best per iteration: 0, 0, 2
		// (-900 > -1000), 0. Means -1000, -1300, -1800: arm 0.
		{Value: 0, ProbBest: []float64{0.75, 0, 0.25}, Best: 0, Frontier: 0.75},
		// Value 1000: arm 0 -3000 -4000 -2000 -3000; arm 1 -2500 -3200
		// -2100 -2400; arm 2 -2500 -5000 -900 -2800. Iteration 0 is a tie
		// of arms 1 and 2, which goes to arm 1. Means -3000, -2550, -2800.
		{Value: 1000, ProbBest: []float64{0, 0.75, 0.25}, Best: 1, Frontier: 0.75},
		// Value 2000: arm 0 -5000 -7000 -3000 -5000; arm 1 -3500 -5200
		// -3100 -3400; arm 2 -2500 -8000 -900 -3800. Best: 2, 1, 2, 1.
		// Means -5000, -3800, -3800: a tie, to arm 1.
		{Value: 2000, ProbBest: []float64{0, 0.5, 0.5}, Best: 1, Frontier: 0.5},
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.Value != w.Value || g.Best != w.Best || g.Frontier != w.Frontier || !slices.Equal(g.ProbBest, w.ProbBest) {
			t.Errorf("value %g: got %+v, want %+v", w.Value, g, w)
		}
	}
}

func TestExpectedLossByHand(t *testing.T) {
	got, err := ExpectedLoss(handValues, handReentries, handCosts)
	if err != nil {
		t.Fatal(err)
	}
	want := []LossPoint{
		// Value 0: the best per iteration -1000 -1000 -900 -1000, mean -975.
		{Value: 0, Loss: []float64{25, 325, 825}, Best: 0},
		// Value 1000: best -2500 -3200 -900 -2400, mean -2250.
		{Value: 1000, Loss: []float64{750, 300, 550}, Best: 1},
		// Value 2000: best -2500 -5200 -900 -3400, mean -3000; arms 1 and 2 tie.
		{Value: 2000, Loss: []float64{2000, 800, 800}, Best: 1},
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.Value != w.Value || g.Best != w.Best || !slices.Equal(g.Loss, w.Loss) {
			t.Errorf("value %g: got %+v, want %+v", w.Value, g, w)
		}
	}
	// The frontier's loss is the naive EVPI.
	for k, v := range handValues {
		nb, _ := NetBenefits(v, handReentries, handCosts)
		evpi, _ := EVPI(nb)
		if d := math.Abs(got[k].Loss[got[k].Best] - evpi); d > 1e-9 {
			t.Errorf("value %g: frontier loss %g, EVPI %g", v, got[k].Loss[got[k].Best], evpi)
		}
	}
}

// TestFrontierNotMostLikely: an arm that wins narrowly in three
// iterations of four but loses heavily in the fourth is the most likely
// to be best, yet not the arm to choose.
func TestFrontierNotMostLikely(t *testing.T) {
	r := [][]float64{{0, 0, 0, 0}, {0, 0, 0, 0}}
	c := [][]float64{{0, 0, 0, 0}, {-1, -1, -1, 10}}
	f, err := Frontier([]float64{0}, r, c)
	if err != nil {
		t.Fatal(err)
	}
	if p := f[0]; p.Best != 0 || p.ProbBest[1] != 0.75 || p.Frontier != 0.25 {
		t.Errorf("%+v", p)
	}
	l, _ := ExpectedLoss([]float64{0}, r, c)
	if p := l[0]; p.Best != 0 || p.Loss[0] != 0.75 || p.Loss[1] != 2.5 {
		t.Errorf("%+v", p)
	}
}

// TestFrontierTwoArmsIsAcceptability: with two arms the policy's curve is
// the share of iterations with value x averted - incremental cost > 0,
// acceptability.csv's prob_worth_it, ties not counted.
func TestFrontierTwoArmsIsAcceptability(t *testing.T) {
	const n = 1000
	rng := rand.New(rand.NewPCG(4, 4))
	r := [][]float64{make([]float64, n), make([]float64, n)}
	c := [][]float64{make([]float64, n), make([]float64, n)}
	for i := range n {
		r[0][i] = float64(20 + rng.IntN(10))
		r[1][i] = r[0][i] - float64(rng.IntN(5))
		c[0][i] = 1e6 + 1e4*rng.NormFloat64()
		c[1][i] = c[0][i] + 5e4*rng.Float64()
		if i%10 == 0 {
			r[1][i], c[1][i] = r[0][i], c[0][i] // a tie: the policy did nothing
		}
	}
	values := []float64{0, 5000, 20000, 61614}
	f, err := Frontier(values, r, c)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		pos := 0
		for i := range n {
			if v*(r[0][i]-r[1][i])-(c[1][i]-c[0][i]) > 0 {
				pos++
			}
		}
		if want := float64(pos) / n; f[k].ProbBest[1] != want || f[k].ProbBest[0] != 1-want {
			t.Errorf("value %g: %v, want policy %g", v, f[k].ProbBest, want)
		}
	}
}

func TestCurveErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		r, c   [][]float64
		want   error
	}{
		{"one arm", []float64{0}, [][]float64{{1}}, [][]float64{{1}}, ErrTooFewArms},
		{"no iterations", []float64{0}, [][]float64{{}, {}}, [][]float64{{}, {}}, ErrShape},
		{"shapes", []float64{0}, [][]float64{{1}, {1}}, [][]float64{{1}, {1}, {1}}, ErrShape},
		{"NaN cost", []float64{0}, [][]float64{{1}, {1}}, [][]float64{{1}, {math.NaN()}}, ErrNotFinite},
		{"infinite value", []float64{math.Inf(1)}, [][]float64{{1}, {1}}, [][]float64{{1}, {1}}, ErrNotFinite},
	} {
		if _, err := Frontier(tc.values, tc.r, tc.c); !errors.Is(err, tc.want) {
			t.Errorf("%s: Frontier: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := ExpectedLoss(tc.values, tc.r, tc.c); !errors.Is(err, tc.want) {
			t.Errorf("%s: ExpectedLoss: %v, want %v", tc.name, err, tc.want)
		}
	}
}
