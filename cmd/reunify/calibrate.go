package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/ssda903"
)

const calibrateUsage = `reunify calibrate --episodes E.csv [--episodes E2.csv]... --header H.csv [--header H2.csv]... --out scenario.toml
       reunify calibrate SCENARIO.toml --target metric=value... --param key.path... --out fitted.toml

From SSDA903 files: reads the episodes and header files (several years may
be given; repeated episodes are kept once), reconstructs periods of care,
estimates entry, placement, move, return-home, permanence and re-entry
rates with their evidence, and writes a complete commented scenario.
Rows that cannot be used are skipped and listed, by file and line, in a
CSV beside --out (see --dropped). No child identifier, date of birth or
postcode is written anywhere.

To targets: adjusts the --param values of SCENARIO.toml (key paths as for
--set) until the baseline arm's simulated means of the --target metrics
are within 2 Monte Carlo standard errors, using the same seed at every
step, and writes the fitted scenario.`

func cmdCalibrate(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("calibrate", calibrateUsage, stderr)
	var episodes, headers, targets, params, sets multiFlag
	var out, dropped, from, to, name string
	var horizon, iterations, workers, maxEvals int
	var seed uint64
	var force bool
	fl.Var(&episodes, "episodes", "an SSDA903 episodes CSV file (repeatable: one per year)")
	fl.Var(&headers, "header", "an SSDA903 header CSV file (repeatable: one per year)")
	fl.StringVar(&out, "out", "", "the scenario to write (required)")
	fl.StringVar(&dropped, "dropped", "", "where to list the rows skipped or reported (default: beside --out, <name>_dropped.csv)")
	fl.StringVar(&from, "from", "", "first day of the data's window, yyyy-mm-dd (default: the 1 April before the earliest episode end)")
	fl.StringVar(&to, "to", "", "last day of the data's window, the censoring date, yyyy-mm-dd (default: the 31 March after the latest date)")
	fl.StringVar(&name, "name", "", "scenario name (default: the --out file name)")
	fl.IntVar(&horizon, "horizon-years", 5, "horizon of the scenario written")
	fl.Var(&targets, "target", "fit: a metric and the value to reach, e.g. reentry_rate_12m=0.18 (repeatable)")
	fl.Var(&params, "param", "fit: a scenario key path to adjust, e.g. home.reentry.cumulative.1 (repeatable)")
	fl.Var(&sets, "set", "fit: override a scenario value by its TOML path before fitting (repeatable)")
	fl.IntVar(&iterations, "iterations", 200, "fit: Monte Carlo iterations per evaluation")
	fl.Uint64Var(&seed, "seed", 1, "fit: random seed, the same at every evaluation")
	fl.IntVar(&workers, "workers", runtime.NumCPU(), "fit: concurrent workers")
	fl.IntVar(&maxEvals, "max-evals", 60, "fit: most scenario evaluations before giving up")
	fl.BoolVar(&force, "force", false, "replace existing output files")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	pos := fl.Args()
	if out == "" {
		return usagef("calibrate: --out is required: the scenario file to write")
	}
	if !force {
		if _, err := os.Stat(out); err == nil {
			return usagef("calibrate: %s exists; choose another --out, or add --force to replace it", out)
		}
	}
	switch {
	case len(pos) == 0 && len(episodes) > 0:
		if len(targets) > 0 || len(params) > 0 {
			return usagef("calibrate: --target and --param fit an existing scenario: calibrate from the files first, then fit the scenario written")
		}
		if len(headers) == 0 {
			return usagef("calibrate: need --header: the header file(s) give each child's date of birth")
		}
		return calibrateFiles(stdout, episodes, headers, out, dropped, from, to, name, horizon, force)
	case len(pos) == 1 && len(episodes) == 0 && len(headers) == 0:
		if len(targets) == 0 || len(params) == 0 {
			return usagef("calibrate: fitting %s needs --target metric=value and --param key.path (each repeatable)", pos[0])
		}
		if iterations < 2 {
			return usagef("--iterations %d: need at least 2 for a standard error", iterations)
		}
		opt := calibrate.FitOptions{Iterations: iterations, Seed: seed, Workers: max(workers, 1), Sets: sets, MaxEvals: maxEvals}
		return calibrateFit(stdout, stderr, pos[0], targets, params, out, opt)
	}
	return usagef("calibrate: give either --episodes and --header files, or one SCENARIO.toml with --target and --param")
}

