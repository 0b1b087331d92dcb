//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tinyDisk mounts a 1 MB tmpfs for the test, or skips: mounting needs
// root, which CI may not give.
func tinyDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// TestFullDiskRealFileSystem fills a real 1 MB file system: with the event
// log, and with the result folder itself. Each run fails with status 1
// and a message naming the full disk and what to do; the earlier result
// folder and event log are untouched and nothing temporary is left. Without
// --allow-large the same runs are refused before any work (status 2),
// as their estimated size exceeds the free space.
func TestFullDiskRealFileSystem(t *testing.T) {
	bin := buildReunify(t)
	disk := tinyDisk(t)
	out := filepath.Join(disk, "results")
	events := filepath.Join(disk, "events.csv")
	if b, err := exec.Command(bin, "run", "--quiet", "--iterations", "2", "--out", out, "--events", events, "testdata/small.toml").CombinedOutput(); err != nil {
		t.Fatalf("earlier run: %v\n%s", err, b)
	}
	before := snapshot(t, disk)

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"event log", []string{"--iterations", "400", "--events", events}, "event log " + events},
		{"result folder", []string{"--iterations", "20000"}, "writing results of testdata/small.toml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "--quiet", "--force", "--out", out}, tt.args...)
			args = append(args, "testdata/small.toml")
			refused := exec.Command(bin, args...)
			b, err := refused.CombinedOutput()
			if refused.ProcessState.ExitCode() != 2 || !strings.Contains(string(b), "GB free") || !strings.Contains(string(b), "--allow-large") {
				t.Errorf("without --allow-large: %v\n%s", err, b)
			}
			cmd := exec.Command(bin, append([]string{"run", "--allow-large"}, args[1:]...)...)
			b, err = cmd.CombinedOutput()
			if cmd.ProcessState.ExitCode() != 1 {
				t.Errorf("exit status %d (%v), want 1\n%s", cmd.ProcessState.ExitCode(), err, b)
			}
			for _, w := range []string{tt.want, "no space left on device", "earlier results are untouched", "free some space"} {
				if !strings.Contains(string(b), w) {
					t.Errorf("message lacks %q:\n%s", w, b)
				}
			}
			sameFiles(t, before, snapshot(t, disk))
			onlyEntries(t, disk, "events.csv", "results")
		})
	}
}

// TestSynthFullDisk fills a real 1 MB file system with synthetic SSDA903
// files: synth fails with status 1 (the input was fine) and the full-disk
// message, and leaves the disk as it was.
func TestSynthFullDisk(t *testing.T) {
	bin := buildReunify(t)
	disk := tinyDisk(t)
	if err := os.WriteFile(filepath.Join(disk, "earlier.csv"), []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, disk)
	cmd := exec.Command(bin, "synth", "--iterations", "40", "--out", filepath.Join(disk, "files"), "../../scenarios/local-authority.toml")
	b, err := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("exit status %d (%v), want 1\n%s", cmd.ProcessState.ExitCode(), err, b)
	}
	for _, w := range []string{"no space left on device", "free some space"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("message lacks %q:\n%s", w, b)
		}
	}
	sameFiles(t, before, snapshot(t, disk))
	onlyEntries(t, disk, "earlier.csv")
}
