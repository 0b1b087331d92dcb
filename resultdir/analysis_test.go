package resultdir

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reunify/reunify/internal/safefile"
)

// TestAnalysis: an analysis's CSV file lands with its manifest beside
// it, the manifest's fields in the run manifest's order and then the
// analysis's; --force replaces the pair only if reunify wrote it.
func TestAnalysis(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	man := AnalysisManifest{
		Manifest: Manifest{Program: "reunify", Version: "v1", Scenario: "s.toml", Seed: 3, Iterations: 10,
			Start: start, End: start.Add(2 * time.Second), WallSeconds: 2},
		Analysis: "tornado", Runs: 41,
		Settings: map[string]any{"metric": "net_saving", "arm": "support"},
	}
	write := func(force bool, text string) error {
		plan, err := safefile.NewPlan(force)
		if err != nil {
			t.Fatal(err)
		}
		defer plan.Abort()
		a, err := ReserveAnalysis(plan, dir, TornadoFile)
		if err != nil {
			return err
		}
		if err := a.Write(func(w io.Writer) error { _, err := io.WriteString(w, text); return err }, man); err != nil {
			t.Fatal(err)
		}
		return plan.Commit(nil)
	}
	if err := write(false, "first\n"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "tornado.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	if got["program"] != "reunify" || got["seed"] != 3.0 || got["analysis"] != "tornado" || got["file"] != TornadoFile || got["runs"] != 41.0 ||
		got["start"] != "2026-11-22T20:00:00Z" || got["settings"].(map[string]any)["arm"] != "support" {
		t.Errorf("fields: %v", got)
	}
	// The run manifest's fields first, in their order, then the analysis's.
	text := string(b)
	order := []string{`"program"`, `"scenario_sha256"`, `"wall_seconds"`, `"analysis"`, `"file"`, `"runs"`, `"settings"`}
	for i := 1; i < len(order); i++ {
		if strings.Index(text, order[i-1]) > strings.Index(text, order[i]) {
			t.Errorf("%s comes after %s:\n%s", order[i-1], order[i], text)
		}
	}
	if err := write(false, "second\n"); !errors.Is(err, safefile.ErrRefused) {
		t.Errorf("over an earlier analysis without force: %v", err)
	}
	if err := write(true, "second\n"); err != nil {
		t.Errorf("over an earlier analysis with force: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, TornadoFile)); string(b) != "second\n" {
		t.Errorf("tornado.csv holds %q", b)
	}
	os.Remove(filepath.Join(dir, "tornado.json"))
	if err := write(true, "third\n"); !errors.Is(err, safefile.ErrRefused) || !strings.Contains(err.Error(), "no tornado.json beside it") {
		t.Errorf("over a tornado.csv without its manifest: %v", err)
	}
}
