package resultdir

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
)

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
