//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestNationalRun measures the national run: the England scenario,
// 10 years, two arms, REUNIFY_NATIONAL iterations (1000 for the issue's
// target), on all cores, as a separate process running the real command,
// and reports its wall time and peak memory (the process's maximum
// resident set). It takes minutes, so it runs only when asked:
//
//	REUNIFY_NATIONAL=1000 go test ./cmd/reunify -run TestNationalRun -v -timeout 1h
//
// It fails if the peak memory is 500 MB or more; the wall time depends on
// the machine and is only reported (docs/benchmarks.md records it).
func TestNationalRun(t *testing.T) {
	n := os.Getenv("REUNIFY_NATIONAL")
	if n == "" {
		t.Skip("set REUNIFY_NATIONAL=<iterations> to measure the national run")
	}
	if _, err := strconv.Atoi(n); err != nil {
		t.Fatalf("REUNIFY_NATIONAL=%q: want an iteration count", n)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "reunify")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "run", "--quiet", "--iterations", n, "--out", filepath.Join(tmp, "out"), filepath.Join("..", "..", "scenarios", "england.toml"))
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on this system")
	}
	peakMB := float64(ru.Maxrss) / 1024 // Linux reports kilobytes
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	t.Logf("England, %s iterations, two arms: wall %.1f s, CPU %.1f s, peak memory %.0f MB", n, wall.Seconds(), cpu.Seconds(), peakMB)
	if peakMB >= 500 {
		t.Errorf("peak memory %.0f MB, target under 500 MB", peakMB)
	}
}
