package main

import (
	"errors"

	"github.com/reunify/reunify/internal/safefile"
)

// writeHint says what happened and what to do after a failed write of
// results (flag names where else to write: "--out", "--events"); after
// a commit that landed but could not remove what it replaced
// (safefile.CleanupError, which says so itself), nothing.
func writeHint(err error, flag string) string {
	if ce := (*safefile.CleanupError)(nil); errors.As(err, &ce) {
		return ""
	}
	return "; nothing was written and earlier results are untouched" + safefile.Hint(err, flag)
}
