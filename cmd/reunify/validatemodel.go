package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/output"
	"github.com/reunify/reunify/scenarios"
	"github.com/reunify/reunify/validation"
)

const validateModelUsage = `reunify validate-model [flags]

Runs the shipped scenarios and compares them with published figures, in
two parts: "calibrated" rows, figures a parameter was set from (they
check the calibration still holds), and "predicted" rows, figures no
parameter was set from (they test what the model predicts). Each row's
band is the figure's own precision (its rounding and sample size), widened
by 4 Monte Carlo standard errors. Prints a table (role, published figure,
simulated mean with its 95% interval, pass band, result) and writes
validation.csv into --out. Exits 1 if a calibrated row fails; a predicted
row that fails is a finding about the model (docs/validation.md), and
fails the command only with --strict.`

func cmdValidateModel(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("validate-model", validateModelUsage, stderr)
	iterations := fl.Int("iterations", 50, "Monte Carlo iterations for each run")
	seed := fl.Uint64("seed", 1, "random seed")
	workers := fl.Int("workers", runtime.NumCPU(), "concurrent workers (results do not depend on it)")
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
	if *iterations < 2 {
		return usagef("--iterations %d: need at least 2 for a Monte Carlo standard error", *iterations)
	}
	if *workers < 1 {
		return usagef("--workers %d: need at least 1", *workers)
	}
	var fsys fs.FS = scenarios.FS
	if *dir != "" {
		if _, err := os.Stat(filepath.Join(*dir, "england.toml")); err != nil {
			return usagef("--scenarios %s: %v", *dir, err)
		}
		fsys = os.DirFS(*dir)
	}
	start := time.Now().UTC()
	folder := *out
	if folder == "" {
		folder = output.DefaultDir("validation", start)
	}
	path := filepath.Join(folder, "validation.csv")
	if _, err := os.Stat(path); err == nil && !*force {
		return usagef("%s exists; choose another --out, or add --force to replace it", path)
	}

	ctx, stop := interrupt.Context(stderr)
	defer stop()
	prog := progress.Start(stderr, int64(validation.Runs**iterations), "validating", *quiet)
	rows, err := validation.Run(ctx, fsys, validation.Options{Iterations: *iterations, Seed: *seed, Workers: *workers, Progress: &prog.Count})
	prog.Finish()
	if err != nil {
		return inputErr(err)
	}
	if err := writeAtomic(path, func(w io.Writer) error { return validation.WriteCSV(w, rows) }); err != nil {
		return fmt.Errorf("validate-model: %w", err)
	}
	nc, np := validation.Count(rows, validation.Calibrated), validation.Count(rows, validation.Predicted)
	fc, fp := validation.Failed(rows, validation.Calibrated), validation.Failed(rows, validation.Predicted)
	if !*quiet {
		if err := validation.WriteTable(stdout, rows); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\ncalibrated: %d of %d rows pass; predicted: %d of %d pass (%d iterations each, seed %d); written to %s\n",
			nc-fc, nc, np-fp, np, *iterations, *seed, path)
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
