package calibrate

import (
	"fmt"
	"math"
)

// Posterior is a rate's gamma distribution after partial pooling: the
// cell's own events and years at risk, the prior the pattern over all
// cells gives it, and the posterior gamma(shape = Alpha, rate = Beta),
// Beta in years.
type Posterior struct {
	Events   int
	Exposure float64 // years at risk
	// PriorMean is the rate, per year, the pattern over all cells gives
	// this cell; PriorShape is the prior's weight, in events: a cell with
	// many more events than PriorShape keeps its own rate.
	PriorMean, PriorShape float64
	Alpha, Beta           float64
}

// Mean returns the posterior mean rate per year.
func (p Posterior) Mean() float64 { return p.Alpha / p.Beta }

// SD returns the posterior standard deviation of the rate.
func (p Posterior) SD() float64 { return math.Sqrt(p.Alpha) / p.Beta }

// Own returns the cell's own evidence as a Rate.
func (p Posterior) Own() Rate { return Rate{Events: p.Events, Exposure: p.Exposure} }

// Value returns the posterior as a scenario distribution.
func (p Posterior) Value() string {
	return fmt.Sprintf("gamma(shape=%s, rate=%s)", num(p.Alpha), num(p.Beta))
}

// Pooling is the fit of one table of rates: each cell's posterior and how
// strongly cells were pooled.
type Pooling struct {
	Cells []Posterior
	// Phi is the posterior mean of phi, the coefficient of variation of
	// the rates of cells like the pattern around it, and Unlike the
	// posterior mean share of cells unlike the pattern.
	Phi, Unlike float64
	// AuthorityStrength is the estimated prior weight of the region for
	// an authority's overall level (0 with one authority).
	AuthorityStrength float64
}

// Bounds of the prior weights (gamma shapes) searched: a cell's rate
// within phi = 1/sqrt(k) of the pattern, from about 300% to 0.1%.
const (
	MinStrength = 0.1
	MaxStrength = 1e6
)

// levelPrior is the weight, in events, of the weakly informative prior
// that shrinks each age-band or segment effect toward the overall rate:
// it matters only for a level with almost no events, which it keeps
// above zero.
const levelPrior = 0.5

// Table is a table of occurrence/exposure rates to pool. Each cell has a
// level of each factor (Levels[i][f], 0 <= level < Sizes[f]); if
// Authority is set, factor 0 is the authority. Offset, if set, is a known
// pattern each cell's rate is relative to (the region's rate for the
// cell, when authorities are pooled toward their region), with the
// variance of its log in OffsetVar.
type Table struct {
	Cells             []Rate
	Levels            [][]int
	Sizes             []int
	Authority         bool
	Offset, OffsetVar []float64
}

