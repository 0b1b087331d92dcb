package summary

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestPenaltyExact checks the spline penalty against the integral of the
// squared second derivative of polynomials the cubic basis holds exactly:
// 0 for a straight line, 4 for z^2 and 12 for z^3 on [0, 1].
func TestPenaltyExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 500)
	for i := range x {
		x[i] = rng.Float64()
	}
	x[0], x[1] = 0, 1 // the range is [0, 1], so z = x
	s, err := newSpline(x, splineBasis, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    func(float64) float64
		want float64
	}{
		{"constant", func(float64) float64 { return 3 }, 0},
		{"line", func(z float64) float64 { return 2*z - 1 }, 0},
		{"square", func(z float64) float64 { return z * z }, 4},
		{"cube", func(z float64) float64 { return z * z * z }, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Least squares on the basis reproduces a cubic exactly.
			xm := mat.NewDense(len(x), s.k, nil)
			y := mat.NewVecDense(len(x), nil)
			for i := range x {
				for r := range 4 {
					xm.Set(i, s.first[i]+r, s.vals[4*i+r])
				}
				y.SetVec(i, tc.f(x[i]))
			}
			var b mat.VecDense
			if err := b.SolveVec(xm, y); err != nil {
				t.Fatal(err)
			}
			var fit mat.VecDense
			fit.MulVec(xm, &b)
			for i := range x {
				if d := math.Abs(fit.AtVec(i) - y.AtVec(i)); d > 1e-9 {
					t.Fatalf("basis does not hold %s: off by %g at x=%g", tc.name, d, x[i])
				}
			}
			pen := penalty(s.knots, s.k)
			got := mat.Inner(&b, pen, &b)
			if math.Abs(got-tc.want) > 1e-7*(1+tc.want) {
				t.Errorf("integral of f''^2 = %.10g, want %g", got, tc.want)
			}
		})
	}
}

// TestSplineFit: the smoother recovers smooth curves from noisy data to
// within the noise's share of its degrees of freedom, keeps the mean,
// fits a straight line exactly, and gives pure noise about the two
// degrees of freedom of a line (the penalty does not shrink a slope).
func TestSplineFit(t *testing.T) {
	const n = 2000
	for _, tc := range []struct {
		name    string
		f       func(float64) float64
		noise   float64
		maxEDF  float64
		minEDF  float64
		maxRMSE float64 // root mean square error against f, in noise sd
	}{
		{"line", func(x float64) float64 { return 3 - 2*x }, 0, 12, 1.99, 1e-7}, // the ridge of 1e-9 costs a few 1e-9
		{"sine", func(x float64) float64 { return math.Sin(3 * x) }, 0.5, 12, 5, 0.15},
		{"kink", func(x float64) float64 { return math.Max(0, x) }, 0.3, 12, 3, 0.15},
		{"noise", func(float64) float64 { return 1 }, 1, 4, 1.9, 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			x, y := make([]float64, n), make([]float64, n)
			for i := range n {
				x[i] = rng.NormFloat64()
				y[i] = tc.f(x[i]) + tc.noise*rng.NormFloat64()
			}
			s, err := newSpline(x, splineBasis, false)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]float64, n)
			edf, _ := s.fit(y, out, math.NaN())
			if edf < tc.minEDF || edf > tc.maxEDF {
				t.Errorf("edf %.2f, want %g to %g", edf, tc.minEDF, tc.maxEDF)
			}
			var se float64
			for i := range n {
				d := out[i] - tc.f(x[i])
				se += d * d
			}
			rmse := math.Sqrt(se / n)
			scale := math.Max(tc.noise, 1)
			if rmse > tc.maxRMSE*scale {
				t.Errorf("rmse %.4g, want below %g", rmse, tc.maxRMSE*scale)
			}
			if d := math.Abs(meanOf(out) - meanOf(y)); d > 1e-12*(1+math.Abs(meanOf(y))) {
				t.Errorf("fitted mean %g, data mean %g", meanOf(out), meanOf(y))
			}
		})
	}
}

// TestSplineBasisShrinks: few distinct values or few observations shrink
// the basis, never below a cubic, and a single value is errConstant.
func TestSplineBasisShrinks(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		k    int
	}{
		{"two values", []float64{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 4},
		{"six values", []float64{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, 6},
		{"ten observations", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5},
		{"many", func() []float64 {
			x := make([]float64, 100)
			for i := range x {
				x[i] = float64(i * i)
			}
			return x
		}(), splineBasis},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := newSpline(tc.x, splineBasis, false)
			if err != nil {
				t.Fatal(err)
			}
			if s.k != tc.k {
				t.Errorf("basis %d, want %d", s.k, tc.k)
			}
			for i := 1; i < len(s.knots); i++ {
				if s.knots[i] < s.knots[i-1] {
					t.Errorf("knots not increasing: %v", s.knots)
				}
			}
		})
	}
	if _, err := newSpline([]float64{2, 2, 2}, splineBasis, false); err != errConstant {
		t.Errorf("constant: %v", err)
	}
}
