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
	"github.com/reunify/reunify/sim"
)

// analysisFlags are the flags of tornado, sweep and breakeven.
type analysisFlags struct {
	simFlags
	out        string
	sets       multiFlag
	quiet      bool
	force      bool
	allowLarge bool
}

func (a *analysisFlags) register(fl *flag.FlagSet) {
	a.simFlags.register(fl, 1000, "Monte Carlo iterations (parameter draws) of each run")
	fl.StringVar(&a.out, "out", "", "folder to write the analysis into (default results/<scenario>-<UTC time>)")
	setFlag(fl, &a.sets)
	fl.BoolVar(&a.quiet, "quiet", false, "no progress bar or table")
	fl.BoolVar(&a.force, "force", false, "replace the analysis's earlier files in --out")
	allowLargeFlag(fl, &a.allowLarge)
}

// analysis is one tornado, sweep or break-even search under way: its
// scenario, loaded once, and the files it will write, reserved before
// any work.
type analysis struct {
	*analysisFlags
	name  string   // the command: tornado, sweep, breakeven
	args  []string // its arguments, for the manifest's command line
	start time.Time
	job   *job
	plan  *safefile.Plan
	files *resultdir.Analysis
	ctx   context.Context // cancelled by the first Ctrl-C (interrupt.Context)
	stop  func()
}

// newAnalysis checks the flags every analysis shares.
func newAnalysis(name string, af *analysisFlags, fl *flag.FlagSet, args []string) (*analysis, error) {
	if fl.NArg() != 1 {
		return nil, usagef("%s: need exactly one scenario (try scenarios/local-authority.toml)", name)
	}
	if err := af.check(1); err != nil {
		return nil, err
	}
	return &analysis{analysisFlags: af, name: name, args: args, start: time.Now().UTC()}, nil
}

// load loads the one scenario, keeping the file as read, for the
// manifest's checksum and for every run's build (sensitivity.FromBytes).
func (a *analysis) load(path string) (err error) {
	a.job, err = loadJob(path, a.sets)
	return err
}

// limit refuses an analysis of runs simulation runs with nParams drawn
// parameters that would need absurd work or memory, as run does.
func (a *analysis) limit(what string, nParams, runs int) error {
	return checkLimits(a.allowLarge, what, limits.Work{Model: a.job.model, Params: nParams,
		Iterations: a.opt.Iterations * runs, Runs: runs, Workers: a.opt.Workers, Out: a.out})
}

// reserve reserves the analysis's CSV file (file) in --out, or in a new
// results folder, and its manifest, before any work: an existing file is
// refused without --force, and replaced with it only if reunify wrote
// it; the scenario is never written over.
func (a *analysis) reserve(stderr io.Writer, file string) error {
	dir := a.out
	if dir == "" {
		dir = resultdir.DefaultDir(a.job.sc.Name, time.Now())
	}
	plan, err := safefile.NewPlan(a.force, a.job.path)
	if err != nil {
		return err
	}
	if a.files, err = resultdir.ReserveAnalysis(plan, dir, file); err != nil {
		plan.Abort()
		return planErr("--out", err)
	}
	a.plan = plan
	printNotes(stderr, plan)
	a.ctx, a.stop = interrupt.Context(stderr)
	return nil
}

// close abandons whatever was not committed and restores the default
// handling of interrupts.
func (a *analysis) close() {
	if a.plan != nil {
		a.plan.Abort()
		a.stop()
	}
}

// simulate runs the analysis's simulations, runs of the flags'
// iterations each, with a progress bar named what, until the first
// Ctrl-C.
func (a *analysis) simulate(stderr io.Writer, what string, runs int, f func(ctx context.Context, opt sim.Options) error) error {
	prog := progress.Start(stderr, int64(runs*a.opt.Iterations), what, a.quiet)
	opt := a.opt
	opt.Progress = &prog.Count
	err := f(a.ctx, opt)
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted after %d iterations; nothing was written (%s)", prog.Count.Load(), a.files.Path)
	}
	return err
}

// write writes the analysis's CSV file with write, then its manifest
// (recording runs simulation runs and the analysis's own settings), and
// puts both in place together.
func (a *analysis) write(runs int, settings map[string]any, write func(io.Writer) error) error {
	defer a.plan.Abort()
	man := resultdir.AnalysisManifest{
		Manifest: resultdir.NewManifest(append([]string{a.name}, a.args...), a.start, a.opt),
		Analysis: a.name, Runs: runs, Settings: settings,
	}
	man.SetScenario(a.job.path, a.job.raw)
	if err := a.files.Write(write, man); err != nil {
		return fmt.Errorf("%s: %w%s", a.name, err, writeHint(err, "--out"))
	}
	if err := a.plan.Commit(a.ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; nothing was written (%s)", a.files.Path)
		}
		return fmt.Errorf("%s: writing %s: %w%s", a.name, a.files.Path, err, writeHint(err, "--out"))
	}
	return nil
}

// wrote tells the user where the files went, and how they were made.
func (a *analysis) wrote(stdout io.Writer, how string) {
	fmt.Fprintf(stdout, "\nwrote %s and %s%s\n", a.files.Path, filepath.Base(resultdir.AnalysisManifestPath(a.files.Path)), how)
}
