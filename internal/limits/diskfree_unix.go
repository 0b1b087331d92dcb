//go:build linux || darwin || freebsd

package limits

import "syscall"

// freeBytes is the space free to an unprivileged user on the file system
// holding dir; unknown for one that holds no blocks at all (/proc, /sys:
// not a disk, and not one to judge by its free space).
func freeBytes(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil || st.Blocks == 0 {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
