package summary

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Precision is how well a PSA's iterations pin down one figure, and how
// many iterations a stated precision needs. Iterations are independent
// (each has its own random streams), so the Monte Carlo standard error
// of a mean is sd / sqrt(n).
type Precision struct {
	// Estimate is the mean, or the probability.
	Estimate float64
	// SE is its Monte Carlo standard error: how far another seed could
	// move it (one standard deviation).
	SE float64
	// HalfWidth is z x SE, the half-width of the Monte Carlo confidence
	// interval at Level (z = 1.96 at 0.95).
	HalfWidth float64
	// Lo and Hi are the ends of the Monte Carlo interval at Level of a
	// probability (Wilson's); 0 for a mean.
	Lo, Hi float64
	// Target is the half-width asked for, in the units of Estimate.
	Target float64
	// Level is the confidence level of HalfWidth and Target.
	Level float64
	// Iterations is the number of values used (NaN values are left out).
	Iterations int
	// Needed is the number of iterations for a half-width of Target.
	Needed int
	// Enough reports Iterations >= Needed: when false, the figure is not
	// known to within Target, and a report stating it so should warn.
	Enough bool
}

// MeanSE returns the mean of the non-NaN values of xs, its Monte Carlo
// standard error sd/sqrt(n) (sd with divisor n-1: summary.csv's mcse)
// and n. With fewer than 2 values the standard error is NaN, and with
// none the mean is NaN too.
func MeanSE(xs []float64) (m, se float64, n int) {
	s := Summarize(xs)
	return s.Mean, s.MCSE, s.N
}

// ProportionSE is the Monte Carlo standard error of a proportion p
// estimated from n independent iterations, honest at the edges: the
// half-width of the 95% Wilson score interval divided by 1.96, that is
// sqrt(n p (1 - p) + z^2/4) / (n + z^2) with z = 1.96. Within a few per
// cent of sqrt(p (1 - p) / n) for p away from 0 and 1 and n in the
// hundreds, it does not fall to 0 when every iteration, or none, saves
// money: 0 of 50 gives 1.8 percentage points, not 0 (Wilson 1927; Brown,
// Cai and DasGupta 2001). It is NaN for n < 1 or p outside [0, 1].
func ProportionSE(p float64, n int) float64 {
	if n < 1 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return wilsonHalf(p, float64(n), z95) / z95
}

// z95 is the two-sided normal quantile at 95%.
var z95 = distuv.UnitNormal.Quantile(0.975)

// wilsonHalf is the half-width of the Wilson score interval for a share
// p of n at normal quantile z: z sqrt(n p (1 - p) + z^2/4) / (n + z^2).
func wilsonHalf(p, n, z float64) float64 {
	return z * math.Sqrt(n*p*(1-p)+z*z/4) / (n + z*z)
}

// MeanPrecision is the precision of the mean of the non-NaN values of xs
// (for example the net saving in each iteration) against a target
// half-width in the same units at a confidence level in (0, 1): Needed is
// ceil((z sd / target)^2), at least 2. Errors: ErrBadArgument for a target
// that is not a positive number or a level outside (0, 1);
// ErrTooFewIterations with fewer than 2 values.
func MeanPrecision(xs []float64, target, level float64) (Precision, error) {
	z, err := zFor(target, level)
	if err != nil {
		return Precision{}, err
	}
	m, se, n := MeanSE(xs)
	if n < 2 {
		return Precision{}, fmt.Errorf("%w: %d values, a standard error needs 2", ErrTooFewIterations, n)
	}
	sd := se * math.Sqrt(float64(n))
	needed := max(iterationsFor(z*sd, target), 2)
	return Precision{
		Estimate: m, SE: se, HalfWidth: z * se, Target: target, Level: level,
		Iterations: n, Needed: needed, Enough: n >= needed,
	}, nil
}

// ProbPrecision is the precision of the probability that a value is
// above 0, the share of the non-NaN values of xs that are (for the net
// saving, the probability of saving money), against a target half-width
// (0.01 is one percentage point) at a confidence level in (0, 1).
//
// The interval is Wilson's score interval, which stays honest at a share
// of 0 or 1 where sqrt(p (1 - p) / n) is 0: Lo and Hi are its ends,
// HalfWidth half its width, z sqrt(n p (1 - p) + z^2/4) / (n + z^2), and
// SE is HalfWidth / z. Needed is the fewest iterations at which the
// Wilson half-width at the same share is at most the target, and Enough
// is HalfWidth <= Target, so the two never disagree (Enough exactly when
// Iterations >= Needed). At p = 0.5, 95% and one percentage point Needed
// is 9,600 (sqrt(p (1 - p) / n) would give 9,604).
// Errors as MeanPrecision's, and ErrTooFewIterations with no values.
func ProbPrecision(xs []float64, target, level float64) (Precision, error) {
	z, err := zFor(target, level)
	if err != nil {
		return Precision{}, err
	}
	var n, x int
	for _, v := range xs {
		if math.IsNaN(v) {
			continue
		}
		n++
		if v > 0 {
			x++
		}
	}
	if n == 0 {
		return Precision{}, fmt.Errorf("%w: no values", ErrTooFewIterations)
	}
	nf := float64(n)
	p := float64(x) / nf
	half := wilsonHalf(p, nf, z)
	centre := (float64(x) + z*z/2) / (nf + z*z)
	enough := half <= target
	needed := wilsonNeeded(p, z, target)
	if enough {
		needed = min(needed, n)
	} else {
		needed = max(needed, n+1)
	}
	return Precision{
		Estimate: p, SE: half / z, HalfWidth: half, Target: target, Level: level,
		Lo: max(centre-half, 0), Hi: min(centre+half, 1),
		Iterations: n, Needed: needed, Enough: enough,
	}, nil
}

// wilsonNeeded is the fewest iterations m at which wilsonHalf(p, m, z) is
// at most target: the larger root of t^2 (m + z^2)^2 = z^2 (m p (1 - p)
// + z^2/4), a quadratic in m, rounded up and checked against the
// half-width itself; capped at the largest int.
func wilsonNeeded(p, z, target float64) int {
	t2, a, c := target*target, p*(1-p), z*z
	bq := 2*t2*c - c*a
	disc := bq*bq - 4*t2*(t2*c*c-c*c/4)
	root := (-bq + math.Sqrt(max(disc, 0))) / (2 * t2)
	if !(root < math.MaxInt64/4) {
		return math.MaxInt64 / 2
	}
	m := max(int(math.Ceil(root)), 1)
	for m > 1 && wilsonHalf(p, float64(m-1), z) <= target {
		m--
	}
	for wilsonHalf(p, float64(m), z) > target {
		m++
	}
	return m
}

// zFor checks target and level and returns the two-sided normal quantile.
func zFor(target, level float64) (float64, error) {
	if !(target > 0) || math.IsInf(target, 1) {
		return 0, fmt.Errorf("%w: target half-width %v must be a positive number", ErrBadArgument, target)
	}
	if !(level > 0 && level < 1) {
		return 0, fmt.Errorf("%w: confidence level %v must be between 0 and 1", ErrBadArgument, level)
	}
	return distuv.UnitNormal.Quantile(0.5 + level/2), nil
}

// iterationsFor is ceil((spread / target)^2), the iterations for which
// spread/sqrt(n) <= target, capped at the largest int.
func iterationsFor(spread, target float64) int {
	r := spread / target
	need := math.Ceil(r * r)
	if need >= math.MaxInt64/2 || math.IsNaN(need) {
		return math.MaxInt64 / 2
	}
	return int(need)
}
