package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/reunify/reunify/internal/buildinfo"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/scenario"
)

func cmdValidate(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("validate", stderr)
	var sets multiFlag
	setFlag(fl, &sets)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return usagef("validate: no scenario given (usage: reunify validate SCENARIO.toml...)")
	}
	bad := 0
	for _, path := range fl.Args() {
		if _, err := scenario.Open(path, sets); err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	if bad > 0 {
		return usagef("%d of %d scenarios have problems: fix each one printed above (file:line:col: key: message), then validate again", bad, fl.NArg())
	}
	return nil
}

func cmdInit(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("init", stderr)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return usagef("init: need exactly one FILE to write (e.g. reunify init mine.toml)")
	}
	path := fl.Arg(0)
	plan, err := safefile.NewPlan(false)
	if err != nil {
		return err
	}
	defer plan.Abort()
	staged, err := plan.File(path, nil)
	if _, lerr := os.Lstat(path); errors.Is(err, safefile.ErrRefused) && lerr == nil {
		return usagef("init: %s already exists; choose another name (init never overwrites a file)", path)
	}
	if err != nil {
		return planErr("init:", err)
	}
	printNotes(stderr, plan)
	if err := safefile.Create(staged, func(w io.Writer) error { _, err := w.Write(scenario.Starter()); return err }); err != nil {
		return fmt.Errorf("init: writing %s: %w%s", path, err, writeHint(err, "another FILE"))
	}
	if err := commit(context.Background(), plan, "init", path, "another FILE"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: edit it, then run \"reunify validate %s\" and \"reunify run %s\"\n", path, path, path)
	return nil
}

func cmdExplain(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("explain", stderr)
	var sets multiFlag
	setFlag(fl, &sets)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return usagef("explain: need exactly one scenario (usage: reunify explain [--set key=value]... SCENARIO.toml)")
	}
	sc, err := scenario.Load(fl.Arg(0), sets)
	if err != nil {
		return err
	}
	return sc.Explain(stdout)
}

func cmdVersion(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("version", stderr)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	fmt.Fprintln(stdout, buildinfo.String())
	return nil
}
