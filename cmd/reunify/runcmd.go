package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/report"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

const runUsage = `reunify run [flags] SCENARIO.toml...

Simulates every arm of each scenario and writes a result folder
(summary.csv, iterations.csv, yearly.csv, comparison.csv, survival.csv,
manifest.json, scenario.toml). With one scenario, --out is the result
folder; with several (a batch), each scenario gets its own folder under
--out and --out/summary.csv joins their summaries.`

// runFlags are the flags shared by the simulating commands.
type runFlags struct {
	iterations int
	seed       uint64
	workers    int
	out        string
	sets       multiFlag
	quiet      bool
	force      bool
	shard      string
	events     string
	report     bool
}

func (r *runFlags) register(fl *flag.FlagSet) {
	fl.IntVar(&r.iterations, "iterations", 1000, "Monte Carlo iterations (parameter draws)")
	fl.Uint64Var(&r.seed, "seed", 1, "random seed: the same seed gives the same results")
	fl.IntVar(&r.workers, "workers", runtime.NumCPU(), "concurrent workers (results do not depend on it)")
	fl.StringVar(&r.out, "out", "", "result folder (default results/<scenario>-<UTC time>)")
	fl.Var(&r.sets, "set", "override a scenario value by its TOML path, e.g. --set entries.per_year=300 (repeatable)")
	fl.BoolVar(&r.quiet, "quiet", false, "no progress bar or table")
	fl.BoolVar(&r.force, "force", false, "replace a non-empty --out folder")
	fl.StringVar(&r.shard, "shard", "0/1", "run only shard K of N (K from 0 to N-1): iterations K, K+N, K+2N, ...")
	fl.StringVar(&r.events, "events", "", "also write an event log CSV (one row per event) to this file")
	fl.BoolVar(&r.report, "report", false, "also write report.html and charts/ into each result folder (see reunify help report)")
}

// parseShard reads "K/N" as a usage error for the command line.
func parseShard(s string) (resultdir.Shard, error) {
	sh, err := resultdir.ParseShard(s)
	if err != nil {
		return sh, usagef("--shard %q: want K/N with N >= 1 and K from 0 to N-1, e.g. 0/4", s)
	}
	return sh, nil
}

// job is one scenario of a run, loaded and built.
type job struct {
	path   string
	raw    []byte
	sc     *scenario.Scenario
	model  *sim.Model
	params []sim.Param
	dir    string // the result folder
	staged string // where it is being written (in a plan's stage)
}

