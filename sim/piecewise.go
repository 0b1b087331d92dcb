package sim

import (
	"errors"
	"fmt"
	"math"
)

// CumulativeToPiecewise converts the published form of a survival curve,
// the cumulative share F[k] of returns that have re-entered by month
// Months[k], into a piecewise-constant hazard with segments starting at 0,
// Months[0], Months[1], ... The hazard of the last given interval continues
// after the last point. Shares must increase strictly below 1 and months
// strictly.
func CumulativeToPiecewise(months, shares []float64) (Piecewise, error) {
	if len(months) == 0 || len(months) != len(shares) {
		return Piecewise{}, errors.New("cumulative form needs as many months as shares, at least one")
	}
	p := Piecewise{Starts: make([]float64, len(months)), Rates: make([]float64, len(months))}
	prevT, prevS := 0.0, 0.0
	for k := range months {
		t, s := months[k], shares[k]
		if !(t > prevT) {
			return Piecewise{}, fmt.Errorf("month %v: months must increase from above 0", t)
		}
		if !(s >= prevS && s < 1) {
			return Piecewise{}, fmt.Errorf("share %v by month %v: shares must not decrease and must stay below 1", s, t)
		}
		p.Starts[k] = prevT
		p.Rates[k] = -math.Log((1-s)/(1-prevS)) / (t - prevT)
		prevT, prevS = t, s
	}
	return p, nil
}

// Cumulative returns the probability that the event has happened by month
// t under the hazard alone: 1 - exp(-integral of the hazard to t).
func (p Piecewise) Cumulative(t float64) float64 {
	h := 0.0
	for k := range p.Starts {
		end := math.Inf(1)
		if k+1 < len(p.Starts) {
			end = p.Starts[k+1]
		}
		if t <= p.Starts[k] {
			break
		}
		h += p.Rates[k] * (math.Min(t, end) - p.Starts[k])
	}
	return 1 - math.Exp(-h)
}
