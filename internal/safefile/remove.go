package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// mountPoint reports whether the existing path fi is mounted apart from
// its parent folder (a bind mount included, where the system tells).
func mountPoint(path string, fi os.FileInfo) bool {
	pi, err := os.Lstat(filepath.Dir(path))
	if err != nil {
		return false
	}
	a, ok1 := mountOf(path, fi)
	b, ok2 := mountOf(filepath.Dir(path), pi)
	return ok1 && ok2 && a != b
}

// MountPoint reports whether path, a folder or a file, is mounted apart
// from the folder holding it (a bind mount of a file over one reunify
// wrote, too): reunify never removes one, nor anything in it.
func MountPoint(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && mountPoint(path, fi)
}

// removeTree removes path and everything under it, as os.RemoveAll
// does, but never follows a symbolic link (the link is removed, not
// what it points to) and never descends into a folder mounted apart
// from the one holding it (a bind mount, a disk): such a folder is left
// in place with everything in it, and so are the folders holding it,
// and the error names it. It is how reunify removes every stage.
func removeTree(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return os.Remove(path)
	}
	id, ok := mountOf(path, fi)
	if !ok {
		return fmt.Errorf("%s: cannot tell which disk it is on, so it is left in place", path)
	}
	return removeDir(path, id)
}

// removeDir removes the folder dir, on the mount id, and what it holds.
func removeDir(dir string, id uint64) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var errs []error
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !fi.IsDir() {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		if sub, ok := mountOf(p, fi); !ok || sub != id {
			errs = append(errs, fmt.Errorf("%s is a mount point: it and what it holds are left in place", p))
			continue
		}
		if err := removeDir(p, id); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
