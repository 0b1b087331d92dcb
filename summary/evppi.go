package summary

import (
	"errors"
	"fmt"
	"math"
)

// Estimate is a regression estimate of the expected value of partial
// perfect information, in the units of the net benefits (pounds per
// decision).
type Estimate struct {
	// EVPPI is the estimate, clamped to [0, Naive]: no information is
	// worth less than nothing or more than perfect foresight.
	EVPPI float64
	// Raw is the estimate before clamping. A Raw below 0 or above Naive
	// says the regression is no better than the Monte Carlo error.
	Raw float64
	// SE is the first-order Monte Carlo standard error of Raw: the
	// spread over iterations of the observed net-benefit gain of the
	// decision the fitted curves make, divided by sqrt(n). It does not
	// include the error of the fitted curves themselves, of which the
	// upward bias of fitting noise is largest where the fitted gain is
	// near 0; more iterations shrink both. When the mean difference
	// itself is within its Monte Carlo error of 0 (the decision is on the
	// fence) the first-order formula is rougher, within a factor of about
	// 3 either way.
	SE float64
	// Naive is the naive EVPI of the same net benefits (see EVPI).
	Naive float64
	// EDF is the effective degrees of freedom of the regression, the
	// largest over the arms compared with the baseline: 1 is a constant,
	// 2 a straight line. For a joint estimate it is the additive model's.
	EDF float64
	// Constant is true when the parameter (for EVPPIAll every
	// parameter) takes one value only: knowing it tells nothing, and
	// EVPPI is 0.
	Constant bool
}

// EVPPI estimates the expected value of perfect information about one
// parameter, theta[i] in iteration i, from the net benefits nb[a][i] (arm
// a, iteration i; see NetBenefit).
//
// Each iteration's net benefit carries the children's luck as well as
// the parameters, so the expected net benefit given the parameter is
// estimated by regression (Strong, Oakley and Brennan 2014): for every
// arm d against the baseline (arm 0), the difference nb[d] - nb[0] is
// smoothed against theta by a penalised cubic regression spline with
// shrinkage (up to 12 B-spline basis functions, interior knots at
// quantiles of the distinct values, the integrated squared second
// derivative as the penalty plus a small penalty on straight lines, so
// that the flat fit of the mean, the null model, is reachable; its
// weight chosen by REML, as mgcv's gam with a "cs" smooth and method =
// "REML" does). The estimate is the mean over iterations
// of the largest fitted difference (0 for the baseline) less the largest
// mean difference; because the fits keep the means of the data, it is
// the expected gain from choosing the arm once the parameter is known.
// Like every Monte Carlo estimate of a value of information, it is low by
// about sd/sqrt(2 pi n) when the decision is on the fence (the mean
// difference, of standard deviation sd over n iterations, near 0), since
// the largest mean difference it subtracts is then biased upwards.
//
// Results: a constant theta gives EVPPI 0 with Constant set. With few
// distinct values or few iterations the basis shrinks (to the number of
// distinct values and to half the iterations, never below a cubic);
// fewer than MinIterations iterations are ErrTooFewIterations. One arm
// is ErrTooFewArms; a NaN or infinite value is ErrNotFinite; lengths that
// disagree are ErrShape.
func EVPPI(nb [][]float64, theta []float64) (Estimate, error) {
	n, err := checkMatrix("net benefits", nb)
	if err != nil {
		return Estimate{}, err
	}
	if len(theta) != n {
		return Estimate{}, fmt.Errorf("%w: %d parameter values for %d iterations", ErrShape, len(theta), n)
	}
	for i, x := range theta {
		if !finite(x) {
			return Estimate{}, fmt.Errorf("%w: parameter, iteration %d: %v", ErrNotFinite, i, x)
		}
	}
	if n < MinIterations {
		return Estimate{}, fmt.Errorf("%w: %d, at least %d are needed", ErrTooFewIterations, n, MinIterations)
	}
	diffs := differences(nb)
	naive, _ := decisionValue(diffs, nil)
	naive = math.Max(naive, 0)
	sp, err := newSpline(theta, splineBasis, true)
	if errors.Is(err, errConstant) {
		return Estimate{Naive: naive, Constant: true}, nil
	}
	if err != nil {
		return Estimate{}, err
	}
	fits := make([][]float64, len(diffs))
	var edf float64
	for d, y := range diffs {
		fits[d] = make([]float64, n)
		e, _ := sp.fit(y, fits[d], math.NaN())
		edf = math.Max(edf, e)
	}
	return estimate(diffs, fits, naive, edf)
}

// EVPPIAll estimates the expected value of perfect information about all
// the parameters together, params[i][p] being parameter p in iteration
// i, by regression on all of them jointly: an additive model with one
// penalised spline per parameter (as EVPPI's), fitted by backfitting
// (Hastie and Tibshirani 1990), each spline's smoothness chosen by
// REML in the first sweeps and then held while
// the backfitting converges. Constant parameters are left out; if every
// one is constant, EVPPI is 0 with Constant set.
//
// An additive model misses interactions between parameters (a cost that
// matters only when an effect is large); for the products of effects,
// uptakes and costs a PSA multiplies, with spreads of a few tens of per
// cent, these carry a few per cent of the variance, so the estimate is
// then somewhat low. It is still an estimate of what learning the
// parameters is worth, not of foreseeing the children's luck. Errors as
// EVPPI's, and ErrNoParameters for a matrix with no columns.
func EVPPIAll(nb [][]float64, params [][]float64) (Estimate, error) {
	n, err := checkMatrix("net benefits", nb)
	if err != nil {
		return Estimate{}, err
	}
	p, err := checkParams(params, n)
	if err != nil {
		return Estimate{}, err
	}
	if n < MinIterations {
		return Estimate{}, fmt.Errorf("%w: %d, at least %d are needed", ErrTooFewIterations, n, MinIterations)
	}
	if p == 0 {
		return Estimate{}, ErrNoParameters
	}
	diffs := differences(nb)
	naive, _ := decisionValue(diffs, nil)
	naive = math.Max(naive, 0)
	am, err := newAdditive(params)
	if err != nil {
		return Estimate{}, err
	}
	if am == nil {
		return Estimate{Naive: naive, Constant: true}, nil
	}
	fits := make([][]float64, len(diffs))
	var edf float64
	for d, y := range diffs {
		fits[d] = make([]float64, n)
		edf = math.Max(edf, am.fit(y, fits[d]))
	}
	return estimate(diffs, fits, naive, edf)
}

// estimate turns fitted differences into an Estimate.
func estimate(diffs, fits [][]float64, naive, edf float64) (Estimate, error) {
	raw, se := decisionValue(diffs, fits)
	if !finite(raw) {
		return Estimate{}, fmt.Errorf("%w: the estimate overflowed (net benefits too large)", ErrNotFinite)
	}
	return Estimate{EVPPI: clamp(raw, 0, naive), Raw: raw, SE: se, Naive: naive, EDF: edf}, nil
}
