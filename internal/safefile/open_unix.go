//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without waiting: a pipe
// swapped in after the check is not waited on.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
