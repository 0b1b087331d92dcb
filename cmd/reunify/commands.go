package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/scenario"
)

// version is set at build time by the Makefile (-ldflags -X main.version=...).
var version = "dev"

// newFlags returns a FlagSet that reports its errors on stderr; parse
// prints its help to stdout when asked with -h.
func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; -h prints the usage to stdout and ends the command
// successfully. Flags may come before or after the positional arguments
// (reunify breakeven S.toml --param P), as users of R and Python tools
// expect; "--" ends the flags.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) (help bool, err error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				fs.Usage()
				return true, nil
			}
			return false, usageError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Leave the positional arguments in fs.Args().
	return false, fs.Parse(append([]string{"--"}, positional...))
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func cmdValidate(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("validate", "reunify validate [--set key=value]... SCENARIO.toml...", stderr)
	var sets multiFlag
	fl.Var(&sets, "set", "override a scenario value by its TOML path (repeatable)")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return usagef("validate: no scenario given (usage: reunify validate SCENARIO.toml...)")
	}
	bad := 0
	for _, path := range fl.Args() {
		if err := validateOne(path, sets); err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	if bad > 0 {
		return usageError{fmt.Errorf("%d of %d scenarios have problems: fix each one printed above (file:line:col: key: message), then validate again", bad, fl.NArg())}
	}
	return nil
}

func validateOne(path string, sets []string) error {
	sc, err := scenario.Load(path, sets)
	if err != nil {
		return inputErr(err)
	}
	if _, _, err := sc.Build(); err != nil {
		return inputErr(err)
	}
	return nil
}

// inputErr marks an error reading a scenario as bad input (exit 2).
func inputErr(err error) error {
	if _, ok := scenario.AsProblems(err); ok {
		return err
	}
	return usageError{err}
}

func cmdInit(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("init", "reunify init FILE", stderr)
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
	if errors.Is(err, safefile.ErrRefused) && exists(path) {
		return usagef("init: %s already exists; choose another name (init never overwrites a file)", path)
	}
	if err != nil {
		return planErr("init:", err)
	}
	printNotes(stderr, plan)
	if err := safefile.Create(staged, func(w io.Writer) error { _, err := w.Write(scenario.Starter()); return err }); err != nil {
		return fmt.Errorf("init: writing %s: %w%s", path, err, writeHint(err, "another FILE"))
	}
	if err := plan.Commit(nil); err != nil {
		return fmt.Errorf("init: writing %s: %w%s", path, err, writeHint(err, "another FILE"))
	}
	fmt.Fprintf(stdout, "wrote %s: edit it, then run \"reunify validate %s\" and \"reunify run %s\"\n", path, path, path)
	return nil
}

func cmdExplain(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("explain", "reunify explain [--set key=value]... SCENARIO.toml", stderr)
	var sets multiFlag
	fl.Var(&sets, "set", "override a scenario value by its TOML path (repeatable)")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return usagef("explain: need exactly one scenario (usage: reunify explain [--set key=value]... SCENARIO.toml)")
	}
	sc, err := scenario.Load(fl.Arg(0), sets)
	if err != nil {
		return inputErr(err)
	}
	return sc.Explain(stdout)
}

func cmdVersion(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("version", "reunify version", stderr)
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reunify %s (commit %s, %s)\n", version, commit(), runtime.Version())
	return nil
}

// commit returns the VCS revision the binary was built from, if known.
func commit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// exists reports whether something (a file, folder or link) is at path.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
