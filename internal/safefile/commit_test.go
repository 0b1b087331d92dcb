package safefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

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

// TestCommitPutsTheEarlierBack: with force, an earlier folder moved
// aside goes back when the new one cannot be renamed in, or when
// writing the new one failed; nothing is left beside it.
func TestCommitPutsTheEarlierBack(t *testing.T) {
	errInjected := errors.New("injected failure")
	for _, tt := range []struct {
		name   string
		rename func(from, to string) error
		write  error
	}{
		{name: "failed rename", rename: func(from, to string) error {
			if filepath.Base(from) == stageNew {
				return errInjected
			}
			return os.Rename(from, to)
		}},
		{name: "failed write", write: errInjected},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			earlier(t, dir)
			if tt.rename != nil {
				rename, renameInto = tt.rename, tt.rename
				defer func() { rename, renameInto = os.Rename, renameIn }()
			}
			p, err := NewPlan(true)
			if err != nil {
				t.Fatal(err)
			}
			staged, err := p.Folder(dir, ownedMarked)
			if err != nil {
				t.Fatal(err)
			}
			newResult(t, staged)
			if tt.write != nil { // the command's work failed: it aborts
				p.Abort()
				err = tt.write
			} else {
				err = p.Commit(nil)
			}
			if !errors.Is(err, errInjected) {
				t.Fatalf("commit: %v, want the injected failure", err)
			}
			if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
				t.Errorf("parent holds %v", got)
			}
			intact(t, dir)
		})
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
	dirErr := make(chan error)
	go func() {
		p, err := NewPlan(true)
		if err != nil {
			dirErr <- err
			return
		}
		staged, err := p.Folder(dir, ownedMarked)
		if err != nil {
			dirErr <- err
			return
		}
		os.WriteFile(filepath.Join(staged, marker), nil, 0o644)
		close(inFolder)
		<-releaseFolder
		dirErr <- p.Commit(nil)
	}()
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
