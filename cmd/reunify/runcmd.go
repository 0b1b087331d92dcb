package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/limits"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/report"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// runFlags are the flags of run.
type runFlags struct {
	workFlags
	shard  resultdir.Shard
	events string
	report bool
}

func (r *runFlags) register(fl *flag.FlagSet) {
	r.workFlags.register(fl, "Monte Carlo iterations: each draws every uncertain parameter anew and simulates new children, so intervals and probabilities hold both; with no uncertain parameter they are chance alone, and run warns. run also warns when the iterations are too few for the precision of the headline figures (see docs/outputs.md)",
		"result folder (default results/<scenario>-<UTC time>); with several scenarios, a batch folder holding one per scenario and a summary.csv joining theirs", "replace a non-empty --out folder")
	r.shard = resultdir.Shard{K: 0, N: 1}
	fl.Var(&r.shard, "shard", "run only shard K of N (K from 0 to N-1): iterations K, K+N, K+2N, ...")
	fl.StringVar(&r.events, "events", "", "also write an event log CSV (one row per event) to this file")
	fl.BoolVar(&r.report, "report", false, "also write report.html and charts/ into each result folder (see reunify help report)")
}

// checkLimits refuses work beyond this machine's limits, unless --allow-large.
var checkLimits = limits.CheckLocal

func cmdRun(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("run", stderr)
	var rf runFlags
	rf.register(fl)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return usagef("run: no scenario given (try scenarios/local-authority.toml)")
	}
	if err := rf.check(1); err != nil {
		return err
	}
	shard := rf.shard
	if shard.N > rf.opt.Iterations {
		return usagef("--shard %s: more shards than the %d iterations, so some would hold none; use N up to %d", rf.shard, rf.opt.Iterations, rf.opt.Iterations)
	}
	rf.opt.Shard, rf.opt.Shards = shard.K, shard.N
	if rf.events != "" {
		// More workers than cores only queue event buffers (each waits
		// for the iterations before it to be written): see
		// sim.MemoryEstimate.
		rf.opt.Workers = min(rf.opt.Workers, runtime.NumCPU())
	}

	ctx, stop := interrupt.Context(stderr)
	defer stop()

	// Load and check everything before simulating anything, so that a
	// typo in the last scenario of a batch costs no time.
	jobs, err := loadJobs(fl.Args(), rf.sets)
	if err != nil {
		return err
	}
	safefile.Phase("loaded")
	start := time.Now().UTC()
	batch := len(jobs) > 1
	var inputs, names []string
	for _, j := range jobs {
		inputs, names = append(inputs, j.Path), append(names, j.Name)
	}
	root := rf.out
	if root == "" {
		root = resultdir.Free(resultdir.DefaultRunDir(names, start))
	}
	if batch {
		if err := resultdir.CheckBatch(names, inputs); err != nil {
			return fmt.Errorf("run: %w", err)
		}
	}
	perJob := shard.Iterations(rf.opt.Iterations)
	for _, j := range jobs {
		w := limits.Work{Model: j.Model, Params: len(j.Params), Iterations: perJob, Workers: rf.opt.Workers, Out: root, Events: rf.events}
		if err := checkLimits(rf.allowLarge, j.Path, w); err != nil {
			return err
		}
	}

	// Reserve every destination before simulating: a folder that cannot
	// be written, or must not be replaced, is found now.
	plan, err := safefile.NewPlan(rf.force, inputs...)
	if err != nil {
		return err
	}
	defer plan.Abort()
	out, err := resultdir.ReserveRun(plan, root, names)
	if err != nil {
		return planErr("--out", err)
	}
	events, err := resultdir.ReserveEventLog(plan, rf.events, out)
	if err != nil {
		return planErr("--events", err)
	}
	printNotes(stderr, plan)
	safefile.Phase("planned")

	prog := progress.Start(stderr, int64(perJob*len(jobs)), "simulating", rf.quiet)
	interrupted := func() error {
		return fmt.Errorf("interrupted after %d of %d iterations (%.1f s); nothing was written to %s and earlier results are untouched; run the same command again to start over",
			prog.Count.Load(), perJob*len(jobs), time.Since(start).Seconds(), root)
	}
	var rows []resultdir.BatchRow
	for _, j := range jobs {
		opt := rf.opt
		opt.Params, opt.Progress = j.Params, &prog.Count
		res, err := simulate(ctx, j.Model, opt, events, rf.events)
		if err != nil {
			prog.Finish()
			if errors.Is(err, context.Canceled) {
				return interrupted()
			}
			return err
		}
		rows = append(rows, resultdir.BatchRow{Scenario: j.Name, Results: res})
	}
	prog.Finish()
	safefile.Phase("simulated")

	// Write every folder into the stage; in a batch, the summary and the
	// batch's manifest go last.
	cmdLine := append([]string{"run"}, args...)
	for i, j := range jobs {
		man := resultdir.NewManifest(cmdLine, start, rf.opt)
		man.SetScenario(j.Path, j.Raw)
		if err := out.RecordEventLog(&man); err != nil {
			return fmt.Errorf("event log %s: %w", rf.events, err)
		}
		shardFile := shard.N > 1 || flagSet(fl, "shard") // with shard.csv, for reunify merge
		_, staged := out.Folder(i)
		if err := resultdir.WriteFolder(staged, rows[i].Results, man, j.Resolved(), shardFile); err != nil {
			return fmt.Errorf("writing results of %s: %w%s", j.Path, err, writeHint(err, "--out"))
		}
	}
	if batch {
		if err := resultdir.WriteBatch(out.Staged, rows, resultdir.NewManifest(cmdLine, start, rf.opt)); err != nil {
			return fmt.Errorf("writing the batch summary: %w%s", err, writeHint(err, "--out"))
		}
	}
	safefile.Phase("written")
	if rf.report {
		for i, j := range jobs {
			dir, staged := out.Folder(i)
			if err := report.WriteReportFiles(staged, dir); err != nil {
				return fmt.Errorf("writing the report of %s: %w%s", j.Path, err, writeHint(err, "--out"))
			}
		}
		safefile.Phase("reported")
	}
	if err := plan.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return interrupted()
		}
		return fmt.Errorf("writing results: %w%s", err, writeHint(err, "--out"))
	}
	safefile.Phase("committed")
	for i, j := range jobs {
		summary.PrintWarnings(stderr, j.Name, rows[i].Results)
	}
	if !rf.quiet {
		if rf.report {
			for i := range jobs {
				dir, _ := out.Folder(i)
				fmt.Fprintf(stdout, "report in %s\n", filepath.Join(dir, resultdir.ReportFile))
			}
		}
		for i, j := range jobs {
			if batch {
				fmt.Fprintf(stdout, "\n== %s (%s)\n", j.Name, j.Path)
			}
			if err := report.WriteTable(stdout, rows[i].Results); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "\nresults in %s\n", root)
	}
	return nil
}

