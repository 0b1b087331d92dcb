package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
)

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

// TestWriteFileAtomicFullDisk: an event log that runs out of disk part
// way leaves the earlier log byte for byte and nothing temporary beside
// it, and the error says the disk is full.
func TestWriteFileAtomicFullDisk(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.csv")
	if err := os.WriteFile(path, []byte("earlier log\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, func(w io.Writer) error {
		fw := &fullAfter{w: w, n: 100_000}
		for range 10_000 {
			if _, err := io.WriteString(fw, "0,baseline,1,2.5000,move,foster,residential,120\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("error %v, want no space left on device", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "earlier log\n" {
		t.Errorf("the earlier log is now %d bytes", len(b))
	}
	if got := names(t, dir); !slices.Equal(got, []string{"events.csv"}) {
		t.Errorf("folder holds %v", got)
	}
}

// TestWriteFullDisk: a result folder that runs out of disk at any of its
// files leaves an earlier folder intact (with --force too) and no
// temporary folder.
func TestWriteFullDisk(t *testing.T) {
	full := &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	for _, file := range []string{SummaryFile, IterationsFile, ScenarioFile} {
		for _, force := range []bool{false, true} {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if force {
				earlier(t, dir)
			}
			beforeFile = failOn(file, full)
			err := Write(dir, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), force)
			beforeFile = func(string) error { return nil }
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), file) {
				t.Errorf("%s: error %v, want no space left naming the file", file, err)
			}
			want := []string(nil)
			if force {
				want = []string{"out"}
				intact(t, dir)
			}
			if got := names(t, parent); !slices.Equal(got, want) {
				t.Errorf("%s, force %v: parent holds %v, want %v", file, force, got, want)
			}
		}
	}
}

// TestRemoveTemporary is the second Ctrl-C: writes in progress lose their
// temporary files and never rename anything into place, and earlier
// results stay as they were.
func TestRemoveTemporary(t *testing.T) {
	defer func() { temps.Lock(); temps.abandoned = false; temps.Unlock() }()
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	earlier(t, dir)
	log := filepath.Join(parent, "events.csv")
	if err := os.WriteFile(log, []byte("earlier log\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	inFile, release := make(chan struct{}), make(chan struct{})
	logErr := make(chan error)
	go func() {
		logErr <- WriteFileAtomic(log, func(w io.Writer) error {
			io.WriteString(w, "partial")
			close(inFile)
			<-release
			return nil
		})
	}()
	<-inFile
	inFolder, releaseFolder := make(chan struct{}), make(chan struct{})
	beforeFile = func(name string) error {
		if name == YearlyFile {
			close(inFolder)
			<-releaseFolder
		}
		return nil
	}
	defer func() { beforeFile = func(string) error { return nil } }()
	dirErr := make(chan error)
	go func() { dirErr <- Write(dir, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), true) }()
	<-inFolder

	if got := names(t, parent); len(got) != 4 {
		t.Fatalf("while writing, the parent holds %v: want the earlier two and two temporary", got)
	}
	removed := RemoveTemporary()
	if len(removed) != 2 {
		t.Errorf("removed %v, want the temporary folder and file", removed)
	}
	close(release)
	close(releaseFolder)
	if err := <-logErr; !errors.Is(err, ErrAbandoned) {
		t.Errorf("event log: %v, want ErrAbandoned", err)
	}
	if err := <-dirErr; err == nil {
		t.Error("the folder write succeeded after RemoveTemporary")
	}
	if got := names(t, parent); !slices.Equal(got, []string{"events.csv", "out"}) {
		t.Errorf("parent holds %v", got)
	}
	intact(t, dir)
	if b, _ := os.ReadFile(log); string(b) != "earlier log\n" {
		t.Errorf("earlier log is now %q", b)
	}
}
