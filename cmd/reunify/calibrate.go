package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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

// calibrateRun is what calibrate was asked to do.
type calibrateRun struct {
	simFlags
	episodes, headers           multiFlag
	out, dropped, name, la      string
	from, to, split             string
	fromDate, toDate, splitDate *ssda903.Date // from, to and split read; nil if not given
	horizon                     int
	force, backtest, quiet      bool
}

func cmdCalibrate(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("calibrate", stderr)
	var targets, params, sets multiFlag
	var r calibrateRun
	var maxEvals int
	fl.Var(&r.episodes, "episodes", "an SSDA903 episodes CSV file (repeatable: one per year)")
	fl.Var(&r.headers, "header", "an SSDA903 header CSV file (repeatable: one per year)")
	fl.StringVar(&r.out, "out", "", "the scenario to write (required); with --la all, a folder; with --backtest, the comparison CSV")
	fl.StringVar(&r.dropped, "dropped", "", "where to list the rows skipped or reported (default: beside --out, <name>_dropped.csv; with --la all, dropped.csv in the folder)")
	fl.StringVar(&r.from, "from", "", "first day of the data's window, yyyy-mm-dd (default: the first collection year the files hold)")
	fl.StringVar(&r.to, "to", "", "last day of the data's window, the censoring date, yyyy-mm-dd (default: the 31 March ending the last collection year the files hold)")
	fl.StringVar(&r.name, "name", "", "scenario name (default: the --out file name, or the authority's code)")
	fl.StringVar(&r.la, "la", "", "with an LA column: an authority's code, \"all\" (one scenario per authority, shrunk toward the region) or \"region\" (all as one)")
	fl.IntVar(&r.horizon, "horizon-years", 5, fmt.Sprintf("horizon of the scenario written, in whole years from 1 to %d", scenario.MaxHorizonYears))
	fl.BoolVar(&r.backtest, "backtest", false, "fit on the earlier years, predict the later years and compare them with the files")
	fl.StringVar(&r.split, "split", "", "backtest: the first day of the years predicted, yyyy-mm-dd (default: after the first half of the window's years)")
	fl.Var(&targets, "target", "fit: a metric and the value to reach, e.g. reentry_rate_12m=0.18 (repeatable)")
	fl.Var(&params, "param", "fit: a scenario key path to adjust, e.g. home.reentry.cumulative.1 (repeatable)")
	fl.Var(&sets, "set", "fit: override a scenario value by its TOML path before fitting (repeatable)")
	r.simFlags.register(fl, 200, "fit and backtest: Monte Carlo iterations")
	fl.IntVar(&maxEvals, "max-evals", 60, "fit: most scenario evaluations before giving up")
	fl.BoolVar(&r.force, "force", false, "replace output files calibrate wrote earlier (never an input, a link or a file of yours)")
	fl.BoolVar(&r.quiet, "quiet", false, "backtest: no progress bar")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	pos := fl.Args()
	if r.out == "" {
		return usagef("calibrate: --out is required: the scenario file to write")
	}
	switch {
	case len(pos) == 0 && len(r.episodes) > 0:
		if len(targets) > 0 || len(params) > 0 {
			return usagef("calibrate: --target and --param fit an existing scenario: calibrate from the files first, then fit the scenario written")
		}
		if len(r.headers) == 0 {
			return usagef("calibrate: need --header: the header file(s) give each child's date of birth")
		}
		if r.split != "" && !r.backtest {
			return usagef("calibrate: --split is for --backtest")
		}
		if r.backtest {
			if err := r.check(2); err != nil {
				return err
			}
		}
		if r.horizon < 1 || r.horizon > scenario.MaxHorizonYears {
			return usagef("calibrate: --horizon-years %d: want whole years from 1 to %d", r.horizon, scenario.MaxHorizonYears)
		}
		for _, f := range []struct {
			flag, text string
			d          **ssda903.Date
		}{{"--from", r.from, &r.fromDate}, {"--to", r.to, &r.toDate}, {"--split", r.split, &r.splitDate}} {
			if f.text == "" {
				continue
			}
			d, err := ssda903.ReadDate(f.text)
			switch {
			case errors.Is(err, ssda903.ErrDateRange):
				return usagef("calibrate: %s %s: %v", f.flag, f.text, err)
			case err != nil:
				return usagef("calibrate: %s %q: not a date (want yyyy-mm-dd)", f.flag, f.text)
			}
			*f.d = &d
		}
		return calibrateFiles(stdout, stderr, r)
	case len(pos) == 1 && len(r.episodes) == 0 && len(r.headers) == 0:
		if len(targets) == 0 || len(params) == 0 {
			return usagef("calibrate: fitting %s needs --target metric=value and --param key.path (each repeatable)", pos[0])
		}
		if r.backtest || r.la != "" {
			return usagef("calibrate: --backtest and --la work on SSDA903 files (--episodes, --header), not on a scenario")
		}
		if err := r.check(2); err != nil {
			return err
		}
		opt := calibrate.FitOptions{Options: r.opt, Sets: sets, MaxEvals: maxEvals}
		return calibrateFit(stdout, stderr, pos[0], targets, params, r.out, r.force, opt)
	}
	return usagef("calibrate: give either --episodes and --header files, or one SCENARIO.toml with --target and --param")
}

