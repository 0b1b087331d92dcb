package validation_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/reunify/reunify/scenarios"
	"github.com/reunify/reunify/validation"
)

// The validation runs England's 400,000 children per iteration; under
// the race detector that is slow and adds nothing (the engine's
// concurrency is raced in package sim), so make test runs this package a
// second time without -race.
func skipUnderRace(t *testing.T) {
	if raceEnabled {
		t.Skip("run without -race: make test runs ./validation separately")
	}
}

func TestShippedScenariosReproducePublishedFigures(t *testing.T) {
	skipUnderRace(t)
	var progress atomic.Int64
	const iterations = 4
	rows, err := validation.Run(context.Background(), scenarios.FS, validation.Options{Iterations: iterations, Seed: 1, Workers: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 20 {
		t.Errorf("%d rows, want 20", len(rows))
	}
	for _, r := range rows {
		if !r.Pass {
			t.Errorf("%s: published %s, simulated %.4f (MCSE %.4f), band %.4f to %.4f", r.Figure, r.Published, r.Mean, r.MCSE, r.Lo, r.Hi)
		}
	}
	if got := progress.Load(); got != validation.Runs*iterations {
		t.Errorf("progress counted %d iterations, want Runs x iterations = %d", got, validation.Runs*iterations)
	}
	var buf bytes.Buffer
	if err := validation.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(rows)+1 || strings.Join(recs[0], ",") != strings.Join(validation.Header, ",") {
		t.Errorf("validation.csv: %d records, header %v", len(recs), recs[0])
	}
}

// A scenario that no longer matches the evidence must fail: double the
// national re-entry curve and the re-entry rows must turn red.
func TestWrongScenarioFails(t *testing.T) {
	skipUnderRace(t)
	fsys := fstest.MapFS{}
	err := fs.WalkDir(scenarios.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(scenarios.FS, path)
		if path == "england.toml" {
			b = bytes.Replace(b, []byte("cumulative = [0.046, 0.071, 0.118, 0.153]"), []byte("cumulative = [0.092, 0.142, 0.236, 0.306]"), 1)
		}
		fsys[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := validation.Run(context.Background(), fsys, validation.Options{Iterations: 2, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	for _, r := range rows {
		failed[r.Figure] = !r.Pass
	}
	for _, f := range []string{"Back in care within 12 months of a return", "Back in care within 5 years of a return"} {
		if !failed[f] {
			t.Errorf("%q passed with a doubled re-entry curve", f)
		}
	}
	if validation.Failed(rows) == 0 {
		t.Error("no row failed")
	}
}

func TestMissingScenario(t *testing.T) {
	_, err := validation.Run(context.Background(), fstest.MapFS{}, validation.Options{Iterations: 1})
	if err == nil || !strings.Contains(err.Error(), "england.toml") {
		t.Errorf("error %v: want one naming england.toml", err)
	}
}
