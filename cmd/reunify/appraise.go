package main

import (
	"io"

	"github.com/reunify/reunify/appraise"
	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/scenario"
)

func cmdAppraise(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("appraise", stderr)
	var s simFlags
	var sets multiFlag
	s.register(fl, 1000, "Monte Carlo iterations of each run (parameter draws, where the scenario has uncertain parameters)")
	out := fl.String("out", "", "the new folder for the pack (default results/<scenario>-<UTC time>); made, or an empty one filled; one holding anything is refused")
	setFlag(fl, &sets)
	quiet := fl.Bool("quiet", false, "no progress bar or table")
	allowLarge := fl.Bool("allow-large", false, "run even if the estimated time, memory or disk space is beyond the limits (see reunify help run)")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return usagef("appraise: need exactly one scenario (try scenarios/local-authority.toml)")
	} else if err := s.check(1); err != nil {
		return err
	}
	job, err := scenario.Open(fl.Arg(0), sets)
	if err != nil {
		return err
	}
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	return appraise.Command(ctx, stdout, stderr, appraise.Config{Job: job, Sets: sets, Options: s.opt, Out: *out,
		CommandLine: append([]string{"appraise"}, args...), AllowLarge: *allowLarge, Quiet: *quiet})
}
