//go:build unix

package main

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/scenarios"
	"github.com/reunify/reunify/validation"
)

// TestValidateModelRoles runs validate-model (a built binary, at full
// speed under the race detector): validation.csv has a role column, the
// command exits 0 while only predicted rows fail (findings, reported),
// and 1 with --strict.
func TestValidateModelRoles(t *testing.T) {
	bin := buildReunify(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "v")
	stdout, stderr, code := hostileRun(t, bin, 5*time.Minute, "validate-model", "--iterations", "2", "--workers", "2", "--quiet", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	f, err := os.Open(filepath.Join(out, "validation.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][1] != "role" {
		t.Fatalf("validation.csv header %v: want role second", recs[0])
	}
	roles := map[string]int{}
	failedPredicted := 0
	for _, r := range recs[1:] {
		roles[r[1]]++
		if r[1] == "predicted" && r[len(r)-1] == "false" {
			failedPredicted++
		}
	}
	if roles["predicted"] < 3 || roles["calibrated"] == 0 || len(roles) != 2 {
		t.Errorf("roles %v: want calibrated and at least 3 predicted rows", roles)
	}
	if failedPredicted == 0 {
		t.Skip("every predicted row passes: --strict has nothing to refuse")
	}
	_, stderr, code = hostileRun(t, bin, 5*time.Minute, "validate-model", "--iterations", "2", "--workers", "2", "--quiet", "--strict", "--force", "--out", out)
	if code != 1 || !strings.Contains(stderr, "--strict: ") || !strings.Contains(stderr, "predicted figures are not reproduced") {
		t.Errorf("--strict with failing predicted rows: exit %d: %s", code, stderr)
	}
}

// TestValidateModelHostileScenarios: --scenarios read its files without a
// limit or a check of what they are: england.toml as a link to /dev/zero
// grew the process to 24 GB, and a named pipe hung it. Each file is now
// checked to be a regular file before it is opened and read through the
// scenario reader's limit; the refusal names the file (exit 2), before
// anything is simulated or written.
func TestValidateModelHostileScenarios(t *testing.T) {
	bin := buildReunify(t)
	for _, tc := range []struct {
		name string
		make func(t *testing.T, p string)
		want string
	}{
		{"a link to /dev/zero", func(t *testing.T, p string) {
			if err := os.Symlink("/dev/zero", p); err != nil {
				t.Skip(err)
			}
		}, "england.toml: not a regular file"},
		{"a named pipe", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Skip(err)
			}
		}, "england.toml: not a regular file"},
		{"a folder", func(t *testing.T, p string) { os.Mkdir(p, 0o755) }, "england.toml: not a regular file"},
		{"a file over the limit", func(t *testing.T, p string) {
			os.WriteFile(p, bytes.Repeat([]byte("# a comment\n"), scenario.MaxFileBytes/12+1), 0o644)
		}, "england.toml:"},
		{"missing", func(t *testing.T, p string) {}, "england.toml: no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sc := filepath.Join(dir, "sc")
			os.Mkdir(sc, 0o755)
			for _, f := range validation.Files {
				if f == "england.toml" {
					continue
				}
				b, err := fs.ReadFile(scenarios.FS, f)
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(sc, f), b, 0o644)
			}
			tc.make(t, filepath.Join(sc, "england.toml"))
			out := filepath.Join(dir, "v")
			_, stderr, code := hostileRun(t, bin, 30*time.Second, "validate-model", "--iterations", "2", "--quiet", "--scenarios", sc, "--out", out)
			if code != 2 || !strings.Contains(stderr, filepath.Join(sc, tc.want)) {
				t.Errorf("exit %d, want 2 naming %s:\n%s", code, filepath.Join(sc, tc.want), stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s written", out)
			}
		})
	}
}

// TestValidateModelExitStatus: Ctrl-C exited 2 ("context canceled"), as if
// the input were bad, and an --out naming an existing file exited 1 after
// the whole run; an interrupt is 1 with nothing written, and an --out that
// cannot be a folder is 2 before anything is run.
func TestValidateModelExitStatus(t *testing.T) {
	bin := buildReunify(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	os.WriteFile(file, []byte("mine\n"), 0o644)
	_, stderr, code := hostileRun(t, bin, 30*time.Second, "validate-model", "--iterations", "2", "--quiet", "--out", file)
	if code != 2 || !strings.Contains(stderr, file+" is a file") {
		t.Errorf("--out FILE: exit %d, want 2 saying it is a file:\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(file); string(b) != "mine\n" {
		t.Errorf("%s changed", file)
	}

	// --force replaces only a validation.csv that validate-model wrote.
	mine := filepath.Join(dir, "mine")
	os.Mkdir(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "validation.csv"), []byte("my own table\n"), 0o644)
	_, stderr, code = hostileRun(t, bin, 30*time.Second, "validate-model", "--iterations", "2", "--quiet", "--force", "--out", mine)
	if code != 2 || !strings.Contains(stderr, "--force replaces only what reunify wrote") {
		t.Errorf("--force over a validation.csv of the user's: exit %d, want 2:\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "validation.csv")); string(b) != "my own table\n" {
		t.Errorf("the user's validation.csv changed")
	}

	out := filepath.Join(dir, "v")
	s := start(t, bin, "validate-model", "--iterations", "2000", "--workers", "1", "--out", out)
	time.Sleep(1500 * time.Millisecond)
	s.cmd.Process.Signal(os.Interrupt)
	code, _ = s.wait(t, 20*time.Second)
	if code != 1 || !strings.Contains(s.stderr.String(), "interrupted") {
		t.Errorf("Ctrl-C: exit %d, want 1 saying it was interrupted:\n%s", code, s.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written after an interrupt", out)
	}
}
