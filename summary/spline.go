package summary

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// splineBasis is the most cubic B-spline basis functions a one-parameter
// smoother uses (mgcv's default for a one-dimensional smooth is 10). The
// penalty, not the basis size, sets how wiggly the fit is; the basis
// only has to be rich enough, and 12 follows a kink or a quadratic to
// well within the Monte Carlo error of a PSA.
const splineBasis = 12

// errConstant reports a parameter that takes one value only.
var errConstant = errors.New("summary: parameter is constant")

// spline is a penalised cubic regression spline in one variable, set up
// once for its x values so that fitting a response costs O(n) plus
// O(k^2) per smoothing parameter tried.
//
// The basis is k cubic B-splines on [min x, max x] with k-4 interior knots
// at quantiles of the distinct x values (as mgcv's "cr" smooth places
// them); the penalty is the integral of the squared second derivative,
// computed exactly, so constants and straight lines are not penalised.
// For a smoothing parameter lambda the coefficients minimise
// |y - X b|^2 + lambda b'Sb. With B = X'X + delta I = R'R (delta a tiny
// ridge that keeps a basis function with no data from making B
// singular) and R^-T S R^-1 = U D U', W = R^-1 U turns every lambda into
// a diagonal problem: b = W diag(1/(1+lambda D)) W'X'y.
type spline struct {
	n, k  int
	knots []float64    // on [0, 1]: 4 zeros, the interior knots, 4 ones
	first []int        // index of the first of the 4 basis functions nonzero at x[i]
	vals  []float64    // their values, 4 per x
	w     []float64    // W, k x k, row-major
	d     []float64    // eigenvalues of R^-T S R^-1, >= 0
	c     []float64    // W'X'XW, k x k, row-major (the identity but for delta)
	cdiag []float64    // diagonal of c
	tmp   [3][]float64 // k-vectors reused by fit
}

// newSpline sets up the smoother for x. It returns errConstant if x takes
// a single value. The basis shrinks to the number of distinct values and
// to half the number of observations, but never below 4 (a cubic, which
// the penalty can shrink to a straight line).
func newSpline(x []float64, maxK int, shrink bool) (*spline, error) {
	n := len(x)
	lo, hi := slices.Min(x), slices.Max(x)
	if hi == lo {
		return nil, errConstant
	}
	width := hi - lo
	if !finite(width) {
		return nil, fmt.Errorf("%w: parameter range %v to %v is too wide", ErrNotFinite, lo, hi)
	}
	u := slices.Clone(x)
	slices.Sort(u)
	u = slices.Compact(u)
	k := min(maxK, len(u), max(4, n/2))
	k = max(k, 4)
	m := k - 4 // interior knots
	t := make([]float64, k+4)
	for j := 1; j <= m; j++ {
		t[3+j] = (u[j*(len(u)-1)/(m+1)] - lo) / width
	}
	for j := k; j < k+4; j++ {
		t[j] = 1
	}

	s := &spline{n: n, k: k, knots: t, first: make([]int, n), vals: make([]float64, 4*n)}
	b := mat.NewSymDense(k, nil)
	for i, xi := range x {
		z := (xi - lo) / width
		// The span: t[l] <= z < t[l+1], l in [3, k-1]; z = 1 is in the last.
		l := sort.Search(k-3, func(j int) bool { return t[j+4] > z }) + 3
		l = min(l, k-1)
		v := s.vals[4*i : 4*i+4]
		basisFuns(l, z, t, v)
		s.first[i] = l - 3
		for r := range 4 {
			for q := r; q < 4; q++ {
				b.SetSym(l-3+r, l-3+q, b.At(l-3+r, l-3+q)+v[r]*v[q])
			}
		}
	}
	pen := penalty(t, k)

	var trB, trS float64
	for j := range k {
		trB += b.At(j, j)
		trS += pen.At(j, j)
	}
	m1 := mat.NewSymDense(k, nil)
	m1.CopySym(b)
	delta := 1e-9 * trB / float64(k)
	for j := range k {
		m1.SetSym(j, j, m1.At(j, j)+delta)
	}
	var chol mat.Cholesky
	if !chol.Factorize(m1) {
		return nil, fmt.Errorf("summary: spline: the basis matrix is not positive definite")
	}
	var r, rinv mat.TriDense
	chol.UTo(&r)
	if err := rinv.InverseTri(&r); err != nil {
		return nil, fmt.Errorf("summary: spline: %w", err)
	}
	var p mat.Dense
	p.Mul(rinv.T(), pen)
	p.Mul(&p, &rinv)
	ps := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			ps.SetSym(i, j, (p.At(i, j)+p.At(j, i))/2)
		}
	}
	var es mat.EigenSym
	if !es.Factorize(ps, true) {
		return nil, fmt.Errorf("summary: spline: eigendecomposition failed")
	}
	// Ascending. S has rank k-2: it does not penalise straight lines, so
	// d[0] and d[1] are 0 but for rounding, and are set to 0 exactly.
	s.d = es.Values(nil)
	for j, dj := range s.d {
		s.d[j] = max(dj, 0)
	}
	s.d[0], s.d[1] = 0, 0
	if shrink {
		// As mgcv's "cs" smooth: straight lines get a tenth of the smallest
		// positive eigenvalue, so that a large smoothing parameter can
		// shrink the whole term to nothing. The same for both directions,
		// so that it does not matter which basis of the straight lines the
		// eigendecomposition returns: the constant is shrunk too, which
		// changes nothing, since fit centres the response.
		s.d[0] = 0.1 * s.d[2]
		s.d[1] = s.d[0]
	}
	var ev mat.Dense
	es.VectorsTo(&ev)
	w := mat.NewDense(k, k, nil)
	w.Mul(&rinv, &ev)
	c := mat.NewDense(k, k, nil)
	var bw mat.Dense
	bw.Mul(b, w)
	c.Mul(w.T(), &bw)
	s.w, s.c = make([]float64, k*k), make([]float64, k*k)
	s.cdiag = make([]float64, k)
	for i := range k {
		for j := range k {
			s.w[i*k+j] = w.At(i, j)
			s.c[i*k+j] = c.At(i, j)
		}
		s.cdiag[i] = c.At(i, i)
	}
	for j := range s.tmp {
		s.tmp[j] = make([]float64, k)
	}
	return s, nil
}

