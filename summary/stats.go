package summary

import (
	"math"
	"slices"
)

// Stats summarises a sample of per-iteration values. NaN values are not
// part of the sample; with no values N is 0 and every other field is NaN.
type Stats struct {
	N    int     // number of non-NaN values
	Mean float64 // arithmetic mean
	SD   float64 // standard deviation with divisor n-1 (NaN if n < 2)
	MCSE float64 // Monte Carlo standard error of the mean: SD/sqrt(n)

	// Percentiles, as R's quantile(x, p) with its default type 7.
	P2_5, P5, P25, P50, P75, P95, P97_5 float64
}

// Summarize returns the statistics of the non-NaN values of xs. It does not
// modify xs. Percentiles are R's default type-7 quantiles, computed with
// R's own arithmetic, so they agree with quantile(x, p) in R (and with
// numpy's default "linear" method).
func Summarize(xs []float64) Stats {
	v := sortedValues(xs)
	n := len(v)
	if n == 0 {
		return Stats{
			Mean: math.NaN(), SD: math.NaN(), MCSE: math.NaN(),
			P2_5: math.NaN(), P5: math.NaN(), P25: math.NaN(), P50: math.NaN(),
			P75: math.NaN(), P95: math.NaN(), P97_5: math.NaN(),
		}
	}
	mean := meanOf(v)
	sd := math.NaN()
	if n > 1 {
		var ss float64
		for _, x := range v {
			d := x - mean
			ss += d * d
		}
		sd = math.Sqrt(ss / float64(n-1))
	}
	return Stats{
		N:     n,
		Mean:  mean,
		SD:    sd,
		MCSE:  sd / math.Sqrt(float64(n)),
		P2_5:  quantile7(v, 0.025),
		P5:    quantile7(v, 0.05),
		P25:   quantile7(v, 0.25),
		P50:   quantile7(v, 0.5),
		P75:   quantile7(v, 0.75),
		P95:   quantile7(v, 0.95),
		P97_5: quantile7(v, 0.975),
	}
}

// sortedValues returns a sorted copy of the non-NaN values of xs.
func sortedValues(xs []float64) []float64 {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	slices.Sort(v)
	return v
}

// meanOf is the mean of v (no NaN), refined by a second pass as R's mean
// does, so that it is accurate for large samples of similar values.
func meanOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	n := float64(len(v))
	var s float64
	for _, x := range v {
		s += x
	}
	m := s / n
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	var c float64
	for _, x := range v {
		c += x - m
	}
	return m + c/n
}

// quantile7 is R's type-7 quantile of sorted, NaN-free v (len(v) > 0),
// computed exactly as R's quantile.default does: with index = 1+(n-1)p,
// lo and hi its floor and ceiling, and h = index-lo, the result is
// (1-h)*x[lo] + h*x[hi], or x[lo] when h is 0 or x[lo] == x[hi].
func quantile7(v []float64, p float64) float64 {
	n := len(v)
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	q := v[int(lo)-1]
	xh := v[int(hi)-1]
	if index > lo && xh != q {
		h := index - lo
		q = (1-h)*q + h*xh
	}
	return q
}

// ProbPositive is the share of non-NaN values of xs that are > 0, or NaN if
// there are none.
func ProbPositive(xs []float64) float64 {
	var n, pos int
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		n++
		if x > 0 {
			pos++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(pos) / float64(n)
}