// Pool partially pools a table of occurrence/exposure rates. The pattern
// is a Poisson model in which the rate is an overall rate (times the
// offset) times an effect of each factor's level (age band, months in
// care, authority); each effect has a gamma
// prior of mean 1, of weight levelPrior for a structural factor and, for
// the authority, a weight estimated from how much the authorities'
// totals differ (empirical Bayes). Each cell's rate then has a gamma prior
// centred on the pattern, whose weight is estimated from how much the
// cells differ from the pattern (the marginal negative binomial
// likelihood), widened by the pattern's own uncertainty. The posterior of
// a cell is gamma(prior shape + events, prior shape / pattern + years at
// risk): a cell with little evidence takes the pattern's rate, a cell
// with much keeps its own.
func Pool(t Table) Pooling {
	cells, levels, sizes, authority := t.Cells, t.Levels, t.Sizes, t.Authority
	n, nf := len(cells), len(sizes)
	off := func(i int) float64 {
		if t.Offset == nil {
			return 1
		}
		return t.Offset[i]
	}
	var O, E float64
	for _, c := range cells {
		O += float64(c.Events)
		E += c.Exposure
	}
	out := Pooling{Cells: make([]Posterior, n)}
	if E <= 0 {
		for i, c := range cells {
			out.Cells[i] = Posterior{Events: c.Events, Exposure: c.Exposure}
		}
		return out
	}
	s := make([][]float64, nf)
	prior := make([]float64, nf)
	for f := range s {
		s[f] = make([]float64, sizes[f])
		for l := range s[f] {
			s[f][l] = 1
		}
		prior[f] = levelPrior
	}
	mu := make([]float64, n)
	base := max(O, levelPrior) / E
	if t.Offset != nil {
		x := 0.0
		for i, c := range cells {
			x += c.Exposure * off(i)
		}
		base = max(O, levelPrior) / x
	}
	refresh := func() {
		for i := range cells {
			m := base * off(i)
			for f := range nf {
				m *= s[f][levels[i][f]]
			}
			mu[i] = m
		}
	}
	// levelTotals returns, for factor f, the events and expected events
	// (under the pattern without f's effect) of each level.
	levelTotals := func(f int) (obs, exp []float64) {
		obs, exp = make([]float64, sizes[f]), make([]float64, sizes[f])
		for i, c := range cells {
			l := levels[i][f]
			obs[l] += float64(c.Events)
			exp[l] += c.Exposure * mu[i] / s[f][l]
		}
		return obs, exp
	}
	fit := func() {
		for range 500 {
			refresh()
			x := 0.0
			for i, c := range cells {
				x += c.Exposure * mu[i] / base
			}
			change := 0.0
			nb := max(O, levelPrior) / x
			change = math.Max(change, math.Abs(math.Log(nb/base)))
			base = nb
			refresh()
			for f := range nf {
				obs, exp := levelTotals(f)
				for l := range s[f] {
					v := (obs[l] + prior[f]) / (exp[l] + prior[f])
					change = math.Max(change, math.Abs(math.Log(v/s[f][l])))
					s[f][l] = v
				}
				refresh()
			}
			if change < 1e-10 {
				return
			}
		}
	}
	if authority && nf > 0 && sizes[0] > 1 {
		// The authorities' prior weight: estimated from their totals
		// against the pattern of the region, refitted a few times.
		prior[0] = 1
		for range 4 {
			fit()
			obs, exp := levelTotals(0)
			var cs []nbCell
			for l := range obs {
				if exp[l] > 0 {
					cs = append(cs, nbCell{obs[l], exp[l], 0})
				}
			}
			prior[0], _ = strength(cs)
		}
		out.AuthorityStrength = prior[0]
	}
	fit()
	// The pattern's uncertainty for each cell, on the log scale: the
	// overall rate's and each of its effects' (gamma posteriors, whose
	// log has variance trigamma(shape)), taken as independent.
	v := make([]float64, n)
	for f := range nf {
		obs, _ := levelTotals(f)
		for i := range cells {
			v[i] += trigamma(obs[levels[i][f]] + prior[f])
		}
	}
	for i := range v {
		v[i] += trigamma(max(O, levelPrior))
		if t.OffsetVar != nil {
			v[i] += t.OffsetVar[i]
		}
	}
	// How much the cells differ from the pattern. A cell is either like
	// the pattern, its rate within phi (a coefficient of variation) of
	// it, or, with probability pi, unlike it (a gamma prior of shape
	// farShape around the pattern: anything from a twentieth to three
	// times it). phi has a half-Cauchy prior of scale PhiScale (Gelman
	// 2006) and pi a uniform one over piGrid; the cells' negative binomial
	// likelihoods (widened by the pattern's own uncertainty) weigh a grid
	// of both. Each cell's posterior is the mixture of its gamma
	// posteriors over the grid and the two kinds, matched by a gamma of
	// the same mean and variance: a cell with little evidence takes the
	// pattern's rate, one whose many events disagree with the pattern
	// keeps its own, and the uncertainty about how much to pool is
	// carried too.
	var cs []nbCell
	for i, c := range cells {
		if c.Exposure > 0 {
			cs = append(cs, nbCell{float64(c.Events), c.Exposure * mu[i], v[i]})
		}
	}
	ks, pis, ws := mixtureGrid(cs)
	out.Phi, out.Unlike = 0, 0
	for g := range ks {
		for h := range pis {
			out.Phi += ws[g][h] / math.Sqrt(ks[g]) // posterior mean of phi
			out.Unlike += ws[g][h] * pis[h]
		}
	}
	for i, c := range cells {
		o := float64(c.Events)
		far := nbCell{o, c.Exposure * mu[i], 0}
		lf := far.logLik(farShape)
		fa, fb := farShape+o, farShape/mu[i]+c.Exposure
		var m1, m2, ashape float64
		for g, k := range ks {
			a := 1 / (1/k + v[i])
			near := nbCell{o, c.Exposure * mu[i], v[i]}
			lc := near.logLik(a)
			na, nb := a+o, a/mu[i]+c.Exposure
			for h, pi := range pis {
				w := ws[g][h]
				if w == 0 {
					continue
				}
				pc := 1.0
				if pi > 0 {
					// P(like the pattern | the cell's events)
					pc = 1 / (1 + pi/(1-pi)*math.Exp(lf-lc))
				}
				m1 += w * (pc*na/nb + (1-pc)*fa/fb)
				m2 += w * (pc*na*(na+1)/(nb*nb) + (1-pc)*fa*(fa+1)/(fb*fb))
				ashape += w * pc * a
			}
		}
		vr := max(m2-m1*m1, m1*m1*1e-12)
		out.Cells[i] = Posterior{
			Events: c.Events, Exposure: c.Exposure,
			PriorMean: mu[i], PriorShape: ashape,
			Alpha: m1 * m1 / vr, Beta: m1 / vr,
		}
	}
	return out
}

// nbCell is a cell's events, expected events under the pattern and the
// pattern's variance on the log scale.
type nbCell struct{ obs, exp, v float64 }

