//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reunify/reunify/resultdir"
)

// signalled runs the binary in dir, sends sig after delay, and returns
// its exit status (128 plus the signal for a process the signal ended)
// and its stderr.
func signalled(t *testing.T, dir string, delay time.Duration, sig syscall.Signal, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(sharedBinary(t), args...)
	cmd.Dir = dir
	var eb bytes.Buffer
	cmd.Stderr = &eb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%q: still running a minute after %v", args, sig)
	}
	code := cmd.ProcessState.ExitCode()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		code = 128 + int(ws.Signal())
	}
	if strings.Contains(eb.String(), "panic:") {
		t.Fatalf("%q panicked:\n%s", args, eb.String())
	}
	return code, eb.String()
}

// TestOneSIGTERMAtAnyMomentExitsOne: a single SIGTERM 1-9 ms after the
// start once sometimes ended reunify with 143 (the shell's default), and
// a SIGTERM while it cleaned up an earlier run's stage ended it with 143,
// no message, and the stage marked as being recovered. One SIGTERM at
// any moment (delays drawn with a fixed seed, from the first millisecond
// to past the commit) must end the run with 0 (it had finished) or 1 and
// a message; the earlier result folder is then the earlier one or a
// complete new one, and nothing temporary is left. The only exception is
// a signal that arrives before the program has started at all (before
// its first package is set up, which on a loaded machine can be a few
// milliseconds after the process is created): the kernel then ends it,
// as a shell reports with 143, and the test checks that it said nothing
// and wrote nothing, which is all a program can promise there.
func TestOneSIGTERMAtAnyMomentExitsOne(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "r"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	rng := rand.New(rand.NewPCG(13, 9))
	counts := map[int]int{}
	for i := range 80 {
		delay := time.Duration(rng.IntN(60000)) * time.Microsecond
		if i%4 == 0 {
			delay = time.Duration(rng.IntN(10000)) * time.Microsecond // the first 10 ms, often
		}
		before := tree(t, root)
		code, stderr := signalled(t, root, delay, syscall.SIGTERM, "run", sc, "--iterations", "30", "--quiet", "--force", "--out", "r")
		counts[code]++
		switch code {
		case 0:
		case 1:
			if !strings.Contains(stderr, "reunify: ") || !(strings.Contains(stderr, "SIGTERM") || strings.Contains(stderr, "interrupted")) {
				t.Errorf("after %v: exit 1 without saying why:\n%s", delay, stderr)
			}
		case 143:
			if stderr != "" {
				t.Errorf("after %v: exit 143 from a single SIGTERM, having said:\n%s", delay, stderr)
			}
			unchanged(t, before, tree(t, root))
		default:
			t.Errorf("after %v: exit %d\n%s", delay, code, stderr)
		}
		if err := resultdir.Owned(filepath.Join(root, "r")); err != nil {
			t.Fatalf("after %v (exit %d): r is neither the earlier folder nor a complete new one: %v", delay, code, err)
		}
		if h := hidden(t, root); len(h) > 0 && code != 143 {
			t.Fatalf("after %v (exit %d): left behind %v\n%s", delay, code, h, stderr)
		}
	}
	t.Logf("exit statuses: %v", counts)
	if counts[1] == 0 {
		t.Error("no run was stopped by its signal: the delays miss the work")
	}
}

// TestSIGTERMDuringCleanUpOfAKilledRun: a run killed outright leaves a
// stage of thousands of files; the next run removes it, and a SIGTERM at
// any moment of that clean-up (fixed seed) must end it with 0 or 1 and a
// message (not 143), never leave the stage marked as being recovered,
// and let the run after finish the clean-up.
func TestSIGTERMDuringCleanUpOfAKilledRun(t *testing.T) {
	bin := sharedBinary(t)
	la, err := filepath.Abs("../../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	// killedRun leaves in root the stage of a run killed outright, made
	// heavy with 5,000 files.
	killedRun := func(root string) {
		os.MkdirAll(root, 0o755)
		cmd := exec.Command(bin, "run", la, "--iterations", "2", "--quiet", "--out", "res")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "REUNIFY_TEST_PHASE=written", "REUNIFY_TEST_PAUSE=60s")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, bufio.NewReader(stderr), "reunify-test: at written", 30*time.Second)
		cmd.Process.Kill()
		cmd.Wait()
		stages := hidden(t, root)
		if len(stages) != 1 {
			t.Fatalf("the killed run left %v, want one stage", stages)
		}
		heavy := filepath.Join(root, stages[0], "new", "heavy")
		for d := range 50 {
			sub := filepath.Join(heavy, fmt.Sprint(d))
			os.MkdirAll(sub, 0o755)
			for f := range 100 {
				os.WriteFile(filepath.Join(sub, fmt.Sprint(f)), []byte("x"), 0o644)
			}
		}
	}
	rng := rand.New(rand.NewPCG(13, 10))
	for i := range 6 {
		root := filepath.Join(t.TempDir(), "w")
		killedRun(root)
		delay := time.Duration(rng.IntN(150000)) * time.Microsecond
		args := []string{"run", la, "--iterations", "2", "--quiet", "--out", "other"}
		if i%2 == 1 {
			args = []string{"synth", la, "--iterations", "2", "--out", "other"} // plans before its work starts
		}
		code, msg := signalled(t, root, delay, syscall.SIGTERM, args...)
		t.Logf("%s, SIGTERM after %v: exit %d: %s", args[0], delay, code, strings.TrimSpace(msg))
		switch {
		case code == 0, code == 1 && strings.Contains(msg, "reunify: "):
		case code == 143 && msg == "":
			// before the program started: see TestOneSIGTERMAtAnyMomentExitsOne
		default:
			t.Errorf("%s after %v: exit %d\n%s", args[0], delay, code, msg)
		}
		for _, h := range hidden(t, root) {
			if _, err := os.Lstat(filepath.Join(root, h, "recovering")); err == nil {
				t.Errorf("%s after %v (exit %d): the stage %s is left marked as being recovered\n%s", args[0], delay, code, h, msg)
			}
		}
		if r := runIn(t, root, time.Minute, "run", la, "--iterations", "2", "--quiet", "--out", "next"); r.code != 0 {
			t.Fatalf("the next run: exit %d\n%s", r.code, r.stderr)
		}
		if h := hidden(t, root); len(h) > 0 {
			t.Errorf("%s after %v: the run after did not finish the clean-up: %v", args[0], delay, h)
		}
	}
}
