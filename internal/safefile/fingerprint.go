package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fingerprint describes the file or folder at path as it stands: every
// entry under it by relative path and kind, and every file's size and
// modification time. A commit records the fingerprint of each new
// result in its committing mark, so that a recovery that must undo a
// commit cut short by a kill takes out only a result that is still as
// the commit put it, never one the user changed since (a file added,
// edited or removed).
func fingerprint(path string) (string, error) {
	var b strings.Builder
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(path, p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			fmt.Fprintf(&b, "%s\tdir\n", filepath.ToSlash(rel))
			return nil
		}
		fmt.Fprintf(&b, "%s\t%v\t%d\t%d\n", filepath.ToSlash(rel), fi.Mode().Type(), fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	return b.String(), err
}

// unchangedSince reports whether path still has the fingerprint
// recorded in the committing mark at mark. A mark without one (written
// by an older version) says nothing, and counts as unchanged.
func unchangedSince(path, mark string) bool {
	b, err := ReadSmall(mark, maxSealed)
	if err != nil {
		return false
	}
	if len(b) == 0 {
		return true
	}
	got, err := fingerprint(path)
	return err == nil && got == string(b)
}

// exists reports whether path exists (without following a final
// symbolic link).
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
