package sensitivity

import (
	"context"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"text/tabwriter"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// Bar is one parameter of a tornado: the metric's mean with the parameter
// at its low and at its high value, every other parameter at its mean but
// those correlated with it, which move with it to their conditional
// medians (BarValues).
type Bar struct {
	Parameter     string  // the parameter's scenario path
	Low, High     float64 // the values tried, in scenario (file) units
	AtLow, AtHigh float64 // the metric's mean at Low and at High
	Swing         float64 // |AtHigh - AtLow|; NaN if either is undefined
}

// Tornado is the result of a one-way sensitivity analysis.
type Tornado struct {
	Metric Metric
	// Base is the metric's mean with every parameter at its mean.
	Base float64
	// Bars are sorted by swing, largest first (undefined swings last;
	// ties keep the scenario's order).
	Bars []Bar
	// Runs is the number of simulation runs made; runs whose model did
	// not differ from one already simulated were not repeated.
	Runs int
}

// Bounds returns the low and high values of a parameter for a tornado:
// the explicit low and high given in the scenario (a *scenario.Dist with
// Low or High set), or else the distribution's 2.5th and 97.5th
// percentiles.
func Bounds(p sim.Param) (lo, hi float64) {
	lo, hi = p.Dist.Quantile(0.025), p.Dist.Quantile(0.975)
	if d, ok := p.Dist.(*scenario.Dist); ok {
		if !math.IsNaN(d.Low) {
			lo = d.Low
		}
		if !math.IsNaN(d.High) {
			hi = d.High
		}
	}
	return lo, hi
}

// TornadoRuns is the number of simulation runs a tornado over params makes
// at most: one at the means and two per parameter. Progress counts
// Iterations per run.
func TornadoRuns(params []sim.Param) int { return 1 + 2*len(params) }

// RunTornado runs a one-way sensitivity analysis of metric on model m
// (which holds every parameter at its mean, as scenario.Build returns
// it): for each parameter in params, the model with that parameter at its
// low and then its high value (see Bounds), simulated with opt's seed, so
// that every run shares its random numbers. The metric's arm must be
// resolved (see Metric.Resolve).
//
// Only the arms the metric needs are simulated, and an arm whose inputs a
// parameter does not change (a support package's cost, say, for the
// baseline arm) is taken from the run at the means instead of being
// simulated again: the engine gives it exactly the same results.
func RunTornado(ctx context.Context, m *sim.Model, params []sim.Param, metric Metric, opt sim.Options) (*Tornado, error) {
	if len(params) == 0 {
		return nil, inputf("scenario %q gives no parameter as a distribution, so a tornado has nothing to vary: give the uncertain figures as distributions, e.g. --set 'package.NAME.post.hr_reentry=lognormal(mean=0.7, sd=0.1)'", m.Name)
	}
	// Compare clones with a clone: Clone may turn empty slices to nil.
	base := keepArms(m, needArms(m, metric)...).Clone()
	ev := &reuser{opt: opt, base: base}
	baseRes, err := ev.results(ctx, base)
	if err != nil {
		return nil, err
	}
	ev.baseRes = baseRes
	t := &Tornado{Metric: metric}
	if t.Base, err = meanOf(baseRes, metric); err != nil {
		return nil, err
	}
	corr := correlation(params)
	for i, p := range params {
		b := Bar{Parameter: p.Path}
		b.Low, b.High = Bounds(p)
		for k, v := range []float64{b.Low, b.High} {
			mm := base.Clone()
			// The parameters correlated with p move with it (see
			// tornadolink.go), then p itself.
			vals := barValues(params, corr, i, k == 1)
			for _, q := range params {
				if x, ok := vals[q.Path]; ok && q.Path != p.Path {
					q.Set(mm, x)
				}
			}
			p.Set(mm, v)
			if err := mm.Validate(); err != nil {
				return nil, inputf("parameter %s at %v (its %s value) gives an invalid model: %v; give it explicit low and high values, e.g. \"gamma(mean=..., sd=..., low=..., high=...)\"", p.Path, v, []string{"low", "high"}[k], err)
			}
			res, err := ev.results(ctx, mm)
			if err != nil {
				return nil, err
			}
			x, err := meanOf(res, metric)
			if err != nil {
				return nil, err
			}
			if k == 0 {
				b.AtLow = x
			} else {
				b.AtHigh = x
			}
		}
		b.Swing = math.Abs(b.AtHigh - b.AtLow)
		t.Bars = append(t.Bars, b)
	}
	slices.SortStableFunc(t.Bars, func(x, y Bar) int {
		switch nx, ny := math.IsNaN(x.Swing), math.IsNaN(y.Swing); {
		case nx && ny:
			return 0
		case nx:
			return 1
		case ny:
			return -1
		}
		switch {
		case x.Swing > y.Swing:
			return -1
		case x.Swing < y.Swing:
			return 1
		}
		return 0
	})
	t.Runs = ev.runs
	return t, nil
}

func meanOf(res *sim.Results, m Metric) (float64, error) {
	s, err := Evaluate(res, m)
	return s.Mean, err
}

// reuser simulates models arm by arm, reusing the results at the base
// model for every arm whose inputs did not change.
type reuser struct {
	opt     sim.Options
	base    *sim.Model
	baseRes *sim.Results
	runs    int
}

// results returns the results of m (whose arms are the base model's).
func (r *reuser) results(ctx context.Context, m *sim.Model) (*sim.Results, error) {
	if r.baseRes == nil {
		r.runs++
		return run(ctx, m, nil, r.opt)
	}
	var changed []string
	for a := range m.Arms {
		if !reflect.DeepEqual(armView(m, a), armView(r.base, a)) {
			changed = append(changed, m.Arms[a].Name)
		}
	}
	out := *r.baseRes
	out.Outcomes = slices.Clone(r.baseRes.Outcomes)
	if len(changed) == 0 {
		if r.opt.Progress != nil {
			r.opt.Progress.Add(int64(r.opt.Iterations))
		}
		return &out, nil
	}
	r.runs++
	res, err := run(ctx, keepArms(m, changed...), nil, r.opt)
	if err != nil {
		return nil, err
	}
	for i, name := range res.Arms {
		out.Outcomes[slices.Index(out.Arms, name)] = res.Outcomes[i]
	}
	return &out, nil
}

// armView is what the simulation of arm a of m depends on: the model with
// only that arm, and only the packages the arm switches on.
func armView(m *sim.Model, a int) *sim.Model {
	c := *m
	c.Arms = []sim.Arm{m.Arms[a]}
	c.Packages = make([]sim.Package, len(m.Packages))
	for _, k := range m.Arms[a].Packages {
		c.Packages[k] = m.Packages[k]
	}
	return &c
}

// Settings are what the tornado's manifest records of how it was made:
// its metric, arm and number of parameters.
func (t *Tornado) Settings() map[string]any {
	return map[string]any{"metric": t.Metric.Name, "arm": t.Metric.Arm, "parameters": len(t.Bars)}
}

// WriteCSV writes tornado.csv (resultdir.WriteTornado): parameter,
// low_value, high_value, metric_at_low, metric_at_high, swing, then
// metric, arm and base (the metric's mean with every parameter at its
// mean, where the report starts every bar); one row per bar, largest
// swing first.
func (t *Tornado) WriteCSV(w io.Writer) error {
	rows := make([]resultdir.TornadoRow, len(t.Bars))
	for i, b := range t.Bars {
		rows[i] = resultdir.TornadoRow{Parameter: b.Parameter, LowValue: b.Low, HighValue: b.High,
			MetricAtLow: b.AtLow, MetricAtHigh: b.AtHigh, Swing: b.Swing,
			Metric: t.Metric.Name, Arm: t.Metric.Arm, Base: t.Base}
	}
	return resultdir.WriteTornado(w, rows)
}

// WriteTable prints the top bars (all if top < 1) for a person at a
// terminal.
func (t *Tornado) WriteTable(w io.Writer, top int) error {
	tw := newTable(w)
	fmt.Fprintf(tw, "%s of %s: %s with every parameter at its mean\n", t.Metric.Name, t.Metric.Arm, short(t.Base))
	fmt.Fprintln(tw, "parameter\tlow\thigh\tat low\tat high\tswing")
	bars := t.Bars
	if top > 0 && len(bars) > top {
		bars = bars[:top]
	}
	for _, b := range bars {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Parameter, short(b.Low), short(b.High), short(b.AtLow), short(b.AtHigh), short(b.Swing))
	}
	if n := len(t.Bars) - len(bars); n > 0 {
		fmt.Fprintf(tw, "(%d more in %s)\n", n, resultdir.TornadoFile)
	}
	return tw.Flush()
}

func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }
