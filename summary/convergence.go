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
// estimated from n independent iterations: sqrt(p (1 - p) / n). It is
// NaN for n < 1 or p outside [0, 1].
func ProportionSE(p float64, n int) float64 {
	if n < 1 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return math.Sqrt(p * (1 - p) / float64(n))
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
// SE is sqrt(p (1 - p) / n) with p the share. Needed plans with the
// Agresti-Coull centre p~ = (x + z^2/2) / (n + z^2) instead of p, so that
// a share of 0 or 1, whose standard error is 0, does not claim that any
// number of iterations is enough: Needed = ceil(z^2 p~ (1 - p~) /
// target^2). At p = 0.5, 95% and one percentage point that is 9,604.
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
	p := float64(x) / float64(n)
	se := ProportionSE(p, n)
	pt := (float64(x) + z*z/2) / (float64(n) + z*z)
	needed := max(iterationsFor(z*math.Sqrt(pt*(1-pt)), target), 1)
	return Precision{
		Estimate: p, SE: se, HalfWidth: z * se, Target: target, Level: level,
		Iterations: n, Needed: needed, Enough: n >= needed,
	}, nil
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
