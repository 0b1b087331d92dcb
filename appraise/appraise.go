package appraise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/limits"
	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/report"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sensitivity"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// BreakevenProb is the probability of saving money that breakeven.csv's
// value_prob column answers for: where the policy saves money in 90% of
// iterations.
const BreakevenProb = 0.9

// relTol is the break-even searches' tolerance, 0 for
// sensitivity.DefaultRelTol (tests loosen it).
var relTol float64

// minUptake is the low end of the search on uptake: below it the
// policy reaches so few families that its mean net saving is mostly
// noise around zero.
const minUptake = 0.25

// Config is what an appraisal is asked for.
type Config struct {
	Job *scenario.File
	// Sets are the --set overrides the job was opened with: each
	// break-even run rebuilds the scenario with them.
	Sets []string
	// Options are the engine's: Iterations per run, Seed, Workers.
	Options sim.Options
	// Out is the folder to make; "" for results/<scenario>-<UTC time>.
	Out string
	// CommandLine is recorded in the manifest.
	CommandLine []string
	// AllowLarge lifts the limits on the work (internal/limits).
	AllowLarge bool
	// Quiet hides the progress bar.
	Quiet bool
}

// InputError is a scenario or request an appraisal cannot serve: bad
// input, not a failure.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

// BadInput reports that the input is at fault.
func (e *InputError) BadInput() bool { return true }

// stage is called at the end of each stage (planned, simulated,
// basecase, tornado, breakeven, written, reported, committed) with its
// name: safefile.Phase, where a test build pauses to be signalled, and a
// hook for tests that interrupt an appraisal part way.
var stage = safefile.Phase

// Searches lists the break-even searches of an appraisal: the support
// effect (each post- and pre-return re-entry hazard ratio) and the
// uptake of every package of the first policy arm that the scenario can
// look up, in that order.
func Searches(job *scenario.File) []string {
	var out []string
	if len(job.Model.Arms) < 2 {
		return nil
	}
	for _, suffix := range []string{"post.hr_reentry", "pre.hr_reentry", "uptake"} {
		for _, k := range job.Model.Arms[1].Packages {
			path := "package." + job.Model.Packages[k].Name + "." + suffix
			if _, err := job.Lookup(path); err == nil {
				out = append(out, path)
			}
		}
	}
	return out
}

// Runs is the most simulation runs an appraisal makes: the probabilistic
// run, the base case, the tornado and each break-even search (with its
// search for BreakevenProb).
func Runs(job *scenario.File) int {
	runs := 2
	if len(job.Params) > 0 {
		runs += sensitivity.TornadoRuns(job.Params)
	}
	per := sensitivity.BreakevenRuns(sensitivity.BreakevenConfig{})
	return runs + len(Searches(job))*(per+per/3)
}

