package safefile

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// processIdentity returns the kernel's boot id, the start time of
// process pid (in clock ticks since boot) and its pid namespace: with
// the pid they name one process for as long as the machine runs.
func processIdentity(pid int) (boot string, ticks uint64, ns string) {
	if b, err := os.ReadFile("/proc/sys/kernel/random/boot_id"); err == nil {
		boot = strings.TrimSpace(string(b))
	}
	ns, _ = os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/pid")
	return boot, startTicks(pid), ns
}

// startTicks is field 22 of /proc/PID/stat, or 0 if unknown.
func startTicks(pid int) uint64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0
	}
	t, _ := strconv.ParseUint(f[19], 10, 64) // field 22: the third after ')' is field 3
	return t
}

// processRuns reports whether process pid still runs and, if ticks is
// known, is the process that started then (not a later one given the
// same pid).
func processRuns(pid int, ticks uint64) bool {
	if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
		return false
	}
	if ticks != 0 {
		if now := startTicks(pid); now != 0 && now != ticks {
			return false
		}
	}
	return true
}

// renameNoReplace renames from to to, failing with fs.ErrExist if to
// exists; ok is false where the file system cannot do it atomically.
func renameNoReplace(from, to string) (ok bool, err error) {
	err = unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if err == unix.EINVAL || err == unix.ENOSYS || err == unix.ENOTSUP {
		return false, nil
	}
	if err != nil {
		return true, &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return true, nil
}
