package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/ssda903"
)

const calibrateUsage = `reunify calibrate --episodes E.csv [--episodes E2.csv]... --header H.csv [--header H2.csv]... --out scenario.toml
       reunify calibrate --episodes E.csv --header H.csv --la CODE|all|region --out scenario.toml|DIR
       reunify calibrate --backtest --episodes E.csv --header H.csv [--split yyyy-mm-dd] --out backtest.csv
       reunify calibrate SCENARIO.toml --target metric=value... --param key.path... --out fitted.toml

From SSDA903 files: reads the episodes and header files (several years may
be given; repeated episodes are kept once), reconstructs periods of care,
estimates entry, placement, move, return-home, permanence and re-entry
rates with their evidence, pools each table's cells toward the pattern
over all cells (a cell with few events borrows from its neighbours), and
writes a complete commented scenario. Rows that cannot be used are
skipped and listed, by file, line and column, in a CSV beside --out (see
--dropped). No child identifier, date of birth, postcode or other cell
value is written anywhere, only known codes.

Files with an LA column holding several authorities need --la: one
authority's code, "all" (one scenario per authority in the folder --out,
each shrunk toward the region), or "region" (the authorities as one).

With --backtest: fits the rates on the earlier years of the window
(before --split), simulates the whole window, and compares the later
years' entries, returns home, re-entries and children in care with what
the files record, with 95% prediction intervals; writes the comparison
to --out.

To targets: adjusts the --param values of SCENARIO.toml (key paths as for
--set) until the baseline arm's simulated means of the --target metrics
are within 2 Monte Carlo standard errors, using the same seed at every
step, and writes the fitted scenario.`

// calibrateRun is what calibrate from SSDA903 files was asked to do.
type calibrateRun struct {
	episodes, headers            []string
	out, dropped, from, to       string
	name, la, split              string
	horizon, iterations, workers int
	seed                         uint64
	force, backtest, quiet       bool
}

