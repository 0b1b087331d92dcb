package calibrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// Target is an aggregate figure the baseline arm should reproduce: the
// mean over iterations of a per-iteration metric (see docs/outputs.md).
type Target struct {
	Metric string
	Value  float64
}

// ParseTarget reads "metric=value", e.g. "reentry_rate_12m=0.18".
func ParseTarget(s string) (Target, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if !ok || k == "" || err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return Target{}, &InputError{fmt.Errorf("target %q: want metric=number, e.g. reentry_rate_12m=0.18", s)}
	}
	return Target{k, x}, nil
}

// ParseTargets reads every target, "metric=value", as ParseTarget.
func ParseTargets(args []string) ([]Target, error) {
	var ts []Target
	for _, a := range args {
		t, err := ParseTarget(a)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// FitOptions control Fit.
type FitOptions struct {
	// Options are every evaluation's simulation: its iterations (default
	// 200), seed (the same at every evaluation: common random numbers),
	// workers and progress. Fit sets the drawn parameters itself.
	sim.Options
	Sets     []string // overrides applied before the fitted parameters
	MaxEvals int      // cap on scenario evaluations (default 60)
	// Tolerance is how close, in Monte Carlo standard errors, every
	// target must come (default 2).
	Tolerance float64
}

// FitResult is the outcome of Fit.
type FitResult struct {
	Params   []string  // the fitted parameter paths
	Start    []float64 // their values before fitting
	Values   []float64 // their fitted values
	Targets  []Target
	Achieved []float64 // the simulated mean of each target metric at Values
	MCSE     []float64 // its Monte Carlo standard error
	Evals    int
	Method   string // "bisection", "nelder-mead", or none when the start already meets the targets
	// Converged is set when every target is within Tolerance standard
	// errors; otherwise the best point found is returned.
	Converged bool
}

// WriteTable prints the fit for a person: how it was found (with opt's
// iterations and seed), each parameter's fitted and earlier value, and
// each target with the simulated mean and its Monte Carlo standard
// error.
func (r *FitResult) WriteTable(w io.Writer, opt FitOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s after %d evaluations of %d iterations (seed %d):\n", r.Method, r.Evals, opt.Iterations, opt.Seed)
	for i, p := range r.Params {
		fmt.Fprintf(&b, "  %s = %s (was %s)\n", p, plain(r.Values[i], 6), plain(r.Start[i], 6))
	}
	for k, t := range r.Targets {
		fmt.Fprintf(&b, "  %s: target %s, simulated %s (Monte Carlo SE %s)\n", t.Metric, plain(t.Value, 17), plain(r.Achieved[k], 4), plain(r.MCSE[k], 2))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// plain formats a figure of the fit for a person: digits significant
// digits, never in exponent notation (targets and fits may be money).
func plain(x float64, digits int) string { return resultdir.FormatSignificant(x, digits) }

// Sets returns the fitted values as --set overrides, "path=value".
func (r *FitResult) Sets() []string {
	out := make([]string, len(r.Params))
	for i, p := range r.Params {
		out[i] = p + "=" + strconv.FormatFloat(r.Values[i], 'g', 8, 64)
	}
	return out
}

// errInvalid marks parameter values that make the scenario invalid.
var errInvalid = errors.New("invalid")

type fitter struct {
	ctx     context.Context
	name    string
	data    []byte
	targets []Target
	params  []string
	opt     FitOptions
	evals   int
	best    struct {
		x, mean, se []float64
		score       float64
	}
}

func (f *fitter) eval(x []float64) (mean, se []float64, err error) {
	if f.evals >= f.opt.MaxEvals {
		return nil, nil, errCap
	}
	sets := slices.Clone(f.opt.Sets)
	for i, p := range f.params {
		sets = append(sets, p+"="+strconv.FormatFloat(x[i], 'g', 17, 64))
	}
	sc, err := scenario.LoadBytes(f.name, f.data, sets)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errInvalid, err)
	}
	m, ps, err := sc.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errInvalid, err)
	}
	f.evals++
	m.Arms = m.Arms[:1]
	o := f.opt.Options
	o.Params, o.Shards, o.Events = ps, 0, nil
	res, err := sim.Run(f.ctx, m, o)
	if err != nil {
		return nil, nil, err
	}
	mean, se = make([]float64, len(f.targets)), make([]float64, len(f.targets))
	for k, t := range f.targets {
		col := res.Column(0, t.Metric)
		mean[k], se[k] = meanSE(col)
		if math.IsNaN(mean[k]) {
			return nil, nil, fmt.Errorf("metric %s is NA in every iteration: the scenario has no returns (or a horizon too short) for it", t.Metric)
		}
	}
	if s := f.score(mean, se); f.best.x == nil || s < f.best.score {
		f.best.x, f.best.mean, f.best.se, f.best.score = slices.Clone(x), mean, se, s
	}
	return mean, se, nil
}

var errCap = errors.New("evaluation cap reached")

