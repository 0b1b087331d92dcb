package main

import (
	"fmt"
	"io"

	"github.com/reunify/reunify/internal/interrupt"
	"github.com/reunify/reunify/report"
	"github.com/reunify/reunify/resultdir"
)

func cmdReport(stdout, stderr io.Writer, args []string) error {
	fl := newFlags("report", stderr)
	quiet := fl.Bool("quiet", false, "do not print the paths of the reports")
	if help, err := parse(fl, args, stdout); help || err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return usagef("report: no result folder given (try the --out folder of a run)")
	}
	dirs, err := resultdir.Folders(fl.Args()...)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	ctx, stop := interrupt.Context(stderr)
	defer stop()
	return report.WriteReports(ctx, stdout, dirs, *quiet)
}