// Run makes the appraisal pack of cfg.Job in one new folder and returns
// its path and the probabilistic run's results: the run's files (as
// reunify run writes them), basecase.csv, tornado.csv, breakeven.csv and
// report.html with charts/. Like run, it fills a folder that is missing
// or empty and refuses one that exists and is not empty (or a file), reserves the folder
// before any simulation, builds everything in a stage and puts the pack
// in place only when complete: an error or a cancelled ctx leaves
// nothing behind and earlier files untouched. Progress is drawn on
// stderr across every stage.
func Run(ctx context.Context, stderr io.Writer, cfg Config) (string, *sim.Results, error) {
	job := cfg.Job
	if len(job.Model.Arms) < 2 {
		return "", nil, &InputError{fmt.Sprintf("%s has one arm (%s): an appraisal compares a policy with the baseline, so add an [[arm]] with the policy's packages", job.Path, job.Model.Arms[0].Name)}
	}
	start := time.Now().UTC()
	runs := Runs(job)
	if !cfg.AllowLarge {
		w := limits.Work{Model: job.Model, Params: len(job.Params), Iterations: cfg.Options.Iterations * runs, Runs: runs, Workers: cfg.Options.Workers, Out: cfg.Out}
		if err := limits.Local().Check("this appraisal", w); err != nil {
			return "", nil, err
		}
	}
	root := cfg.Out
	if root == "" {
		root = resultdir.Free(resultdir.DefaultDir(job.Name, start))
	}
	plan, err := safefile.NewKeep(job.Path)
	if err != nil {
		return "", nil, err
	}
	defer plan.Abort()
	out, err := resultdir.ReserveRun(plan, root, []string{job.Name})
	if err != nil {
		if errors.Is(err, safefile.ErrRefused) {
			return "", nil, fmt.Errorf("--out %w (appraise makes a new folder, or fills an empty one)", err)
		}
		return "", nil, fmt.Errorf("--out: %w", err)
	}
	for _, n := range plan.Notes() {
		fmt.Fprintln(stderr, "reunify:", n)
	}
	dir, staged := out.Folder(0)
	stage("planned")

	total := int64(runs * cfg.Options.Iterations)
	prog := progress.Start(stderr, total, "appraising", cfg.Quiet)
	opt := cfg.Options
	opt.Progress = &prog.Count
	during := "the probabilistic run"
	mark := func(name string) {
		stage(name)
		during = map[string]string{"simulated": "the base case", "basecase": "the tornado", "tornado": "the break-even searches", "breakeven": "the writing of the pack", "written": "the report"}[name]
	}
	interrupted := func() error {
		return fmt.Errorf("interrupted during %s, %d iterations into the appraisal's at most %d (%d runs of %d; %.1f s); nothing was written to %s and earlier results are untouched; run the same command again to start over",
			during, prog.Count.Load(), total, runs, cfg.Options.Iterations, time.Since(start).Seconds(), root)
	}
	files, res, err := simulate(ctx, cfg, opt, mark)
	prog.Finish()
	if err == nil {
		err = ctx.Err() // stop before writing, not only at the commit
	}
	if errors.Is(err, context.Canceled) {
		return "", nil, interrupted()
	}
	if err != nil {
		return "", nil, err
	}
	failed := func(what string, err error) error {
		return fmt.Errorf("appraise: writing %s: %w; nothing was written and earlier results are untouched%s", what, err, safefile.Hint(err, "--out"))
	}
	for _, f := range files {
		if err := safefile.Create(filepath.Join(staged, f.name), func(w io.Writer) error { _, err := w.Write(f.data); return err }); err != nil {
			return "", nil, failed(f.name, err)
		}
	}
	man := resultdir.NewManifest(cfg.CommandLine, start, cfg.Options)
	man.SetScenario(job.Path, job.Raw)
	if err := resultdir.WriteFolder(staged, res, man, job.Resolved(), false); err != nil {
		return "", nil, failed("the result folder", err)
	}
	mark("written")
	if ctx.Err() != nil {
		return "", nil, interrupted()
	}
	if err := report.WriteReportFiles(staged, dir); err != nil {
		return "", nil, failed(resultdir.ReportFile, err)
	}
	stage("reported")
	if err := plan.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return "", nil, fmt.Errorf("appraise: interrupted; nothing was written to %s and earlier results are untouched", root)
		}
		if errors.Is(err, safefile.ErrRefused) {
			// Free and the reservation found the folder free: another
			// process made it while this one simulated. Not bad input
			// (exit 1), and the work is lost, so say so.
			return "", nil, fmt.Errorf("appraise: %s was made by another process while this appraisal ran (%v); nothing was replaced and this pack was not kept; run again, or give --out a folder of its own", root, err)
		}
		return "", nil, failed(root, err)
	}
	stage("committed")
	summary.PrintWarnings(stderr, job.Name, res)
	return dir, res, nil
}

// file is one file of the pack, made before the folder is written.
type file struct {
	name string
	data []byte
}

