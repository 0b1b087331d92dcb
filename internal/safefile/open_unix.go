//go:build unix

package safefile

import (
	"os"
	"path/filepath"
	"syscall"
)

// openNonBlocking opens path for reading without waiting: a pipe
// swapped in after the check is not waited on.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// mountPoint reports whether the existing path fi is mounted apart from
// its parent folder (a rename could not move it).
func mountPoint(path string, fi os.FileInfo) bool {
	pi, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return false
	}
	a, ok1 := fi.Sys().(*syscall.Stat_t)
	b, ok2 := pi.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && a.Dev != b.Dev
}
