package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reunify/reunify/resultdir"
)

// TestAppraiseCommand: reunify appraise makes the pack, prints where it
// is and the run's table, and refuses (exit 2) to write into the pack it
// made, leaving it as it was.
func TestAppraiseCommand(t *testing.T) {
	dir := t.TempDir()
	sc := copyScenario(t, dir, "s.toml", "s")
	r := runIn(t, dir, 2*time.Minute, "appraise", sc, "--iterations", "3", "--out", "pack")
	if r.code != 0 {
		t.Fatalf("appraise: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "appraisal pack in pack") || !strings.Contains(r.stdout, "net saving") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	verifyFolder(t, filepath.Join(dir, "pack"))
	for _, f := range []string{resultdir.BaseCaseFile, resultdir.BreakevenFile, resultdir.ReportFile} {
		if _, err := os.Stat(filepath.Join(dir, "pack", f)); err != nil {
			t.Errorf("the pack lacks %s", f)
		}
	}
	before := tree(t, filepath.Join(dir, "pack"))
	r = runIn(t, dir, time.Minute, "appraise", sc, "--iterations", "3", "--out", "pack")
	if r.code != 2 || !strings.Contains(r.stderr, "--out") {
		t.Errorf("appraise over its own pack: exit %d, want 2 naming --out\n%s", r.code, r.stderr)
	}
	if !sameTrees(before, tree(t, filepath.Join(dir, "pack"))) {
		t.Error("the refused appraisal changed the earlier pack")
	}
	if r := runIn(t, dir, time.Minute, "appraise", sc, "--force", "--out", "other"); r.code != 2 {
		t.Errorf("appraise --force: exit %d, want 2 (there is no --force)", r.code)
	}
}

// TestAppraiseSignalsAtEveryPhase stops a real appraise at every stage of
// its work and of its commit with SIGINT or SIGKILL. After the next
// reunify has run beside it, there is either no pack or a complete one
// (every file its manifest lists, of that size and checksum), and
// nothing temporary.
func TestAppraiseSignalsAtEveryPhase(t *testing.T) {
	bin := sharedBinary(t)
	tmpl := t.TempDir()
	sc := copyScenario(t, tmpl, "s.toml", "s")
	phases := []string{"planned", "simulated", "basecase", "tornado", "breakeven", "written", "reported", "commit-pack", "committed"}
	for _, ph := range phases {
		for _, sg := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
			t.Run(ph+"/"+sg.String(), func(t *testing.T) {
				t.Parallel() // mostly waiting at the pause
				root := filepath.Join(t.TempDir(), "w")
				exec.Command("cp", "-a", tmpl, root).Run()
				cmd := exec.Command(bin, "appraise", sc, "--iterations", "3", "--quiet", "--out", "pack")
				cmd.Dir = root
				cmd.Env = append(os.Environ(), "REUNIFY_TEST_PHASE="+ph, "REUNIFY_TEST_PAUSE=400ms")
				stderr, _ := cmd.StderrPipe()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				br := bufio.NewReader(stderr)
				waitFor(t, br, "reunify-test: at "+ph, time.Minute)
				cmd.Process.Signal(sg)
				go func() { var rest bytes.Buffer; rest.ReadFrom(br) }()
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case <-done:
				case <-time.After(30 * time.Second):
					cmd.Process.Kill()
					t.Fatal("still running 30 s after the signal")
				}
				code := cmd.ProcessState.ExitCode()
				if want := []int{0, 1}; sg == syscall.SIGINT && !slices.Contains(want, code) {
					t.Errorf("exit %d after SIGINT, want 0 or 1", code)
				}
				if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "next"); r.code != 0 {
					t.Fatalf("next run: exit %d\n%s", r.code, r.stderr)
				}
				if left := hidden(t, root); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
				if _, err := os.Stat(filepath.Join(root, "pack")); err == nil {
					verifyFolder(t, filepath.Join(root, "pack"))
					if _, err := os.Stat(filepath.Join(root, "pack", resultdir.ReportFile)); err != nil {
						t.Errorf("a pack without its report: %v", err)
					}
					t.Logf("exit %d: the complete pack", code)
				} else {
					t.Logf("exit %d: no pack", code)
				}
			})
		}
	}
}