func calibrateFiles(stdout io.Writer, episodes, headers []string, out, dropped, from, to, name string, horizon int, force bool) error {
	open := func(paths []string) ([]ssda903.Source, func(), error) {
		var srcs []ssda903.Source
		var files []*os.File
		closeAll := func() {
			for _, f := range files {
				f.Close()
			}
		}
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				closeAll()
				return nil, nil, usageError{fmt.Errorf("calibrate: %w", err)}
			}
			files = append(files, f)
			srcs = append(srcs, ssda903.Source{Name: p, R: f})
		}
		return srcs, closeAll, nil
	}
	hs, closeH, err := open(headers)
	if err != nil {
		return err
	}
	defer closeH()
	es, closeE, err := open(episodes)
	if err != nil {
		return err
	}
	defer closeE()
	data, rep, err := ssda903.Read(hs, es)
	var fe *ssda903.FileError
	if errors.As(err, &fe) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if dropped == "" {
		dropped = strings.TrimSuffix(out, filepath.Ext(out)) + "_dropped.csv"
	}
	if !force {
		if _, err := os.Stat(dropped); err == nil {
			return usagef("calibrate: %s exists; choose another --dropped, or add --force to replace it", dropped)
		}
	}
	if err := writeAtomic(dropped, rep.WriteCSV); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", dropped, err)
	}
	rep.WriteSummary(stdout, 3)
	fmt.Fprintf(stdout, "every skipped or reported row is listed in %s\n", dropped)

	w := calibrate.DefaultWindow(data)
	for _, f := range []struct {
		flag, text string
		d          *ssda903.Date
	}{{"--from", from, &w.From}, {"--to", to, &w.To}} {
		if f.text == "" {
			continue
		}
		d, ok := ssda903.ParseDate(f.text)
		if !ok {
			return usagef("calibrate: %s %q: want a date, yyyy-mm-dd", f.flag, f.text)
		}
		*f.d = d
	}
	if rep.Children == 0 {
		return usagef("calibrate: no usable episodes in the files: see %s for why each row was skipped", dropped)
	}
	if w.To < w.From {
		return usagef("calibrate: the window %s to %s ends before it starts: check --from and --to", w.From, w.To)
	}
	est := calibrate.Estimate(data, w)
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))
	}
	var srcs []string
	for _, p := range append(append([]string(nil), episodes...), headers...) {
		srcs = append(srcs, filepath.Base(p))
	}
	var buf strings.Builder
	if err := calibrate.WriteScenario(&buf, est, calibrate.WriteOptions{Name: name, HorizonYears: horizon, Sources: srcs}); err != nil {
		return usageError{fmt.Errorf("calibrate: %w", err)}
	}
	if _, err := scenario.LoadBytes(out, []byte(buf.String()), nil); err != nil {
		return fmt.Errorf("calibrate: the scenario written does not validate (a bug: please report it): %w", err)
	}
	if err := writeString(out, buf.String()); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "window %s to %s: %d children in care at the start, %d entries, %d returns home\n", w.From, w.To, est.Stock, est.Entries.Events, est.Returns)
	fmt.Fprintf(stdout, "wrote %s: check it with \"reunify explain %s\", then \"reunify run %s\"\n", out, out, out)
	return nil
}

func calibrateFit(stdout, stderr io.Writer, path string, targetArgs, params []string, out string, opt calibrate.FitOptions) error {
	data, err := scenario.ReadFile(path)
	if err != nil {
		return inputErr(err)
	}
	var targets []calibrate.Target
	for _, s := range targetArgs {
		t, err := calibrate.ParseTarget(s)
		if err != nil {
			return usageError{err}
		}
		targets = append(targets, t)
	}
	ctx, stop := interruptContext(stderr)
	defer stop()
	res, err := calibrate.Fit(ctx, path, data, targets, params, opt)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("calibrate: interrupted; nothing was written")
		}
		if _, ok := scenario.AsProblems(err); ok {
			return err
		}
		return usageError{fmt.Errorf("calibrate: %w", err)}
	}
	var buf strings.Builder
	if err := calibrate.WriteFitted(&buf, path, data, res, opt); err != nil {
		return err
	}
	if err := writeString(out, buf.String()); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "%s after %d evaluations of %d iterations (seed %d):\n", res.Method, res.Evals, opt.Iterations, opt.Seed)
	for i, p := range res.Params {
		fmt.Fprintf(stdout, "  %s = %.6g (was %.6g)\n", p, res.Values[i], res.Start[i])
	}
	for k, t := range res.Targets {
		fmt.Fprintf(stdout, "  %s: target %g, simulated %.4g (Monte Carlo SE %.2g)\n", t.Metric, t.Value, res.Achieved[k], res.MCSE[k])
	}
	fmt.Fprintf(stdout, "wrote %s\n", out)
	if !res.Converged {
		return fmt.Errorf("calibrate: not every target is within 2 Monte Carlo standard errors; %s holds the best values found: try other --param keys, a different start, or more --max-evals", out)
	}
	return nil
}

// writeString writes s to path with writeAtomic.
func writeString(path, s string) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	})
}
