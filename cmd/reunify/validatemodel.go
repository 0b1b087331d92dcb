package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenarios"
	"github.com/reunify/reunify/validation"
)

const validateModelUsage = `reunify validate-model [flags]

Runs the shipped scenarios against the published figures: "calibrated"
rows, figures a parameter was set from, and "predicted" rows, figures it
was not. Prints a table and writes validation.csv into --out. Exits 1 if
a calibrated row fails (--strict: a predicted row too). See
docs/validation.md.`

func cmdValidateModel(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("validate-model", validateModelUsage, stderr)
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
		folder = resultdir.DefaultDir("validation", time.Now())
	}
	if fi, err := os.Stat(folder); err == nil && !fi.IsDir() {
		return usagef("--out %s is a file: give a folder for validation.csv (a new one, or one holding an earlier validation.csv)", folder)
	}
	var fsys fs.FS = scenarios.FS
	var inputs []string
	if *dir != "" {
		f, err := validation.ReadFolder(*dir)
		if err != nil {
			return err
		}
		fsys, inputs = f, f.Paths()
	}
	// validation.csv is reserved before the run: a new file, or with
	// --force one validate-model wrote; never a scenario read.
	path := filepath.Join(folder, validation.File)
	plan, err := safefile.NewPlan(*force, inputs...)
	if err != nil {
		return err
	}
	defer plan.Abort()
	staged, err := plan.File(path, safefile.OwnedPrefix(strings.Join(validation.Header, ",")+"\n"))
	if err != nil {
		return planErr("validate-model: --out", err)
	}
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
	if err := safefile.Create(staged, func(w io.Writer) error { return validation.WriteCSV(w, rows) }); err != nil {
		return fmt.Errorf("validate-model: writing %s: %w%s", path, err, writeHint(err, "--out"))
	}
	if err := commit(ctx, plan, "validate-model", path, "--out"); err != nil {
		return err
	}
	nc, np := validation.Count(rows, validation.Calibrated), validation.Count(rows, validation.Predicted)
	fc, fp := validation.Failed(rows, validation.Calibrated), validation.Failed(rows, validation.Predicted)
	if !*quiet {
		if err := validation.WriteTable(stdout, rows); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\ncalibrated: %d of %d rows pass; predicted: %d of %d pass (%d iterations each, seed %d); written to %s\n",
			nc-fc, nc, np-fp, np, sf.opt.Iterations, sf.opt.Seed, path)
		if fp > 0 {
			fmt.Fprintf(stdout, "a predicted row that fails is a finding about the model, not a figure to tune a scenario to: see docs/validation.md\n")
		}
	}
	if fc > 0 {
		return fmt.Errorf("%d of %d calibrated figures are no longer reproduced: see %s", fc, nc, path)
	}
	if *strict && fp > 0 {
		return fmt.Errorf("--strict: %d of %d predicted figures are not reproduced: see %s", fp, np, path)
	}
	return nil
}
