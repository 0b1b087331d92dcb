package main

import (
	"context"
	"fmt"
	"io"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
)

const tornadoUsage = `reunify tornado [flags] SCENARIO.toml

One-way sensitivity analysis. Each parameter the scenario gives as a
distribution is set to its low and then its high value (the low and high
given in the scenario, else its 2.5th and 97.5th percentiles) with every
other parameter at its mean; every run uses the same seed (common random
numbers). Writes tornado.csv (parameter, low_value, high_value,
metric_at_low, metric_at_high, swing; largest swing first) into --out and
prints the top rows.`

func cmdTornado(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("tornado", tornadoUsage, stderr)
	var af analysisFlags
	af.register(fl)
	metric := fl.String("metric", "net_saving", "comparison metric (net_saving, reentries_averted, incremental_cost, roi, ...) or per-arm metric (reentries, cost_total_discounted, ...)")
	arm := fl.String("arm", "", "arm of the metric (default: the first policy arm)")
	top := fl.Int("top", 10, "rows to print (0 for all); tornado.csv has every row")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	a, err := newAnalysis("tornado", &af, fl, args)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.load(fl.Arg(0)); err != nil {
		return err
	}
	m, params := a.job.model, a.job.params
	mt, err := sensitivity.Metric{Name: *metric, Arm: *arm}.Resolve(m)
	if err != nil {
		return err
	}
	runs := sensitivity.TornadoRuns(params)
	if err := a.limit("this tornado", len(params), runs); err != nil {
		return err
	}
	if err := a.reserve(stderr, resultdir.TornadoFile); err != nil {
		return err
	}
	var t *sensitivity.Tornado
	err = a.simulate(stderr, "tornado", runs, func(ctx context.Context, opt sim.Options) (err error) {
		t, err = sensitivity.RunTornado(ctx, m, params, mt, opt)
		return err
	})
	if err != nil {
		return err
	}
	settings := map[string]any{"metric": mt.Name, "arm": mt.Arm, "parameters": len(params)}
	if err := a.write(t.Runs, settings, t.WriteCSV); err != nil {
		return err
	}
	if !af.quiet {
		if err := t.WriteTable(stdout, *top); err != nil {
			return err
		}
		a.wrote(stdout, fmt.Sprintf(" (%d runs of %d iterations)", t.Runs, af.opt.Iterations))
	}
	return nil
}
