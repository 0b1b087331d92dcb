package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
)

const sweepUsage = `reunify sweep [flags] SCENARIO.toml

One- or two-way sensitivity analysis over a grid. Give each swept
parameter by its scenario path (as --set takes it), followed by its values:
  --param PATH --values a,b,c
  --param PATH --range from:to:steps   (steps+1 values, both ends included)
A second --param makes a two-way grid. At each grid point the scenario is
rebuilt with the values set, and the other distributions are still drawn
per iteration; every point uses the same seed (common random numbers).
Writes sweep.csv into --out: one column per swept parameter, then arm,
metric, mean, sd, p2_5, p50, p97_5, prob_positive.

Example:
  reunify sweep scenarios/local-authority.toml \
    --param package.post_return_support.post.hr_reentry --range 0.5:1:5`

// axesFlag collects --param, --values and --range in order: --param starts
// an axis, --values or --range gives its grid.
type axesFlag struct {
	axes  []sensitivity.Axis
	given []bool // whether each axis has its grid
}

type axisParam struct{ a *axesFlag }
type axisValues struct {
	a     *axesFlag
	parse func(string) ([]float64, error)
	name  string
}

func (p axisParam) String() string { return "" }
func (p axisParam) Set(s string) error {
	if strings.TrimSpace(s) == "" || strings.Contains(s, "=") {
		return fmt.Errorf("want a scenario path such as package.NAME.post.hr_reentry, got %q (the values go in --values or --range)", s)
	}
	p.a.axes = append(p.a.axes, sensitivity.Axis{Path: strings.TrimSpace(s)})
	p.a.given = append(p.a.given, false)
	return nil
}

func (v axisValues) String() string { return "" }
func (v axisValues) Set(s string) error {
	n := len(v.a.axes)
	if n == 0 {
		return fmt.Errorf("give --param PATH first, then --%s", v.name)
	}
	if v.a.given[n-1] {
		return fmt.Errorf("--param %s already has its values: give one --values or --range per --param", v.a.axes[n-1].Path)
	}
	vs, err := v.parse(s)
	if err != nil {
		return err
	}
	v.a.axes[n-1].Values, v.a.given[n-1] = vs, true
	return nil
}

func cmdSweep(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("sweep", sweepUsage, stderr)
	var af analysisFlags
	af.register(fl)
	var ax axesFlag
	fl.Var(axisParam{&ax}, "param", "scenario path of a swept parameter (once or twice), each followed by --values or --range")
	fl.Var(axisValues{&ax, sensitivity.ParseValues, "values"}, "values", "the values of the last --param: a,b,c")
	fl.Var(axisValues{&ax, sensitivity.ParseRange, "range"}, "range", "the values of the last --param: from:to:steps (steps+1 values)")
	metrics := fl.String("metric", strings.Join(sensitivity.DefaultSweepMetrics, ","), "metrics to report, separated by commas")
	arm := fl.String("arm", "", "report only this arm (default: every policy arm for comparison metrics, every arm for per-arm metrics)")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	a, err := newAnalysis("sweep", &af, fl, args)
	if err != nil {
		return err
	}
	defer a.close()
	if len(ax.axes) == 0 || len(ax.axes) > 2 {
		return usagef("sweep: give one or two --param PATH, each followed by --values a,b,c or --range from:to:steps")
	}
	for i, x := range ax.axes {
		if !ax.given[i] {
			return usagef("--param %s has no values: follow it with --values a,b,c or --range from:to:steps", x.Path)
		}
	}
	var names []string
	for _, n := range strings.Split(*metrics, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if err := a.load(fl.Arg(0)); err != nil {
		return err
	}
	if err := a.reserve(stderr, resultdir.SweepFile); err != nil {
		return err
	}
	build := sensitivity.FromBytes(a.job.path, a.job.raw, af.sets)
	// Check every path before any simulation, with a clear message.
	points := 1
	grid := map[string][]float64{}
	for _, x := range ax.axes {
		if _, _, err := build([]string{x.Path + "=" + strconv.FormatFloat(x.Values[0], 'g', -1, 64)}); err != nil {
			return paramErr(x.Path, err)
		}
		points *= len(x.Values)
		grid[x.Path] = x.Values
	}
	if err := a.limit("this sweep", len(a.job.params), points); err != nil {
		return err
	}
	var sw *sensitivity.Sweep
	err = a.simulate(stderr, "sweep", points, func(ctx context.Context, opt sim.Options) (err error) {
		sw, err = sensitivity.RunSweep(ctx, build, ax.axes, names, *arm, opt)
		return err
	})
	if err != nil {
		return err
	}
	settings := map[string]any{"metrics": names, "arm": *arm, "grid": grid}
	if err := a.write(points, settings, sw.WriteCSV); err != nil {
		return err
	}
	if !af.quiet {
		if err := sw.WriteTable(stdout); err != nil {
			return err
		}
		a.wrote(stdout, fmt.Sprintf(" (%d grid points of %d iterations)", points, af.opt.Iterations))
	}
	return nil
}

// paramErr explains a --param path the scenario does not have.
func paramErr(path string, err error) error {
	msg := err.Error()
	if !strings.HasPrefix(msg, "--param ") {
		msg = "--param " + path + ": " + msg
	}
	return usagef("%s\n(give a scenario key path as --set takes it, e.g. package.NAME.post.hr_reentry, placement.NAME.weekly_cost or entries.per_year; \"reunify explain SCENARIO.toml\" lists them)", msg)
}
