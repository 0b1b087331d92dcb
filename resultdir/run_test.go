package resultdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/safefile"
)

// TestCheckBatch: a batch's scenarios each need a folder of their own,
// and the message names the scenario files.
func TestCheckBatch(t *testing.T) {
	files := []string{"a.toml", "b.toml"}
	for _, tt := range []struct {
		names []string
		want  string
	}{
		{[]string{"LA", "la"}, "a.toml and b.toml have the names \"LA\" and \"la\""},
		{[]string{"x", "x"}, "a.toml and b.toml both have the name \"x\""},
		{[]string{"x", ".."}, "b.toml: a scenario of a batch is written to the folder named after it"},
		{[]string{"summary.csv", "y"}, "a.toml:"},
	} {
		err := CheckBatch(tt.names, files)
		var fe *FolderError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want a FolderError saying %q", tt.names, err, tt.want)
		}
	}
	if err := CheckBatch([]string{"one", "two"}, files); err != nil {
		t.Errorf("two names: %v", err)
	}
}

// TestReserveRunAndEventLog: a batch's scenarios get folders of their
// own inside its stage; an event log directly in a result folder lands
// with it, anywhere else is a file of its own, and never the folder, a
// folder inside it or a result file's name.
func TestReserveRunAndEventLog(t *testing.T) {
	root := filepath.Join(t.TempDir(), "out")
	plan, err := safefile.NewPlan(false)
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Abort()
	batch, err := ReserveRun(plan, root, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if dir, staged := batch.Folder(1); dir != filepath.Join(root, "b") || staged != filepath.Join(batch.Staged, "b") {
		t.Errorf("scenario b's folder %s, staged %s", dir, staged)
	}
	if _, err := ReserveEventLog(plan, filepath.Join(root, "events.csv"), batch); err == nil {
		t.Error("an event log for a batch")
	}
	plan.Abort()

	plan, _ = safefile.NewPlan(false)
	defer plan.Abort()
	run, err := ReserveRun(plan, root, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if dir, staged := run.Folder(0); dir != root || staged != run.Staged {
		t.Errorf("one scenario's folder %s, staged %s", dir, staged)
	}
	inside, err := ReserveEventLog(plan, filepath.Join(root, "events.csv"), run)
	if err != nil || inside != filepath.Join(run.Staged, "events.csv") {
		t.Errorf("an event log in the result folder: %s, %v", inside, err)
	}
	beside, err := ReserveEventLog(plan, filepath.Join(filepath.Dir(root), "events.csv"), run)
	if err != nil || filepath.Dir(filepath.Dir(beside)) != filepath.Dir(root) {
		t.Errorf("an event log beside the result folder: %s, %v", beside, err)
	}
	for _, bad := range []string{root, filepath.Join(root, "sub", "events.csv"), filepath.Join(root, SummaryFile)} {
		if _, err := ReserveEventLog(plan, bad, run); err == nil {
			t.Errorf("an event log at %s was reserved", bad)
		}
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("the result folder exists before the commit: %v", err)
	}
}

// TestFolders: a result folder is itself, a batch folder its scenario
// folders, anything else a FolderError naming it.
func TestFolders(t *testing.T) {
	root := t.TempDir()
	res, batch := resultAndBatch(t, root)
	got, err := Folders(res, batch)
	if err != nil || strings.Join(got, " ") != strings.Join([]string{res, filepath.Join(batch, "a"), filepath.Join(batch, "b")}, " ") {
		t.Errorf("Folders = %v, %v", got, err)
	}
	var fe *FolderError
	for _, bad := range []string{root, filepath.Join(res, SummaryFile), filepath.Join(root, "none")} {
		if _, err := Folders(bad); !errors.As(err, &fe) {
			t.Errorf("Folders(%s): %v, want a FolderError", bad, err)
		}
	}
}
