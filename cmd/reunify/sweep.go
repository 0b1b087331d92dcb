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

const sweepUsage = `reunify sweep [flags] SCENARIO.toml --param PATH (--values a,b,c | --range from:to:steps) [--param ...]

One- or two-way sensitivity over a grid: the scenario rebuilt at each
point with the swept parameters (scenario paths, as --set takes them) set,
the other distributions still drawn per iteration, with common random
numbers. --range gives steps+1 values, both ends included. Writes
sweep.csv and sweep.json into --out. See docs/sensitivity.md.`

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
	build := sensitivity.FromBytes(a.job.path, a.job.raw, af.sets)
	// Check every path before any simulation, with a clear message.
	points := 1
	for _, x := range ax.axes {
		if _, _, err := build([]string{x.Path + "=" + strconv.FormatFloat(x.Values[0], 'g', -1, 64)}); err != nil {
			return paramErr(x.Path, err)
		}
		points *= len(x.Values)
	}
	return a.run(stdout, stderr, "sweep", resultdir.SweepFile, len(a.job.params), points, func(ctx context.Context, opt sim.Options) (done, error) {
		sw, err := sensitivity.RunSweep(ctx, build, ax.axes, names, *arm, opt)
		if err != nil {
			return done{}, err
		}
		return done{csv: sw.WriteCSV, settings: sw.Settings(), runs: points, table: sw.WriteTable,
			how: fmt.Sprintf(" (%d grid points of %d iterations)", points, opt.Iterations)}, nil
	})
}

// paramErr explains a --param path the scenario does not have.
func paramErr(path string, err error) error {
	msg := err.Error()
	if !strings.HasPrefix(msg, "--param ") {
		msg = "--param " + path + ": " + msg
	}
	return usagef("%s\n(give a scenario key path as --set takes it, e.g. package.NAME.post.hr_reentry, placement.NAME.weekly_cost or entries.per_year; \"reunify explain SCENARIO.toml\" lists them)", msg)
}
