package summary

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// z95 is the package's; it is checked here against its decimal value.

func TestMeanSE(t *testing.T) {
	for _, tc := range []struct {
		xs       []float64
		mean, se float64
		n        int
	}{
		// sd of 1..4 is sqrt(5/3); se = sqrt(5/3)/2.
		{[]float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0/3) / 2, 4},
		{[]float64{1, math.NaN(), 3}, 2, 1, 2},
		{[]float64{7}, 7, math.NaN(), 1},
		{nil, math.NaN(), math.NaN(), 0},
	} {
		m, se, n := MeanSE(tc.xs)
		if !same(m, tc.mean) || !same(se, tc.se) || n != tc.n {
			t.Errorf("MeanSE(%v) = %g, %g, %d; want %g, %g, %d", tc.xs, m, se, n, tc.mean, tc.se, tc.n)
		}
	}
}

func same(a, b float64) bool {
	return (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) <= 1e-12*(1+math.Abs(b))
}

// wilsonSE is the closed form ProportionSE promises, written out here.
func wilsonSE(p float64, n int) float64 {
	const z = 1.959963984540054
	return math.Sqrt(float64(n)*p*(1-p)+z*z/4) / (float64(n) + z*z)
}

func TestProportionSE(t *testing.T) {
	if math.Abs(z95-1.959963984540054) > 1e-12 {
		t.Fatalf("z95 = %v", z95)
	}
	for _, tc := range []struct {
		p    float64
		n    int
		want float64
	}{
		{0.5, 100, wilsonSE(0.5, 100)}, {0.3, 400, wilsonSE(0.3, 400)},
		// At the edges the plain sqrt(p (1 - p) / n) is 0; Wilson's is not.
		{0, 10, z95 / 2 / (10 + z95*z95)}, {1, 10, z95 / 2 / (10 + z95*z95)}, {0, 50, wilsonSE(0, 50)},
		{0.5, 0, math.NaN()}, {1.5, 10, math.NaN()}, {math.NaN(), 10, math.NaN()},
	} {
		if got := ProportionSE(tc.p, tc.n); !same(got, tc.want) {
			t.Errorf("ProportionSE(%g, %d) = %g, want %g", tc.p, tc.n, got, tc.want)
		}
	}
	// 0 of 50 saving money: 1.8 points, not "0.0".
	if got := 100 * ProportionSE(0, 50); math.Abs(got-1.82) > 0.01 {
		t.Errorf("0 of 50: SE %.3f points, want 1.82", got)
	}
	// Away from the edges, within 1% of the plain formula at 400.
	if r := ProportionSE(0.3, 400) / math.Sqrt(0.21/400); math.Abs(r-1) > 0.01 {
		t.Errorf("p = 0.3, n = 400: Wilson SE / plain SE = %.4f", r)
	}
}

// neededBrute is the fewest iterations whose Wilson half-width at share p
// is at most target, found by counting.
func neededBrute(p, target float64) int {
	for m := 1; ; m++ {
		if z95*math.Sqrt(float64(m)*p*(1-p)+z95*z95/4)/(float64(m)+z95*z95) <= target {
			return m
		}
	}
}

