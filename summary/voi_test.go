package summary

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestVOIClosedForm: re-entries averted 1 + 0.5 theta0 + noise and an
// incremental cost 2 + theta1 + noise give, at a value v per re-entry
// averted, a net-benefit difference with E[. | theta0] ~ N(v - 2,
// (v/2)^2), E[. | theta1] ~ N(v - 2, 1) and E[. | both] ~ N(v - 2, v^2/4
// + 1); theta2 does not enter.
func TestVOIClosedForm(t *testing.T) {
	const n = 5000
	rng := rand.New(rand.NewPCG(51, 5))
	reentries := [][]float64{make([]float64, n), make([]float64, n)}
	costs := [][]float64{make([]float64, n), make([]float64, n)}
	params := make([][]float64, n)
	for i := range n {
		th := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		params[i] = th
		r0 := 40 + 5*rng.NormFloat64()
		c0 := 1e6 + 1e4*rng.NormFloat64()
		reentries[0][i], costs[0][i] = r0, c0
		reentries[1][i] = r0 - (1 + 0.5*th[0] + rng.NormFloat64())
		costs[1][i] = c0 + 2 + th[1] + rng.NormFloat64()
	}
	values := []float64{0, 1, 2, 3, 6}
	rows, err := VOI(values, reentries, costs, params, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(values)*4 {
		t.Fatalf("%d rows, want %d", len(rows), len(values)*4)
	}
	for k, v := range values {
		m := v - 2
		sds := map[string]float64{AllParameters: math.Sqrt(v*v/4 + 1), "a": v / 2, "b": 1, "c": 0}
		for j, name := range []string{AllParameters, "a", "b", "c"} {
			row := rows[k*4+j]
			if row.Value != v || row.Parameter != name {
				t.Fatalf("row %d is (%g, %s), want (%g, %s)", k*4+j, row.Value, row.Parameter, v, name)
			}
			truth := meanMaxNormal(m, sds[name]) - math.Max(m, 0)
			// Oracle SE: the net-benefit difference has sd sqrt(v^2 (1/4+1) + 1 + 1).
			diffSD := math.Sqrt(v*v*1.25 + 2)
			se := diffSD / math.Sqrt(n)
			if d := math.Abs(row.EVPI - truth); d > 4*se {
				t.Errorf("value %g, %s: EVPI %.4f, closed form %.4f: off by %.1f SE", v, name, row.EVPI, truth, d/se)
			}
			if row.EVPI < 0 || row.EVPI > row.Naive {
				t.Errorf("value %g, %s: %g outside [0, %g]", v, name, row.EVPI, row.Naive)
			}
		}
	}
	// The VOI rows agree with EVPPI on the net benefits at each value.
	for k, v := range values {
		nb, err := NetBenefits(v, reentries, costs)
		if err != nil {
			t.Fatal(err)
		}
		est, err := EVPPI(nb, column(params, 0))
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(est.EVPPI - rows[k*4+1].EVPI); d > est.SE {
			t.Errorf("value %g: VOI %.4f and EVPPI %.4f differ by more than one SE (%.4f)", v, rows[k*4+1].EVPI, est.EVPPI, est.SE)
		}
		if math.Abs(est.Naive-rows[k*4].Naive) > 1e-9*(1+est.Naive) {
			t.Errorf("value %g: naive EVPI %g in VOI, %g from EVPI", v, rows[k*4].Naive, est.Naive)
		}
	}
}

// TestVOIErrors: inputs VOI cannot use give the documented error.
func TestVOIErrors(t *testing.T) {
	r, c := two(MinIterations), two(MinIterations)
	params := make([][]float64, MinIterations)
	for i := range params {
		params[i] = []float64{float64(i)}
	}
	if _, err := VOI([]float64{0}, r, c, params, []string{"a", "b"}); !errors.Is(err, ErrShape) {
		t.Errorf("names: %v", err)
	}
	if _, err := VOI([]float64{math.NaN()}, r, c, params, []string{"a"}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN value: %v", err)
	}
	if _, err := VOI([]float64{0}, r, c[:1], params, []string{"a"}); !errors.Is(err, ErrTooFewArms) {
		t.Errorf("one arm of costs: %v", err)
	}
	if _, err := VOI([]float64{0}, r, c, make([][]float64, MinIterations), nil); !errors.Is(err, ErrNoParameters) {
		t.Errorf("no parameters: %v", err)
	}
	if _, err := VOI([]float64{0}, two(9), two(9), params[:9], []string{"a"}); !errors.Is(err, ErrTooFewIterations) {
		t.Errorf("9 iterations: %v", err)
	}
	bad := make([][]float64, MinIterations)
	for i := range bad {
		bad[i] = []float64{float64(i), math.Inf(-1)}
	}
	if _, err := VOI([]float64{0}, r, c, bad, []string{"a", "b"}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("infinite parameter: %v", err)
	}
	rows, err := VOI(nil, r, c, params, []string{"a"})
	if err != nil || len(rows) != 0 {
		t.Errorf("no values: %v, %v", rows, err)
	}
	// A constant parameter is worth nothing, and so is all when it is the
	// only one.
	for i := range params {
		params[i][0] = 5
	}
	rows, err = VOI([]float64{0, 1}, r, c, params, []string{"a"})
	if err != nil || len(rows) != 4 {
		t.Fatalf("constant: %v, %v", rows, err)
	}
	for _, row := range rows {
		if row.EVPI != 0 {
			t.Errorf("constant parameter: %+v", row)
		}
	}
}