// PhiScale is the scale of the half-Cauchy prior on phi, the coefficient
// of variation of the cells' rates around the pattern: differences of
// tens of percent are plausible, of several hundred percent not.
const PhiScale = 0.5

// farShape is the shape of the prior of a cell unlike the pattern: an
// exponential distribution with the pattern's mean.
const farShape = 1.0

// piGrid are the values of pi, the share of cells unlike the pattern,
// weighed equally a priori.
var piGrid = []float64{0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5}

// logLik is the log negative binomial probability of the cell's events
// for a gamma prior of shape a on its rate (log(events!) left out): mean
// exp, shape a.
func (c nbCell) logLik(a float64) float64 {
	if c.exp <= 0 {
		return 0 // no time at risk: no events, surely
	}
	lg1, _ := math.Lgamma(a + c.obs)
	lg2, _ := math.Lgamma(a)
	return lg1 - lg2 + a*math.Log(a/(a+c.exp)) + c.obs*math.Log(c.exp/(a+c.exp))
}

// nbLogLik is the log marginal likelihood of the cells for a prior weight
// k: each cell's events are negative binomial with mean exp and shape
// 1/(1/k + v).
func nbLogLik(cells []nbCell, k float64) float64 {
	s := 0.0
	for _, c := range cells {
		s += c.logLik(1 / (1/k + c.v))
	}
	return s
}

// mixtureGrid returns a grid of prior weights k = 1/phi^2 (log-spaced
// from MinStrength to MaxStrength) and of pi (piGrid), with the posterior
// weight of each pair: the cells' likelihood under the two-kind prior
// times the half-Cauchy prior on phi (times |dphi/dlog k|, the grid being
// uniform in log k).
func mixtureGrid(cells []nbCell) (ks, pis []float64, ws [][]float64) {
	const steps = 60
	lo, hi := math.Log(MinStrength), math.Log(MaxStrength)
	far := make([]float64, len(cells))
	for i, c := range cells {
		c.v = 0
		far[i] = c.logLik(farShape)
	}
	pis = piGrid
	ll := make([][]float64, steps+1)
	best := math.Inf(-1)
	for g := range ll {
		k := math.Exp(lo + (hi-lo)*float64(g)/steps)
		phi := 1 / math.Sqrt(k)
		ks = append(ks, k)
		near := make([]float64, len(cells))
		for i, c := range cells {
			near[i] = c.logLik(1 / (1/k + c.v))
		}
		prior := -math.Log1p((phi/PhiScale)*(phi/PhiScale)) + math.Log(phi)
		ll[g] = make([]float64, len(pis))
		for h, pi := range pis {
			s := prior
			for i := range cells {
				a, b := math.Log1p(-pi)+near[i], math.Inf(-1)
				if pi > 0 {
					b = math.Log(pi) + far[i]
				}
				m := math.Max(a, b)
				s += m + math.Log(math.Exp(a-m)+math.Exp(b-m))
			}
			ll[g][h] = s
			best = math.Max(best, s)
		}
	}
	total := 0.0
	ws = make([][]float64, len(ks))
	for g := range ll {
		ws[g] = make([]float64, len(pis))
		for h := range pis {
			ws[g][h] = math.Exp(ll[g][h] - best)
			total += ws[g][h]
		}
	}
	for g := range ws {
		for h := range ws[g] {
			ws[g][h] /= total
		}
	}
	return ks, pis, ws
}

// strength estimates a prior weight k by maximum marginal likelihood
// (nbLogLik), searching log k over [MinStrength, MaxStrength] on a grid
// and refining the best point by golden section; atBound says the best
// is the upper end (no variation beyond chance).
func strength(cells []nbCell) (k float64, atBound bool) {
	if len(cells) == 0 {
		return MaxStrength, true
	}
	ll := func(logk float64) float64 { return nbLogLik(cells, math.Exp(logk)) }
	lo, hi := math.Log(MinStrength), math.Log(MaxStrength)
	const steps = 60
	best, bestLL := lo, math.Inf(-1)
	for i := 0; i <= steps; i++ {
		x := lo + (hi-lo)*float64(i)/steps
		if l := ll(x); l > bestLL {
			best, bestLL = x, l
		}
	}
	if best >= hi {
		return MaxStrength, true
	}
	step := (hi - lo) / steps
	a, b := math.Max(lo, best-step), math.Min(hi, best+step)
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := ll(c), ll(d)
	for b-a > 1e-6 {
		if fc > fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = ll(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = ll(d)
		}
	}
	return math.Exp((a + b) / 2), false
}

// trigamma returns the second derivative of log Gamma at x > 0: the
// variance of the log of a gamma variable of shape x.
func trigamma(x float64) float64 {
	s := 0.0
	for x < 6 {
		s += 1 / (x * x)
		x++
	}
	x2 := 1 / (x * x)
	return s + 1/x + x2/2 + (1/x)*x2*(1.0/6-x2*(1.0/30-x2*(1.0/42-x2/30)))
}