func cmdRun(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("run", runUsage, stderr)
	var rf runFlags
	rf.register(fl)
	var lf limitFlags
	lf.register(fl)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return usagef("run: no scenario given (try scenarios/local-authority.toml)")
	}
	if rf.iterations < 1 {
		return usagef("--iterations %d: need at least 1", rf.iterations)
	}
	if rf.workers < 1 {
		return usagef("--workers %d: need at least 1", rf.workers)
	}
	shard, err := parseShard(rf.shard)
	if err != nil {
		return err
	}
	if shard.N > rf.iterations {
		return usagef("--shard %s: more shards than the %d iterations, so some would hold none; use N up to %d", rf.shard, rf.iterations, rf.iterations)
	}
	if rf.events != "" {
		// More workers than cores only queue event buffers (each waits
		// for the iterations before it to be written): see eventMemory.
		rf.workers = min(rf.workers, runtime.NumCPU())
	}

	ctx, stop := interruptContext(stderr)
	defer stop()

	// Load and check everything before simulating anything, so that a
	// typo in the last scenario of a batch costs no time.
	jobs, err := loadJobs(fl.Args(), rf.sets)
	if err != nil {
		return err
	}
	phase("loaded")
	start := time.Now().UTC()
	batch := len(jobs) > 1
	root := rf.out
	if root == "" {
		name := jobs[0].sc.Name
		if batch {
			name = "batch"
		}
		root = resultdir.DefaultDir(name, start)
	}
	seen, names := map[string]string{}, map[string]string{}
	for _, j := range jobs {
		if !batch {
			continue
		}
		if err := resultdir.CheckName(j.sc.Name); err != nil {
			return usagef("run: %s: a scenario of a batch is written to the folder named after it, and %v; rename the scenario (its name key)", j.path, err)
		}
		// Folder names: "LA" and "la" are one folder on a disk that
		// ignores case.
		key := strings.ToLower(j.sc.Name)
		if other, dup := seen[key]; dup {
			if names[key] != j.sc.Name {
				return usagef("run: %s and %s have the names %q and %q, which name the same folder on a disk that ignores case; each scenario of a batch needs its own name", other, j.path, names[key], j.sc.Name)
			}
			return usagef("run: %s and %s both have the name %q; each scenario of a batch needs its own name", other, j.path, j.sc.Name)
		}
		seen[key], names[key] = j.path, j.sc.Name
	}
	if batch && rf.events != "" {
		return usagef("--events works with one scenario at a time")
	}
	perJob := shard.Iterations(rf.iterations)
	if err := lf.checkJobs(jobs, rf, perJob, root); err != nil {
		return err
	}

	// Reserve every destination before simulating: a folder that cannot
	// be written, or must not be replaced, is found now.
	var inputs []string
	for _, j := range jobs {
		inputs = append(inputs, j.path)
	}
	plan, err := safefile.NewPlan(rf.force, inputs...)
	if err != nil {
		return err
	}
	defer plan.Abort()
	staged, err := plan.Folder(root, resultdir.Owned)
	if err != nil {
		return planErr("--out", err)
	}
	for _, j := range jobs {
		j.dir, j.staged = root, staged
		if batch {
			j.dir, j.staged = filepath.Join(root, j.sc.Name), filepath.Join(staged, j.sc.Name)
		}
	}
	events, err := reserveEvents(plan, rf.events, root, staged)
	if err != nil {
		return err
	}
	printNotes(stderr, plan)
	phase("planned")

	prog := startProgress(stderr, int64(perJob*len(jobs)), "simulating", rf.quiet)
	interrupted := func() error {
		return fmt.Errorf("interrupted after %d of %d iterations (%.1f s); nothing was written to %s and earlier results are untouched; run the same command again to start over",
			prog.count.Load(), perJob*len(jobs), time.Since(start).Seconds(), root)
	}
	var rows []resultdir.BatchRow
	var results []*sim.Results
	for _, j := range jobs {
		res, err := simulate(ctx, j, rf, shard, events, &prog.count)
		if err != nil {
			prog.finish()
			if errors.Is(err, context.Canceled) {
				return interrupted()
			}
			return err
		}
		results = append(results, res)
		rows = append(rows, resultdir.BatchRow{Scenario: j.sc.Name, Results: res})
	}
	prog.finish()
	phase("simulated")

	// Write every folder into the stage; in a batch, the summary and the
	// batch's manifest go last.
	for i, j := range jobs {
		man := rf.manifest("run", args, j.path, j.raw, shard.String(), start)
		shardFile := shard.N > 1 || flagSet(fl, "shard") // with shard.csv, for reunify merge
		if err := resultdir.WriteFolder(j.staged, results[i], man, j.sc.Resolved(), shardFile); err != nil {
			return fmt.Errorf("writing results of %s: %w%s", j.path, err, writeHint(err, "--out"))
		}
	}
	if batch {
		man := rf.manifest("run", args, "", nil, shard.String(), start)
		man.ScenarioSHA256 = ""
		if err := resultdir.WriteBatch(staged, rows, man); err != nil {
			return fmt.Errorf("writing the batch summary: %w%s", err, writeHint(err, "--out"))
		}
	}
	phase("written")
	if rf.report {
		for _, j := range jobs {
			if err := report.WriteReportFiles(j.staged, j.dir); err != nil {
				return fmt.Errorf("writing the report of %s: %w%s", j.path, err, writeHint(err, "--out"))
			}
		}
		phase("reported")
	}
	if err := plan.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return interrupted()
		}
		if errors.Is(err, safefile.ErrRefused) {
			return usageError{err}
		}
		return fmt.Errorf("writing results: %w%s", err, writeHint(err, "--out"))
	}
	phase("committed")
	if !rf.quiet {
		if rf.report {
			for _, j := range jobs {
				fmt.Fprintf(stdout, "report in %s\n", filepath.Join(j.dir, resultdir.ReportFile))
			}
		}
		for i, j := range jobs {
			if batch {
				fmt.Fprintf(stdout, "\n== %s (%s)\n", j.sc.Name, j.path)
			}
			if err := report.WriteTable(stdout, results[i]); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "\nresults in %s\n", root)
	}
	return nil
}

