package main

import (
	"io"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/scenario"
)

// Two helpers kept only for calibrate.go and validatemodel.go, which
// another engineer is changing; they go when those files move to
// safefile.WriteFileAtomic and to errors that classify themselves.

// writeAtomic is safefile.WriteFileAtomic.
func writeAtomic(path string, write func(io.Writer) error) error {
	return safefile.WriteFileAtomic(path, write)
}

// inputErr marks an error reading a scenario as bad input (exit 2).
func inputErr(err error) error {
	if _, ok := scenario.AsProblems(err); ok {
		return err
	}
	return usageError{err}
}
