package summary

import (
	"cmp"
	"errors"
	"math"
	"slices"
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

// interactionTop is how many parameters, those that explain most of the
// response on their own, get a smooth of the product of each pair of
// them (standardised) beside their own smooths.
const interactionTop = 4

// additive is an additive model y = a + sum_j f_j(x_j) with one penalised
// spline per non-constant parameter, to which fit adds a spline of
// z_a z_b for each pair of the interactionTop parameters that matter
// most for the response at hand (z standardised): the products of
// effects, rates and costs a PSA multiplies make E[y | parameters]
// non-additive (the re-entries a support averts are the re-entries
// expected without it times one less the hazard ratio), and an additive
// fit then extrapolates past the data where both are extreme, so far
// that the value of information it gives exceeds the naive EVPI. Each
// product's spline shrinks, with its smoothness chosen by REML, to
// nothing when the data carry no interaction.
type additive struct {
	n     int
	comps []*spline
	cols  []int       // the parameter each component smooths
	z     [][]float64 // z[c]: component c's parameter, standardised
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
		m.z = append(m.z, standardise(column(params, j)))
	}
	if len(m.comps) == 0 {
		return nil, nil
	}
	return m, nil
}

// standardise returns (x - mean) / sd, or x less its mean if sd is 0.
func standardise(x []float64) []float64 {
	mu := meanOf(x)
	var ss float64
	for _, v := range x {
		ss += (v - mu) * (v - mu)
	}
	sd := math.Sqrt(ss / float64(len(x)))
	if sd == 0 || !finite(sd) {
		sd = 1
	}
	z := make([]float64, len(x))
	for i, v := range x {
		z[i] = (v - mu) / sd
	}
	return z
}

// withInteractions returns the components of the model for y: every
// parameter's spline, and a spline of each product of two of the
// interactionTop parameters whose own splines explain most of y.
func (m *additive) withInteractions(y []float64) ([]*spline, error) {
	comps := slices.Clone(m.comps)
	if len(m.comps) < 2 {
		return comps, nil
	}
	mu := meanOf(y)
	r := make([]float64, m.n)
	for i := range r {
		r[i] = y[i] - mu
	}
	fitted := make([]float64, m.n)
	explained := make([]float64, len(m.comps))
	for c, s := range m.comps {
		s.fit(r, fitted, math.NaN())
		for _, v := range fitted {
			explained[c] += v * v
		}
	}
	order := make([]int, len(m.comps))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(explained[b], explained[a]) })
	top := order[:min(interactionTop, len(order))]
	prod := make([]float64, m.n)
	for a := range top {
		for b := a + 1; b < len(top); b++ {
			za, zb := m.z[top[a]], m.z[top[b]]
			if explained[top[a]] == 0 || explained[top[b]] == 0 {
				continue
			}
			for i := range prod {
				prod[i] = za[i] * zb[i]
			}
			s, err := newSpline(prod, splineBasis, true)
			if errors.Is(err, errConstant) {
				continue
			}
			if err != nil {
				return nil, err
			}
			comps = append(comps, s)
		}
	}
	return comps, nil
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
	comps, err := m.withInteractions(y)
	if err != nil {
		comps = m.comps // a product too wide to smooth: the additive model alone
	}
	f := make([][]float64, len(comps))
	for j := range f {
		f[j] = make([]float64, n)
	}
	eta := make([]float64, n) // sum of the components
	r := make([]float64, n)
	next := make([]float64, n)
	logRho := make([]float64, len(comps))
	edf := make([]float64, len(comps))
	for j := range logRho {
		logRho[j] = math.NaN()
	}
	var ss float64
	for _, v := range y {
		ss += (v - mu) * (v - mu)
	}
	for sweep := range maxSweeps {
		var change float64
		for j, s := range comps {
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
