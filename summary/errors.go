package summary

import (
	"errors"
	"fmt"
)

// Errors returned for input that the statistics cannot use. They are
// wrapped with the detail (which arm, iteration or parameter), so test
// for them with errors.Is.
var (
	// ErrTooFewArms: a decision needs at least two arms.
	ErrTooFewArms = errors.New("summary: at least two arms are needed")
	// ErrTooFewIterations: fewer iterations than MinIterations.
	ErrTooFewIterations = errors.New("summary: too few iterations")
	// ErrShape: slices that should have the same length do not.
	ErrShape = errors.New("summary: inputs of different lengths")
	// ErrNotFinite: a NaN or infinite value where a number is needed.
	ErrNotFinite = errors.New("summary: value is NaN or infinite")
	// ErrNoParameters: a joint estimate was asked for with no parameters.
	ErrNoParameters = errors.New("summary: no parameters")
	// ErrBadArgument: a precision target or confidence level out of range.
	ErrBadArgument = errors.New("summary: argument out of range")
)

// MinIterations is the fewest iterations the value-of-information
// regressions accept. Below it they return ErrTooFewIterations; above
// it the spline's basis shrinks to what the data can carry (see EVPPI).
//
// It is measured, not assumed: a placement no child ever enters, with a
// gamma weekly cost, added to the local-authority scenario, has EVPPI
// 0 at value 0 from 30 iterations on for seeds 1 to 4 (at 10 and 20
// iterations one seed in four gives it 2-3% of the naive EVPI), as
// mgcv's gam with a shrinkage smooth (bs = "cs", method = "REML") does on
// the same files; TestIrrelevantFewIterations holds it over 25 seeds.
const MinIterations = 30

// errNoIterations: a curve over iterations with none.
var errNoIterations = fmt.Errorf("%w: no iterations", ErrShape)
