package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
)

// newFlags returns the FlagSet of the command name, whose mistakes are
// reported on stderr. The flag package prints nothing itself: parse
// prints the command's help once, on stdout when asked for, on stderr
// after a mistake.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c, _ := find(name)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s%s. See %s.\n\nFlags:\n", c.synopsis, strings.ToUpper(c.summary[:1]), c.summary[1:], c.doc)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags. -h prints the help on stdout and ends the command
// successfully; a mistake prints it on stderr and is a usage error.
// Flags may come before or after the positional arguments (reunify
// breakeven S.toml --param P), as users of R and Python tools expect;
// "--" ends the flags.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) (help bool, err error) {
	stderr := fs.Output()
	fs.SetOutput(io.Discard) // the flag package would print the help too
	defer fs.SetOutput(stderr)
	usage := func(w io.Writer) {
		fs.SetOutput(w)
		fs.Usage()
		fs.SetOutput(io.Discard)
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage(stdout)
				return true, nil
			}
			usage(stderr)
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

// simFlags are the flags of every command that simulates, registered
// here once: --iterations, --seed and --workers, into the engine's own
// options, which the command hands to the package it drives (sim,
// sensitivity, validation, calibrate).
type simFlags struct{ opt sim.Options }

// register registers the flags with the command's default iterations
// and what an iteration is for it.
func (s *simFlags) register(fl *flag.FlagSet, iterations int, what string) {
	fl.IntVar(&s.opt.Iterations, "iterations", iterations, what)
	fl.Uint64Var(&s.opt.Seed, "seed", 1, "random seed: the same seed gives the same results")
	fl.IntVar(&s.opt.Workers, "workers", runtime.NumCPU(), "concurrent workers, all cores by default (results do not depend on it)")
}

// check refuses fewer than least iterations, or no workers.
func (s *simFlags) check(least int) error {
	if s.opt.Iterations < least {
		why := ""
		if least > 1 {
			why = " for a Monte Carlo standard error"
		}
		return usagef("--iterations %d: need at least %d%s", s.opt.Iterations, least, why)
	}
	if s.opt.Workers < 1 {
		return usagef("--workers %d: need at least 1", s.opt.Workers)
	}
	return nil
}

// workFlags are the flags of every command that simulates into --out
// (run and the analyses): simFlags, --out, --set, --quiet, --force and
// --allow-large, which lifts the limits.
type workFlags struct {
	simFlags
	out                      string
	sets                     multiFlag
	quiet, force, allowLarge bool
}

// register registers the flags, with what an iteration is, what --out
// is and what --force replaces.
func (w *workFlags) register(fl *flag.FlagSet, iterations, out, force string) {
	w.simFlags.register(fl, 1000, iterations)
	fl.StringVar(&w.out, "out", "", out)
	setFlag(fl, &w.sets)
	fl.BoolVar(&w.quiet, "quiet", false, "no progress bar or table")
	fl.BoolVar(&w.force, "force", false, force)
	fl.BoolVar(&w.allowLarge, "allow-large", false, "run even if the estimated time, memory or disk space is beyond the limits (see reunify help run)")
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// setFlag registers --set, the overrides of scenario values.
func setFlag(fl *flag.FlagSet, sets *multiFlag) {
	fl.Var(sets, "set", "override a scenario value by its TOML path, e.g. --set entries.per_year=300 (repeatable)")
}

// finite reads a finite number, for a flag's value.
func finite(s string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return x, nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fl *flag.FlagSet, name string) bool {
	set := false
	fl.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
