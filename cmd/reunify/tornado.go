package main

import (
	"context"
	"fmt"
	"io"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
)

func cmdTornado(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("tornado", stderr)
	af := analysisFlags(fl)
	metric := fl.String("metric", "net_saving", "comparison metric (net_saving, reentries_averted, incremental_cost, roi, ...) or per-arm metric (reentries, cost_total_discounted, ...)")
	arm := fl.String("arm", "", "arm of the metric (default: the first policy arm)")
	top := fl.Int("top", 10, "rows to print (0 for all); tornado.csv has every row")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	a, err := newAnalysis("tornado", af, fl, args, nil)
	if err != nil {
		return err
	}
	m, params := a.job.Model, a.job.Params
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
