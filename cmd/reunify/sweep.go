package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
)

func cmdSweep(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("sweep", stderr)
	af := analysisFlags(fl)
	var grid sensitivity.Grid
	fl.Func("param", "scenario path of a swept parameter (once or twice), each followed by --values or --range", grid.Param)
	fl.Func("values", "the values of the last --param: a,b,c", grid.Values)
	fl.Func("range", "the values of the last --param: from:to:steps (steps+1 values)", grid.Range)
	metrics := fl.String("metric", strings.Join(sensitivity.DefaultSweepMetrics, ","), "metrics to report, separated by commas")
	arm := fl.String("arm", "", "report only this arm (default: every policy arm for comparison metrics, every arm for per-arm metrics)")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	var axes []sensitivity.Axis
	a, err := newAnalysis("sweep", af, fl, args, func() (err error) { axes, err = grid.Axes(); return err })
	if err != nil {
		return err
	}
	var names []string
	for _, n := range strings.Split(*metrics, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	build := sensitivity.FromBytes(a.job.Path, a.job.Raw, af.sets)
	// Check every path before any simulation, with a clear message.
	points := 1
	for _, x := range axes {
		if err := sensitivity.CheckParam(build, x.Path, x.Values[0]); err != nil {
			return err
		}
		points *= len(x.Values)
	}
	return a.run(stdout, stderr, "sweep", resultdir.SweepFile, len(a.job.Params), points, func(ctx context.Context, opt sim.Options) (done, error) {
		sw, err := sensitivity.RunSweep(ctx, build, axes, names, *arm, opt)
		if err != nil {
			return done{}, err
		}
		return done{csv: sw.WriteCSV, settings: sw.Settings(), runs: points, table: sw.WriteTable,
			how: fmt.Sprintf(" (%d grid points of %d iterations)", points, opt.Iterations)}, nil
	})
}
