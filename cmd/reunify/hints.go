package main

import "github.com/reunify/reunify/internal/safefile"

// writeHint says what happened and what to do after a failed write of
// results (flag names where else to write: "--out", "--events").
func writeHint(err error, flag string) string {
	return "; nothing was written and earlier results are untouched" + safefile.Hint(err, flag)
}
