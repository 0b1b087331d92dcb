package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/validation"
)

func cmdValidateModel(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("validate-model", stderr)
	var sf simFlags
	sf.register(fl, 50, "Monte Carlo iterations for each run")
	out := fl.String("out", "", "folder for validation.csv (default results/validation-<UTC time>)")
	dir := fl.String("scenarios", "", "a folder of edited copies of the shipped scenarios (default: the copies built into reunify)")
	quiet := fl.Bool("quiet", false, "no progress bar or table")
	force := fl.Bool("force", false, "replace an existing validation.csv")
	strict := fl.Bool("strict", false, "exit 1 if a predicted row fails too")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() != 0 {
		return usagef("validate-model takes no arguments (use --scenarios DIR for edited scenarios)")
	}
	if err := sf.check(2); err != nil {
		return err
	}
	folder := *out
	if folder == "" {
		folder = resultdir.Free(resultdir.DefaultDir("validation", time.Now()))
	}
	if fi, err := os.Stat(folder); err == nil && !fi.IsDir() {
		return usagef("--out %s is a file: give a folder for validation.csv (a new one, or one holding an earlier validation.csv)", folder)
	}
	fsys, inputs, err := validation.Scenarios(*dir)
	if err != nil {
		return err
	}
	// validation.csv and its manifest (validation.json, with its sha256)
	// are reserved before the run: new files, or with --force ones
	// validate-model wrote and nobody changed; never a scenario read.
	start := time.Now().UTC()
	plan, err := safefile.NewPlan(*force, inputs...)
	if err != nil {
		return err
	}
	defer plan.Abort()
	files, err := resultdir.ReserveAnalysis(plan, folder, validation.File)
	if err != nil {
		return planErr("validate-model: --out", err)
	}
	path := files.Path
	printNotes(stderr, plan)

	ctx, stop := interrupt.Context(stderr)
	defer stop()
	prog := progress.Start(stderr, int64(validation.Runs*sf.opt.Iterations), "validating", *quiet)
	opt := sf.opt
	opt.Progress = &prog.Count
	rows, err := validation.Run(ctx, fsys, opt)
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("validate-model: interrupted; nothing was written")
	}
	if err != nil {
		return err
	}
	man := resultdir.AnalysisManifest{Manifest: resultdir.NewManifest(append([]string{"validate-model"}, args...), start, sf.opt), Analysis: "validate-model", Runs: validation.Runs}
	if err := files.Write(func(w io.Writer) error { return validation.WriteCSV(w, rows) }, man); err != nil {
		return fmt.Errorf("validate-model: %w%s", err, writeHint(err, "--out"))
	}
	if err := commit(ctx, plan, "validate-model", path, "--out"); err != nil {
		return err
	}
	if !*quiet {
		if err := validation.WriteTable(stdout, rows); err != nil {
			return err
		}
		if err := validation.WriteSummary(stdout, rows, sf.opt.Iterations, sf.opt.Seed, path); err != nil {
			return err
		}
	}
	return validation.Verdict(rows, *strict, path)
}
