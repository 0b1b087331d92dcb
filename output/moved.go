// Package output is what is left of a package split into summary,
// resultdir, report and internal/safefile: the three names validation,
// calibrate and validate-model still use, until their own changes
// (another engineer's, under way) land and they import the new packages.
package output

import (
	"time"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/summary"
)

// Summarize is summary.Summarize.
func Summarize(xs []float64) summary.Stats { return summary.Summarize(xs) }

// FormatNumber is resultdir.FormatNumber.
func FormatNumber(v float64) string { return resultdir.FormatNumber(v) }

// DefaultDir is resultdir.DefaultDir.
func DefaultDir(name string, t time.Time) string { return resultdir.DefaultDir(name, t) }