// inputs are the files calibrate from SSDA903 files reads.
func (r calibrateRun) inputs() []string { return append(slices.Clone(r.episodes), r.headers...) }

// calibrateOutputs are the files calibrate from SSDA903 files writes,
// reserved in one plan before any work, so that they land together or
// not at all: --out (the scenario, the backtest's CSV, or with --la all
// a folder) and the dropped rows.
type calibrateOutputs struct {
	plan    *safefile.Plan
	out     string // where to write --out (in its stage)
	dropped string // where to write the dropped rows in the --la all folder
	// outCSV and droppedCSV are the backtest's table and the dropped rows
	// as files of their own, each with its manifest (resultdir.ReserveCSV).
	outCSV, droppedCSV *resultdir.Analysis
	// droppedPath is the dropped rows' path as the user sees it.
	droppedPath string
}

// Owned checks of what calibrate writes: --force replaces a scenario only
// if it ends with reunify's seal and is unchanged since (an edit of
// yours is refused); a CSV file is checked by its manifest (ReserveCSV).
var (
	ownedCalibrated = safefile.OwnedSealed("#")
	ownedFitted     = safefile.OwnedSealed("#")
)

// reserveCalibrate reserves what calibrateFiles writes. The files read
// are the plan's inputs, never written over; --out and --dropped naming
// one file, or --dropped inside the --la all folder (but at its default
// place, dropped.csv), are refused.
func reserveCalibrate(r calibrateRun) (*calibrateOutputs, error) {
	folder := r.la == "all"
	o := &calibrateOutputs{}
	var inFolder bool
	o.droppedPath, inFolder = calibrate.DroppedPath(r.out, r.dropped, folder)
	plan, err := safefile.NewPlan(r.force, r.inputs()...)
	if err != nil {
		return nil, err
	}
	o.plan = plan
	fail := func(flag string, err error) (*calibrateOutputs, error) {
		plan.Abort()
		return nil, planErr("calibrate: "+flag, err)
	}
	switch {
	case folder:
		o.out, err = plan.Folder(r.out, resultdir.Owned)
	case r.backtest:
		o.outCSV, err = resultdir.ReserveCSV(plan, r.out)
	default:
		o.out, err = plan.File(r.out, ownedCalibrated)
	}
	if err != nil {
		return fail("--out", err)
	}
	flag := "--dropped"
	if r.dropped == "" {
		flag = "the dropped-rows file"
	}
	if inFolder {
		o.dropped = filepath.Join(o.out, filepath.Base(o.droppedPath))
	} else if o.droppedCSV, err = resultdir.ReserveCSV(plan, o.droppedPath); err != nil {
		return fail(flag, err)
	}
	return o, nil
}

// errInterrupted is calibrate's message after an interrupt (exit status 1).
var errInterrupted = errors.New("calibrate: interrupted; nothing was written")

