package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/safefile"
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

// sensFlags are the flags shared by tornado, sweep and breakeven: those
// of run (registered by runFlags.register) except --shard and --events.
type sensFlags struct {
	runFlags
	limits limitFlags
}

func (s *sensFlags) register(fl *flag.FlagSet) {
	all := flag.NewFlagSet("", flag.ContinueOnError)
	s.runFlags.register(all)
	for _, name := range []string{"iterations", "seed", "workers", "out", "set", "quiet", "force"} {
		f := all.Lookup(name)
		fl.Var(f.Value, f.Name, f.Usage)
	}
	s.limits.register(fl)
}

// limit refuses an analysis of runs simulation runs of m that would need
// absurd work or memory, as run does, unless --allow-large.
func (s *sensFlags) limit(what string, m *sim.Model, nParams, runs int) error {
	e := estimateRun(m, nParams, s.iterations*runs, s.workers, false)
	e.runs = runs
	return s.limits.check(what, e, s.out, "")
}

// check validates the shared flags and the single scenario argument.
func (s *sensFlags) check(cmd string, fl *flag.FlagSet) error {
	if fl.NArg() != 1 {
		return usagef("%s: need exactly one scenario (try scenarios/local-authority.toml)", cmd)
	}
	if s.iterations < 1 {
		return usagef("--iterations %d: need at least 1", s.iterations)
	}
	if s.workers < 1 {
		return usagef("--workers %d: need at least 1", s.workers)
	}
	return nil
}

func (s *sensFlags) options(p *progress) sensitivity.Options {
	return sensitivity.Options{Iterations: s.iterations, Seed: s.seed, Workers: s.workers, Progress: &p.count}
}

// outFiles is where an analysis writes: its CSV file and its manifest
// beside it, reserved in one plan before any work, committed together.
type outFiles struct {
	plan      *safefile.Plan
	ctx       context.Context // cancelled by the first Ctrl-C (interruptContext)
	stop      func()
	path      string // the CSV file, as it will be (for messages)
	csv, json string // where to write them (in the plan's stages)
}

// reserve reserves file in --out (or a new results folder) and its
// manifest (manifestPath) before any work: an existing file is refused
// without --force, and replaced with it only if reunify wrote it (its
// manifest says so); the scenario is never written over.
func (s *sensFlags) reserve(stderr io.Writer, j *job, file string) (*outFiles, error) {
	dir := s.out
	if dir == "" {
		dir = resultdir.DefaultDir(j.sc.Name, time.Now())
	}
	o := &outFiles{path: filepath.Join(dir, file)}
	plan, err := safefile.NewPlan(s.force, j.path)
	if err != nil {
		return nil, err
	}
	o.plan = plan
	owned := resultdir.OwnedAnalysis(o.path, manifestPath(o.path))
	if o.csv, err = plan.File(o.path, owned); err != nil {
		plan.Abort()
		return nil, planErr("--out", err)
	}
	if o.json, err = plan.File(manifestPath(o.path), owned); err != nil {
		plan.Abort()
		return nil, planErr("--out", err)
	}
	printNotes(stderr, plan)
	o.ctx, o.stop = interruptContext(stderr)
	return o, nil
}

// close abandons whatever was not committed and restores the default
// handling of interrupts.
func (o *outFiles) close() {
	o.plan.Abort()
	o.stop()
}

// manifestPath is where the manifest of an analysis's CSV file goes:
// beside it, tornado.csv -> tornado.json.
func manifestPath(csvPath string) string {
	return strings.TrimSuffix(csvPath, filepath.Ext(csvPath)) + ".json"
}

// analysis is what an analysis's manifest records beyond the shared flags.
type analysis struct {
	name     string         // the command: tornado, sweep, breakeven
	args     []string       // its arguments, for the command line
	scenario string         // the scenario's path
	raw      []byte         // the scenario file as read
	start    time.Time      // when the analysis started
	runs     int            // simulation runs made
	settings map[string]any // the analysis's own flags
}

