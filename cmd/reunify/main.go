package main

import (
	"errors"
	"fmt"
	_ "github.com/reunify/reunify/internal/interrupt/caught" // signals caught from the first moment: see there
	"io"
	"os"
)

func main() {
	os.Exit(exitCode(run(os.Stdout, os.Stderr, os.Args[1:]), os.Stderr))
}

// badInput is implemented by the errors of every package that mean the
// user's input or usage is wrong (a scenario, a flag, a data file, a
// destination), not the program or the machine: scenario.Problems,
// sensitivity.InputError, calibrate.InputError, resultdir.FolderError,
// safefile's refusals, report.ErrBadFolder, limits.TooLarge,
// ssda903.FileError and a file it cannot open, and usageError here.
type badInput interface{ BadInput() bool }

// usageError marks bad usage of the command line.
type usageError struct{ err error }

func (e usageError) Error() string  { return e.err.Error() }
func (e usageError) Unwrap() error  { return e.err }
func (e usageError) BadInput() bool { return true }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitCode prints err and maps it to the exit status: 0 success, 1 the
// work failed, 2 bad input or usage.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "reunify:", err)
	var bi badInput
	if errors.As(err, &bi) && bi.BadInput() {
		return 2
	}
	return 1
}

// command is one subcommand, and its manual: reunify help lists the
// summaries, and -h prints the synopsis, the summary, where the manual
// says more, and the flags. README.md's table of commands is tested
// against this one.
type command struct {
	name     string
	synopsis string // the usage line(s), after "Usage: "
	summary  string // what it does, in one line
	doc      string // where the manual says more
	run      func(stdout, stderr io.Writer, args []string) error
}

func commands() []command {
	return []command{
		{"run", "reunify run [flags] SCENARIO.toml...", "simulate every arm of one or more scenarios and write result folders", "README.md and docs/outputs.md", cmdRun},
		{"validate", "reunify validate [--set key=value]... SCENARIO.toml...", "check scenarios without running them", "docs/scenario.md", cmdValidate},
		{"init", "reunify init FILE", "write a commented starter scenario", "docs/scenario.md", cmdInit},
		{"validate-model", "reunify validate-model [flags]", "check the shipped scenarios against the published figures", "docs/validation.md", cmdValidateModel},
		{"explain", "reunify explain [--set key=value]... SCENARIO.toml", "print the resolved scenario, defaults and derived hazards", "docs/scenario.md", cmdExplain},
		{"report", "reunify report DIR...", "write an HTML report with charts from a result folder", "docs/report.md", cmdReport},
		{"appraise", "reunify appraise [--iterations N] [--out DIR] [flags] SCENARIO.toml", "make the appraisal pack for a funding bid: run, base case, tornado, break-even and report in one new (or empty) folder", "docs/appraisal.md", cmdAppraise},
		{"tornado", "reunify tornado [flags] SCENARIO.toml", "one-way sensitivity: each uncertain parameter at its low and high value", "docs/sensitivity.md", cmdTornado},
		{"sweep", "reunify sweep [flags] SCENARIO.toml --param PATH (--values a,b,c | --range from:to:steps) [--param ...]", "one- or two-way sensitivity over a grid of parameter values", "docs/sensitivity.md", cmdSweep},
		{"breakeven", "reunify breakeven [flags] SCENARIO.toml --param PATH", "find the parameter value at which a metric reaches a target", "docs/sensitivity.md", cmdBreakeven},
		{"calibrate", `reunify calibrate --episodes E.csv [--episodes E2.csv]... --header H.csv [--header H2.csv]... --out scenario.toml
       reunify calibrate --episodes E.csv --header H.csv --la CODE|all|region --out scenario.toml|DIR
       reunify calibrate --backtest --episodes E.csv --header H.csv [--split yyyy-mm-dd] --out backtest.csv
       reunify calibrate SCENARIO.toml --target metric=value... --param key.path... --out fitted.toml`,
			"build a scenario from SSDA903 files, or fit one to aggregate targets", "docs/calibration.md", cmdCalibrate},
		{"merge", "reunify merge [--out DIR] [--force] [--quiet] SHARD_DIR...", "join the result folders of shards (run --shard K/N) into one", "docs/scale.md", cmdMerge},
		{"synth", "reunify synth [flags] SCENARIO.toml --out DIR", "simulate a scenario and write it as SSDA903 episodes and header files", "docs/calibration.md", cmdSynth},
		{"version", "reunify version", "print version, commit and Go version", "README.md", cmdVersion},
	}
}

// find returns the command name.
func find(name string) (c command, ok bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return c, false
}

// run is the whole program, testable end to end.
func run(stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		printHelp(stderr)
		return usagef("no command given (the commands are listed above; try \"reunify help run\")")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			printHelp(stdout)
			return nil
		}
		if c, ok := find(rest[0]); ok {
			return c.run(stdout, stderr, []string{"-h"})
		}
		return usagef("help: unknown command %q (try \"reunify help\")", rest[0])
	}
	if c, ok := find(name); ok {
		return c.run(stdout, stderr, rest)
	}
	printHelp(stderr)
	return usagef("unknown command %q (the commands are listed above)", name)
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, "reunify simulates children returning home from care, re-entries to care and\nsupport services, and writes cost and outcome distributions to CSV.\n\nUsage:\n  reunify <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"reunify help <command>\" or \"reunify <command> -h\" for a command's flags.\n")
}