func calibrateFiles(stdout, stderr io.Writer, r calibrateRun) error {
	folder := r.la == "all"
	if folder && r.backtest {
		return usagef("calibrate: --backtest compares one authority at a time: give --la CODE (or --la region)")
	}
	// Everything written is reserved before any work, and lands together
	// at the end, or (on an interrupt or an error) not at all.
	o, err := reserveCalibrate(r)
	if err != nil {
		return err
	}
	defer o.plan.Abort()
	printNotes(stderr, o.plan)
	ctx, stop := interrupt.Context(stderr)
	defer stop()

	ret, err := calibrate.ReadReturn(r.headers, r.episodes, r.la, r.fromDate, r.toDate)
	if err != nil {
		return err
	}
	la, w, rep, dropped := ret.Authorities, ret.Window, ret.Report, o.droppedPath
	if rep.Children == 0 {
		// Only the dropped rows are written, to say why each was skipped:
		// on their own, not in an --la all folder that would hold nothing
		// else.
		o.plan.Abort()
		rep.WriteSummary(stdout, 3)
		if folder && r.dropped == "" {
			return usagef("calibrate: no usable episodes in the files, and nothing was written: the summary above shows the first rows of each kind (give --dropped FILE to list them all)")
		}
		if err := resultdir.WriteCSVFile(dropped, r.force, r.inputs(), rep.WriteCSV, []string{"calibrate"}, "calibrate dropped rows"); err != nil {
			return planErr("calibrate: "+dropped, err)
		}
		return usagef("calibrate: no usable episodes in the files: see %s for why each row was skipped", dropped)
	}
	if err := w.Validate(); err != nil {
		return usagef("calibrate: %v; check --from and --to", err)
	}
	rep.WriteSummary(stdout, 3)
	fmt.Fprintf(stdout, "window %s to %s (%.2f years)\n", w.From, w.To, w.Years())
	for _, warn := range w.Check(ret.Data) {
		fmt.Fprintf(stderr, "reunify: warning: %s\n", warn)
	}
	if o.droppedCSV != nil {
		err = o.droppedCSV.Write(rep.WriteCSV, resultdir.FileManifest([]string{"calibrate"}, "calibrate dropped rows"))
	} else {
		err = safefile.Create(o.dropped, rep.WriteCSV)
	}
	if err != nil {
		return fmt.Errorf("calibrate: writing %s: %w%s", dropped, err, writeHint(err, "--dropped"))
	}
	if r.backtest {
		return backtestFiles(ctx, stdout, stderr, r, o, la, w)
	}
	cs, err := calibrate.Scenarios(la, w, calibrate.WriteOptions{Name: r.name, HorizonYears: r.horizon, Sources: ret.Sources}, r.out)
	if err != nil {
		return err
	}
	for _, c := range cs {
		staged := o.out
		if folder {
			staged = filepath.Join(o.out, filepath.Base(c.Path))
		}
		if err := safefile.Create(staged, func(w io.Writer) error { _, err := w.Write(safefile.Seal([]byte(c.Text), "#")); return err }); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w%s", c.Path, err, writeHint(err, "--out"))
		}
	}
	if folder {
		// The manifest marks the folder as reunify's, so --force may replace it.
		if err := resultdir.WriteManifest(o.out, resultdir.NewManifest([]string{"calibrate"}, time.Now().UTC(), sim.Options{})); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w%s", r.out, err, writeHint(err, "--out"))
		}
	}
	if err := commit(ctx, o.plan, "calibrate", r.out, "--out"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "every skipped or reported row is listed in %s\n", dropped)
	for _, c := range cs {
		fmt.Fprintln(stdout, c)
	}
	if !folder {
		fmt.Fprintf(stdout, "check it with \"reunify explain %s\", then \"reunify run %s\"\n", r.out, r.out)
	}
	return nil
}

// backtestFiles runs the backtest of one authority (or the region) and
// writes the comparison beside the dropped rows, both at the end.
func backtestFiles(ctx context.Context, stdout, stderr io.Writer, r calibrateRun, o *calibrateOutputs, la *calibrate.Authorities, w calibrate.Window) error {
	opt := calibrate.BacktestOptions{Options: r.opt}
	if r.splitDate != nil {
		opt.Split = *r.splitDate
	}
	prog := progress.Start(stderr, int64(r.opt.Iterations), "backtest", r.quiet)
	opt.Progress = &prog.Count
	res, err := calibrate.Backtest(ctx, la.Data, max(la.Target, 0), w, opt)
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		return errInterrupted
	}
	if err != nil {
		return fmt.Errorf("calibrate --backtest: %w", err)
	}
	if err := o.outCSV.Write(res.WriteCSV, resultdir.FileManifest([]string{"calibrate", "--backtest"}, "calibrate backtest")); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w%s", r.out, err, writeHint(err, "--out"))
	}
	if err := commit(ctx, o.plan, "calibrate", r.out, "--out"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "every skipped or reported row is listed in %s\n", o.droppedPath)
	if err := res.WriteTable(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", r.out)
	return nil
}

func calibrateFit(stdout, stderr io.Writer, path string, targetArgs, params []string, out string, force bool, opt calibrate.FitOptions) error {
	// The fitted scenario is reserved before the work: never the scenario
	// read, and with --force only a scenario calibrate fitted.
	plan, err := safefile.NewPlan(force, path)
	if err != nil {
		return err
	}
	defer plan.Abort()
	staged, err := plan.File(out, ownedFitted)
	if err != nil {
		return planErr("calibrate: --out", err)
	}
	printNotes(stderr, plan)
	data, err := scenario.ReadFile(path)
	if err != nil {
		return err
	}
	targets, err := calibrate.ParseTargets(targetArgs)
	if err != nil {
		return err
	}
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	res, err := calibrate.Fit(ctx, path, data, targets, params, opt)
	if errors.Is(err, context.Canceled) {
		return errInterrupted
	}
	if _, ok := scenario.AsProblems(err); err != nil && !ok {
		err = fmt.Errorf("calibrate: %w", err) // a scenario's problems name their file and line
	}
	if err != nil {
		return err
	}
	var buf strings.Builder
	if err := calibrate.WriteFitted(&buf, path, data, res, opt); err != nil {
		return err
	}
	if err := safefile.Create(staged, func(w io.Writer) error { _, err := w.Write(safefile.Seal([]byte(buf.String()), "#")); return err }); err != nil {
		return fmt.Errorf("calibrate: writing %s: %w%s", out, err, writeHint(err, "--out"))
	}
	if err := commit(ctx, plan, "calibrate", out, "--out"); err != nil {
		return err
	}
	if err := res.WriteTable(stdout, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", out)
	if !res.Converged {
		return fmt.Errorf("calibrate: not every target is within 2 Monte Carlo standard errors; %s holds the best values found: try other --param keys, a different start, or more --max-evals", out)
	}
	return nil
}
