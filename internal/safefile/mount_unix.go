//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// deviceOf is the device of the file fi describes.
func deviceOf(fi os.FileInfo) (uint64, bool) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), true
	}
	return 0, false
}
