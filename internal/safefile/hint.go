package safefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// plainErr is the reason an operation on a path failed, without the
// operation and path (the message names the path itself).
func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// Hint says what to do about a failure to create or write a path, to
// follow its message: ": the disk is full; free some space, or write
// elsewhere with --out" (with "--out" for where, the flag that says where
// else; "" for none), or "" if there is nothing to say.
func Hint(err error, where string) string {
	elsewhere := "write elsewhere"
	if where != "" {
		elsewhere += " with " + where
	}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return ": the disk is full; free some space, or " + elsewhere
	case errors.Is(err, syscall.EROFS):
		return ": the disk is read-only; " + elsewhere
	case errors.Is(err, fs.ErrPermission):
		return ": you may not write there; check the folder's permissions, or " + elsewhere
	case errors.Is(err, syscall.ENOTDIR):
		return ": a part of the path is a file, not a folder"
	}
	return ""
}

// AfterFailure says what happened and what to do after a failed write
// of results, to follow its message (where names where else to write:
// "--out", "--events"): nothing was written, and Hint; after a commit
// that landed but could not remove what it replaced (a CleanupError,
// which says so itself), nothing.
func AfterFailure(err error, where string) string {
	if ce := (*CleanupError)(nil); errors.As(err, &ce) {
		return ""
	}
	return "; nothing was written and earlier results are untouched" + Hint(err, where)
}