// basisFuns writes the 4 cubic B-splines nonzero on span l at z into v
// (the Cox-de Boor recursion, Piegl and Tiller's algorithm A2.2).
func basisFuns(l int, z float64, t []float64, v []float64) {
	var left, right [4]float64
	v[0] = 1
	for j := 1; j <= 3; j++ {
		left[j] = z - t[l+1-j]
		right[j] = t[l+j] - z
		saved := 0.0
		for r := range j {
			tmp := v[r] / (right[r+1] + left[j-r])
			v[r] = saved + right[r+1]*tmp
			saved = left[j-r] * tmp
		}
		v[j] = saved
	}
}

// penalty returns S with b'Sb the integral over [0, 1] of the squared
// second derivative of the spline with coefficients b on knots t. The
// second derivative of a cubic B-spline series is a series of linear
// B-splines (hat functions) whose coefficients are second divided
// differences of b (de Boor, A Practical Guide to Splines, ch. X); the
// integral of a product of hat functions is exact: S = D'GD.
func penalty(t []float64, k int) *mat.Dense {
	d1 := mat.NewDense(k-1, k, nil)
	for i := 1; i < k; i++ {
		a := 3 / (t[i+3] - t[i])
		d1.Set(i-1, i-1, -a)
		d1.Set(i-1, i, a)
	}
	c2 := mat.NewDense(k-2, k-1, nil)
	for i := 2; i < k; i++ {
		b := 2 / (t[i+2] - t[i])
		c2.Set(i-2, i-2, -b)
		c2.Set(i-2, i-1, b)
	}
	var d2 mat.Dense
	d2.Mul(c2, d1)
	// Hat functions peak at t[3], ..., t[k]; h[q] = t[q+4] - t[q+3].
	g := mat.NewDense(k-2, k-2, nil)
	for q := 0; q < k-3; q++ {
		h := t[q+4] - t[q+3]
		g.Set(q, q, g.At(q, q)+h/3)
		g.Set(q+1, q+1, g.At(q+1, q+1)+h/3)
		g.Set(q, q+1, h/6)
		g.Set(q+1, q, h/6)
	}
	var gd, s mat.Dense
	gd.Mul(g, &d2)
	s.Mul(d2.T(), &gd)
	return &s
}

// The smoothing parameter lambda is searched on a grid of log10(lambda)
// in steps of rhoStep from where every direction is unpenalised (lambda
// d_j below 1e-rhoReach for the stiffest direction) to where every
// penalised direction is shrunk to nothing (lambda d_j above 1e+rhoReach
// for the least penalised one: with the shrinkage of newSpline, the
// constant, which is the null model); the best point is refined by
// golden-section search.
const (
	rhoReach, rhoStep = 8.0, 0.5
	goldenSteps       = 40
)

// lambdaRange returns the ends of the grid of log10(lambda).
func (s *spline) lambdaRange() (lo, hi float64) {
	least := s.d[0]
	if least == 0 {
		least = s.d[2]
	}
	return -math.Log10(s.d[s.k-1]) - rhoReach, -math.Log10(least) + rhoReach
}

