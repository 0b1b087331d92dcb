package output

import (
	"fmt"
	"io"
)

// WriteFileAtomic writes one file through a Plan of its own: to a stage
// beside path, synced, then renamed over path. A failure at any point (a
// full disk, an interrupted run) removes the stage and leaves any
// earlier file at path untouched. An existing path is replaced only if
// it is a regular file (never a folder or a symbolic link); callers that
// must not replace a file check first, or use a Plan.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	p, err := NewPlan(true)
	if err != nil {
		return err
	}
	staged, err := p.File(path, OwnedAny)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := writeFile(staged, write); err != nil {
		p.Abort()
		return err
	}
	return p.Commit(nil)
}

// FormatNumber formats a number as every CSV file of a result folder does:
// plain decimal, never exponent notation, NA for NaN.
func FormatNumber(v float64) string { return num(v) }
