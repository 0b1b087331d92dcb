package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/ssda903"
)

func cmdSynth(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("synth", stderr)
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
	j, err := scenario.Open(pos[0], sets)
	if err != nil {
		return err
	}
	plan, err := safefile.NewPlan(force, j.Path)
	if err != nil {
		return err
	}
	defer plan.Abort()
	tmp, err := plan.Folder(out, resultdir.Owned)
	if err != nil {
		return planErr("synth: --out", err)
	}
	printNotes(stderr, plan)
	opt := calibrate.SynthOptions{Options: sf.opt, Start: d0}
	if draw {
		opt.Params = j.Params
	}
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	n, err := calibrate.SynthFolder(ctx, j.Model, opt, tmp)
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("synth: interrupted; nothing was written")
	case errors.As(err, new(*fs.PathError)): // a full disk, say: the input was fine
		return fmt.Errorf("synth: writing %s: %w%s", out, err, writeHint(err, "--out"))
	case err != nil:
		return fmt.Errorf("synth %s: %w", j.Path, err)
	}
	man := resultdir.NewManifest(append([]string{"synth"}, args...), started, sf.opt)
	man.SetScenario(j.Path, j.Raw)
	if err := resultdir.WriteManifest(tmp, man); err != nil {
		return fmt.Errorf("synth: writing %s: %w%s", out, err, writeHint(err, "--out"))
	}
	if err := commit(ctx, plan, "synth", out, "--out"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d episodes of %d children (%d iterations of the %s arm) to %s; month 0 is %s\n",
		n.Episodes, n.Children, n.Iterations, j.Model.Arms[0].Name, out, d0)
	return nil
}
