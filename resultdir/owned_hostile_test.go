package resultdir

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/safefile"
)

// sealedReport writes, in the result folder dir, a report.html and two
// charts sealed as the report writes them.
func sealedReport(t *testing.T, dir string) {
	t.Helper()
	charts := map[string][]byte{"a.svg": []byte("<svg/>"), "a.png": []byte("\x89PNG")}
	os.Mkdir(filepath.Join(dir, ChartsDir), 0o755)
	for n, b := range charts {
		if err := os.WriteFile(filepath.Join(dir, ChartsDir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page, err := SealReport([]byte("<!DOCTYPE html><html><body>r</body></html>\n"), charts)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ReportFile), page, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOwnedRefusesEveryChange tries hardest to break "--force replaces
// only what reunify wrote": every way a user may add to, edit or swap a
// file of a result folder (a byte appended, a byte changed at the same
// size, a file or folder added at any depth, a symbolic link, a chart of
// their own, an edited report or manifest, a forged or stripped seal)
// makes Owned refuse the folder with a message naming the file; the
// folder as reunify wrote it (with its report, an analysis beside it and
// a stage of reunify's) is accepted.
func TestOwnedRefusesEveryChange(t *testing.T) {
	appendTo := func(name string) func(string) {
		return func(d string) {
			f, err := os.OpenFile(filepath.Join(d, name), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("my notes\n")
			f.Close()
		}
	}
	flip := func(name string) func(string) {
		return func(d string) {
			p := filepath.Join(d, name)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 1
			os.WriteFile(p, b, 0o644)
		}
	}
	write := func(name, text string) func(string) {
		return func(d string) {
			os.MkdirAll(filepath.Dir(filepath.Join(d, name)), 0o755)
			if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	editManifest := func(edit func(m map[string]any)) func(string) {
		return func(d string) {
			p := filepath.Join(d, ManifestFile)
			b, _ := os.ReadFile(p)
			var m map[string]any
			json.Unmarshal(b, &m)
			edit(m)
			out, _ := json.MarshalIndent(m, "", "  ")
			os.WriteFile(p, append(out, '\n'), 0o644)
		}
	}
	refused := []struct {
		name, names string // names: what the message must name
		change      func(dir string)
	}{
		{"text appended to summary.csv", SummaryFile, appendTo(SummaryFile)},
		{"a byte changed in iterations.csv", IterationsFile, flip(IterationsFile)},
		{"scenario.toml rewritten at the same size", ScenarioFile, func(d string) {
			p := filepath.Join(d, ScenarioFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Repeat([]byte("#"), len(b)), 0o644)
		}},
		{"a file of the user's beside the results", "notes.txt", write("notes.txt", "mine")},
		{"a hidden file of the user's", ".notes", write(".notes", "mine")},
		{"a file named as an analysis's, without its manifest", TornadoFile, write(TornadoFile, "x")},
		{"a folder of the user's", "mine", write("mine/a.txt", "mine")},
		{"an empty folder of the user's", "empty", func(d string) { os.Mkdir(filepath.Join(d, "empty"), 0o755) }},
		{"a chart of the user's", "family-photo.png", write("charts/family-photo.png", "photo")},
		{"a chart edited", "a.svg", flip("charts/a.svg")},
		{"notes typed into report.html", ReportFile, func(d string) {
			p := filepath.Join(d, ReportFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte("<body>"), []byte("<body><p>MY NOTES"), 1), 0o644)
		}},
		{"report.html with its seal stripped", ReportFile, func(d string) {
			p := filepath.Join(d, ReportFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:bytes.LastIndex(b, []byte(sealStart))], 0o644)
		}},
		{"a report.html of the user's with a seal copied from another", ReportFile, func(d string) {
			p := filepath.Join(d, ReportFile)
			b, _ := os.ReadFile(p)
			i := bytes.LastIndex(b, []byte(sealStart))
			os.WriteFile(p, append([]byte("<html>my own page</html>"), b[i:]...), 0o644)
		}},
		{"text after the seal", ReportFile, appendTo(ReportFile)},
		{"charts left without their report", "a.", func(d string) { os.Remove(filepath.Join(d, ReportFile)) }},
		{"a field added to manifest.json", ManifestFile, editManifest(func(m map[string]any) { m["notes"] = "mine" })},
		{"text appended to manifest.json", ManifestFile, appendTo(ManifestFile)},
		{"a manifest listing no files (an older version's)", ManifestFile, editManifest(func(m map[string]any) { delete(m, "files") })},
		{"a manifest whose checksum list was edited to vouch for a file of the user's", "notes.txt", func(d string) {
			write("notes.txt", "mine")(d)
			p := filepath.Join(d, ManifestFile)
			b, _ := os.ReadFile(p)
			var m Manifest
			json.Unmarshal(b, &m)
			m.Files = append(m.Files, FileSum{Name: "notes.txt", Bytes: 4, SHA256: strings.Repeat("0", 64)})
			var out bytes.Buffer
			writeManifest(&out, m)
			os.WriteFile(p, out.Bytes(), 0o644)
		}},
		{"a result file swapped for a symbolic link", SummaryFile, func(d string) {
			p := filepath.Join(d, SummaryFile)
			os.Rename(p, filepath.Join(filepath.Dir(d), "moved.csv"))
			os.Symlink(filepath.Join(filepath.Dir(d), "moved.csv"), p)
		}},
		{"charts swapped for a symbolic link to the user's folder", ChartsDir, func(d string) {
			os.RemoveAll(filepath.Join(d, ChartsDir))
			os.Symlink(t.TempDir(), filepath.Join(d, ChartsDir))
		}},
		{"a fifo where a file was", YearlyFile, func(d string) {
			os.Remove(filepath.Join(d, YearlyFile))
			if err := mkfifo(filepath.Join(d, YearlyFile)); err != nil {
				t.Skip(err)
			}
		}},
		{"an analysis's CSV edited (its manifest beside it)", TornadoFile, func(d string) {
			writeAnalysis(t, d)
			appendTo(TornadoFile)(d)
		}},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "r")
			earlier(t, dir)
			sealedReport(t, dir)
			if err := Owned(dir); err != nil {
				t.Fatalf("before the change: %v", err)
			}
			c.change(dir)
			err := Owned(dir)
			if err == nil {
				t.Fatalf("accepted as reunify's")
			}
			if !strings.Contains(err.Error(), c.names) {
				t.Errorf("the message does not name %s: %v", c.names, err)
			}
		})
	}
	t.Run("as reunify wrote it", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "r")
		earlier(t, dir)
		sealedReport(t, dir)
		writeAnalysis(t, dir)
		p, _ := safefile.NewPlan(false)
		if _, err := p.File(filepath.Join(dir, "x.csv"), nil); err != nil { // a stage of reunify's inside
			t.Fatal(err)
		}
		defer p.Abort()
		if err := Owned(dir); err != nil {
			t.Errorf("refused: %v", err)
		}
	})
}

// writeAnalysis writes tornado.csv and its manifest into dir, as an
// analysis with --out dir does.
func writeAnalysis(t *testing.T, dir string) {
	t.Helper()
	p, err := safefile.NewPlan(true)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ReserveAnalysis(p, dir, TornadoFile)
	if err != nil {
		t.Fatal(err)
	}
	man := AnalysisManifest{Manifest: fixedManifest(), Analysis: "tornado"}
	if err := a.Write(func(w io.Writer) error { _, err := io.WriteString(w, "param,low,high\n"); return err }, man); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(nil); err != nil {
		t.Fatal(err)
	}
}
