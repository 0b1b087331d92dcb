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

One-way sensitivity: each parameter the scenario gives as a distribution
at its low and then its high value (the scenario's low and high, else its
2.5th and 97.5th percentiles), every other at its mean, with common
random numbers. Writes tornado.csv (largest swing first) and tornado.json
into --out and prints the top rows. See docs/sensitivity.md.`

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
	if err := a.load(fl.Arg(0)); err != nil {
		return err
	}
	m, params := a.job.model, a.job.params
	mt, err := sensitivity.Metric{Name: *metric, Arm: *arm}.Resolve(m)
	if err != nil {
		return err
	}
	return a.run(stdout, stderr, "tornado", resultdir.TornadoFile, len(params), sensitivity.TornadoRuns(params), func(ctx context.Context, opt sim.Options) (done, error) {
		t, err := sensitivity.RunTornado(ctx, m, params, mt, opt)
		if err != nil {
			return done{}, err
		}
		return done{csv: t.WriteCSV, settings: t.Settings(), runs: t.Runs, table: func(w io.Writer) error { return t.WriteTable(w, *top) },
			how: fmt.Sprintf(" (%d runs of %d iterations)", t.Runs, opt.Iterations)}, nil
	})
}
