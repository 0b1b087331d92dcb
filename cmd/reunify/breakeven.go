package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
)

const breakevenUsage = `reunify breakeven [flags] SCENARIO.toml

Threshold analysis: finds the value of one parameter (--param, a scenario
path as --set takes it) at which the metric's mean reaches --target, by
bisection with the same seed at every step (common random numbers), and
the values at which the metric's 2.5th and 97.5th percentiles reach it.
The other distributions are drawn per iteration as in a run. Writes
breakeven.csv into --out, with the re-entries averted and extra returns
home at the break-even value.

Examples:
  # what effect must support have on re-entry for it to pay for itself?
  reunify breakeven scenarios/local-authority.toml \
    --param package.post_return_support.post.hr_reentry --metric net_saving
  # how much can support cost per family-month and still break even?
  reunify breakeven scenarios/local-authority.toml \
    --param package.post_return_support.post.cost_per_month --lo 0 --hi 5000`

func cmdBreakeven(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("breakeven", breakevenUsage, stderr)
	var af analysisFlags
	af.register(fl)
	param := fl.String("param", "", "scenario path of the parameter to search, e.g. package.NAME.post.hr_reentry")
	metric := fl.String("metric", "net_saving", "comparison or per-arm metric")
	arm := fl.String("arm", "", "arm of the metric (default: the first policy arm)")
	target := fl.Float64("target", 0, "the value the metric must reach")
	lo, hi := math.NaN(), math.NaN()
	fl.Var(optFloat{&lo}, "lo", "low end of the search (default: the distribution's range, or a tenth of the current value)")
	fl.Var(optFloat{&hi}, "hi", "high end of the search (default: the distribution's range, or ten times the current value)")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	a, err := newAnalysis("breakeven", &af, fl, args)
	if err != nil {
		return err
	}
	defer a.close()
	if *param == "" {
		return usagef("breakeven: --param PATH is required (e.g. --param package.NAME.post.hr_reentry)")
	}
	if !math.IsNaN(lo) && !math.IsNaN(hi) && !(lo < hi) {
		return usagef("--lo %v and --hi %v: --lo must be below --hi", lo, hi)
	}
	if err := a.load(fl.Arg(0)); err != nil {
		return err
	}
	j := a.job
	cur, err := j.sc.Lookup(*param)
	if err != nil {
		return paramErr(*param, fmt.Errorf("--param %w", err))
	}
	build := sensitivity.FromBytes(j.path, j.raw, af.sets)
	if _, _, err := build([]string{*param + "=" + strconv.FormatFloat(cur.Mean(), 'g', -1, 64)}); err != nil {
		return paramErr(*param, err)
	}
	mt := sensitivity.Metric{Name: *metric, Arm: *arm}
	if _, err := mt.Resolve(j.model); err != nil {
		return err
	}
	cfg := sensitivity.BreakevenConfig{Path: *param, Metric: mt, Target: *target, Lo: lo, Hi: hi, Current: cur}
	runs := sensitivity.BreakevenRuns(cfg)
	if err := a.limit("this break-even search", 0, runs); err != nil {
		return err
	}
	if err := a.reserve(stderr, resultdir.BreakevenFile); err != nil {
		return err
	}
	var b *sensitivity.Breakeven
	err = a.simulate(stderr, "break-even", runs, func(ctx context.Context, opt sim.Options) (err error) {
		b, err = sensitivity.RunBreakeven(ctx, build, cfg, opt)
		return err
	})
	if err != nil {
		return err
	}
	settings := map[string]any{"param": b.Path, "metric": b.Metric.Name, "arm": b.Metric.Arm, "target": b.Target, "lo": finite(b.Lo), "hi": finite(b.Hi)}
	if err := a.write(b.Evaluations, settings, b.WriteCSV); err != nil {
		return err
	}
	if !af.quiet {
		if err := b.WriteTable(stdout); err != nil {
			return err
		}
		a.wrote(stdout, "")
	}
	return nil
}

// finite returns v, or nil (JSON null) if v is NaN or infinite, which
// JSON cannot hold.
func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}
