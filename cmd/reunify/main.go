// Command reunify simulates children returning home from care and the
// costs and outcomes of supporting those returns. See README.md, or run
// "reunify help", for the commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/reunify/reunify/scenario"
)

func main() {
	os.Exit(exitCode(run(os.Stdout, os.Stderr, os.Args[1:]), os.Stderr))
}

// usageError marks bad input or usage: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errSilent is returned when the message has already been printed.
var errSilent = errors.New("")

// exitCode prints err and maps it to the exit status of contract.md:
// 0 success, 1 the run failed, 2 bad input or usage.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if err.Error() != "" {
		fmt.Fprintln(stderr, "reunify:", err)
	}
	var ue usageError
	if _, ok := scenario.AsProblems(err); ok || errors.As(err, &ue) {
		return 2
	}
	return 1
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string
	run     func(stdout, stderr io.Writer, args []string) error
}

func commands() []command {
	return []command{
		{"run", "simulate every arm of one or more scenarios and write result folders", runUsage, cmdRun},
		{"validate", "check scenarios without running them", "reunify validate SCENARIO.toml...", cmdValidate},
		{"init", "write a commented starter scenario", "reunify init FILE", cmdInit},
		{"validate-model", "check the shipped scenarios against the published figures", validateModelUsage, cmdValidateModel},
		{"explain", "print the resolved scenario, defaults and derived hazards", "reunify explain [--set key=value]... SCENARIO.toml", cmdExplain},
		{"report", "write an HTML report with charts from a result folder", reportUsage, cmdReport},
		{"tornado", "one-way sensitivity: each uncertain parameter at its low and high value", tornadoUsage, cmdTornado},
		{"sweep", "one- or two-way sensitivity over a grid of parameter values", sweepUsage, cmdSweep},
		{"breakeven", "find the parameter value at which a metric reaches a target", breakevenUsage, cmdBreakeven},
		{"calibrate", "build a scenario from SSDA903 files, or fit one to aggregate targets", calibrateUsage, cmdCalibrate},
		{"merge", "join the result folders of shards (run --shard K/N) into one", mergeUsage, cmdMerge},
		{"synth", "simulate a scenario and write it as SSDA903 episodes and header files", synthUsage, cmdSynth},
		{"version", "print version, commit and Go version", "reunify version", cmdVersion},
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
