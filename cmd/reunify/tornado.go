package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/reunify/reunify/output"
	"github.com/reunify/reunify/scenario"
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

// outFile returns where file goes (in --out, or a new results folder),
// refusing an existing file without --force before any work is done.
func (s *sensFlags) outFile(sc *scenario.Scenario, file string) (string, error) {
	dir := s.out
	if dir == "" {
		dir = output.DefaultDir(sc.Name, time.Now())
	}
	path := filepath.Join(dir, file)
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil
	case err != nil:
		return "", usageError{fmt.Errorf("--out %s: %w", dir, err)}
	case fi.IsDir():
		return "", usagef("--out %s: %s is a folder; choose another --out", dir, file)
	case !s.force:
		return "", usagef("%s exists; choose another --out, or add --force to replace it", path)
	}
	return path, nil
}

// writeAtomic writes path through a temporary file in the same folder,
// renamed into place only when complete and synced.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// sensErr maps an analysis error to the exit status: bad input is 2.
func sensErr(err error, done int64, what string) error {
	var ie *sensitivity.InputError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie):
		return usageError{err}
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted after %d iterations; nothing was written (%s)", done, what)
	}
	if _, ok := scenario.AsProblems(err); ok {
		return err
	}
	return err
}

// loadOne loads and builds the scenario of an analysis.
func loadOne(path string, sets []string) (*scenario.Scenario, error) {
	sc, err := scenario.Load(path, sets)
	if err != nil {
		return nil, inputErr(err)
	}
	if _, _, err := sc.Build(); err != nil {
		return nil, inputErr(err)
	}
	return sc, nil
}

func signalContext() (context.Context, context.CancelFunc) {
	return interruptContext(os.Stderr)
}

func cmdTornado(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("tornado", tornadoUsage, stdout, stderr)
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
	sc, err := loadOne(fl.Arg(0), sf.sets)
	if err != nil {
		return err
	}
	m, params, err := sc.Build()
	if err != nil {
		return inputErr(err)
	}
	mt, err := sensitivity.Metric{Name: *metric, Arm: *arm}.Resolve(m)
	if err != nil {
		return usageError{err}
	}
	if err := sf.limit("this tornado", m, len(params), sensitivity.TornadoRuns(params)); err != nil {
		return err
	}
	path, err := sf.outFile(sc, sensitivity.TornadoFile)
	if err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	prog := startProgress(stderr, int64(sensitivity.TornadoRuns(params)*sf.iterations), "tornado", sf.quiet)
	t, err := sensitivity.RunTornado(ctx, m, params, mt, sf.options(prog))
	prog.finish()
	if err != nil {
		return sensErr(err, prog.count.Load(), path)
	}
	if err := writeAtomic(path, t.WriteCSV); err != nil {
		return fmt.Errorf("tornado: writing %s: %w", path, err)
	}
	if !sf.quiet {
		if err := t.WriteTable(stdout, *top); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwrote %s (%d runs of %d iterations)\n", path, t.Runs, sf.iterations)
	}
	return nil
}
