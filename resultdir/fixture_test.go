package resultdir

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reunify/reunify/internal/resultstest"
)

var nan = resultstest.NaN

// fixedManifest is a manifest with fixed times, for golden files.
func fixedManifest() Manifest {
	start := time.Date(2026, 11, 22, 19, 30, 0, 0, time.FixedZone("CET", 3600))
	return Manifest{
		Program:        "reunify",
		Version:        "v0.1.0",
		Commit:         "0123abc",
		GoVersion:      "go1.26.8",
		CommandLine:    []string{"reunify", "run", "--seed", "7", "--shard", "1/2", "s.toml"},
		Scenario:       "s.toml",
		ScenarioSHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		Seed:           7,
		Iterations:     6,
		Workers:        4,
		Shard:          "1/2",
		Start:          start,
		End:            start.Add(90500 * time.Millisecond),
		WallSeconds:    90.5,
	}
}

func golden(t *testing.T, name string, got []byte) { t.Helper(); resultstest.Golden(t, name, got) }

// resultAndBatch writes, in root, a result folder res and a batch folder
// batch of two scenario folders, a and b.
func resultAndBatch(t *testing.T, root string) (res, batch string) {
	t.Helper()
	res, batch = filepath.Join(root, "res"), filepath.Join(root, "batch")
	if err := Write(res, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(batch, 0o755)
	for _, n := range []string{"a", "b"} {
		if err := WriteFolder(filepath.Join(batch, n), resultstest.Tiny(), fixedManifest(), nil, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteBatch(batch, []BatchRow{{"a", resultstest.Tiny()}, {"b", resultstest.Tiny()}}, fixedManifest()); err != nil {
		t.Fatal(err)
	}
	return res, batch
}
