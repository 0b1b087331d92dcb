package main

import (
	"context"
	"io"
	"math"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
)

func cmdBreakeven(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("breakeven", stderr)
	af := analysisFlags(fl)
	param := fl.String("param", "", "scenario path of the parameter to search, e.g. package.NAME.post.hr_reentry")
	metric := fl.String("metric", "net_saving", "comparison or per-arm metric")
	arm := fl.String("arm", "", "arm of the metric (default: the first policy arm)")
	target := fl.Float64("target", 0, "the value the metric must reach")
	lo, hi := math.NaN(), math.NaN()
	fl.Func("lo", "low end of the search (default: the distribution's range, or a tenth of the current value)", func(s string) (err error) { lo, err = finite(s); return err })
	fl.Func("hi", "high end of the search (default: the distribution's range, or ten times the current value)", func(s string) (err error) { hi, err = finite(s); return err })
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	a, err := newAnalysis("breakeven", af, fl, args, func() error {
		if *param == "" {
			return usagef("breakeven: --param PATH is required (e.g. --param package.NAME.post.hr_reentry)")
		}
		if !math.IsNaN(lo) && !math.IsNaN(hi) && !(lo < hi) {
			return usagef("--lo %v and --hi %v: --lo must be below --hi", lo, hi)
		}
		return nil
	})
	if err != nil {
		return err
	}
	build := sensitivity.FromBytes(a.job.Path, a.job.Raw, af.sets)
	cfg, err := sensitivity.NewBreakevenConfig(a.job, build, *param, sensitivity.Metric{Name: *metric, Arm: *arm}, *target, lo, hi)
	if err != nil {
		return err
	}
	return a.run(stdout, stderr, "break-even search", resultdir.BreakevenFile, 0, sensitivity.BreakevenRuns(cfg), func(ctx context.Context, opt sim.Options) (done, error) {
		b, err := sensitivity.RunBreakeven(ctx, build, cfg, opt)
		if err != nil {
			return done{}, err
		}
		return done{csv: b.WriteCSV, settings: b.Settings(), runs: b.Evaluations, table: b.WriteTable}, nil
	})
}