func cmdCalibrate(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("calibrate", calibrateUsage, stderr)
	var episodes, headers, targets, params, sets multiFlag
	var r calibrateRun
	var maxEvals int
	fl.Var(&episodes, "episodes", "an SSDA903 episodes CSV file (repeatable: one per year)")
	fl.Var(&headers, "header", "an SSDA903 header CSV file (repeatable: one per year)")
	fl.StringVar(&r.out, "out", "", "the scenario to write (required); with --la all, a folder; with --backtest, the comparison CSV")
	fl.StringVar(&r.dropped, "dropped", "", "where to list the rows skipped or reported (default: beside --out, <name>_dropped.csv; with --la all, dropped.csv in the folder)")
	fl.StringVar(&r.from, "from", "", "first day of the data's window, yyyy-mm-dd (default: the first collection year the files hold)")
	fl.StringVar(&r.to, "to", "", "last day of the data's window, the censoring date, yyyy-mm-dd (default: the 31 March ending the last collection year the files hold)")
	fl.StringVar(&r.name, "name", "", "scenario name (default: the --out file name, or the authority's code)")
	fl.StringVar(&r.la, "la", "", "with an LA column: an authority's code, \"all\" (one scenario per authority, shrunk toward the region) or \"region\" (all as one)")
	fl.IntVar(&r.horizon, "horizon-years", 5, "horizon of the scenario written")
	fl.BoolVar(&r.backtest, "backtest", false, "fit on the earlier years, predict the later years and compare them with the files")
	fl.StringVar(&r.split, "split", "", "backtest: the first day of the years predicted, yyyy-mm-dd (default: after the first half of the window's years)")
	fl.Var(&targets, "target", "fit: a metric and the value to reach, e.g. reentry_rate_12m=0.18 (repeatable)")
	fl.Var(&params, "param", "fit: a scenario key path to adjust, e.g. home.reentry.cumulative.1 (repeatable)")
	fl.Var(&sets, "set", "fit: override a scenario value by its TOML path before fitting (repeatable)")
	fl.IntVar(&r.iterations, "iterations", 200, "fit and backtest: Monte Carlo iterations")
	fl.Uint64Var(&r.seed, "seed", 1, "fit and backtest: random seed")
	fl.IntVar(&r.workers, "workers", runtime.NumCPU(), "fit and backtest: concurrent workers")
	fl.IntVar(&maxEvals, "max-evals", 60, "fit: most scenario evaluations before giving up")
	fl.BoolVar(&r.force, "force", false, "replace existing output files")
	fl.BoolVar(&r.quiet, "quiet", false, "backtest: no progress bar")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	pos := fl.Args()
	r.episodes, r.headers = episodes, headers
	if r.out == "" {
		return usagef("calibrate: --out is required: the scenario file to write")
	}
	if !r.force && r.la != "all" {
		if _, err := os.Stat(r.out); err == nil {
			return usagef("calibrate: %s exists; choose another --out, or add --force to replace it", r.out)
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
		if r.split != "" && !r.backtest {
			return usagef("calibrate: --split is for --backtest")
		}
		if r.backtest && (r.iterations < 2 || r.workers < 1) {
			return usagef("calibrate: --backtest needs --iterations of at least 2 and --workers of at least 1")
		}
		return calibrateFiles(stdout, stderr, r)
	case len(pos) == 1 && len(episodes) == 0 && len(headers) == 0:
		if len(targets) == 0 || len(params) == 0 {
			return usagef("calibrate: fitting %s needs --target metric=value and --param key.path (each repeatable)", pos[0])
		}
		if r.backtest || r.la != "" {
			return usagef("calibrate: --backtest and --la work on SSDA903 files (--episodes, --header), not on a scenario")
		}
		if r.iterations < 2 {
			return usagef("--iterations %d: need at least 2 for a standard error", r.iterations)
		}
		opt := calibrate.FitOptions{Iterations: r.iterations, Seed: r.seed, Workers: max(r.workers, 1), Sets: sets, MaxEvals: maxEvals}
		return calibrateFit(stdout, stderr, pos[0], targets, params, r.out, opt)
	}
	return usagef("calibrate: give either --episodes and --header files, or one SCENARIO.toml with --target and --param")
}

// readReturn opens and reads the SSDA903 files (bounded: ssda903.Read
// refuses a file that is not a CSV file of a sensible size).
func readReturn(headers, episodes []string) (*ssda903.Data, *ssda903.Report, error) {
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
		return nil, nil, err
	}
	defer closeH()
	es, closeE, err := open(episodes)
	if err != nil {
		return nil, nil, err
	}
	defer closeE()
	data, rep, err := ssda903.Read(hs, es)
	var fe *ssda903.FileError
	if errors.As(err, &fe) {
		return nil, nil, usageError{err}
	}
	return data, rep, err
}

// authorities returns the authorities calibrate works on, by index in
// data.LAs, and whether each gets a scenario of its own (false: all are
// pooled as one, the region).
func authorities(data *ssda903.Data, la string) (pick []uint16, each bool, err error) {
	var present []uint16
	seen := map[uint16]bool{}
	for _, c := range data.Children {
		if !seen[c.LA] {
			seen[c.LA] = true
			present = append(present, c.LA)
		}
	}
	slices.SortFunc(present, func(a, b uint16) int { return strings.Compare(data.LAs[a], data.LAs[b]) })
	var codes []string
	for _, k := range present {
		if data.LAs[k] != "" {
			codes = append(codes, data.LAs[k])
		}
	}
	switch {
	case la == "" && len(codes) <= 1 || la == "region":
		return present, false, nil
	case la == "" && len(present) > 1:
		return nil, false, usagef("calibrate: the files hold %d authorities (%s): give --la CODE for one, --la all for one scenario each (shrunk toward the region), or --la region for all as one",
			len(present), strings.Join(codes, ", "))
	case len(codes) == 0:
		return nil, false, usagef("calibrate: --la: the files have no LA column, so they hold one authority: leave --la out")
	case la == "all":
		if seen[0] {
			return nil, false, usagef("calibrate: --la all: some children are only in files without an LA column; calibrate those files on their own, or give --la region")
		}
		return present, true, nil
	}
	want := strings.ToUpper(strings.TrimSpace(la))
	for _, k := range present {
		if data.LAs[k] == want {
			return []uint16{k}, true, nil
		}
	}
	if ssda903.IsAuthorityCode(want) {
		return nil, false, usagef("calibrate: --la %s: no such authority in the files (they hold %s)", want, strings.Join(codes, ", "))
	}
	return nil, false, usagef("calibrate: --la: not an authority code, \"all\" or \"region\" (the files hold %s)", strings.Join(codes, ", "))
}