// simulate makes every simulation of the appraisal: the probabilistic
// run, the base case, the tornado and the break-even searches. It
// returns the files they make and the run's results.
// mark is called at the end of each stage, as stage is.
func simulate(ctx context.Context, cfg Config, opt sim.Options, mark func(string)) ([]file, *sim.Results, error) {
	job := cfg.Job
	popt := opt
	popt.Params = job.Params
	res, err := sim.Run(ctx, job.Model, popt)
	if err != nil {
		return nil, nil, err
	}
	mark("simulated")

	var files []file
	add := func(name string, write func(io.Writer) error) error {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return fmt.Errorf("appraise: %s: %w", name, err)
		}
		files = append(files, file{name, b.Bytes()})
		return nil
	}

	// The base case: every parameter at its mean (the model as built),
	// with the same children and random numbers.
	bopt := opt
	bopt.Params = nil
	base, err := sim.Run(ctx, job.Model, bopt)
	if err != nil {
		return nil, nil, err
	}
	cmp, err := summary.Compare(base)
	if err != nil {
		return nil, nil, err
	}
	if err := add(resultdir.BaseCaseFile, func(w io.Writer) error { return resultdir.WriteComparison(w, cmp) }); err != nil {
		return nil, nil, err
	}
	mark("basecase")

	metric, err := sensitivity.Metric{Name: summary.NetSaving}.Resolve(job.Model)
	if err != nil {
		return nil, nil, err
	}
	if len(job.Params) > 0 {
		t, err := sensitivity.RunTornado(ctx, job.Model, job.Params, metric, opt)
		if err != nil {
			return nil, nil, err
		}
		if err := add(resultdir.TornadoFile, t.WriteCSV); err != nil {
			return nil, nil, err
		}
	}
	mark("tornado")

	build := sensitivity.FromBytes(job.Path, job.Raw, cfg.Sets)
	var rows []resultdir.BreakevenRow
	for _, path := range Searches(job) {
		row, err := breakeven(ctx, build, job, path, metric, opt)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row)
	}
	if len(rows) > 0 {
		if err := add(resultdir.BreakevenFile, func(w io.Writer) error { return resultdir.WriteBreakeven(w, rows) }); err != nil {
			return nil, nil, err
		}
	}
	mark("breakeven")
	return files, res, nil
}

// breakeven searches path for the value at which the policy breaks even
// and at which it saves money with probability BreakevenProb, the other
// parameters drawn as in the run. A policy that breaks even nowhere in
// the bracket gets a row of NA values: that is an answer, not an error.
func breakeven(ctx context.Context, build sensitivity.BuildFunc, job *scenario.File, path string, metric sensitivity.Metric, opt sim.Options) (resultdir.BreakevenRow, error) {
	cfg, err := sensitivity.NewBreakevenConfig(job, build, path, metric, 0, math.NaN(), math.NaN())
	if err != nil {
		return resultdir.BreakevenRow{}, err
	}
	cfg.Prob, cfg.RelTol = BreakevenProb, relTol
	lo, hi := sensitivity.DefaultBracket(cfg.Current)
	if strings.HasSuffix(path, ".uptake") {
		// At uptake 0 the policy is the baseline and saves exactly 0:
		// search where families take it up.
		cfg.Lo, cfg.Hi = minUptake, 1
	}
	b, err := sensitivity.RunBreakeven(ctx, build, cfg, opt)
	if !math.IsNaN(cfg.Lo) {
		lo, hi = cfg.Lo, cfg.Hi
	}
	var ie *sensitivity.InputError
	if errors.As(err, &ie) {
		nan := math.NaN()
		return resultdir.BreakevenRow{Param: path, Metric: metric.Name, Arm: metric.Arm, Target: 0,
			Value: nan, ValueP2_5: nan, ValueP97_5: nan, Lo: lo, Hi: hi, MeanAtValue: nan,
			ReentriesAverted: nan, DiffReturnsHome: nan, Current: cfg.Current.Mean(), Prob: BreakevenProb, ValueProb: nan}, nil
	}
	if err != nil {
		return resultdir.BreakevenRow{}, err
	}
	return b.Row(), nil
}

// Command is reunify appraise once its flags are read: Run, then, unless
// cfg.Quiet, where the pack is and the run's table on stdout.
func Command(ctx context.Context, stdout, stderr io.Writer, cfg Config) error {
	dir, res, err := Run(ctx, stderr, cfg)
	if err != nil || cfg.Quiet {
		return err
	}
	fmt.Fprintf(stdout, "appraisal pack in %s: open its %s\n\n", dir, resultdir.ReportFile)
	return report.WriteTable(stdout, res)
}