// planErr names the flag whose destination the plan refused or could
// not make.
func planErr(flag string, err error) error {
	if errors.Is(err, safefile.ErrRefused) {
		return fmt.Errorf("%s %w", flag, err)
	}
	return fmt.Errorf("%s: %w", flag, err)
}

// printNotes prints what the plan did beside its destinations.
func printNotes(stderr io.Writer, plan *safefile.Plan) { plan.PrintNotes(stderr) }

// loadJobs opens every scenario, reporting every one's problems
// together.
func loadJobs(paths []string, sets []string) ([]*scenario.File, error) {
	var jobs []*scenario.File
	var problems []error
	for _, p := range paths {
		j, err := scenario.Open(p, sets)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		jobs = append(jobs, j)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return jobs, nil
}

// simulate runs m with opt, writing the event log to events (a path in
// the plan's stage; "" for none; name is how the user gave it).
func simulate(ctx context.Context, m *sim.Model, opt sim.Options, events, name string) (*sim.Results, error) {
	if events == "" {
		return sim.Run(ctx, m, opt)
	}
	var res *sim.Results
	err := safefile.Create(events, func(w io.Writer) (err error) {
		opt.Events = w
		res, err = sim.Run(ctx, m, opt)
		return err
	})
	if errors.Is(err, context.Canceled) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("event log %s: %w%s", name, err, writeHint(err, "--events (or drop it)"))
	}
	return res, nil
}
