package main

import (
	"errors"
	"io/fs"
	"syscall"
)

// writeHint says what happened and what to do after a failed write of
// results (flag names where else to write: "--out", "--events").
func writeHint(err error, flag string) string {
	const kept = "; nothing was written and earlier results are untouched"
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return kept + ": the disk is full; free some space, or write elsewhere with " + flag
	case errors.Is(err, syscall.EROFS):
		return kept + ": the disk is read-only; write elsewhere with " + flag
	case errors.Is(err, fs.ErrPermission):
		return kept + ": you may not write there; check the folder's permissions, or write elsewhere with " + flag
	}
	return kept
}
