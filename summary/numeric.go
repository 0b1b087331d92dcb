package summary

import "math"

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// clamp returns x limited to [lo, hi].
func clamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }

// centre returns the mean of y and the largest distance of a value from
// it, computed on y scaled by its largest magnitude so that huge values
// do not overflow.
func centre(y []float64) (mean, spread float64) {
	var big float64
	for _, v := range y {
		big = max(big, math.Abs(v))
	}
	if big == 0 || len(y) == 0 {
		return 0, 0
	}
	var sum float64
	for _, v := range y {
		sum += v / big
	}
	m := sum / float64(len(y))
	var c float64
	for _, v := range y {
		c += v/big - m
	}
	m += c / float64(len(y))
	mean = m * big
	for _, v := range y {
		spread = max(spread, math.Abs(v/big-m))
	}
	return mean, spread * big
}