// writeResult writes an analysis's CSV file with write, then its
// manifest beside it, and puts both in place together.
func (s *sensFlags) writeResult(o *outFiles, a analysis, write func(io.Writer) error) error {
	defer o.plan.Abort()
	if err := safefile.Create(o.csv, write); err != nil {
		return fmt.Errorf("%s: writing %s: %w%s", a.name, o.path, err, writeHint(err, "--out"))
	}
	man := resultdir.AnalysisManifest{
		Manifest: s.manifest(a.name, a.args, a.scenario, a.raw, "0/1", a.start),
		Analysis: a.name,
		File:     filepath.Base(o.path),
		Runs:     a.runs,
		Settings: a.settings,
	}
	if err := safefile.Create(o.json, func(w io.Writer) error { return resultdir.WriteAnalysisManifest(w, man) }); err != nil {
		return fmt.Errorf("%s: writing %s: %w%s", a.name, manifestPath(o.path), err, writeHint(err, "--out"))
	}
	if err := o.plan.Commit(o.ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; nothing was written (%s)", o.path)
		}
		return fmt.Errorf("%s: writing %s: %w%s", a.name, o.path, err, writeHint(err, "--out"))
	}
	return nil
}

// writeAtomic writes path through a temporary file in the same folder
// (safefile.WriteFileAtomic: renamed into place only when complete and
// synced, and removed on a second interrupt), making the folder first.
// It replaces an existing regular file: callers refuse one first unless
// --force. New writers use a plan (safefile.NewPlan), which also keeps
// their inputs and files reunify did not write.
func writeAtomic(path string, write func(io.Writer) error) error {
	return safefile.WriteFileAtomic(path, write)
}

// sensErr maps an analysis error to the exit status: bad input is 2.
func sensErr(err error, done int64, what string) error {
	var ie *sensitivity.InputError
	switch {
	case errors.As(err, &ie):
		return usageError{err}
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted after %d iterations; nothing was written (%s)", done, what)
	}
	return err
}

// analyse runs an analysis of total iterations with a progress bar,
// stopping when ctx is cancelled (the first Ctrl-C); what names it on the bar, and path is the file it will
// write (for the message if it is interrupted).
func (s *sensFlags) analyse(ctx context.Context, stderr io.Writer, what, path string, total int, run func(ctx context.Context, opt sensitivity.Options) error) error {
	prog := startProgress(stderr, int64(total), what, s.quiet)
	err := run(ctx, s.options(prog))
	prog.finish()
	return sensErr(err, prog.count.Load(), path)
}

// loadOne reads, loads and builds the scenario of an analysis, once: the
// job keeps the file as read, for the manifest's checksum and for every
// run's build (sensitivity.FromBytes).
func loadOne(path string, sets []string) (*job, error) {
	jobs, err := loadJobs([]string{path}, sets)
	if err != nil {
		return nil, err
	}
	return jobs[0], nil
}

func cmdTornado(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("tornado", tornadoUsage, stderr)
	var sf sensFlags
	sf.register(fl)
	metric := fl.String("metric", "net_saving", "comparison metric (net_saving, reentries_averted, incremental_cost, roi, ...) or per-arm metric (reentries, cost_total_discounted, ...)")
	arm := fl.String("arm", "", "arm of the metric (default: the first policy arm)")
	top := fl.Int("top", 10, "rows to print (0 for all); tornado.csv has every row")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if err := sf.check("tornado", fl); err != nil {
		return err
	}
	start := time.Now().UTC()
	j, err := loadOne(fl.Arg(0), sf.sets)
	if err != nil {
		return err
	}
	m, params := j.model, j.params
	mt, err := sensitivity.Metric{Name: *metric, Arm: *arm}.Resolve(m)
	if err != nil {
		return usageError{err}
	}
	if err := sf.limit("this tornado", m, len(params), sensitivity.TornadoRuns(params)); err != nil {
		return err
	}
	out, err := sf.reserve(stderr, j, resultdir.TornadoFile)
	if err != nil {
		return err
	}
	defer out.close()
	path := out.path
	var t *sensitivity.Tornado
	err = sf.analyse(out.ctx, stderr, "tornado", path, sensitivity.TornadoRuns(params)*sf.iterations, func(ctx context.Context, opt sensitivity.Options) (err error) {
		t, err = sensitivity.RunTornado(ctx, m, params, mt, opt)
		return err
	})
	if err != nil {
		return err
	}
	err = sf.writeResult(out, analysis{
		name: "tornado", args: args, scenario: fl.Arg(0), raw: j.raw, start: start, runs: t.Runs,
		settings: map[string]any{"metric": mt.Name, "arm": mt.Arm, "parameters": len(params)},
	}, t.WriteCSV)
	if err != nil {
		return err
	}
	if !sf.quiet {
		if err := t.WriteTable(stdout, *top); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwrote %s and %s (%d runs of %d iterations)\n", path, filepath.Base(manifestPath(path)), t.Runs, sf.iterations)
	}
	return nil
}
