package resultdir

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/internal/safefile"
)

// TestPlanReplacesOnlyWhatReunifyWrote: --force replaces a result
// folder, a batch, an event log and charts that reunify wrote.
func TestPlanReplacesOnlyWhatReunifyWrote(t *testing.T) {
	root := t.TempDir()
	// A result folder, and a batch: scenario folders and a manifest
	// listing their files.
	res, batch := resultAndBatch(t, root)
	if err := Owned(res); err != nil {
		t.Fatalf("a result folder: %v", err)
	}
	if err := Owned(batch); err != nil {
		t.Fatalf("a batch: %v", err)
	}
	os.WriteFile(filepath.Join(batch, "b", "notes.txt"), []byte("mine"), 0o644)
	if err := Owned(batch); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a batch with the user's notes in a scenario folder: %v", err)
	}
	os.Mkdir(filepath.Join(batch, "c"), 0o755)
	os.Remove(filepath.Join(batch, "b", "notes.txt"))
	if err := Owned(batch); err == nil || !strings.Contains(err.Error(), "c") {
		t.Errorf("a batch with a folder it does not list: %v", err)
	}
	// Charts: only SVG and PNG files.
	charts := filepath.Join(res, ChartsDir)
	os.Mkdir(charts, 0o755)
	os.WriteFile(filepath.Join(charts, "a.svg"), []byte("<svg/>"), 0o644)
	if err := Owned(res); err != nil {
		t.Errorf("a result folder with charts: %v", err)
	}
	os.WriteFile(filepath.Join(charts, "mine.docx"), []byte("x"), 0o644)
	if err := Owned(res); err == nil {
		t.Error("charts holding a user's document count as reunify's")
	}
	os.Remove(filepath.Join(charts, "mine.docx"))

	p, _ := safefile.NewPlan(true)
	staged, err := p.Folder(res, Owned)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFolder(staged, resultstest.Tiny(), fixedManifest(), []byte("name = \"new\"\n"), false); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(res, ScenarioFile)); string(b) != "name = \"new\"\n" {
		t.Errorf("the result folder was not replaced: %q", b)
	}
	if got := names(t, root); !slices.Equal(got, []string{"batch", "res"}) {
		t.Errorf("left beside: %v", got)
	}
}

// TestCheckName: names that could escape their folder, hide, or take a
// file's place are refused.
func TestCheckName(t *testing.T) {
	for _, bad := range []string{"", ".", "..", "../x", "a/b", `a\b`, "c:", ".hidden", "summary.csv", "Manifest.json", "charts",
		"report.html", "a\x00b", "tab\there", "x\xff", strings.Repeat("n", 201), "trailing "} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
	for _, good := range []string{"local-authority", "Gwynedd 2026", "scénario", "a.b", strings.Repeat("n", 200)} {
		if err := CheckName(good); err != nil {
			t.Errorf("CheckName(%q): %v", good, err)
		}
	}
}

// TestOwnedRefuses: with --force, a plan refuses a result folder that
// holds a file of the user's, and a link to a result folder.
func TestOwnedRefuses(t *testing.T) {
	root := t.TempDir()
	res := filepath.Join(root, "res")
	if err := Write(res, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	os.Symlink(res, filepath.Join(root, "reslink"))
	noted := filepath.Join(root, "noted")
	if err := Write(noted, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(noted, "my-notes.txt"), []byte("mine"), 0o644)
	for _, tt := range []struct {
		dest  string
		force bool
	}{{res, false}, {filepath.Join(root, "reslink"), true}, {noted, true}} {
		p, err := safefile.NewPlan(tt.force)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Folder(tt.dest, Owned); !errors.Is(err, safefile.ErrRefused) {
			t.Errorf("%s (force %v): %v, want a refusal", tt.dest, tt.force, err)
		}
		p.Abort()
	}
}

// TestLineLimit: a line longer than the limit fails the read.
func TestLineLimit(t *testing.T) {
	var r io.Reader = &lineLimit{r: strings.NewReader(strings.Repeat("x", 100)), max: 10}
	if _, err := io.ReadAll(r); err == nil {
		t.Error("a 100-byte line read with a limit of 10")
	}
}