func calibrateFiles(stdout, stderr io.Writer, r calibrateRun) error {
	data, rep, err := readReturn(r.headers, r.episodes)
	if err != nil {
		return err
	}
	pick, each, err := authorities(data, r.la)
	if err != nil {
		return err
	}
	// What is written, and where: a folder for --la all.
	folder := r.la == "all"
	dropped := r.dropped
	if dropped == "" {
		dropped = strings.TrimSuffix(r.out, filepath.Ext(r.out)) + "_dropped.csv"
		if folder {
			dropped = filepath.Join(r.out, "dropped.csv")
		}
	}
	var plan *safefile.Plan // for --la all: the folder, reserved before any work
	var tmp string
	if folder {
		if r.backtest {
			return usagef("calibrate: --backtest compares one authority at a time: give --la CODE (or --la region)")
		}
		if plan, err = safefile.NewPlan(r.force, append(slices.Clone(r.episodes), r.headers...)...); err != nil {
			return err
		}
		defer plan.Abort()
		if tmp, err = plan.Folder(r.out, resultdir.Owned); err != nil {
			return planErr("calibrate: --out", err)
		}
	} else if !r.force {
		if _, err := os.Stat(dropped); err == nil {
			return usagef("calibrate: %s exists; choose another --dropped, or add --force to replace it", dropped)
		}
	}

	w := calibrate.DefaultWindow(data)
	for _, f := range []struct {
		flag, text string
		d          *ssda903.Date
	}{{"--from", r.from, &w.From}, {"--to", r.to, &w.To}} {
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
		if !folder {
			if err := writeAtomic(dropped, rep.WriteCSV); err != nil {
				return fmt.Errorf("calibrate: writing %s: %w", dropped, err)
			}
		}
		rep.WriteSummary(stdout, 3)
		return usagef("calibrate: no usable episodes in the files: see %s for why each row was skipped", dropped)
	}
	if w.To < w.From {
		return usagef("calibrate: the window %s to %s ends before it starts: check --from and --to", w.From, w.To)
	}
	rep.WriteSummary(stdout, 3)
	fmt.Fprintf(stdout, "window %s to %s (%.2f years)\n", w.From, w.To, w.Years())
	for _, warn := range w.Check(data) {
		fmt.Fprintf(stderr, "reunify: warning: %s\n", warn)
	}

	// One Data per authority calibrated (or the region as one).
	var ds []*ssda903.Data
	var codes []string
	if each {
		all := pick
		if r.la != "all" {
			// One authority, still shrunk toward every authority in the files.
			all, _, _ = authorities(data, "all")
		}
		for _, k := range all {
			ds = append(ds, data.Authority(k))
			codes = append(codes, data.LAs[k])
		}
	} else {
		ds, codes = []*ssda903.Data{data}, []string{""}
	}

	var srcs []string
	for _, p := range append(append([]string(nil), r.episodes...), r.headers...) {
		srcs = append(srcs, filepath.Base(p))
	}
	if r.backtest {
		return backtestFiles(stdout, stderr, r, ds, codes, pick, w, dropped, rep)
	}
	ests := make([]*calibrate.Estimates, len(ds))
	for i, d := range ds {
		ests[i] = calibrate.Estimate(d, w)
	}
	pooled := calibrate.PoolAll(ests)
	scenarioOf := func(i int, path string) (string, error) {
		name := r.name
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		var buf strings.Builder
		if err := calibrate.WriteScenario(&buf, ests[i], pooled[i], calibrate.WriteOptions{Name: name, HorizonYears: r.horizon, Sources: srcs, Authority: codes[i]}); err != nil {
			return "", usageError{fmt.Errorf("calibrate: %w", err)}
		}
		if _, err := scenario.LoadBytes(path, []byte(buf.String()), nil); err != nil {
			return "", fmt.Errorf("calibrate: the scenario written does not validate (a bug: please report it): %w", err)
		}
		return buf.String(), nil
	}
	report := func(i int, path string) {
		e := ests[i]
		who := ""
		if codes[i] != "" {
			who = codes[i] + ": "
		}
		fmt.Fprintf(stdout, "%s%d children in care at the start, %d entries, %d returns home; wrote %s\n", who, e.Stock, e.Entries.Events, e.Returns, path)
	}
	if !folder {
		i := 0
		if each {
			i = slices.Index(codes, data.LAs[pick[0]])
		}
		text, err := scenarioOf(i, r.out)
		if err != nil {
			return err
		}
		if err := writeAtomic(dropped, rep.WriteCSV); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w", dropped, err)
		}
		fmt.Fprintf(stdout, "every skipped or reported row is listed in %s\n", dropped)
		if err := writeString(r.out, text); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w", r.out, err)
		}
		report(i, r.out)
		fmt.Fprintf(stdout, "check it with \"reunify explain %s\", then \"reunify run %s\"\n", r.out, r.out)
		return nil
	}
	// One scenario per authority, written together into a new folder.
	if r.dropped != "" {
		if err := writeAtomic(dropped, rep.WriteCSV); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w", dropped, err)
		}
	} else if err := safefile.WriteFileAtomic(filepath.Join(tmp, "dropped.csv"), rep.WriteCSV); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", dropped, err)
	}
	for i, code := range codes {
		path := filepath.Join(r.out, code+".toml")
		text, err := scenarioOf(i, path)
		if err != nil {
			return err
		}
		if err := safefile.WriteFileAtomic(filepath.Join(tmp, code+".toml"), func(w io.Writer) error {
			_, err := io.WriteString(w, text)
			return err
		}); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w", path, err)
		}
	}
	// The manifest marks the folder as reunify's, so --force may replace it.
	if err := resultdir.WriteManifest(tmp, resultdir.NewManifest([]string{"calibrate"}, time.Now().UTC(), sim.Options{})); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", r.out, err)
	}
	if err := plan.Commit(nil); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	fmt.Fprintf(stdout, "every skipped or reported row is listed in %s\n", dropped)
	for i, code := range codes {
		report(i, filepath.Join(r.out, code+".toml"))
	}
	return nil
}

