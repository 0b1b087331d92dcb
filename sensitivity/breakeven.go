package sensitivity

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Defaults of a break-even search.
const (
	DefaultRelTol   = 1e-3 // stop when the interval is this share of the bracket
	DefaultMaxSteps = 40   // bisection steps per root at most
)

// BreakevenRuns returns the most simulation runs a break-even search with
// cfg makes when its bracket need not be widened: the two ends, the
// bisection steps of each of its three roots (mean, 2.5th and 97.5th
// percentiles) down to RelTol of the bracket, and the run at the value
// found. Runs at values already tried are reused, so there are usually
// fewer.
func BreakevenRuns(cfg BreakevenConfig) int {
	relTol, maxSteps := cfg.RelTol, cfg.MaxSteps
	if relTol <= 0 {
		relTol = DefaultRelTol
	}
	if maxSteps <= 0 {
		maxSteps = DefaultMaxSteps
	}
	steps := min(maxSteps, int(math.Ceil(math.Log2(1/relTol))))
	return 2 + 3*steps + 1
}

// BreakevenConfig says what to search for.
type BreakevenConfig struct {
	Path   string  // the parameter's scenario path, as --set takes it
	Metric Metric  // the metric; its arm is resolved against the model
	Target float64 // the value the metric must reach
	// Lo and Hi bracket the search; NaN for the default (see
	// DefaultBracket). A default end at which the scenario is invalid
	// (a proportion above 1, say) is moved halfway towards the current
	// value until it is valid.
	Lo, Hi float64
	// Current is the parameter's value in the scenario, for the default
	// bracket (scenario.Scenario.Lookup gives it).
	Current scenario.Value
	// RelTol and MaxSteps bound the bisection; zero for the defaults.
	RelTol   float64
	MaxSteps int
	// Prob, if above 0, asks also where the share of iterations in which
	// the metric is above zero (its ProbPositive) reaches Prob: with
	// net_saving and 0.9, the value at which the policy saves money with
	// 90% probability. It needs Target 0.
	Prob float64
}

// Breakeven is the result of a break-even analysis.
type Breakeven struct {
	Path   string
	Metric Metric
	Target float64
	Lo, Hi float64 // the bracket searched
	// Value is where the metric's mean reaches the target. ValueP2_5 and
	// ValueP97_5 are where its 2.5th and 97.5th percentiles across
	// iterations reach it; NaN if they do not within the bracket.
	Value, ValueP2_5, ValueP97_5 float64
	// ValueProb is where the share of iterations with the metric above
	// zero reaches Prob (NaN if not asked for, or not within the
	// bracket); Current is the parameter's mean in the scenario.
	Prob, ValueProb, Current float64
	// Evaluations is the number of simulation runs made.
	Evaluations int
	// At Value: the metric's mean, and the policy arm's mean re-entries
	// averted and extra returns home against the baseline (NaN for the
	// baseline arm).
	MeanAtValue, ReentriesAverted, DiffReturnsHome float64
}

// Settings are what the search's manifest records of how it was made:
// its parameter, metric, arm, target and bracket (null for an end that
// is not a finite number).
func (b *Breakeven) Settings() map[string]any {
	finite := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil // JSON holds no NaN or infinity
		}
		return v
	}
	return map[string]any{"param": b.Path, "metric": b.Metric.Name, "arm": b.Metric.Arm, "target": b.Target, "lo": finite(b.Lo), "hi": finite(b.Hi)}
}

// evaluation is what one run tells the search.
type evaluation struct {
	s                Summary
	averted, returns float64
}

type searcher struct {
	ctx    context.Context
	build  BuildFunc
	cfg    BreakevenConfig
	opt    sim.Options
	cache  map[float64]evaluation
	runs   int
	metric Metric
}

// eval simulates the scenario with the parameter at v (once per v).
func (s *searcher) eval(v float64) (evaluation, error) {
	if e, ok := s.cache[v]; ok {
		return e, nil
	}
	m, params, err := s.build([]string{s.cfg.Path + "=" + strconv.FormatFloat(v, 'g', -1, 64)})
	if err != nil {
		return evaluation{}, err
	}
	if s.metric.Name == "" {
		if s.metric, err = s.cfg.Metric.Resolve(m); err != nil {
			return evaluation{}, err
		}
	}
	if IsComparison(s.metric.Name) {
		m = keepArms(m, m.Arms[0].Name, s.metric.Arm)
	}
	s.runs++
	res, err := run(s.ctx, m, params, s.opt)
	if err != nil {
		return evaluation{}, err
	}
	cmp, err := compare(res)
	if err != nil {
		return evaluation{}, err
	}
	e := evaluation{averted: math.NaN(), returns: math.NaN()}
	if e.s, err = evaluate(res, cmp, s.metric); err != nil {
		return evaluation{}, err
	}
	for _, c := range cmp {
		switch {
		case c.Arm != s.metric.Arm:
		case c.Metric == summary.ReentriesAverted:
			e.averted = c.Mean
		case c.Metric == summary.DiffPrefix+"returns_home":
			e.returns = c.Mean
		}
	}
	s.cache[v] = e
	return e, nil
}

