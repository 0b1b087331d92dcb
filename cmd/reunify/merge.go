package main

import (
	"fmt"
	"io"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
)

func cmdMerge(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("merge", stderr)
	var (
		out          string
		force, quiet bool
	)
	fl.StringVar(&out, "out", "", "the merged result folder (required)")
	fl.BoolVar(&force, "force", false, "replace a non-empty --out folder")
	fl.BoolVar(&quiet, "quiet", false, "print nothing on success")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	dirs := fl.Args()
	if len(dirs) == 0 {
		return usagef("merge: no shard folders given (usage: reunify merge --out DIR SHARD_DIR...)")
	}
	if out == "" {
		return usagef("merge: --out DIR is required (the merged result folder)")
	}
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	plan, err := safefile.NewPlan(force, dirs...)
	if err != nil {
		return err
	}
	defer plan.Abort()
	staged, err := plan.Folder(out, resultdir.Owned)
	if err != nil {
		return planErr("merge: --out", err)
	}
	printNotes(stderr, plan)
	shards, err := resultdir.ReadShards(dirs)
	if err != nil {
		return err
	}
	res, man, scen, err := resultdir.Merge(shards)
	if err != nil {
		return err
	}
	man.CommandLine = append([]string{"reunify", "merge"}, args...)
	if err := resultdir.WriteFolder(staged, res, man, scen, false); err != nil {
		return fmt.Errorf("merge: writing %s: %w%s", out, err, writeHint(err, "--out"))
	}
	if err := commit(ctx, plan, "merge", out, "--out"); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(stdout, "merged %d shards (%d iterations) into %s\n", len(shards), res.TotalIterations, out)
	}
	return nil
}
