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
