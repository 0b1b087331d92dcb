package validation_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io/fs"
	"math"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/reunify/reunify/scenarios"
	"github.com/reunify/reunify/sim"
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
	rows, err := validation.Run(context.Background(), scenarios.FS, sim.Options{Iterations: iterations, Seed: 1, Workers: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 23 {
		t.Errorf("%d rows, want 23", len(rows))
	}
	// Every calibrated row still holds: the calibration has not broken.
	for _, r := range rows {
		if r.Role == validation.Calibrated && !r.Pass {
			t.Errorf("%s: published %s, simulated %.4f (MCSE %.4f), band %.4f to %.4f", r.Figure, r.Published, r.Mean, r.MCSE, r.Lo, r.Hi)
		}
		if r.Role != validation.Calibrated && r.Role != validation.Predicted {
			t.Errorf("%s: role %q", r.Figure, r.Role)
		}
	}
	if n := validation.Count(rows, validation.Predicted); n < 3 {
		t.Errorf("%d predicted rows, want at least 3", n)
	}
	// docs/validation.md says which predicted rows pass and which do
	// not: it must say what the model does.
	docs := docsVerdicts(t)
	for _, r := range rows {
		if r.Role != validation.Predicted {
			continue
		}
		want, ok := docs[r.Figure]
		if !ok {
			t.Errorf("docs/validation.md's table has no row %q", r.Figure)
			continue
		}
		if got := map[bool]string{true: "pass", false: "FAIL"}[r.Pass]; got != want {
			t.Errorf("%s: docs/validation.md says %s, the model gives %s (simulated %.4f, band %.4f to %.4f): update the page and its findings",
				r.Figure, want, got, r.Mean, r.Lo, r.Hi)
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
			for _, p := range [][2]string{{"0.046", "0.092"}, {"0.071", "0.142"}, {"0.118", "0.236"}, {"0.153", "0.306"}} {
				old := []byte(`{ dist = "beta", mean = ` + p[0] + `,`)
				if bytes.Count(b, old) != 1 {
					t.Fatalf("england.toml: no re-entry point %s to double", p[0])
				}
				b = bytes.Replace(b, old, []byte(`{ dist = "beta", mean = `+p[1]+`,`), 1)
			}
		}
		fsys[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := validation.Run(context.Background(), fsys, sim.Options{Iterations: 2, Seed: 1, Workers: 2})
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
	if validation.Failed(rows, validation.Calibrated) == 0 {
		t.Error("no row failed")
	}
}

// docsVerdicts reads the latest table of docs/validation.md: figure ->
// result, for the predicted rows.
func docsVerdicts(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../docs/validation.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		cells := strings.Split(l, "|")
		if len(cells) < 9 || strings.TrimSpace(cells[2]) != string(validation.Predicted) {
			continue
		}
		out[strings.TrimSpace(cells[1])] = strings.TrimSpace(cells[len(cells)-2])
	}
	return out
}

// TestBandsAreTheSourcesPrecision recomputes every band from the
// precision docs/validation.md states for its source: the rounding of the
// published figure plus 1.96 standard errors of its sample (a share of n
// children) or of its count (Poisson), so no band is slack chosen to pass.
func TestBandsAreTheSourcesPrecision(t *testing.T) {
	skipUnderRace(t)
	rows, err := validation.Run(context.Background(), scenarios.FS, sim.Options{Iterations: 2, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	share := func(p, n float64) [2]float64 {
		h := 0.005
		if n > 0 {
			h += 1.96 * math.Sqrt(p*(1-p)/n)
		}
		return [2]float64{p - h, p + h}
	}
	count := func(n, unit, rounding float64) [2]float64 {
		h := rounding/2 + 1.96*math.Sqrt(n)*unit
		return [2]float64{n*unit - h, n*unit + h}
	}
	want := map[string][2]float64{
		"Back in care within 3 months of a return":                               share(0.12, 10080),
		"Back in care within 12 months of a return":                              share(0.20, 10080),
		"Back in care within 5 years of a return":                                share(0.30, 10080),
		"Back in care within 6 years of a return":                                share(0.35, 10080),
		"Returns home as a share of exits from care":                             share(0.29, 29300),
		"Re-abused or neglected within 2 years of a return (unsupported)":        share(0.46, 180),
		"Returns still at home after 2 years (stable)":                           share(0.75, 2208),
		"Yearly cost of failed returns, 2024":                                    count(316e6/105804, 105804, 1e6),
		"Yearly cost of supporting every return, 2024":                           count(67e6/7857, 7857, 1e6),
		"Maltreated within 2 years of a return: parents misusing substances":     share(0.78, 180),
		"Maltreated within 2 years of a return: parents not misusing substances": share(0.29, 180),
		"Returns that broke down":                                                share(0.47, 10080),
		"Yearly cost of failed returns":                                          count(4738, 61614, 0.1e6),
		"Yearly cost of supporting every return":                                 count(10080, 5627, 0.1e6),
		"Yearly cost of 11 children in high-cost residential placements":         {3.5e6, 4.5e6},
		"Children with two or more failed returns":                               {(1.0/4 + 1.0/3) / 2, (1.0/3 + 2.0/5) / 2},
		"Back in care within 5 years: low-reentry authority":                     share(0.11, 0),
		"Back in care within 5 years: high-reentry authority":                    share(0.59, 0),
	}
	for _, r := range rows {
		if r.Direction {
			if r.Hi != 0 || !math.IsInf(r.Lo, -1) {
				t.Errorf("%s: a direction row's band is below 0, got %v to %v", r.Figure, r.Lo, r.Hi)
			}
			continue
		}
		w, ok := want[r.Figure]
		if !ok {
			t.Errorf("%s: no stated precision", r.Figure)
			continue
		}
		if math.Abs(r.Lo-w[0]) > 1e-9*math.Abs(w[0]) || math.Abs(r.Hi-w[1]) > 1e-9*math.Abs(w[1]) {
			t.Errorf("%s: band %v to %v, the source's precision gives %v to %v", r.Figure, r.Lo, r.Hi, w[0], w[1])
		}
		if r.Tolerance == "" {
			t.Errorf("%s: the band does not say what precision it is", r.Figure)
		}
	}
}

func TestMissingScenario(t *testing.T) {
	_, err := validation.Run(context.Background(), fstest.MapFS{}, sim.Options{Iterations: 1})
	if err == nil || !strings.Contains(err.Error(), "england.toml") {
		t.Errorf("error %v: want one naming england.toml", err)
	}
}

// TestVerdict: a failed calibrated row fails the validation; a failed
// predicted row only with strict.
func TestVerdict(t *testing.T) {
	rows := []validation.Row{{Role: validation.Calibrated, Pass: true}, {Role: validation.Predicted, Pass: false}}
	if err := validation.Verdict(rows, false, "v.csv"); err != nil {
		t.Errorf("a failed predicted row: %v", err)
	}
	if err := validation.Verdict(rows, true, "v.csv"); err == nil || !strings.Contains(err.Error(), "1 of 1 predicted") {
		t.Errorf("a failed predicted row, strict: %v", err)
	}
	rows[0].Pass = false
	if err := validation.Verdict(rows, false, "v.csv"); err == nil || !strings.Contains(err.Error(), "1 of 1 calibrated") {
		t.Errorf("a failed calibrated row: %v", err)
	}
	var b strings.Builder
	if err := validation.WriteSummary(&b, rows, 50, 1, "v.csv"); err != nil || !strings.Contains(b.String(), "calibrated: 0 of 1 rows pass; predicted: 0 of 1 pass (50 iterations each, seed 1)") {
		t.Errorf("summary %q, %v", b.String(), err)
	}
}
