package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
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
	start := time.Now().UTC()
	folder := *out
	if folder == "" {
		folder = resultdir.DefaultDir("validation", start)
	}
	if fi, err := os.Stat(folder); err == nil && !fi.IsDir() {
		return usagef("--out %s is a file: give a folder for validation.csv (a new one, or one holding an earlier validation.csv)", folder)
	}
	var fsys fs.FS = scenarios.FS
	var inputs []string
	if *dir != "" {
		files, err := readScenarioFolder(*dir)
		if err != nil {
			return err
		}
		fsys = files
		for _, f := range validation.Files {
			inputs = append(inputs, filepath.Join(*dir, f))
		}
	}
	// validation.csv is reserved before the run (safefile.Plan): a new file,
	// or with --force one validate-model wrote; never a scenario read.
	path := filepath.Join(folder, "validation.csv")
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
	prog := progress.Start(stderr, int64(validation.Runs**iterations), "validating", *quiet)
	rows, err := validation.Run(ctx, fsys, validation.Options{Iterations: *iterations, Seed: *seed, Workers: *workers, Progress: &prog.Count, Dir: *dir})
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("validate-model: interrupted; nothing was written")
	}
	if err != nil {
		return inputErr(err)
	}
	if err := safefile.Create(staged, func(w io.Writer) error { return validation.WriteCSV(w, rows) }); err != nil {
		return fmt.Errorf("validate-model: writing %s: %w%s", path, err, writeHint(err, "--out"))
	}
	if err := plan.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("validate-model: interrupted; nothing was written")
		}
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

// scenarioFiles are the scenario files of a --scenarios folder, read
// before the run, served to validation.Run by name.
type scenarioFiles map[string][]byte

// ReadFile returns a file read by readScenarioFolder (fs.ReadFileFS).
func (m scenarioFiles) ReadFile(name string) ([]byte, error) {
	if b, ok := m[name]; ok {
		return b, nil
	}
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// Open is not used: validation.Run reads whole files (ReadFile).
func (m scenarioFiles) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// readScenarioFolder reads every file validation.Run needs from dir with
// the scenario reader (bounded), after checking that each is a regular
// file: opening a named pipe blocks until something writes to it, and a
// device such as /dev/zero never ends.
func readScenarioFolder(dir string) (scenarioFiles, error) {
	files := scenarioFiles{}
	for _, name := range validation.Files {
		p := filepath.Join(dir, name)
		need := fmt.Sprintf("--scenarios needs a folder holding edited copies of the shipped scenarios (%s)", strings.Join(validation.Files, ", "))
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, scenario.Problems{{File: p, Msg: "no such file: " + need}}
		case err == nil && !fi.Mode().IsRegular():
			return nil, scenario.Problems{{File: p, Msg: fmt.Sprintf("not a regular file (%s): %s", fileKind(fi.Mode()), need)}}
		}
		b, err := scenario.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

// fileKind names what a file that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a file"
}
