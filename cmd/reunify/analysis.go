package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/limits"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// analysisFlags registers the flags of tornado, sweep and breakeven.
func analysisFlags(fl *flag.FlagSet) *workFlags {
	w := &workFlags{}
	w.register(fl, "Monte Carlo iterations (parameter draws) of each run",
		"folder to write the analysis into (default results/<scenario>-<UTC time>)", "replace the analysis's earlier files in --out")
	return w
}

// analysis is one tornado, sweep or break-even search under way: its
// flags and its scenario, loaded once.
type analysis struct {
	*workFlags
	name  string   // the command: tornado, sweep, breakeven
	args  []string // its arguments, for the manifest's command line
	start time.Time
	job   *scenario.File
}

// newAnalysis checks the flags every analysis shares, then the
// analysis's own (check, if not nil), and opens the one scenario, keeping
// the file as read, for the manifest's checksum and for every run's
// build (sensitivity.FromBytes).
func newAnalysis(name string, af *workFlags, fl *flag.FlagSet, args []string, check func() error) (*analysis, error) {
	if fl.NArg() != 1 {
		return nil, usagef("%s: need exactly one scenario (try scenarios/local-authority.toml)", name)
	}
	if err := af.check(1); err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(); err != nil {
			return nil, err
		}
	}
	a := &analysis{workFlags: af, name: name, args: args, start: time.Now().UTC()}
	var err error
	a.job, err = scenario.Open(fl.Arg(0), af.sets)
	return a, err
}

// done is what an analysis made: its CSV file, the settings and the
// number of simulation runs its manifest records, and what it prints
// (how is said after the files written, e.g. " (41 runs of 1000
// iterations)").
type done struct {
	csv      func(io.Writer) error
	settings map[string]any
	runs     int
	table    func(io.Writer) error
	how      string
}

// run runs the analysis: it refuses one of runs simulation runs (with
// nParams drawn parameters) beyond the limits, reserves file in --out (or
// a new results folder) and its manifest before any work, simulates with
// a progress bar named what until the first Ctrl-C, then writes the file
// and its manifest, puts both in place together and prints the table.
func (a *analysis) run(stdout, stderr io.Writer, what, file string, nParams, runs int, f func(ctx context.Context, opt sim.Options) (done, error)) error {
	err := checkLimits(a.allowLarge, "this "+what, limits.Work{Model: a.job.Model, Params: nParams,
		Iterations: a.opt.Iterations * runs, Runs: runs, Workers: a.opt.Workers, Out: a.out})
	if err != nil {
		return err
	}
	dir := a.out
	if dir == "" {
		dir = resultdir.DefaultDir(a.job.Name, time.Now())
	}
	plan, err := safefile.NewPlan(a.force, a.job.Path) // the scenario is never written over
	if err != nil {
		return err
	}
	defer plan.Abort()
	files, err := resultdir.ReserveAnalysis(plan, dir, file)
	if err != nil {
		return planErr("--out", err)
	}
	printNotes(stderr, plan)
	ctx, stop := interrupt.Context(stderr)
	defer stop()

	prog := progress.Start(stderr, int64(runs*a.opt.Iterations), what, a.quiet)
	opt := a.opt
	opt.Progress = &prog.Count
	d, err := f(ctx, opt)
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted after %d iterations; nothing was written (%s)", prog.Count.Load(), files.Path)
	}
	if err != nil {
		return err
	}

	man := resultdir.AnalysisManifest{
		Manifest: resultdir.NewManifest(append([]string{a.name}, a.args...), a.start, a.opt),
		Analysis: a.name, Runs: d.runs, Settings: d.settings,
	}
	man.SetScenario(a.job.Path, a.job.Raw)
	if err := files.Write(d.csv, man); err != nil {
		return fmt.Errorf("%s: %w%s", a.name, err, writeHint(err, "--out"))
	}
	if err := commit(ctx, plan, a.name, files.Path, "--out"); err != nil {
		return err
	}
	if a.quiet {
		return nil
	}
	if err := d.table(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s and %s%s\n", files.Path, filepath.Base(resultdir.AnalysisManifestPath(files.Path)), d.how)
	return nil
}

// commit puts what plan holds in place; an interrupt before it (ctx
// cancelled) or a failure puts nothing in place, and says so. what
// names the command, dest its main destination and flag where else to
// write.
func commit(ctx context.Context, plan *safefile.Plan, what, dest, flag string) error {
	err := plan.Commit(ctx)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: interrupted; nothing was written to %s and earlier results are untouched", what, dest)
	}
	return fmt.Errorf("%s: writing %s: %w%s", what, dest, err, writeHint(err, flag))
}
