package summary

import (
	"errors"
	"math"
)

// Backfitting: REML chooses each spline's smoothness in the first
// gcvSweeps sweeps; then the smoothers are fixed linear operators and the
// sweeps go on until the fitted values move by less than backfitTol of
// the response's spread (in squares), or maxSweeps.
const (
	gcvSweeps  = 5
	maxSweeps  = 200
	backfitTol = 1e-12
)

// additive is an additive model y = a + sum_j f_j(x_j) with one penalised
// spline per non-constant parameter.
type additive struct {
	n     int
	comps []*spline
	cols  []int // the parameter each component smooths
}

// newAdditive sets up one spline per non-constant column of params. It
// returns nil, nil if every column is constant.
func newAdditive(params [][]float64) (*additive, error) {
	n, p := len(params), len(params[0])
	m := &additive{n: n}
	for j := range p {
		s, err := newSpline(column(params, j), splineBasis, true)
		if errors.Is(err, errConstant) {
			continue
		}
		if err != nil {
			return nil, err
		}
		m.comps = append(m.comps, s)
		m.cols = append(m.cols, j)
	}
	if len(m.comps) == 0 {
		return nil, nil
	}
	return m, nil
}

// fit smooths y into out by backfitting and returns the model's effective
// degrees of freedom: 1 for the mean plus each component's own less the
// constant it shares. out has the mean of y.
func (m *additive) fit(y, out []float64) float64 {
	n := m.n
	mu, spread := centre(y)
	if spread == 0 {
		for i := range out {
			out[i] = mu
		}
		return 1
	}
	f := make([][]float64, len(m.comps))
	for j := range f {
		f[j] = make([]float64, n)
	}
	eta := make([]float64, n) // sum of the components
	r := make([]float64, n)
	next := make([]float64, n)
	logRho := make([]float64, len(m.comps))
	edf := make([]float64, len(m.comps))
	for j := range logRho {
		logRho[j] = math.NaN()
	}
	var ss float64
	for _, v := range y {
		ss += (v - mu) * (v - mu)
	}
	for sweep := range maxSweeps {
		var change float64
		for j, s := range m.comps {
			for i := range n {
				r[i] = y[i] - mu - (eta[i] - f[j][i])
			}
			lr := logRho[j]
			if sweep < gcvSweeps {
				lr = math.NaN()
			}
			edf[j], logRho[j] = s.fit(r, next, lr)
			c := meanOf(next)
			for i := range n {
				v := next[i] - c
				dv := v - f[j][i]
				change += dv * dv
				eta[i] += dv
				f[j][i] = v
			}
		}
		if sweep >= gcvSweeps && change <= backfitTol*ss {
			break
		}
	}
	total := 1.0
	for _, e := range edf {
		total += e - 1
	}
	for i := range out {
		out[i] = mu + eta[i]
	}
	return total
}
