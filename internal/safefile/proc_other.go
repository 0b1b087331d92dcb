//go:build !unix

package safefile

// processIdentity is unknown on this system.
func processIdentity(pid int) (boot string, ticks uint64, ns string) { return "", 0, "" }

// processRuns cannot tell here: a stage of another process is assumed
// to be live, so it is never removed (only named).
func processRuns(pid int, ticks uint64) bool { return true }

// renameNoReplace is not available here: the caller checks, then renames.
func renameNoReplace(from, to string) (bool, error) { return false, nil }
