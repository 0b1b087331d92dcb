package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// mkdirs makes dir and any missing folder above it, returning those it
// made, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return nil, &fs.PathError{Op: "mkdir", Path: d, Err: syscall.ENOTDIR}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if _, lerr := os.Lstat(d); lerr == nil {
			return nil, &fs.PathError{Op: "mkdir", Path: d, Err: errDanglingLink}
		}
		missing = append(missing, d)
		up := filepath.Dir(d)
		if up == d {
			break
		}
		d = up
	}
	var created []string
	for i := len(missing) - 1; i >= 0; i-- {
		err := os.Mkdir(missing[i], 0o755)
		if errors.Is(err, fs.ErrExist) {
			// Made meanwhile by another process (shards starting together):
			// fine if it is a folder, and not ours to remove.
			if fi, serr := os.Lstat(missing[i]); serr == nil && fi.IsDir() {
				continue
			}
		}
		if err != nil {
			removeCreated(created)
			return nil, err
		}
		created = append(created, missing[i])
	}
	return created, nil
}

// errDanglingLink is a symbolic link to nothing where a folder should be.
var errDanglingLink = errors.New("a symbolic link to nothing")

// removeCreated removes the folders mkdirs made, innermost first, if
// they are still empty.
func removeCreated(created []string) {
	for i := len(created) - 1; i >= 0; i-- {
		os.Remove(created[i])
	}
}

// isEmptyDir reports whether dir is a folder with nothing in it.
func isEmptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	return err != nil && errors.Is(err, io.EOF)
}

// remove removes the stage (see removeStage).
func (s *stage) remove() error { return removeStage(s.root) }

// removeStage removes a stage folder: its content first and its
// owner.json last, so that a stage cut short by a kill is still
// recognised as reunify's.
func removeStage(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// The results first (the committing mark stays until they are gone,
	// for recovery to know what they are), then the marks, owner.json
	// last.
	names := []string{stageOld, stageNew}
	for _, e := range entries {
		if n := e.Name(); n != stageOld && n != stageNew && n != stageOwner {
			names = append(names, n)
		}
	}
	for _, n := range append(names, stageOwner) {
		if err := removeTree(filepath.Join(root, n)); err != nil {
			return err
		}
	}
	return removeTree(root)
}

// syncTree syncs every file and folder under path to disk (path may be a
// file): what the caller wrote into a stage is durable before it is
// renamed into place.
func syncTree(path string) error {
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil && runtime.GOOS != "windows" {
			return fmt.Errorf("syncing %s: %w", p, err)
		}
		return nil
	})
}