func TestPrecisionClosedForm(t *testing.T) {
	half := make([]float64, 100) // 50 of 100 above 0
	for i := range half {
		half[i] = float64(i%2) - 0.25
	}
	p, err := ProbPrecision(half, 0.01, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	hw := z95 * wilsonSE(0.5, 100)
	if p.Estimate != 0.5 || !same(p.SE, wilsonSE(0.5, 100)) || !same(p.HalfWidth, hw) || p.Needed != neededBrute(0.5, 0.01) || p.Enough ||
		!same(p.Lo, 0.5-hw) || !same(p.Hi, 0.5+hw) {
		t.Errorf("%+v, want Needed %d", p, neededBrute(0.5, 0.01))
	}
	// A share of 0: Wilson's interval is [0, z^2 / (n + z^2)], so 100
	// iterations are not enough for +-1 point, and ±0.0 is never said.
	none := make([]float64, 100)
	p, err = ProbPrecision(none, 0.01, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if p.Estimate != 0 || !same(p.HalfWidth, z95*z95/2/(100+z95*z95)) || p.Lo != 0 || !same(p.Hi, z95*z95/(100+z95*z95)) ||
		p.Needed != neededBrute(0, 0.01) || p.Enough {
		t.Errorf("%+v, want Needed %d", p, neededBrute(0, 0.01))
	}
	// The mean: sd of 1..4 is sqrt(5/3); for +-0.5 at 95%,
	// (1.96 x 1.291 / 0.5)^2 = 25.6: 26.
	m, err := MeanPrecision([]float64{1, 2, 3, 4}, 0.5, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if m.Estimate != 2.5 || m.Needed != 26 || m.Enough || m.Iterations != 4 {
		t.Errorf("%+v", m)
	}
	m, _ = MeanPrecision([]float64{1, 2, 3, 4}, 10, 0.95)
	if m.Needed != 2 || !m.Enough {
		t.Errorf("a loose target: %+v", m)
	}
}

// TestMCSEMatchesSpread: over many independent runs, the spread of the
// mean and of the share above 0 matches the standard errors the formulas
// give from one run, within 4 standard errors of a standard deviation
// estimated from that many runs (sd / sqrt(2 (R - 1))).
func TestMCSEMatchesSpread(t *testing.T) {
	const runs, n = 2000, 400
	rng := rand.New(rand.NewPCG(12, 34))
	means, shares := make([]float64, runs), make([]float64, runs)
	var seMean, seShare float64
	xs := make([]float64, n)
	for r := range runs {
		for i := range xs {
			xs[i] = 0.5 + 2*rng.NormFloat64() // P(x > 0) = Phi(0.25)
		}
		m, err := MeanPrecision(xs, 1, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ProbPrecision(xs, 0.01, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		means[r], shares[r] = m.Estimate, p.Estimate
		seMean += m.SE / runs
		seShare += p.SE / runs
	}
	tol := 4 / math.Sqrt(2*(runs-1))
	for _, tc := range []struct {
		name       string
		spread, se float64
		closed     float64
	}{
		{"mean", sd(means), seMean, 2 / math.Sqrt(n)},
		{"share", sd(shares), seShare, math.Sqrt(unit.CDF(0.25) * (1 - unit.CDF(0.25)) / n)},
	} {
		if math.Abs(tc.spread/tc.closed-1) > tol || math.Abs(tc.se/tc.closed-1) > 0.02 {
			t.Errorf("%s: spread over runs %.5f, mean reported SE %.5f, closed form %.5f", tc.name, tc.spread, tc.se, tc.closed)
		}
	}
}

// TestProbPrecisionAgrees: for every count of successes out of n from 1
// to 400 and several targets, Enough, HalfWidth <= Target and Iterations
// >= Needed are the same statement, Needed is the brute-force count, and
// the half-width is never 0.
func TestProbPrecisionAgrees(t *testing.T) {
	for n := 1; n <= 400; n += 1 + n/20 {
		for x := 0; x <= n; x += 1 + n/15 {
			xs := make([]float64, n)
			for i := range x {
				xs[i] = 1
			}
			for _, target := range []float64{0.01, 0.05, 0.1} {
				p, err := ProbPrecision(xs, target, 0.95)
				if err != nil {
					t.Fatal(err)
				}
				share := float64(x) / float64(n)
				if p.Enough != (p.HalfWidth <= target) || p.Enough != (n >= p.Needed) || !(p.HalfWidth > 0) {
					t.Fatalf("%d of %d, target %g: %+v", x, n, target, p)
				}
				if b := neededBrute(share, target); p.Needed != b && !(p.Enough && p.Needed == n && b < n) && !(!p.Enough && b <= n) {
					t.Fatalf("%d of %d, target %g: Needed %d, brute force %d", x, n, target, p.Needed, b)
				}
			}
		}
	}
}

func TestPrecisionErrors(t *testing.T) {
	xs := []float64{1, 2, 3}
	for _, tc := range []struct {
		name          string
		xs            []float64
		target, level float64
		want          error
	}{
		{"zero target", xs, 0, 0.95, ErrBadArgument},
		{"negative target", xs, -1, 0.95, ErrBadArgument},
		{"NaN target", xs, math.NaN(), 0.95, ErrBadArgument},
		{"infinite target", xs, math.Inf(1), 0.95, ErrBadArgument},
		{"level 1", xs, 0.1, 1, ErrBadArgument},
		{"level 0", xs, 0.1, 0, ErrBadArgument},
		{"no values", []float64{math.NaN()}, 0.1, 0.95, ErrTooFewIterations},
	} {
		if _, err := MeanPrecision(tc.xs, tc.target, tc.level); !errors.Is(err, tc.want) {
			t.Errorf("%s: MeanPrecision: %v", tc.name, err)
		}
		if _, err := ProbPrecision(tc.xs, tc.target, tc.level); !errors.Is(err, tc.want) {
			t.Errorf("%s: ProbPrecision: %v", tc.name, err)
		}
	}
	if _, err := MeanPrecision([]float64{1}, 0.1, 0.95); !errors.Is(err, ErrTooFewIterations) {
		t.Errorf("one value: %v", err)
	}
	p, err := ProbPrecision([]float64{1, 2}, 1e-300, 0.95)
	if err != nil || p.Needed <= 0 || p.Enough {
		t.Errorf("a target too fine to reach: %+v, %v", p, err)
	}
}
