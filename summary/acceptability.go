package summary

import (
	"fmt"
	"math"
	"slices"

	"github.com/reunify/reunify/sim"
)

// ValuePerReentryAverted is the published cost of one failed return: a
// child back in care costs about £61,614 a year (Holmes 2014, via NSPCC).
// DefaultAcceptabilityValues keeps it as a point of the grid, so that
// earlier acceptability.csv files compare; it is not a value to read the
// curve at. The curve's value is what an averted re-entry is worth beyond
// the costs the incremental cost already counts, and a year of care is
// counted there already: read at it, the saving counts twice.
const ValuePerReentryAverted = 61614

// DefaultAcceptabilityValues are the values placed on one averted
// re-entry at which acceptability.csv gives the probability that a
// policy is worth it: £0 to £200,000 in steps of £5,000, and £61,614.
func DefaultAcceptabilityValues() []float64 {
	var vs []float64
	for v := 0.0; v <= 200000; v += 5000 {
		vs = append(vs, v)
	}
	vs = append(vs, ValuePerReentryAverted)
	slices.Sort(vs)
	return vs
}

// AcceptabilityPoint is one point of a cost-effectiveness acceptability
// curve (one row of acceptability.csv).
type AcceptabilityPoint struct {
	Arm      string // the policy arm
	Baseline string // the baseline arm
	// Value is the amount, in pounds, placed on one averted re-entry
	// (the willingness to pay, lambda).
	Value float64
	// ProbWorthIt is the share of iterations in which the policy's net
	// monetary benefit, Value*reentries_averted - incremental_cost, is
	// above zero; NaN if no iteration has both defined.
	ProbWorthIt float64
}

// Acceptability returns the cost-effectiveness acceptability curve of
// every policy arm against the baseline: for each value in values (pounds
// per averted re-entry), the probability across iterations that
// value*reentries_averted - incremental_cost > 0. At a value of 0 it is
// the probability that the policy saves money. Points come by arm, then
// in the order of values.
//
// This is the curve NICE and ISPOR guidance ask for alongside the
// incremental cost-effectiveness ratio: the ratio's interval is unstable
// when few re-entries are averted, the curve is not.
func Acceptability(res *sim.Results, values []float64) ([]AcceptabilityPoint, error) {
	if err := Check(res); err != nil {
		return nil, err
	}
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("summary: acceptability: value %v per re-entry averted is not a finite number", v)
		}
	}
	var out []AcceptabilityPoint
	for a := 1; a < len(res.Arms); a++ {
		cs, err := compareArm(res, a)
		if err != nil {
			return nil, err
		}
		averted, incr := cs.averted, cs.incr
		for _, v := range values {
			n, pos := 0, 0
			for i := range averted {
				if math.IsNaN(averted[i]) || math.IsNaN(incr[i]) {
					continue
				}
				n++
				if v*averted[i]-incr[i] > 0 {
					pos++
				}
			}
			p := math.NaN()
			if n > 0 {
				p = float64(pos) / float64(n)
			}
			out = append(out, AcceptabilityPoint{Arm: res.Arms[a], Baseline: res.Arms[0], Value: v, ProbWorthIt: p})
		}
	}
	return out, nil
}
