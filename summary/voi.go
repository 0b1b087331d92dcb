package summary

import (
	"errors"
	"fmt"
	"math"
)

// AllParameters is the Parameter of the VOI row for all the uncertain
// parameters together.
const AllParameters = "all"

// VOIPoint is one row of the value of information: the most that
// perfect information about Parameter would be worth, per decision, when
// one averted re-entry is valued at Value pounds.
type VOIPoint struct {
	// Value is the amount placed on one averted re-entry, in pounds.
	Value float64
	// Parameter is AllParameters or the name of one parameter.
	Parameter string
	// EVPI is the estimate (pounds per decision over the horizon,
	// discounted): for AllParameters the expected value of perfect
	// information about every parameter, else the parameter's EVPPI.
	EVPI float64
	// SE is the estimate's first-order Monte Carlo standard error (see
	// Estimate.SE).
	SE float64
	// Naive is the naive EVPI at this value, which also counts
	// foreseeing the children's luck: the upper bound of every estimate.
	Naive float64
	// Capped is true when the regression's estimate exceeded Naive and
	// EVPI was cut to it: there the fit cannot tell what research could
	// learn from the children's luck, and EVPI is only an upper bound.
	Capped bool
}

// VOI returns the value of information for every value on a grid, from
// the re-entries and discounted costs of every arm and iteration
// (reentries[a][i], costs[a][i]; arm 0 the baseline) and the sampled
// parameters (params[i][p], named names[p]). For each value, in the
// order given, it has one row for AllParameters and then one per
// parameter in the order of names: the rows of voi.csv.
//
// A parameter's row is EVPPI's estimate for net benefits
// NetBenefit(value, ...), and the AllParameters row EVPPIAll's, with one
// difference that makes the whole grid cost about as much as one value:
// because the difference in net benefit between arm d and the baseline is
// value x averted_d - incr_d, the regressions fit the re-entries averted
// and the incremental cost once each (each with its own smoothness
// chosen by cross-validation), and combine the fits for every value.
// Estimates are clamped to [0, Naive] (Capped says where the upper bound
// bound binds); the AllParameters row is also
// raised to the largest single-parameter row, since knowing every
// parameter is worth at least as much as knowing one (an additive model
// can understate it; see EVPPIAll).
//
// Errors: ErrTooFewArms, ErrShape (names, rows or arms that disagree),
// ErrNotFinite, ErrNoParameters, ErrTooFewIterations (fewer than
// MinIterations). A constant parameter has EVPI 0.
func VOI(values []float64, reentries, costs, params [][]float64, names []string) ([]VOIPoint, error) {
	n, err := checkArms(reentries, costs)
	if err != nil {
		return nil, err
	}
	if err := checkValues(values); err != nil {
		return nil, err
	}
	p, err := checkParams(params, n)
	if err != nil {
		return nil, err
	}
	if p == 0 {
		return nil, ErrNoParameters
	}
	if len(names) != p {
		return nil, fmt.Errorf("%w: %d names for %d parameters", ErrShape, len(names), p)
	}
	if n < MinIterations {
		return nil, fmt.Errorf("%w: %d, at least %d are needed", ErrTooFewIterations, n, MinIterations)
	}
	averted, incr := incremental(reentries, costs)
	arms := len(averted)
	diffs := make([][][]float64, len(values)) // [value][arm][iteration]
	naive := make([]float64, len(values))
	for k, v := range values {
		diffs[k] = make([][]float64, arms)
		for d := range arms {
			row := make([]float64, n)
			for i := range n {
				row[i] = v*averted[d][i] - incr[d][i]
			}
			diffs[k][d] = row
		}
		raw, _ := decisionValue(diffs[k], nil)
		naive[k] = math.Max(raw, 0)
	}

	// est[k][0] is the joint estimate, est[k][j+1] parameter j's.
	est := make([][]VOIPoint, len(values))
	for k, v := range values {
		est[k] = make([]VOIPoint, p+1)
		est[k][0] = VOIPoint{Value: v, Parameter: AllParameters, Naive: naive[k]}
		for j := range p {
			est[k][j+1] = VOIPoint{Value: v, Parameter: names[j], Naive: naive[k]}
		}
	}
	// fitted holds the fits of averted and incr for each arm, reused.
	fa, fc := make([][]float64, arms), make([][]float64, arms)
	for d := range arms {
		fa[d], fc[d] = make([]float64, n), make([]float64, n)
	}
	fits := make([][]float64, arms)
	for d := range fits {
		fits[d] = make([]float64, n)
	}
	combine := func(col int) error {
		for k, v := range values {
			for d := range arms {
				for i := range n {
					fits[d][i] = v*fa[d][i] - fc[d][i]
				}
			}
			raw, se := decisionValue(diffs[k], fits)
			if !finite(raw) {
				return fmt.Errorf("%w: the estimate overflowed (net benefits too large)", ErrNotFinite)
			}
			est[k][col].EVPI = clamp(raw, 0, naive[k])
			est[k][col].Capped = raw > naive[k]
			est[k][col].SE = se
		}
		return nil
	}
	for j := range p {
		sp, err := newSpline(column(params, j), splineBasis, true)
		if errors.Is(err, errConstant) {
			continue // EVPI 0
		}
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", names[j], err)
		}
		for d := range arms {
			sp.fit(averted[d], fa[d], math.NaN())
			sp.fit(incr[d], fc[d], math.NaN())
		}
		if err := combine(j + 1); err != nil {
			return nil, err
		}
	}
	am, err := newAdditive(params)
	if err != nil {
		return nil, err
	}
	if am != nil {
		for d := range arms {
			am.fit(averted[d], fa[d])
			am.fit(incr[d], fc[d])
		}
		if err := combine(0); err != nil {
			return nil, err
		}
	}
	out := make([]VOIPoint, 0, len(values)*(p+1))
	for k := range values {
		for j := 1; j <= p; j++ {
			if est[k][j].EVPI > est[k][0].EVPI {
				est[k][0].EVPI, est[k][0].Capped = est[k][j].EVPI, est[k][j].Capped
			}
		}
		out = append(out, est[k]...)
	}
	return out, nil
}