// meanSE returns the mean and its standard error over the values that are
// not NaN.
func meanSE(xs []float64) (float64, float64) {
	n, s, ss := 0.0, 0.0, 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			n++
			s += x
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	m := s / n
	for _, x := range xs {
		if !math.IsNaN(x) {
			ss += (x - m) * (x - m)
		}
	}
	if n < 2 {
		return m, 0
	}
	return m, math.Sqrt(ss / (n - 1) / n)
}

// z is the standardised error of target k.
func (f *fitter) z(k int, mean, se []float64) float64 {
	s := math.Max(se[k], 1e-9*math.Max(1, math.Abs(f.targets[k].Value)))
	return (mean[k] - f.targets[k].Value) / s
}

func (f *fitter) score(mean, se []float64) float64 {
	s := 0.0
	for k := range f.targets {
		z := f.z(k, mean, se)
		s += z * z
	}
	return s
}

func (f *fitter) done(mean, se []float64) bool {
	for k := range f.targets {
		if math.Abs(f.z(k, mean, se)) > f.opt.Tolerance {
			return false
		}
	}
	return true
}

// Fit adjusts the parameters at the key paths params of the scenario
// (name and data, as for scenario.LoadBytes) so that the baseline arm's
// simulated means of the target metrics come within opt.Tolerance Monte
// Carlo standard errors of the targets. Every evaluation uses the same
// seed (common random numbers), so the simulated metrics move smoothly
// with the parameters. With as many parameters as targets, parameter i is
// matched to target i by bisection, cycling over the pairs; otherwise a
// Nelder-Mead search minimises the sum of squared standardised errors.
// The best point found is returned, with Converged false if it does not
// meet the tolerance within opt.MaxEvals evaluations.
func Fit(ctx context.Context, name string, data []byte, targets []Target, params []string, opt FitOptions) (*FitResult, error) {
	res, err := fit(ctx, name, data, targets, params, opt)
	return res, input(err)
}

func fit(ctx context.Context, name string, data []byte, targets []Target, params []string, opt FitOptions) (*FitResult, error) {
	if len(targets) == 0 || len(params) == 0 {
		return nil, errors.New("need at least one --target and one --param")
	}
	if opt.Iterations < 1 {
		opt.Iterations = 200
	}
	if opt.MaxEvals < 1 {
		opt.MaxEvals = 60
	}
	if opt.Tolerance <= 0 {
		opt.Tolerance = 2
	}
	sc, err := scenario.LoadBytes(name, data, opt.Sets)
	if err != nil {
		return nil, err
	}
	m, _, err := sc.Build()
	if err != nil {
		return nil, err
	}
	known := sim.MetricNames(m)
	for _, t := range targets {
		if !slices.Contains(known, t.Metric) {
			return nil, fmt.Errorf("target %s: no such metric (metrics: %s)", t.Metric, strings.Join(known, ", "))
		}
	}
	x0 := make([]float64, len(params))
	for i, p := range params {
		v, err := sc.Lookup(p)
		if err != nil {
			return nil, fmt.Errorf("--param %w", err)
		}
		x0[i] = v.Mean()
	}
	f := &fitter{ctx: ctx, name: name, data: data, targets: targets, params: params, opt: opt}
	mean, se, err := f.eval(x0)
	if err != nil {
		return nil, err
	}
	res := &FitResult{Params: params, Start: x0, Targets: targets, Method: "none (the start already meets the targets)"}
	if !f.done(mean, se) {
		if len(params) == len(targets) {
			res.Method = "bisection"
			err = f.bisection(x0)
		} else {
			res.Method = "nelder-mead"
			err = f.nelderMead(x0)
		}
		if err != nil && !errors.Is(err, errCap) {
			return nil, err
		}
	}
	res.Values, res.Achieved, res.MCSE, res.Evals = f.best.x, f.best.mean, f.best.se, f.evals
	res.Converged = f.done(f.best.mean, f.best.se)
	return res, nil
}

// bisection solves target i with parameter i in turn until all are met.
func (f *fitter) bisection(x0 []float64) error {
	x := slices.Clone(x0)
	for round := 0; round < 6; round++ {
		for i := range f.params {
			if err := f.solve1(x, i); err != nil {
				return err
			}
			if f.done(f.best.mean, f.best.se) {
				return nil
			}
		}
		copy(x, f.best.x)
	}
	return nil
}

