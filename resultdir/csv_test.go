package resultdir

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/summary"
)

func TestNum(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{1e-7, "0.0000001"},
		{1e9, "1000000000"},
		{1e21, "1000000000000000000000"},
		{-2.5e-10, "-0.00000000025"},
		{3, "3"},
		{0.30, "0.3"},
		{1.0 / 3, "0.3333333333333333"},
		{math.Copysign(0, -1), "0"},
		{math.NaN(), "NA"},
		{math.Inf(1), "Inf"},
		{math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.v); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestWriteAcceptability(t *testing.T) {
	var b bytes.Buffer
	pts := []summary.AcceptabilityPoint{{Arm: "s", Baseline: "b", Value: 61614, ProbWorthIt: 0.25}, {Arm: "s", Baseline: "b", Value: 0, ProbWorthIt: nan}}
	if err := writeAcceptability(&b, pts); err != nil {
		t.Fatal(err)
	}
	want := "arm,baseline,value_per_reentry_averted,prob_worth_it\ns,b,61614,0.25\ns,b,0,NA\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestBatchSummary: a batch's summary.csv is every scenario's summary
// after a scenario column, in the order of the batch.
func TestBatchSummary(t *testing.T) {
	a, b := resultstest.Tiny(), resultstest.Tiny()
	b.Arms, b.Outcomes = b.Arms[:1], b.Outcomes[:1]
	dir := t.TempDir()
	rows := []BatchRow{{"tiny", a}, {"tiny, baseline only", b}}
	if err := WriteBatch(dir, rows, fixedManifest()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "batch_summary.csv", got)
	m, err := ReadManifest(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Batch, "|") != "tiny|tiny, baseline only" || len(m.Files) != 1 || m.Files[0].Name != SummaryFile {
		t.Errorf("the batch's manifest names %q and lists %+v", m.Batch, m.Files)
	}
	if err := WriteBatch(t.TempDir(), []BatchRow{{"../x", a}}, fixedManifest()); err == nil {
		t.Error("a scenario named ../x was accepted as a folder")
	}
}

// TestLoadFolderErrors: a folder lacking a file, a column or a number is
// refused with a message naming the file, line and column.
func TestLoadFolderErrors(t *testing.T) {
	fresh := func() string {
		dir := filepath.Join(t.TempDir(), "out")
		if err := Write(dir, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), false); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dir := fresh()
	if _, err := LoadFolder(dir); err != nil {
		t.Fatalf("a folder Write wrote: %v", err)
	}
	os.Remove(filepath.Join(dir, ComparisonFile))
	if _, err := LoadFolder(dir); err == nil || !strings.Contains(err.Error(), ComparisonFile) {
		t.Errorf("missing comparison.csv: %v", err)
	}
	dir = fresh()
	os.WriteFile(filepath.Join(dir, SurvivalFile), []byte("arm,month\nbaseline,0\n"), 0o644)
	if _, err := LoadFolder(dir); err == nil || !strings.Contains(err.Error(), "cum_reentry") {
		t.Errorf("survival.csv lacking columns: %v", err)
	}
	dir = fresh()
	os.WriteFile(filepath.Join(dir, YearlyFile), []byte("arm,year,metric,mean,p2_5,p50,p97_5\nbaseline,1,in_care_end,lots,1,1,1\n"), 0o644)
	if _, err := LoadFolder(dir); err == nil || !strings.Contains(err.Error(), `yearly.csv:2: column mean: "lots" is not a number`) {
		t.Errorf("bad number: %v", err)
	}
	for _, tt := range []struct{ rows, want string }{
		{"1,baseline,5\n1,baseline,6\n", "appears twice"},
		{"1,baseline,5\n", "arm support lacks iteration 1"},
		{"one,baseline,5\n", `iteration "one" is not a whole number`},
	} {
		dir = fresh()
		os.WriteFile(filepath.Join(dir, IterationsFile), []byte("iteration,arm,cost_total_discounted\n"+tt.rows), 0o644)
		if _, err := LoadFolder(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("iterations.csv %q: %v, want %q", tt.rows, err, tt.want)
		}
	}
}

// TestLoadFolderReadsWhatWriteWrote: the folder read back holds the
// numbers written, and its per-iteration costs give the net savings of
// the results written, bit for bit.
func TestLoadFolderReadsWhatWriteWrote(t *testing.T) {
	res := resultstest.Tiny()
	dir := filepath.Join(t.TempDir(), "out")
	if err := Write(dir, res, fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	f, err := LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := summary.NetSavings(res, 1)
	got, err := summary.NetSavings(f.PerIteration, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Errorf("iteration %d: net saving %v read back, %v written", i, got[i], want[i])
		}
	}
	byArm, _ := summary.ByArm(res)
	for _, r := range byArm {
		s := f.Summary[ArmMetric{r.Arm, r.Metric}]
		if !resultstest.Near(s.Mean, r.Mean) || !resultstest.Near(s.P97_5, r.P97_5) {
			t.Errorf("%s %s: read %+v, wrote %+v", r.Arm, r.Metric, s, r.Stats)
		}
	}
	byYear, _ := summary.ByYear(res)
	if len(f.Yearly) != len(byYear) {
		t.Fatalf("%d yearly rows read, %d written", len(f.Yearly), len(byYear))
	}
	for i, r := range byYear {
		g := f.Yearly[i]
		if g.Arm != r.Arm || g.Year != r.Year || g.Metric != r.Metric || !resultstest.Near(g.Mean, r.Mean) || !math.IsNaN(g.SD) {
			t.Errorf("yearly row %d: read %+v, wrote %+v", i, g, r)
		}
	}
	if f.Manifest == nil || f.Manifest.Seed != 7 || len(f.Acceptability) == 0 || len(f.Survival) != 6 {
		t.Errorf("manifest %+v, %d acceptability points, %d survival points", f.Manifest, len(f.Acceptability), len(f.Survival))
	}
}
