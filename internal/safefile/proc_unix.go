//go:build unix && !linux

package safefile

import "syscall"

// processIdentity is unknown on this system: processes are told apart by
// their pid alone.
func processIdentity(pid int) (boot string, ticks uint64, ns string) { return "", 0, "" }

// processRuns reports whether process pid still runs.
func processRuns(pid int, ticks uint64) bool { return syscall.Kill(pid, 0) != syscall.ESRCH }

// renameNoReplace is not available here: the caller checks, then renames.
func renameNoReplace(from, to string) (bool, error) { return false, nil }
