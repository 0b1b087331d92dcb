package resultdir

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reunify/reunify/internal/resultstest"
)

var resultFiles = []string{
	AcceptabilityFile, ComparisonFile, DampackCostFile, DampackEffectFile, DampackParamsFile,
	IterationsFile, ManifestFile, ScenarioFile, SummaryFile, SurvivalFile, YearlyFile,
}

const scenarioText = "name = \"tiny\"\n"

func TestWriteGolden(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := Write(dir, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, resultFiles) {
		t.Errorf("files %v, want %v", got, resultFiles)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("beside the result folder: %v, want only out", got)
	}
	exponent := regexp.MustCompile(`\d[eE][-+]?\d`)
	for _, f := range resultFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("write", f), b)
		if strings.HasSuffix(f, ".csv") && exponent.Match(b) {
			t.Errorf("%s has a number in exponent notation: %q", f, exponent.Find(b))
		}
	}
	// The values chosen to test formatting are there as plain decimals.
	it, _ := os.ReadFile(filepath.Join(dir, IterationsFile))
	for _, s := range []string{",0.0000001,", ",1000000000,", ",NA,"} {
		if !strings.Contains(string(it), s) {
			t.Errorf("iterations.csv lacks %q", s)
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("result folder mode %v, %v; want 0755", fi.Mode().Perm(), err)
	}
}

// names lists the entries of dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// earlierScenario marks the scenario.toml of an earlier result folder.
const earlierScenario = "name = \"earlier run\"\n"

// earlier makes dir an earlier result folder, as an earlier run writes
// it.
func earlier(t *testing.T, dir string) {
	t.Helper()
	if err := Write(dir, resultstest.Tiny(), fixedManifest(), []byte(earlierScenario), false); err != nil {
		t.Fatal(err)
	}
}

// intact reports whether dir is still exactly the folder earlier made.
func intact(t *testing.T, dir string) {
	t.Helper()
	if got := names(t, dir); !slices.Equal(got, resultFiles) {
		t.Errorf("earlier folder now holds %v", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, ScenarioFile)); err != nil || string(b) != earlierScenario {
		t.Errorf("earlier folder's scenario.toml is now %q, %v", b, err)
	}
}

func TestWriteAtomic(t *testing.T) {
	errInjected := errors.New("injected failure")
	tests := []struct {
		name    string
		before  bool                    // an earlier, non-empty folder exists
		force   bool                    // Write's force
		fail    func(name string) error // beforeFile hook
		wantErr string                  // "" for success
	}{
		{name: "new folder"},
		{name: "non-empty without force", before: true, wantErr: "not empty"},
		{name: "non-empty with force", before: true, force: true},
		{name: "failure in a new folder",
			fail: failOn(SurvivalFile, errInjected), wantErr: "injected"},
		{name: "failure with force keeps the earlier folder", before: true, force: true,
			fail: failOn(ManifestFile, errInjected), wantErr: "injected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if tt.before {
				earlier(t, dir)
			}
			if tt.fail != nil {
				beforeFile = tt.fail
				defer func() { beforeFile = func(string) error { return nil } }()
			}
			err := Write(dir, resultstest.Tiny(), fixedManifest(), []byte(scenarioText), tt.force)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Write: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Write: error %v, want one containing %q", err, tt.wantErr)
			}
			// Nothing is ever left beside the result folder.
			wantBeside := []string{"out"}
			if err != nil && !tt.before {
				wantBeside = nil
			}
			if got := names(t, parent); !slices.Equal(got, wantBeside) {
				t.Errorf("parent holds %v, want %v", got, wantBeside)
			}
			switch {
			case err == nil:
				if got := names(t, dir); !slices.Equal(got, resultFiles) {
					t.Errorf("result folder holds %v, want %v", got, resultFiles)
				}
			case tt.before:
				intact(t, dir)
			}
		})
	}
}

func failOn(file string, err error) func(string) error {
	return func(name string) error {
		if name == file {
			return err
		}
		return nil
	}
}

func TestWriteEmptyFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, resultstest.Tiny(), fixedManifest(), nil, false); err != nil {
		t.Fatalf("Write into an empty folder: %v", err)
	}
	if got := names(t, dir); !slices.Equal(got, resultFiles) {
		t.Errorf("result folder holds %v", got)
	}
}

func TestWriteOverFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		if err := Write(path, resultstest.Tiny(), fixedManifest(), nil, force); err == nil {
			t.Errorf("Write over a file (force %v) succeeded", force)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "x" {
		t.Errorf("file changed to %q", b)
	}
}

func TestWriteBadResults(t *testing.T) {
	res := resultstest.Tiny()
	res.Outcomes[1][2].AtRisk = res.Outcomes[1][2].AtRisk[:2]
	parent := t.TempDir()
	err := Write(filepath.Join(parent, "out"), res, fixedManifest(), nil, false)
	if err == nil || !strings.Contains(err.Error(), `arm "support" iteration 5`) {
		t.Errorf("Write with a short survival curve: %v", err)
	}
	if got := names(t, parent); len(got) != 0 {
		t.Errorf("parent holds %v", got)
	}
}

func TestDefaultDir(t *testing.T) {
	at := time.Date(2026, 11, 22, 19, 30, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct{ name, want string }{
		{"family-support", "family-support-20261122T183000Z"},
		{"family support/v2", "family-support-v2-20261122T183000Z"},
		{"..", "scenario-20261122T183000Z"},
		{"", "scenario-20261122T183000Z"},
		{"Gwynedd_2026.b", "Gwynedd_2026.b-20261122T183000Z"},
	}
	for _, tt := range tests {
		if got, want := DefaultDir(tt.name, at), filepath.Join("results", tt.want); got != want {
			t.Errorf("DefaultDir(%q) = %q, want %q", tt.name, got, want)
		}
	}
}