// RunBreakeven finds the value of the parameter cfg.Path at which the mean
// of cfg.Metric reaches cfg.Target, by bisection within the bracket, every
// evaluation a full run with opt's seed (common random numbers, so the
// metric moves smoothly with the parameter). The search stops when the
// interval is within RelTol of the bracket or after MaxSteps steps, and
// the root is interpolated linearly within the last interval. It then
// does the same for the metric's 2.5th and 97.5th percentiles (reusing
// runs already made), and runs once more at the break-even value for the
// re-entries averted and extra returns home there.
//
// If the mean does not straddle the target within the bracket, the error
// is an *InputError that says so.
func RunBreakeven(ctx context.Context, build BuildFunc, cfg BreakevenConfig, opt sim.Options) (*Breakeven, error) {
	if cfg.RelTol <= 0 {
		cfg.RelTol = DefaultRelTol
	}
	if cfg.MaxSteps <= 0 {
		cfg.MaxSteps = DefaultMaxSteps
	}
	if math.IsNaN(cfg.Target) || math.IsInf(cfg.Target, 0) {
		return nil, inputf("--target %v: give a finite number", cfg.Target)
	}
	if cfg.Prob != 0 && (cfg.Target != 0 || !(cfg.Prob > 0 && cfg.Prob < 1)) {
		return nil, inputf("a break-even probability of %v with target %v: the probability is of the metric being above 0, so give a target of 0 and a probability between 0 and 1", cfg.Prob, cfg.Target)
	}
	s := &searcher{ctx: ctx, build: build, cfg: cfg, opt: opt, cache: map[float64]evaluation{}}
	lo, hi, err := s.bracket()
	if err != nil {
		return nil, err
	}
	b := &Breakeven{Path: cfg.Path, Target: cfg.Target, Lo: lo, Hi: hi,
		Prob: cfg.Prob, ValueProb: math.NaN(), Current: cfg.Current.Mean()}
	var ok bool
	b.Value, ok, err = s.root(lo, hi, func(x Summary) float64 { return x.Mean })
	if err != nil {
		return nil, err
	}
	b.Metric = s.metric
	if !ok {
		el, _ := s.eval(lo)
		eh, _ := s.eval(hi)
		return nil, inputf("the mean %s is %s at %s = %s and %s at %s: it does not cross the target %s in between, so there is no break-even value there; widen the bracket with --lo and --hi (or the policy pays off, or fails to, for every value in it)",
			s.metric, short(el.s.Mean), cfg.Path, short(lo), short(eh.s.Mean), short(hi), short(cfg.Target))
	}
	if b.ValueP2_5, ok, err = s.root(lo, hi, func(x Summary) float64 { return x.P2_5 }); err != nil {
		return nil, err
	} else if !ok {
		b.ValueP2_5 = math.NaN()
	}
	if b.ValueP97_5, ok, err = s.root(lo, hi, func(x Summary) float64 { return x.P97_5 }); err != nil {
		return nil, err
	} else if !ok {
		b.ValueP97_5 = math.NaN()
	}
	if cfg.Prob > 0 {
		if b.ValueProb, ok, err = s.root(lo, hi, func(x Summary) float64 { return x.ProbPositive - cfg.Prob }); err != nil {
			return nil, err
		} else if !ok {
			b.ValueProb = math.NaN()
		}
	}
	e, err := s.eval(b.Value)
	if err != nil {
		return nil, err
	}
	b.MeanAtValue, b.ReentriesAverted, b.DiffReturnsHome = e.s.Mean, e.averted, e.returns
	b.Evaluations = s.runs
	return b, nil
}

// root bisects for get(summary) = target on [lo, hi]; ok is false if the
// ends do not straddle the target.
func (s *searcher) root(lo, hi float64, get func(Summary) float64) (float64, bool, error) {
	f := func(v float64) (float64, error) {
		e, err := s.eval(v)
		return get(e.s) - s.cfg.Target, err
	}
	a, c := lo, hi
	fa, err := f(a)
	if err != nil {
		return 0, false, err
	}
	fc, err := f(c)
	if err != nil {
		return 0, false, err
	}
	switch {
	case math.IsNaN(fa) || math.IsNaN(fc):
		return math.NaN(), false, nil
	case fa == 0:
		return a, true, nil
	case fc == 0:
		return c, true, nil
	case (fa > 0) == (fc > 0):
		return math.NaN(), false, nil
	}
	tol := s.cfg.RelTol * (hi - lo)
	for step := 0; step < s.cfg.MaxSteps && c-a > tol; step++ {
		m := a + (c-a)/2
		fm, err := f(m)
		if err != nil {
			return 0, false, err
		}
		switch {
		case math.IsNaN(fm):
			return math.NaN(), false, nil
		case fm == 0:
			return m, true, nil
		case (fm > 0) == (fa > 0):
			a, fa = m, fm
		default:
			c, fc = m, fm
		}
	}
	return a + (c-a)*fa/(fa-fc), true, nil
}

