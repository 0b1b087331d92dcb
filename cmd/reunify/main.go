// Command reunify simulates children returning home from care and the
// costs and outcomes of supporting those returns.
//
// Usage:
//
//	reunify <command> [flags] [args]
//
// "reunify help" lists the commands and "reunify help <command>" a
// command's flags; README.md is the manual, and its tables of commands
// and of run's flags are tested against this program. The command line
// only wires: it parses flags, then hands the work to the packages that
// own it (scenario, sim, sensitivity, validation, calibrate) and their
// results to resultdir and report.
//
// Exit status: 0 success, 1 the work failed, 2 bad input or usage. Every
// error that is the user's to fix says so of itself (a BadInput method),
// and main checks that once.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(exitCode(run(os.Stdout, os.Stderr, os.Args[1:]), os.Stderr))
}

// badInput is implemented by the errors of every package that mean the
// user's input or usage is wrong (a scenario, a flag, a data file, a
// destination), not the program or the machine: scenario.Problems,
// sensitivity.InputError, resultdir.MergeError, safefile's refusals,
// report.ErrBadFolder, limits.TooLarge, ssda903.FileError, and this
// package's usageError.
type badInput interface{ BadInput() bool }

// usageError marks bad usage of the command line.
type usageError struct{ err error }

func (e usageError) Error() string  { return e.err.Error() }
func (e usageError) Unwrap() error  { return e.err }
func (e usageError) BadInput() bool { return true }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errSilent is returned when the message has already been printed.
var errSilent = errors.New("")

// exitCode prints err and maps it to the exit status: 0 success, 1 the
// work failed, 2 bad input or usage.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if err.Error() != "" {
		fmt.Fprintln(stderr, "reunify:", err)
	}
	var bi badInput
	if errors.As(err, &bi) && bi.BadInput() {
		return 2
	}
	return 1
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(stdout, stderr io.Writer, args []string) error
}

func commands() []command {
	return []command{
		{"run", "simulate every arm of one or more scenarios and write result folders", cmdRun},
		{"validate", "check scenarios without running them", cmdValidate},
		{"init", "write a commented starter scenario", cmdInit},
		{"validate-model", "check the shipped scenarios against the published figures", cmdValidateModel},
		{"explain", "print the resolved scenario, defaults and derived hazards", cmdExplain},
		{"report", "write an HTML report with charts from a result folder", cmdReport},
		{"tornado", "one-way sensitivity: each uncertain parameter at its low and high value", cmdTornado},
		{"sweep", "one- or two-way sensitivity over a grid of parameter values", cmdSweep},
		{"breakeven", "find the parameter value at which a metric reaches a target", cmdBreakeven},
		{"calibrate", "build a scenario from SSDA903 files, or fit one to aggregate targets", cmdCalibrate},
		{"merge", "join the result folders of shards (run --shard K/N) into one", cmdMerge},
		{"synth", "simulate a scenario and write it as SSDA903 episodes and header files", cmdSynth},
		{"version", "print version, commit and Go version", cmdVersion},
	}
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
		for _, c := range commands() {
			if c.name == rest[0] {
				return c.run(stdout, stderr, []string{"-h"})
			}
		}
		return usagef("help: unknown command %q (try \"reunify help\")", rest[0])
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(stdout, stderr, rest)
		}
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
