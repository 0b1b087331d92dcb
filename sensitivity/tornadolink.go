package sensitivity

import (
	"math"

	"github.com/reunify/reunify/sim"
)

// The tornado's bars for correlated parameters. A scenario's
// [[correlation]] tables link parameters by a Gaussian copula (sim.Param's
// Mix): moving one of them alone to its 2.5th or 97.5th percentile gives
// a model its own draws never make, such as one point of a cumulative
// re-entry curve below the point before it. So a bar moves the linked
// parameters with it, each to its conditional median given the varied one
// at that percentile: the normal score rho*z, where z is the varied
// parameter's score (-1.96 or 1.96) and rho their correlation. Parameters
// outside every correlation group move alone, as before.

// tornadoZ is the normal score of a bar's low end, the 2.5th percentile;
// the high end is its negative.
var tornadoZ = -math.Sqrt2 * math.Erfinv(1-2*0.025)

// correlation returns the correlation matrix of params' normal scores,
// R = L L^T with L the rows of their Mix (a parameter without one is its
// own score).
func correlation(params []sim.Param) [][]float64 {
	n := len(params)
	l := make([][]float64, n)
	for i, p := range params {
		l[i] = make([]float64, n)
		if len(p.Mix) == 0 {
			l[i][i] = 1
		}
		for _, w := range p.Mix {
			if w.Param >= 0 && w.Param < n {
				l[i][w.Param] = w.W
			}
		}
	}
	r := make([][]float64, n)
	for i := range r {
		r[i] = make([]float64, n)
		for j := range r[i] {
			for k := range n {
				r[i][j] += l[i][k] * l[j][k]
			}
		}
	}
	return r
}

// BarValues returns the values of a tornado bar's run for parameter i at
// its low end (high false) or its high end: params[i] at its Bounds, and
// every parameter correlated with it at its conditional median, the
// others absent. The map is keyed by parameter path.
func BarValues(params []sim.Param, i int, high bool) map[string]float64 {
	return barValues(params, correlation(params), i, high)
}

func barValues(params []sim.Param, r [][]float64, i int, high bool) map[string]float64 {
	lo, hi := Bounds(params[i])
	z := tornadoZ
	out := map[string]float64{params[i].Path: lo}
	if high {
		z, out[params[i].Path] = -z, hi
	}
	for j, p := range params {
		if j == i || math.Abs(r[i][j]) < 1e-12 {
			continue
		}
		u := 0.5 * (1 + math.Erf(r[i][j]*z/math.Sqrt2))
		out[p.Path] = p.Dist.Quantile(u)
	}
	return out
}

// Linked returns the paths of the parameters that move with params[i] in
// its tornado bar (its correlation group), in params' order.
func Linked(params []sim.Param, i int) []string {
	r := correlation(params)
	var out []string
	for j, p := range params {
		if j != i && math.Abs(r[i][j]) >= 1e-12 {
			out = append(out, p.Path)
		}
	}
	return out
}