// backtestFiles runs the backtest of one authority (or the region) and
// writes the comparison.
func backtestFiles(stdout, stderr io.Writer, r calibrateRun, ds []*ssda903.Data, codes []string, pick []uint16, w calibrate.Window, dropped string, rep *ssda903.Report) error {
	target := 0
	if len(codes) > 1 {
		target = slices.Index(codes, ds[0].LAs[pick[0]])
	}
	opt := calibrate.BacktestOptions{Iterations: r.iterations, Seed: r.seed, Workers: r.workers}
	if r.split != "" {
		d, ok := ssda903.ParseDate(r.split)
		if !ok {
			return usagef("calibrate: --split %q: want a date, yyyy-mm-dd", r.split)
		}
		opt.Split = d
	}
	if err := writeAtomic(dropped, rep.WriteCSV); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", dropped, err)
	}
	fmt.Fprintf(stdout, "every skipped or reported row is listed in %s\n", dropped)
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	prog := progress.Start(stderr, int64(r.iterations), "backtest", r.quiet)
	opt.Progress = &prog.Count
	res, err := calibrate.Backtest(ctx, ds, target, w, opt)
	prog.Finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("calibrate: interrupted; nothing was written to %s", r.out)
		}
		return usageError{fmt.Errorf("calibrate --backtest: %w", err)}
	}
	if err := writeAtomic(r.out, res.WriteCSV); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w", r.out, err)
	}
	if err := res.WriteTable(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", r.out)
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
	ctx, stop := interrupt.Context(stderr)
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