// fit smooths y into out (both of length n) and returns the effective
// degrees of freedom of the fit, counting the mean as one, and log10(rho)
// of the smoothing parameter used. With math.NaN() for logRho it chooses
// the smoothing parameter by restricted maximum likelihood (REML, as
// mgcv's gam with method = "REML"; Wood 2011), the mean a fixed effect
// and the scale profiled out; otherwise it uses logRho. REML rather than
// generalised cross-validation: with a few tens of observations GCV often
// picks a wiggly fit of pure noise, and a value of information computed
// from such a fit is biased upwards (every fitted gain counts, every
// fitted loss is cut off at 0), while REML's criterion has its minimum at
// the null model far more often when the data carry no signal (Wood 2011,
// Reiss and Ogden 2009). The fitted values have exactly the mean of y.
func (s *spline) fit(y, out []float64, logRho float64) (edf, usedLogRho float64) {
	mean, scale := centre(y)
	if scale == 0 {
		for i := range out {
			out[i] = mean
		}
		return 1, logRho
	}
	k := s.k
	xty, g, w := s.tmp[0], s.tmp[1], s.tmp[2]
	clear(xty)
	var yty float64
	for i, yi := range y {
		yc := (yi - mean) / scale
		yty += yc * yc
		f := s.first[i]
		v := s.vals[4*i : 4*i+4]
		xty[f] += v[0] * yc
		xty[f+1] += v[1] * yc
		xty[f+2] += v[2] * yc
		xty[f+3] += v[3] * yc
	}
	for j := range k {
		var sum float64
		for q := range k {
			sum += s.w[q*k+j] * xty[q]
		}
		g[j] = sum
	}
	n := float64(s.n)
	// eval sets w to the coefficients (in W-coordinates) at log10(rho) =
	// lr and returns the REML criterion and the edf: the trace of the
	// smoother, with the mean, estimated by centring, counted as one (the
	// shrunk straight lines' factor 1/(1+lambda d[0]) counted it as less).
	//
	// In W-coordinates X'X is C, the identity but for the tiny ridge
	// (near 0 in a direction no data inform), and the penalty is
	// diagonal, lambda D, so the criterion to minimise, -2 times the
	// restricted log-likelihood with the scale profiled out, is (n-1)
	// log(RSS + lambda w'Dw) + sum_j [log(c_jj + lambda d_j) - log(lambda
	// d_j)] over the penalised directions but the constant
	// (the mean is a fixed effect; with shrinkage d[0] = d[1] and
	// dropping d[0] drops the constant's direction).
	eval := func(lr float64) (score, tr float64) {
		lam := math.Pow(10, lr)
		tr = 1 - 1/(1+lam*s.d[0])
		var logDet, pen float64
		for j := range k {
			sj := 1 / (1 + lam*s.d[j])
			w[j] = sj * g[j]
			tr += sj * s.cdiag[j]
			pen += lam * s.d[j] * w[j] * w[j]
			if s.d[j] > 0 && !(j == 0 && s.d[0] == s.d[1]) {
				logDet += math.Log1p(max(s.cdiag[j], 0) / (lam * s.d[j]))
			}
		}
		rss := yty
		for j := range k {
			rss -= 2 * w[j] * g[j]
			var cw float64
			for q, cjq := range s.c[j*k : j*k+k] {
				cw += cjq * w[q]
			}
			rss += w[j] * cw
		}
		rss = max(rss, 0)
		if n-tr < 0.5 {
			return math.Inf(1), tr
		}
		return (n-1)*math.Log(rss+pen) + logDet, tr
	}
	if math.IsNaN(logRho) {
		// Scan from smooth to wiggly, so that ties go to the smoother fit.
		rhoLo, rhoHi := s.lambdaRange()
		best, bestScore := rhoHi, math.Inf(1)
		for lr := rhoHi; lr >= rhoLo-1e-9; lr -= rhoStep {
			if sc, _ := eval(lr); sc < bestScore {
				best, bestScore = lr, sc
			}
		}
		a, b := max(best-rhoStep, rhoLo), min(best+rhoStep, rhoHi)
		const phi = 0.6180339887498949
		x1, x2 := b-phi*(b-a), a+phi*(b-a)
		f1, _ := eval(x1)
		f2, _ := eval(x2)
		for range goldenSteps {
			if f1 <= f2 {
				b, x2, f2 = x2, x1, f1
				x1 = b - phi*(b-a)
				f1, _ = eval(x1)
			} else {
				a, x1, f1 = x1, x2, f2
				x2 = a + phi*(b-a)
				f2, _ = eval(x2)
			}
		}
		logRho = best
		if m := min(f1, f2); m < bestScore {
			logRho = x1
			if f2 < f1 {
				logRho = x2
			}
		}
	}
	_, edf = eval(logRho) // leaves the coefficients' W-coordinates in w
	beta := xty           // reuse: b = W w
	for q := range k {
		var sum float64
		for j, wqj := range s.w[q*k : q*k+k] {
			sum += wqj * w[j]
		}
		beta[q] = sum
	}
	var drift float64
	for i := range out {
		f := s.first[i]
		v := s.vals[4*i : 4*i+4]
		out[i] = v[0]*beta[f] + v[1]*beta[f+1] + v[2]*beta[f+2] + v[3]*beta[f+3]
		drift += out[i]
	}
	drift /= n
	for i := range out {
		out[i] = mean + scale*(out[i]-drift)
	}
	return edf, logRho
}
