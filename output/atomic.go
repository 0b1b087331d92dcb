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

// FileOptions are the rules WriteFile follows for one file.
type FileOptions struct {
	// Force lets WriteFile replace an existing file that Owned accepts.
	Force bool
	// Owned reports whether an existing file is one reunify wrote (nil:
	// none is): see OwnedEventLog, OwnedAnalysis, OwnedPrefix.
	Owned func(path string) error
	// Inputs are the files and folders the command reads: never
	// written over, whatever Force says.
	Inputs []string
}

// WriteFile writes one file through a Plan of its own, by the rule for
// everything reunify writes: path must not exist or, with opt.Force, be
// a regular file that opt.Owned accepts; it is never an input, a folder
// or a symbolic link. The file is built in a stage beside path, synced,
// and renamed into place only when complete. A refusal wraps ErrRefused
// (bad input: exit status 2).
func WriteFile(path string, opt FileOptions, write func(io.Writer) error) error {
	p, err := NewPlan(opt.Force, opt.Inputs...)
	if err != nil {
		return err
	}
	staged, err := p.File(path, opt.Owned)
	if err != nil {
		return err
	}
	if err := writeFile(staged, write); err != nil {
		p.Abort()
		return err
	}
	return p.Commit(nil)
}

// OwnedPrefix returns an Owned check for files reunify marks by their
// first bytes (a comment line, a header row): a regular file that begins
// with prefix.
func OwnedPrefix(prefix string) func(path string) error {
	return func(path string) error { return startsWith(path, []byte(prefix)) }
}
