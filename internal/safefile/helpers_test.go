package safefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// The tests stand in for a command's results with a folder of two
// files: a marker, which makes it one "reunify wrote" for ownedMarked,
// and resultName, whose content tells the earlier result from the new.
const (
	marker     = "written-by-reunify"
	resultName = "result.txt"
	logHeader  = "iteration,arm,child,month,event,from,to,age_months\n"
)

// ownedMarked is the Owned check of these tests' result folders: the
// marker and the result, and nothing else (a file of the user's in it
// makes it theirs).
func ownedMarked(dir string) error {
	got := names0(dir)
	if !slices.Equal(got, []string{resultName, marker}) {
		return errors.New("it is not a folder reunify wrote")
	}
	return nil
}

// ownedLog is the Owned check of these tests' event logs.
var ownedLog = OwnedPrefix(logHeader)

func names0(dir string) []string {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// names lists the entries of dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
	return names0(dir)
}

// earlier makes dir an earlier result folder.
func earlier(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{marker: "", resultName: "earlier"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newResult writes a new result folder's files into dir (a stage).
func newResult(t *testing.T, dir string) {
	t.Helper()
	for name, text := range map[string]string{marker: "", resultName: "new"} {
		if err := Create(filepath.Join(dir, name), func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
			t.Error(err)
		}
	}
}

// intact reports whether dir is still exactly the folder earlier made.
func intact(t *testing.T, dir string) {
	t.Helper()
	if got := names(t, dir); !slices.Equal(got, []string{resultName, marker}) {
		t.Errorf("earlier folder now holds %v", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, resultName)); err != nil || string(b) != "earlier" {
		t.Errorf("earlier folder's result is now %q, %v", b, err)
	}
}

// fullAfter is a writer that fails as a full disk does after n bytes.
type fullAfter struct {
	w io.Writer
	n int
}

func (f *fullAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, &os.PathError{Op: "write", Path: "events.csv", Err: syscall.ENOSPC}
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// The tests' own rules for single files (reunify itself proves a file
// is its own by a checksum: OwnedSealed, resultdir's manifests).

// WriteFileAtomic writes one file (a test helper) through a Plan of its own: to a stage
// beside path, synced, then renamed over path. A failure at any point (a
// full disk, an interrupted run) removes the stage and leaves any
// earlier file at path untouched. An existing path is replaced only if
// it is a regular file (never a folder or a symbolic link); callers that
// must not replace a file check first, or use WriteFile.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return WriteFile(path, FileOptions{Force: true, Owned: OwnedAny}, write)
}

// OwnedPrefix (a test helper) returns an Owned check for files reunify marks by their
// first bytes (a comment line, a header row): a regular file that begins
// with prefix.
func OwnedPrefix(prefix string) func(path string) error {
	return func(path string) error {
		f, err := OpenRegular(path)
		if err != nil {
			return err
		}
		defer f.Close()
		b := make([]byte, len(prefix))
		if _, err := io.ReadFull(f, b); err != nil || !bytes.Equal(b, []byte(prefix)) {
			return fmt.Errorf("it does not begin as the file reunify writes there does (%q)", strings.TrimSpace(prefix))
		}
		return nil
	}
}

// OwnedAny (a test helper) accepts any regular file: for the few outputs whose user
// named the very file to replace and that carry no mark of their own.
func OwnedAny(path string) error {
	f, err := OpenRegular(path)
	if err != nil {
		return err
	}
	return f.Close()
}