// solve1 moves x[i] until target i is met, keeping the other values.
func (f *fitter) solve1(x []float64, i int) error {
	g := func(v float64) (float64, bool, error) {
		y := slices.Clone(x)
		y[i] = v
		mean, se, err := f.eval(y)
		if errors.Is(err, errInvalid) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, err
		}
		return f.z(i, mean, se), true, nil
	}
	a := x[i]
	za, ok, err := g(a)
	if err != nil || !ok {
		return err
	}
	if math.Abs(za) <= f.opt.Tolerance {
		return nil
	}
	// Bracket the root: step away from a, growing, in the direction that
	// reduces the error; invalid values (out of the schema's range) halve
	// the step.
	step := 0.2 * math.Abs(a)
	if step == 0 {
		step = 0.05
	}
	dir := 1.0
	b := a
	for tries := 0; ; tries++ {
		if tries > 30 {
			return nil
		}
		c := a + dir*step
		zc, ok, err := g(c)
		if err != nil {
			return err
		}
		if !ok {
			step /= 2
			continue
		}
		if math.Signbit(zc) != math.Signbit(za) {
			b = c
			break
		}
		if math.Abs(zc) >= math.Abs(za) && tries == 0 {
			dir = -dir // wrong way
			continue
		}
		a, za = c, zc
		step *= 2
	}
	x[i] = a
	for range 40 {
		c := (a + b) / 2
		zc, ok, err := g(c)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if math.Abs(zc) <= f.opt.Tolerance || math.Abs(b-a) < 1e-9*math.Max(1, math.Abs(c)) {
			x[i] = c
			return nil
		}
		if math.Signbit(zc) == math.Signbit(za) {
			a, za = c, zc
		} else {
			b = c
		}
	}
	return nil
}

// nelderMead minimises the sum of squared standardised errors.
func (f *fitter) nelderMead(x0 []float64) error {
	n := len(x0)
	obj := func(x []float64) (float64, error) {
		mean, se, err := f.eval(x)
		if errors.Is(err, errInvalid) {
			return math.Inf(1), nil
		}
		if err != nil {
			return 0, err
		}
		return f.score(mean, se), nil
	}
	pts := make([][]float64, n+1)
	vals := make([]float64, n+1)
	for i := range pts {
		pts[i] = slices.Clone(x0)
		if i > 0 {
			d := 0.1 * math.Abs(x0[i-1])
			if d == 0 {
				d = 0.05
			}
			pts[i][i-1] += d
		}
		v, err := obj(pts[i])
		if err != nil {
			return err
		}
		vals[i] = v
	}
	for f.evals < f.opt.MaxEvals && !f.done(f.best.mean, f.best.se) {
		// Order the simplex, best first.
		idx := make([]int, n+1)
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(vals[a], vals[b]) })
		p2, v2 := make([][]float64, n+1), make([]float64, n+1)
		for k, i := range idx {
			p2[k], v2[k] = pts[i], vals[i]
		}
		pts, vals = p2, v2
		cen := make([]float64, n)
		for _, p := range pts[:n] {
			for j := range cen {
				cen[j] += p[j] / float64(n)
			}
		}
		at := func(t float64) []float64 {
			y := make([]float64, n)
			for j := range y {
				y[j] = cen[j] + t*(pts[n][j]-cen[j])
			}
			return y
		}
		xr := at(-1)
		vr, err := obj(xr)
		if err != nil {
			return err
		}
		switch {
		case vr < vals[0]:
			xe := at(-2)
			ve, err := obj(xe)
			if err != nil {
				return err
			}
			if ve < vr {
				pts[n], vals[n] = xe, ve
			} else {
				pts[n], vals[n] = xr, vr
			}
		case vr < vals[n-1]:
			pts[n], vals[n] = xr, vr
		default:
			xc := at(0.5)
			if vr < vals[n] {
				xc = at(-0.5)
			}
			vc, err := obj(xc)
			if err != nil {
				return err
			}
			if vc < math.Min(vr, vals[n]) {
				pts[n], vals[n] = xc, vc
				continue
			}
			for i := 1; i <= n; i++ { // shrink towards the best
				for j := range pts[i] {
					pts[i][j] = pts[0][j] + 0.5*(pts[i][j]-pts[0][j])
				}
				if vals[i], err = obj(pts[i]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// WriteFitted writes the fitted scenario: the resolved scenario (defaults
// filled in, the fitted values in place) after comments saying what was
// fitted, to which targets, and how close the simulation came.
func WriteFitted(w io.Writer, name string, data []byte, r *FitResult, opt FitOptions) error {
	sc, err := scenario.LoadBytes(name, data, append(slices.Clone(opt.Sets), r.Sets()...))
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s (%s, %d evaluations of %d iterations, seed %d).\n", FittedMark, name, r.Method, r.Evals, opt.Iterations, opt.Seed)
	for i, p := range r.Params {
		fmt.Fprintf(&b, "#   %s: %s -> %s\n", p, num(r.Start[i]), strconv.FormatFloat(r.Values[i], 'g', 8, 64))
	}
	for k, t := range r.Targets {
		fmt.Fprintf(&b, "#   target %s = %s: simulated %s (Monte Carlo SE %s)\n", t.Metric, plain(t.Value, 17), plain(r.Achieved[k], 4), plain(r.MCSE[k], 2))
	}
	if !r.Converged {
		fmt.Fprintf(&b, "# NOT CONVERGED: some targets are more than %g standard errors away; see above.\n", opt.Tolerance)
	}
	for _, s := range opt.Sets {
		fmt.Fprintf(&b, "#   with --set %s\n", s)
	}
	b.WriteString("# This is the resolved scenario: defaults are filled in and the comments\n# of the original file are not kept.\n\n")
	b.Write(sc.Resolved())
	_, err = io.WriteString(w, b.String())
	return err
}