// bracket returns the search bracket: the configured ends, or defaults
// moved towards the current value until the scenario builds there.
func (s *searcher) bracket() (float64, float64, error) {
	lo, hi := s.cfg.Lo, s.cfg.Hi
	dlo, dhi := DefaultBracket(s.cfg.Current)
	cur := s.cfg.Current.Mean()
	ends := []*float64{&lo, &hi}
	for i, def := range []float64{dlo, dhi} {
		end := ends[i]
		given := !math.IsNaN(*end)
		if !given {
			*end = def
		}
		for k := 0; ; k++ {
			_, _, err := s.build([]string{s.cfg.Path + "=" + strconv.FormatFloat(*end, 'g', -1, 64)})
			if err == nil {
				break
			}
			if _, isProblem := scenario.AsProblems(err); given || !isProblem || k >= 30 {
				return 0, 0, err
			}
			*end = cur + (*end-cur)/2
		}
	}
	if !(lo < hi) {
		return 0, 0, inputf("the bracket [%v, %v] for %s is empty: give --lo below --hi", lo, hi, s.cfg.Path)
	}
	return lo, hi, nil
}

// DefaultBracket is the search bracket used when none is given: for a
// distribution, its support where finite, else its 0.05th and 99.95th
// percentiles; for a plain number x, x/10 to 10x (0 to 1 if x is 0).
func DefaultBracket(v scenario.Value) (lo, hi float64) {
	if d := v.Dist; d != nil {
		lo, hi = d.Support()
		if math.IsInf(lo, 0) || (lo == 0 && d.Kind != "beta") {
			lo = d.Quantile(0.0005)
		}
		if math.IsInf(hi, 0) {
			hi = d.Quantile(0.9995)
		}
		return lo, hi
	}
	x := v.Num
	switch {
	case x > 0:
		return x / 10, x * 10
	case x < 0:
		return x * 10, x / 10
	}
	return 0, 1
}

// Row is the search's row of breakeven.csv.
func (b *Breakeven) Row() resultdir.BreakevenRow {
	return resultdir.BreakevenRow{Param: b.Path, Metric: b.Metric.Name, Arm: b.Metric.Arm, Target: b.Target,
		Value: b.Value, ValueP2_5: b.ValueP2_5, ValueP97_5: b.ValueP97_5, Lo: b.Lo, Hi: b.Hi,
		Evaluations: b.Evaluations, MeanAtValue: b.MeanAtValue, ReentriesAverted: b.ReentriesAverted,
		DiffReturnsHome: b.DiffReturnsHome, Current: b.Current, Prob: b.Prob, ValueProb: b.ValueProb}
}

// WriteCSV writes breakeven.csv (resultdir.WriteBreakeven): param,
// metric, target, value, value_p2_5, value_p97_5, evaluations, then arm,
// lo, hi, mean_at_value, reentries_averted and diff_returns_home (the
// last three at value); with Prob, also current, prob and value_prob.
func (b *Breakeven) WriteCSV(w io.Writer) error {
	return resultdir.WriteBreakeven(w, []resultdir.BreakevenRow{b.Row()})
}

// WriteTable prints the result for a person at a terminal.
func (b *Breakeven) WriteTable(w io.Writer) error {
	tw := newTable(w)
	fmt.Fprintf(tw, "break-even of %s = %s, searching %s from %s to %s (%d runs)\n",
		b.Metric, short(b.Target), b.Path, short(b.Lo), short(b.Hi), b.Evaluations)
	fmt.Fprintf(tw, "  mean reaches the target at\t%s\n", short(b.Value))
	fmt.Fprintf(tw, "  2.5th percentile reaches it at\t%s\n", short(b.ValueP2_5))
	fmt.Fprintf(tw, "  97.5th percentile reaches it at\t%s\n", short(b.ValueP97_5))
	if b.Prob > 0 {
		fmt.Fprintf(tw, "  above 0 in %s of iterations at\t%s\n", short(100*b.Prob)+"%", short(b.ValueProb))
	}
	fmt.Fprintf(tw, "at %s = %s:\t\n", b.Path, short(b.Value))
	fmt.Fprintf(tw, "  mean %s\t%s\n", b.Metric.Name, short(b.MeanAtValue))
	fmt.Fprintf(tw, "  re-entries averted\t%s\n", short(b.ReentriesAverted))
	fmt.Fprintf(tw, "  extra returns home\t%s\n", short(b.DiffReturnsHome))
	return tw.Flush()
}
