package safefile

import (
	"os"

	"golang.org/x/sys/unix"
)

// mountOf identifies the mount that the existing path (not followed if
// a symbolic link) belongs to: its mount id where the kernel gives one
// (a bind mount of a folder of the same disk has its own), else its
// device. ok is false if neither can be read.
func mountOf(path string, fi os.FileInfo) (id uint64, ok bool) {
	var stx unix.Statx_t
	if unix.Statx(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_MNT_ID, &stx) == nil && stx.Mask&unix.STATX_MNT_ID != 0 {
		return stx.Mnt_id, true
	}
	return deviceOf(fi)
}