// reserveEvents reserves the event log at path ("" for none) in plan and
// returns where to write it: inside the result folder's stage if path is
// directly in the result folder root (it then lands with the folder),
// else in a stage of its own, committed with the folder.
func reserveEvents(plan *safefile.Plan, path, root, staged string) (string, error) {
	if path == "" {
		return "", nil
	}
	absEv, err1 := filepath.Abs(path)
	absRoot, err2 := filepath.Abs(root)
	if err := errors.Join(err1, err2); err != nil {
		return "", usageError{err}
	}
	switch {
	case absEv == absRoot:
		return "", usagef("--events %s is the --out folder; give a file name for the event log", path)
	case filepath.Dir(absEv) == absRoot:
		name := filepath.Base(absEv)
		if err := resultdir.CheckName(name); err != nil || resultdir.IsFolderFile(name) {
			return "", usagef("--events %s: in the result folder the event log needs a name of its own (events.csv, say), not that of a result file", path)
		}
		return filepath.Join(staged, name), nil
	case strings.HasPrefix(absEv, absRoot+string(filepath.Separator)):
		return "", usagef("--events %s is in a folder inside --out %s; put the event log directly in --out, or outside it", path, root)
	}
	p, err := plan.File(path, resultdir.OwnedEventLog)
	if err != nil {
		return "", planErr("--events", err)
	}
	return p, nil
}

// planErr turns a destination the plan refused into a usage error
// naming the flag; other errors (the disk) fail the run.
func planErr(flag string, err error) error {
	if errors.Is(err, safefile.ErrRefused) {
		return usageError{fmt.Errorf("%s %w", flag, err)}
	}
	return fmt.Errorf("%s: %w", flag, err)
}

// printNotes prints what the plan did beside its destinations: the
// temporary files of interrupted runs it removed or found.
func printNotes(stderr io.Writer, plan *safefile.Plan) {
	for _, n := range plan.Notes() {
		fmt.Fprintln(stderr, "reunify:", n)
	}
}

func loadJobs(paths []string, sets []string) ([]*job, error) {
	var jobs []*job
	var problems []error
	for _, p := range paths {
		raw, err := scenario.ReadFile(p)
		if err != nil {
			problems = append(problems, inputErr(err))
			continue
		}
		sc, err := scenario.LoadBytes(p, raw, sets)
		if err != nil {
			problems = append(problems, inputErr(err))
			continue
		}
		m, params, err := sc.Build()
		if err != nil {
			problems = append(problems, inputErr(err))
			continue
		}
		jobs = append(jobs, &job{path: p, raw: raw, sc: sc, model: m, params: params})
	}
	if len(problems) > 0 {
		return nil, usageError{errors.Join(problems...)}
	}
	return jobs, nil
}

func simulate(ctx context.Context, j *job, rf runFlags, shard resultdir.Shard, events string, count *atomic.Int64) (*sim.Results, error) {
	opt := sim.Options{
		Iterations: rf.iterations,
		Seed:       rf.seed,
		Workers:    rf.workers,
		Shard:      shard.K,
		Shards:     shard.N,
		Params:     j.params,
		Progress:   count,
	}
	if events == "" {
		return sim.Run(ctx, j.model, opt)
	}
	return withEventLog(events, rf.events, func(w io.Writer) (*sim.Results, error) {
		opt.Events = w
		return sim.Run(ctx, j.model, opt)
	})
}

// manifest records a command that ran with these flags on the scenario
// at path (raw: the file as read) from start until now.
func (rf *runFlags) manifest(cmd string, args []string, path string, raw []byte, shard string, start time.Time) resultdir.Manifest {
	end := time.Now().UTC()
	return resultdir.Manifest{
		Program:        "reunify",
		Version:        version,
		Commit:         commit(),
		GoVersion:      runtime.Version(),
		CommandLine:    append([]string{"reunify", cmd}, args...),
		Scenario:       path,
		ScenarioSHA256: sha(raw),
		Seed:           rf.seed,
		Iterations:     rf.iterations,
		Workers:        rf.workers,
		Shard:          shard,
		Start:          start,
		End:            end,
		WallSeconds:    end.Sub(start).Seconds(),
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// withEventLog runs f with a writer to the new file path (in a plan's
// stage: it lands only if the whole run does), flushed and synced; name
// is the event log as the user named it, for messages.
func withEventLog(path, name string, f func(io.Writer) (*sim.Results, error)) (*sim.Results, error) {
	fail := func(err error) (*sim.Results, error) {
		return nil, fmt.Errorf("event log %s: %w%s", name, err, writeHint(err, "--events (or drop it)"))
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fail(err)
	}
	defer file.Close()
	bw := bufio.NewWriterSize(file, 1<<20)
	res, err := f(bw)
	if errors.Is(err, context.Canceled) {
		return nil, err
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	return res, nil
}
