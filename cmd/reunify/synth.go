package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/ssda903"
)

const synthUsage = `reunify synth [flags] SCENARIO.toml --out DIR

Simulates the scenario's baseline arm and writes the simulated children as
SSDA903 files, episodes.csv and header.csv, as a local authority holds
them (one episode per placement; month 0 is --start). With --iterations N
above 1, each iteration is an authority of its own in DIR/iteration_K/.
The files can be read back with "reunify calibrate --episodes ... --header
...": the two directions test each other.`

func cmdSynth(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("synth", synthUsage, stderr)
	var sf simFlags
	sf.register(fl, 1, "simulated authorities (iterations)")
	var out, start string
	var sets multiFlag
	var force, draw bool
	fl.StringVar(&out, "out", "", "folder to write episodes.csv and header.csv to (required)")
	fl.StringVar(&start, "start", "2020-04-01", "date of month 0, yyyy-mm-dd")
	setFlag(fl, &sets)
	fl.BoolVar(&draw, "draw", false, "draw distribution parameters per iteration (default: use their means)")
	fl.BoolVar(&force, "force", false, "replace a non-empty --out folder")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	pos := fl.Args()
	if len(pos) != 1 {
		return usagef("synth: need exactly one scenario")
	}
	if out == "" {
		return usagef("synth: --out is required: the folder to write the SSDA903 files to")
	}
	if err := sf.check(1); err != nil {
		return err
	}
	d0, ok := ssda903.ParseDate(start)
	if !ok {
		return usagef("synth: --start %q: want a date, yyyy-mm-dd", start)
	}
	started := time.Now().UTC()
	j, err := loadJob(pos[0], sets)
	if err != nil {
		return err
	}
	plan, err := safefile.NewPlan(force, j.path)
	if err != nil {
		return err
	}
	defer plan.Abort()
	tmp, err := plan.Folder(out, resultdir.Owned)
	if err != nil {
		return planErr("synth: --out", err)
	}
	printNotes(stderr, plan)
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(it int) (io.Writer, io.Writer, error) {
		dir := tmp
		if sf.opt.Iterations > 1 {
			dir = filepath.Join(tmp, fmt.Sprintf("iteration_%d", it))
			if err := os.Mkdir(dir, 0o755); err != nil {
				return nil, nil, err
			}
		}
		e, err := os.Create(filepath.Join(dir, "episodes.csv"))
		if err != nil {
			return nil, nil, err
		}
		files = append(files, e)
		h, err := os.Create(filepath.Join(dir, "header.csv"))
		if err != nil {
			return nil, nil, err
		}
		files = append(files, h)
		return e, h, nil
	}
	opt := calibrate.SynthOptions{Options: sf.opt, Start: d0}
	if draw {
		opt.Params = j.params
	}
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	n, err := calibrate.Synth(ctx, j.model, opt, open)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("synth: interrupted; nothing was written")
		}
		if errors.As(err, new(*fs.PathError)) {
			// Writing failed (a full disk, say): the run failed, the
			// input was fine.
			return fmt.Errorf("synth: writing %s: %w%s", out, err, writeHint(err, "--out"))
		}
		return usageError{fmt.Errorf("synth %s: %w", j.path, err)}
	}
	var cerr error
	for _, f := range files {
		cerr = errors.Join(cerr, f.Close())
	}
	files = nil
	if cerr != nil {
		return fmt.Errorf("synth: %w", cerr)
	}
	man := resultdir.NewManifest(append([]string{"synth"}, args...), started, sf.opt)
	man.SetScenario(j.path, j.raw)
	if err := resultdir.WriteManifest(tmp, man); err != nil {
		return fmt.Errorf("synth: writing %s: %w%s", out, err, writeHint(err, "--out"))
	}
	if err := plan.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("synth: interrupted; nothing was written")
		}
		return fmt.Errorf("synth: writing %s: %w%s", out, err, writeHint(err, "--out"))
	}
	fmt.Fprintf(stdout, "wrote %d episodes of %d children (%d iterations of the %s arm) to %s; month 0 is %s\n",
		n.Episodes, n.Children, n.Iterations, j.model.Arms[0].Name, out, d0)
	return nil
}
