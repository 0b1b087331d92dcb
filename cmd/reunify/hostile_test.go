package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestHostileInput runs "reunify" on bad files and bad flags: each gets
// exit status 2, a message naming the problem and what to do, and
// nothing written. docs/reliability.md lists these classes.
func TestHostileInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	nonEmpty := filepath.Join(dir, "nonempty")
	os.Mkdir(nonEmpty, 0o755)
	write("nonempty/keep.txt", "earlier")
	aFile := write("afile", "x")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"run", filepath.Join(dir, "nosuch.toml")}, "no such file: check the path"},
		{"folder for a file", []string{"run", dir}, "is a folder: give the scenario file inside it"},
		{"empty file", []string{"run", write("empty.toml", "")}, "name: missing: this key is required"},
		{"binary file", []string{"run", write("bin.toml", "\x7fELF\x02\x01\x01\x00\x00")}, "control characters"},
		{"UTF-16 file", []string{"run", write("u16.toml", "\xff\xfen\x00a\x00m\x00e\x00")}, "TOML files must be UTF-8"},
		{"not UTF-8", []string{"run", write("bad8.toml", "name = \"x\xff\"\n")}, "invalid UTF-8"},
		{"NaN", []string{"run", write("nan.toml", strings.Replace(string(small), "horizon_years = 3", "horizon_years = nan", 1))}, "horizon_years: nan: must be a finite number"},
		{"Inf", []string{"run", write("inf.toml", strings.Replace(string(small), "per_year = 20", "per_year = inf", 1))}, "entries.per_year: inf: must be a finite number"},
		{"negative cost", []string{"run", write("neg.toml", strings.Replace(string(small), "weekly_cost = 600", "weekly_cost = -600", 1))}, "weekly_cost: -600 must be >= 0"},
		{"unknown key", []string{"run", write("uk.toml", strings.Replace(string(small), "weekly_cost = 600", "weekly_cst = 600", 1))}, `did you mean "weekly_cost"?`},
		{"wrong type", []string{"run", write("wt.toml", strings.Replace(string(small), "horizon_years = 3", "horizon_years = \"three\"", 1))}, "horizon_years"},
		{"malformed TOML", []string{"run", write("mal.toml", "name = \"x\n")}, "mal.toml:1:"},
		{"huge nesting", []string{"run", write("deep.toml", "a = "+strings.Repeat("[", 100000))}, "nested more than 32 deep"},
		{"--out is a file", []string{"run", "--out", aFile, "testdata/small.toml"}, "is a file; choose a folder"},
		{"--out not empty", []string{"run", "--out", nonEmpty, "testdata/small.toml"}, "exists and is not empty; choose another folder, or add --force"},
		{"--shard out of range", []string{"run", "--shard", "4/4", "testdata/small.toml"}, "want K/N with N >= 1 and K from 0 to N-1"},
		{"--shard not K/N", []string{"run", "--shard", "x", "testdata/small.toml"}, "want K/N"},
		{"--workers 0", []string{"run", "--workers", "0", "testdata/small.toml"}, "--workers 0: want 1 to 1048576"},
		// merge refuses a shard of more workers; run refuses them first (one range, resultdir.MaxWorkers).
		{"--workers past what merge accepts", []string{"run", "--shard", "0/2", "--workers", "2000000", "testdata/small.toml"}, "--workers 2000000: want 1 to 1048576"},
		{"--iterations past what merge accepts", []string{"run", "--iterations", "1000000000001", "testdata/small.toml"}, "--iterations 1000000000001: want at most 1000000000000"},
		{"synth --start out of range", []string{"synth", "testdata/small.toml", "--start", "0001-01-01", "--out", filepath.Join(dir, "sy")}, "is out of range"},
		{"synth --start far out of range", []string{"synth", "testdata/small.toml", "--start", "9999-12-31", "--out", filepath.Join(dir, "sy")}, "is out of range"},
		{"--set unknown key", []string{"run", "--set", "horizon_yeras=3", "testdata/small.toml"}, `did you mean "horizon_years"?`},
		{"unknown command", []string{"runn"}, `unknown command "runn"`},
		{"unknown flag", []string{"run", "--iteratons", "5", "testdata/small.toml"}, "flag provided but not defined: -iteratons"},
		{"no scenario", []string{"run"}, "no scenario given (try scenarios/local-authority.toml)"},
	}
	if runtime.GOOS == "linux" {
		tests = append(tests, struct {
			name string
			args []string
			want string
		}{"an endless device", []string{"run", "/dev/zero"}, "is this the right file?"}, struct {
			name string
			args []string
			want string
		}{"--out /proc/self/cwd (a disk with no blocks, and the working folder)", []string{"run", "--out", "/proc/self/cwd", "testdata/small.toml"}, "is the working folder or holds it"})
	}
	for _, tt := range tests {
		out := filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "-"))
		args := append([]string{tt.args[0]}, tt.args[1:]...)
		if tt.args[0] == "run" && !strings.HasPrefix(tt.name, "--out") {
			args = append([]string{"run", "--quiet", "--out", out}, tt.args[1:]...)
		}
		_, stderr, code := reunify(t, args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, want 2 with %q:\n%s", tt.name, code, tt.want, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: wrote %s", tt.name, out)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(nonEmpty, "keep.txt")); string(b) != "earlier" {
		t.Error("the non-empty --out was changed")
	}
	if b, _ := os.ReadFile(aFile); string(b) != "x" {
		t.Error("the --out file was changed")
	}
}
