package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// reunify runs the command and returns stdout, stderr and the exit status.
func reunify(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := exitCode(run(&out, &errb, args), &errb)
	return out.String(), errb.String(), code
}

var csvFiles = []string{"summary.csv", "iterations.csv", "yearly.csv", "comparison.csv", "survival.csv"}

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range csvFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = b
	}
	return files
}

func TestRunIsByteIdenticalWhateverWorkers(t *testing.T) {
	tmp := t.TempDir()
	var ref map[string][]byte
	for i, w := range []string{"1", "2", "7", "2"} {
		dir := filepath.Join(tmp, "w"+w+strings.Repeat("x", i))
		_, stderr, code := reunify(t, "run", "--quiet", "--iterations", "12", "--seed", "7", "--workers", w, "--out", dir, "testdata/small.toml")
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		got := readAll(t, dir)
		if ref == nil {
			ref = got
			continue
		}
		for f := range ref {
			if !bytes.Equal(ref[f], got[f]) {
				t.Errorf("workers %s: %s differs from workers 1", w, f)
			}
		}
	}
}

func TestRunGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := reunify(t, "run", "--iterations", "8", "--seed", "3", "--out", dir, "testdata/small.toml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Only warnings (small.toml has no uncertain parameter; 8
	// iterations are few), never progress.
	for line := range strings.Lines(stderr) {
		if !strings.HasPrefix(line, "reunify: warning: small: ") {
			t.Errorf("progress or noise on stderr when it is not a terminal: %q", line)
		}
	}
	for _, want := range []string{"baseline", "support", "net saving", "results in " + dir} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for f, got := range readAll(t, dir) {
		golden := filepath.Join("testdata", "golden", f)
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (if the change is intended, run go test ./cmd/reunify -update)", f, golden)
		}
	}
	for _, f := range []string{"manifest.json", "scenario.toml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The resolved scenario runs again to the same numbers.
	again := filepath.Join(t.TempDir(), "again")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "8", "--seed", "3", "--out", again, filepath.Join(dir, "scenario.toml")); code != 0 {
		t.Fatalf("rerunning scenario.toml: exit %d: %s", code, stderr)
	}
	a, b := readAll(t, dir), readAll(t, again)
	if !bytes.Equal(a["summary.csv"], b["summary.csv"]) {
		t.Error("the resolved scenario.toml does not reproduce the run")
	}
}

func TestRunRefusesNonEmptyOut(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "earlier.csv")
	os.WriteFile(keep, []byte("precious"), 0o644)
	_, stderr, code := reunify(t, "run", "--quiet", "--iterations", "2", "--out", dir, "testdata/small.toml")
	if code != 2 || !strings.Contains(stderr, "--force") {
		t.Fatalf("exit %d, stderr %q: want 2 and a hint about --force", code, stderr)
	}
	// --force replaces only a folder reunify wrote: not this one.
	_, stderr, code = reunify(t, "run", "--quiet", "--force", "--iterations", "2", "--out", dir, "testdata/small.toml")
	if code != 2 || !strings.Contains(stderr, "replaces only what reunify wrote") {
		t.Fatalf("--force over the user's folder: exit %d, stderr %q: want 2, refused", code, stderr)
	}
	if b, _ := os.ReadFile(keep); string(b) != "precious" {
		t.Fatal("an earlier file was damaged")
	}
	out := filepath.Join(dir, "out")
	for range 2 { // the second replaces the first
		if _, stderr, code := reunify(t, "run", "--quiet", "--force", "--iterations", "2", "--out", out, "testdata/small.toml"); code != 0 {
			t.Fatalf("--force: exit %d: %s", code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "summary.csv")); err != nil {
		t.Fatal(err)
	}
}

func TestRunBadInputWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"testdata/broken-value.toml", "broken-value.toml:6:"},
		{"testdata/broken-syntax.toml", "broken-syntax.toml:2:"},
		{"testdata/missing.toml", "missing.toml"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		_, stderr, code := reunify(t, "run", "--quiet", "--out", dir, tc.file)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", tc.file, code)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: stderr %q lacks %q", tc.file, stderr, tc.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: --out was created on failure", tc.file)
		}
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"run"},
		{"run", "--iterations", "0", "testdata/small.toml"},
		{"run", "--workers", "0", "testdata/small.toml"},
		{"run", "--shard", "3/3", "testdata/small.toml"},
		{"run", "--shard", "x", "testdata/small.toml"},
		{"run", "--nosuchflag", "testdata/small.toml"},
		{"frobnicate"},
		{},
	} {
		if _, _, code := reunify(t, args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

func TestRunBatch(t *testing.T) {
	tmp := t.TempDir()
	other := filepath.Join(tmp, "other.toml")
	b, _ := os.ReadFile("testdata/small.toml")
	os.WriteFile(other, bytes.Replace(b, []byte(`name = "small"`), []byte(`name = "other"`), 1), 0o644)
	dir := filepath.Join(tmp, "batch")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "3", "--out", dir, "testdata/small.toml", other); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.csv", "small/summary.csv", "other/comparison.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	sum, _ := os.ReadFile(filepath.Join(dir, "summary.csv"))
	if !bytes.HasPrefix(sum, []byte("scenario,arm,metric,")) || !bytes.Contains(sum, []byte("\nother,")) {
		t.Errorf("batch summary.csv:\n%.200s", sum)
	}
	// Two scenarios of the same name would write into one folder.
	if _, _, code := reunify(t, "run", "--quiet", "--iterations", "3", "--out", filepath.Join(tmp, "dup"), "testdata/small.toml", "testdata/small.toml"); code != 2 {
		t.Errorf("same-named batch: exit %d, want 2", code)
	}
}

func TestRunEventLog(t *testing.T) {
	tmp := t.TempDir()
	events := filepath.Join(tmp, "events.csv")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "2", "--events", events, "--out", filepath.Join(tmp, "out"), "testdata/small.toml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("iteration,arm,child,month,event,from,to,age_months\n")) || bytes.Count(b, []byte("\n")) < 10 {
		t.Errorf("event log:\n%.300s", b)
	}
}

func TestValidate(t *testing.T) {
	stdout, _, code := reunify(t, "validate", "testdata/small.toml", "../../scenarios/local-authority.toml")
	if code != 0 || strings.Count(stdout, ": ok") != 2 {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	_, stderr, code := reunify(t, "validate", "testdata/small.toml", "testdata/broken-value.toml")
	if code != 2 || !strings.Contains(stderr, "broken-value.toml:6:") || !strings.Contains(stderr, "weekly_cost") {
		t.Fatalf("exit %d, stderr %q: want 2 with file:line and the key", code, stderr)
	}
}

func TestInit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.toml")
	if _, stderr, code := reunify(t, "init", path); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first, _ := os.ReadFile(path)
	if _, _, code := reunify(t, "validate", path); code != 0 {
		t.Error("the starter scenario does not validate")
	}
	if _, stderr, code := reunify(t, "init", path); code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("init over a file: exit %d, %q", code, stderr)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(first, again) {
		t.Error("init overwrote a file")
	}
}

func TestExplainVersionHelp(t *testing.T) {
	stdout, stderr, code := reunify(t, "explain", "testdata/small.toml")
	if code != 0 || !strings.Contains(stdout, "reentry") {
		t.Errorf("explain: exit %d %s\n%s", code, stderr, stdout)
	}
	stdout, _, code = reunify(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "reunify ") || !strings.Contains(stdout, "go1") {
		t.Errorf("version: exit %d %q", code, stdout)
	}
	for _, c := range commands() {
		stdout, _, code := reunify(t, "help", c.name)
		if code != 0 || !strings.Contains(stdout, "Usage") {
			t.Errorf("help %s: exit %d %q", c.name, code, stdout)
		}
	}
	if stdout, _, code := reunify(t, "help"); code != 0 || !strings.Contains(stdout, "validate") {
		t.Errorf("help: exit %d %q", code, stdout)
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := reunify(t, "run", "testdata/small.toml", "--quiet", "--iterations", "2", "--out", dir); code != 0 {
		t.Fatalf("flags after the scenario: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.csv")); err != nil {
		t.Fatal(err)
	}
	// "--" ends the flags: a file named like a flag is an argument.
	if _, stderr, code := reunify(t, "validate", "--", "--iterations"); code != 2 || !strings.Contains(stderr, "--iterations") {
		t.Errorf("after --: exit %d, %q", code, stderr)
	}
}

func TestSynthForceReplacesSafely(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "903")
	if _, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--out", out); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, stderr)
	}
	first, _ := os.ReadFile(filepath.Join(out, "episodes.csv"))
	if _, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--out", out); code != 2 {
		t.Fatalf("synth into a non-empty folder without --force: exit %d (%s), want 2", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "episodes.csv")); !bytes.Equal(b, first) {
		t.Fatal("the earlier folder was damaged")
	}
	if _, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--out", out, "--force", "--seed", "2"); code != 0 {
		t.Fatalf("synth --force: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "episodes.csv")); bytes.Equal(b, first) {
		t.Error("synth --force left the earlier files")
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
	// A folder of the user's is never replaced, even with --force.
	mine := filepath.Join(parent, "mine")
	os.Mkdir(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "old.csv"), []byte("earlier"), 0o644)
	if _, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--out", mine, "--force"); code != 2 || !strings.Contains(stderr, "replaces only what reunify wrote") {
		t.Fatalf("synth --force over the user's folder: exit %d (%s), want 2", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "old.csv")); string(b) != "earlier" {
		t.Fatal("the user's folder was damaged")
	}
}
