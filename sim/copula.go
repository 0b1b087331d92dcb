package sim

import "math"

// draw returns the uniform of parameter p, given every parameter's
// independent uniform u.
func (prm *Param) draw(p int, u []float64) float64 {
	if len(prm.Mix) == 0 {
		return u[p]
	}
	z := 0.0
	for _, m := range prm.Mix {
		z += m.W * -math.Sqrt2 * math.Erfcinv(2*u[m.Param])
	}
	// Keep it inside (0, 1): Phi rounds to 1 above about 8.3.
	const tiny = 1.0 / (1 << 53)
	return min(max(0.5*math.Erfc(-z/math.Sqrt2), tiny), 1-tiny)
}
