//go:build unix

package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildReunify builds the command into a temporary folder: these tests
// signal a real process, as a user's Ctrl-C or a scheduler's SIGTERM does.
func buildReunify(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "reunify")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// started is a running reunify with its stderr.
type started struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan error
}

func start(t *testing.T, bin string, args ...string) *started {
	t.Helper()
	s := &started{cmd: exec.Command(bin, args...), stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
	})
	return s
}

// wait waits up to limit for the process to end and returns its exit
// status and how long it took.
func (s *started) wait(t *testing.T, limit time.Duration) (int, time.Duration) {
	t.Helper()
	t0 := time.Now()
	select {
	case err := <-s.done:
		took := time.Since(t0)
		var ee *exec.ExitError
		if err == nil {
			return 0, took
		}
		if errors.As(err, &ee) {
			return ee.ExitCode(), took
		}
		t.Fatal(err)
	case <-time.After(limit):
		t.Fatalf("still running %v after the signal; stderr:\n%s", limit, s.stderr)
	}
	return 0, 0
}

// snapshot hashes every file under dir, by relative path.
func snapshot(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// onlyEntries fails unless dir holds exactly the names want: no temporary
// folder or file is left behind.
func onlyEntries(t *testing.T, dir string, want ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %q, want %q (a temporary file or folder left behind?)", dir, got, want)
	}
}

func sameFiles(t *testing.T, before, after map[string][32]byte) {
	t.Helper()
	if len(before) == 0 {
		t.Fatal("no earlier files")
	}
	if len(after) != len(before) {
		t.Errorf("the earlier folder had %d files, now %d", len(before), len(after))
	}
	for f, h := range before {
		if after[f] != h {
			t.Errorf("the earlier %s changed or went", f)
		}
	}
}

// TestInterruptRealProcess sends SIGINT and SIGTERM to a running
// "reunify run": the workers stop in well under a second, the message
// says how far the run got, no result folder and no temporary folder or
// event log is left, and an earlier result folder is untouched even with
// --force.
func TestInterruptRealProcess(t *testing.T) {
	bin := buildReunify(t)
	const la = "../../scenarios/local-authority.toml"
	for _, tt := range []struct {
		name    string
		sig     syscall.Signal
		earlier bool // an earlier result folder in --out, replaced with --force
		events  bool
	}{
		{"SIGINT", syscall.SIGINT, false, false},
		{"SIGTERM", syscall.SIGTERM, false, false},
		{"SIGINT with an earlier folder and --force", syscall.SIGINT, true, false},
		{"SIGTERM with --events and an earlier log", syscall.SIGTERM, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "results")
			events := filepath.Join(parent, "events.csv")
			want := []string{}
			var before map[string][32]byte
			var beforeLog []byte
			if tt.earlier {
				cmd := exec.Command(bin, "run", "--quiet", "--iterations", "3", "--out", out, "--events", events, la)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("earlier run: %v\n%s", err, b)
				}
				before = snapshot(t, out)
				beforeLog, _ = os.ReadFile(events)
				want = []string{"events.csv", "results"}
			}
			args := []string{"run", "--quiet", "--iterations", "200000", "--out", out}
			if tt.earlier {
				args = append(args, "--force")
			}
			if tt.events {
				// The log of all 200,000 iterations would not fit on most
				// disks (the limits refuse it): it is interrupted anyway.
				args = append(args, "--events", events, "--allow-large", "--workers", "1")
			}
			p := start(t, bin, append(args, la)...)
			time.Sleep(time.Second) // loaded, checked and simulating
			select {
			case err := <-p.done:
				t.Fatalf("the run ended before the signal (%v):\n%s", err, p.stderr)
			default:
			}
			if err := p.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			code, took := p.wait(t, 10*time.Second)
			t.Logf("stopped %v after %v", tt.sig, took)
			// Promptly: the whole run takes minutes; stopping takes
			// milliseconds plus removing the stage, which under a loaded
			// machine's syncs took 1.1 s once. A bound of seconds, not
			// a speed measurement.
			if took > 5*time.Second {
				t.Errorf("took %v to stop after %v, want under 5 s", took, tt.sig)
			}
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			msg := p.stderr.String()
			for _, w := range []string{"stopping (press Ctrl-C again to quit at once)", "interrupted after ", " of 200000 iterations", "nothing was written to " + out, "earlier results are untouched"} {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr lacks %q:\n%s", w, msg)
				}
			}
			onlyEntries(t, parent, want...)
			if tt.earlier {
				sameFiles(t, before, snapshot(t, out))
				if b, _ := os.ReadFile(events); !bytes.Equal(b, beforeLog) {
					t.Error("the earlier event log changed")
				}
			}
		})
	}
}

// TestSecondSignalQuitsAtOnce: workers check for an interrupt between
// children, so the first Ctrl-C waits for the child being simulated, here
// one with tens of millions of placement moves (testdata/busy-child.toml,
// seconds); a second quits at once with status 130 (143 for SIGTERM),
// leaving the earlier folder as it was and nothing temporary behind.
func TestSecondSignalQuitsAtOnce(t *testing.T) {
	bin := buildReunify(t)
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "results")
			if b, err := exec.Command(bin, "run", "--quiet", "--iterations", "2", "--out", out, "testdata/small.toml").CombinedOutput(); err != nil {
				t.Fatalf("earlier run: %v\n%s", err, b)
			}
			before := snapshot(t, out)
			p := start(t, bin, "run", "--quiet", "--iterations", "1", "--workers", "1", "--force",
				"--out", out, "testdata/busy-child.toml")
			time.Sleep(700 * time.Millisecond)
			p.cmd.Process.Signal(tt.sig)
			time.Sleep(200 * time.Millisecond)
			select {
			case err := <-p.done:
				t.Fatalf("the run ended before a second signal could be sent (%v): make testdata/busy-child.toml's child longer\n%s", err, p.stderr)
			default:
			}
			p.cmd.Process.Signal(tt.sig)
			code, took := p.wait(t, 5*time.Second)
			t.Logf("quit %v after the second signal", took)
			if took > 3*time.Second { // at once: milliseconds, a loaded machine's syncs aside
				t.Errorf("took %v to quit after the second signal, want under 3 s", took)
			}
			if code != tt.code {
				t.Errorf("exit status %d, want %d\n%s", code, tt.code, p.stderr)
			}
			if msg := p.stderr.String(); !strings.Contains(msg, "again: quitting at once after 0 of 1 iterations") ||
				!strings.Contains(msg, "earlier results are untouched") {
				t.Errorf("stderr:\n%s", msg)
			}
			onlyEntries(t, parent, "results")
			sameFiles(t, before, snapshot(t, out))
		})
	}
}
