package sim

import (
	"math"
	"testing"
)

// TestDiscountTable checks the table-and-series discount factor against
// math.Exp over the horizon, at the usual rate and the largest allowed.
func TestDiscountTable(t *testing.T) {
	for _, tc := range []struct{ rate, tol float64 }{{0.035, 1e-15}, {0.999, 1e-11}} {
		m := cohortModel(1, 240)
		m.Costs.DiscountRate = tc.rate
		c := compile(m)
		worst := 0.0
		for i := 0; i <= 240*97; i++ {
			at := float64(i) / 97
			want := math.Exp(-c.delta * at)
			worst = max(worst, math.Abs(c.discount(at)-want)/want)
		}
		if worst > tc.tol {
			t.Errorf("rate %v: discount factor relative error %g, want below %g", tc.rate, worst, tc.tol)
		}
		for _, at := range []float64{-1, 240.5, 1e9} {
			if got, want := c.discount(at), math.Exp(-c.delta*at); got != want {
				t.Errorf("rate %v, month %v outside the table: %v, want %v", tc.rate, at, got, want)
			}
		}
	}
}
