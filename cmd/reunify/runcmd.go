package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/reunify/reunify/output"
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
func parseShard(s string) (k, n int, err error) {
	if k, n, err = output.ParseShard(s); err != nil {
		return 0, 0, usagef("--shard %q: want K/N with N >= 1 and K from 0 to N-1, e.g. 0/4", s)
	}
	return k, n, nil
}

// job is one scenario of a run, loaded and built.
type job struct {
	path   string
	raw    []byte
	sc     *scenario.Scenario
	model  *sim.Model
	params []sim.Param
	dir    string
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
	shard, shards, err := parseShard(rf.shard)
	if err != nil {
		return err
	}

	// Load and check everything before simulating anything, so that a
	// typo in the last scenario of a batch costs no time.
	jobs, err := loadJobs(fl.Args(), rf.sets)
	if err != nil {
		return err
	}
	start := time.Now().UTC()
	batch := len(jobs) > 1
	root := rf.out
	if root == "" {
		name := jobs[0].sc.Name
		if batch {
			name = "batch"
		}
		root = output.DefaultDir(name, start)
	}
	seen, names := map[string]string{}, map[string]string{}
	for _, j := range jobs {
		j.dir = root
		if batch {
			j.dir = filepath.Join(root, j.sc.Name)
			// Folder names: "LA" and "la" are one folder on a disk
			// that ignores case.
			key := strings.ToLower(j.sc.Name)
			if other, dup := seen[key]; dup {
				if names[key] != j.sc.Name {
					return usagef("run: %s and %s have the names %q and %q, which name the same folder on a disk that ignores case; each scenario of a batch needs its own name", other, j.path, names[key], j.sc.Name)
				}
				return usagef("run: %s and %s both have the name %q; each scenario of a batch needs its own name", other, j.path, j.sc.Name)
			}
			seen[key], names[key] = j.path, j.sc.Name
		}
	}
	if batch && rf.events != "" {
		return usagef("--events works with one scenario at a time")
	}
	perJob := (rf.iterations - shard + shards - 1) / shards // iterations K, K+N, ...
	if err := lf.checkJobs(jobs, rf, perJob, root); err != nil {
		return err
	}
	if err := checkOut(root, rf.force); err != nil {
		return err
	}

	ctx, stop := interruptContext(stderr)
	defer stop()

	prog := startProgress(stderr, int64(perJob*len(jobs)), "simulating", rf.quiet)
	var rows []output.BatchRow
	var results []*sim.Results
	for _, j := range jobs {
		res, err := simulate(ctx, j, rf, shard, shards, &prog.count)
		if err != nil {
			prog.finish()
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted after %d of %d iterations (%.1f s); nothing was written to %s and earlier results are untouched; run the same command again to start over",
					prog.count.Load(), perJob*len(jobs), time.Since(start).Seconds(), root)
			}
			return err
		}
		results = append(results, res)
		rows = append(rows, output.BatchRow{Scenario: j.sc.Name, Results: res})
	}
	prog.finish()

	// Write every folder; in a batch, the summary goes last.
	for i, j := range jobs {
		man := rf.manifest("run", args, j.path, j.raw, fmt.Sprintf("%d/%d", shard, shards), start)
		write := output.Write
		if shards > 1 || flagSet(fl, "shard") {
			write = output.WriteShard // with shard.csv, for reunify merge
		}
		if err := write(j.dir, results[i], man, j.sc.Resolved(), rf.force); err != nil {
			return fmt.Errorf("writing results of %s: %w%s", j.path, err, writeHint(err, "--out"))
		}
	}
	if batch {
		if err := output.WriteBatchSummary(filepath.Join(root, output.SummaryFile), rows); err != nil {
			return fmt.Errorf("writing the batch summary: %w%s", err, writeHint(err, "--out"))
		}
	}
	if err := reportJobs(stdout, jobs, rf); err != nil {
		return err
	}
	if !rf.quiet {
		for i, j := range jobs {
			if batch {
				fmt.Fprintf(stdout, "\n== %s (%s)\n", j.sc.Name, j.path)
			}
			if err := output.WriteTable(stdout, results[i]); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "\nresults in %s\n", root)
	}
	return nil
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

// checkOut refuses a non-empty result folder without --force before any
// work is done.
func checkOut(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
			return usagef("--out %s is a file; choose a folder to create (or an empty one) for the results", dir)
		}
		return usageError{fmt.Errorf("--out %s: %w (choose another --out)", dir, err)}
	case len(entries) > 0 && !force:
		return usagef("--out %s exists and is not empty; choose another folder, or add --force to replace it", dir)
	}
	return nil
}

func simulate(ctx context.Context, j *job, rf runFlags, shard, shards int, count *atomic.Int64) (*sim.Results, error) {
	opt := sim.Options{
		Iterations: rf.iterations,
		Seed:       rf.seed,
		Workers:    rf.workers,
		Shard:      shard,
		Shards:     shards,
		Params:     j.params,
		Progress:   count,
	}
	if rf.events == "" {
		return sim.Run(ctx, j.model, opt)
	}
	return withEventLog(rf.events, func(w io.Writer) (*sim.Results, error) {
		opt.Events = w
		return sim.Run(ctx, j.model, opt)
	})
}

// manifest records a command that ran with these flags on the scenario
// at path (raw: the file as read) from start until now.
func (rf *runFlags) manifest(cmd string, args []string, path string, raw []byte, shard string, start time.Time) output.Manifest {
	end := time.Now().UTC()
	return output.Manifest{
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

// withEventLog runs f with a writer that output.WriteFileAtomic renames
// into place only if f and every write succeed, so a failed or
// interrupted run (a full disk, say) leaves no partial log and no earlier
// file damaged.
func withEventLog(path string, f func(io.Writer) (*sim.Results, error)) (*sim.Results, error) {
	var res *sim.Results
	err := output.WriteFileAtomic(path, func(w io.Writer) error {
		var err error
		res, err = f(w)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("event log %s: %w%s", path, err, writeHint(err, "--events (or drop it)"))
	}
	return res, nil
}
