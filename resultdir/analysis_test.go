package resultdir

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestAnalysisManifestJSON(t *testing.T) {
	start := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	a := AnalysisManifest{
		Manifest: Manifest{Program: "reunify", Version: "v1", Scenario: "s.toml", Seed: 3, Iterations: 10,
			Start: start, End: start.Add(2 * time.Second), WallSeconds: 2},
		Analysis: "tornado", File: "tornado.csv", Runs: 41,
		Settings: map[string]any{"metric": "net_saving", "arm": "support"},
	}
	var b bytes.Buffer
	if err := WriteAnalysisManifest(&b, a); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if got["program"] != "reunify" || got["seed"] != 3.0 || got["analysis"] != "tornado" || got["runs"] != 41.0 ||
		got["start"] != "2026-11-22T20:00:00Z" || got["settings"].(map[string]any)["arm"] != "support" {
		t.Errorf("fields: %v", got)
	}
	// The run manifest's fields first, in their order, then the analysis's.
	text := b.String()
	order := []string{`"program"`, `"scenario_sha256"`, `"wall_seconds"`, `"analysis"`, `"file"`, `"runs"`, `"settings"`}
	for i := 1; i < len(order); i++ {
		if strings.Index(text, order[i-1]) > strings.Index(text, order[i]) {
			t.Errorf("%s comes after %s:\n%s", order[i-1], order[i], text)
		}
	}
}
