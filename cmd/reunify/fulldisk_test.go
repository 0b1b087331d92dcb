//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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
			if refused.ProcessState.ExitCode() != 2 || !strings.Contains(string(b), "kB free") || strings.Contains(string(b), "0.0 GB") || !strings.Contains(string(b), "--allow-large") {
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

// fill leaves about free bytes free on the file system of dir, with a
// file named filler.
func fill(t *testing.T, dir string, free int64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	have := int64(st.Bavail) * st.Bsize
	if have <= free {
		t.Fatalf("only %d bytes free, want more than %d", have, free)
	}
	if err := os.WriteFile(filepath.Join(dir, "filler"), make([]byte, have-free), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFullDiskKeepsTheEarlierEventLog: with --events, the earlier event
// log was once replaced even when the result folder then failed on a
// full disk. The log and the folder land together or not at all.
func TestFullDiskKeepsTheEarlierEventLog(t *testing.T) {
	bin := buildReunify(t)
	disk, big := tinyDisk(t), t.TempDir()
	out, events := filepath.Join(disk, "results"), filepath.Join(big, "events.csv")
	if b, err := exec.Command(bin, "run", "--quiet", "--iterations", "2", "--out", out, "--events", events, "testdata/small.toml").CombinedOutput(); err != nil {
		t.Fatalf("earlier run: %v\n%s", err, b)
	}
	fill(t, disk, 60<<10)
	beforeDisk, beforeBig := snapshot(t, disk), snapshot(t, big)
	cmd := exec.Command(bin, "run", "--quiet", "--allow-large", "--force", "--seed", "2", "--iterations", "300", "--out", out, "--events", events, "testdata/small.toml")
	b, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(b), "no space left on device") {
		t.Errorf("exit %d, want 1 and the full disk\n%s", cmd.ProcessState.ExitCode(), b)
	}
	sameFiles(t, beforeDisk, snapshot(t, disk))
	sameFiles(t, beforeBig, snapshot(t, big))
	onlyEntries(t, big, "events.csv")
	onlyEntries(t, disk, "filler", "results")
}

// TestFullDiskKeepsTheEarlierReport: "run --report --force" once removed
// the earlier folder before the report was written, leaving a partial
// charts/ and no report when the disk filled. The new folder, report
// included, lands whole or not at all.
func TestFullDiskKeepsTheEarlierReport(t *testing.T) {
	bin := buildReunify(t)
	disk := tinyDisk(t)
	out := filepath.Join(disk, "results")
	if b, err := exec.Command(bin, "run", "--quiet", "--iterations", "2", "--report", "--out", out, "testdata/small.toml").CombinedOutput(); err != nil {
		t.Fatalf("earlier run: %v\n%s", err, b)
	}
	fill(t, disk, 200<<10) // room for the results, not for their report
	before := snapshot(t, disk)
	cmd := exec.Command(bin, "run", "--quiet", "--allow-large", "--force", "--seed", "2", "--iterations", "2", "--report", "--out", out, "testdata/small.toml")
	b, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(b), "no space left on device") {
		t.Errorf("exit %d, want 1 and the full disk\n%s", cmd.ProcessState.ExitCode(), b)
	}
	sameFiles(t, before, snapshot(t, disk))
	onlyEntries(t, disk, "filler", "results")
}

// TestFullDiskBatchLandsWhole: a batch whose second folder did not fit
// once left the first folder and no summary, while saying nothing was
// written. Now it is true: nothing is.
func TestFullDiskBatchLandsWhole(t *testing.T) {
	bin := buildReunify(t)
	disk := tinyDisk(t)
	src := t.TempDir()
	b, _ := os.ReadFile("testdata/small.toml")
	other := filepath.Join(src, "other.toml")
	os.WriteFile(other, bytes.Replace(b, []byte(`name = "small"`), []byte(`name = "other"`), 1), 0o644)
	os.WriteFile(filepath.Join(disk, "earlier.txt"), []byte("kept\n"), 0o644)
	fill(t, disk, 250<<10) // one folder of 300 iterations fits, two do not
	before := snapshot(t, disk)
	cmd := exec.Command(bin, "run", "--quiet", "--allow-large", "--iterations", "300", "--out", filepath.Join(disk, "batch"), "testdata/small.toml", other)
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "no space left on device") || !strings.Contains(string(out), "nothing was written") {
		t.Errorf("exit %d, want 1, the full disk and that nothing was written\n%s", cmd.ProcessState.ExitCode(), out)
	}
	sameFiles(t, before, snapshot(t, disk))
	onlyEntries(t, disk, "earlier.txt", "filler")
}

// TestFullDiskEveryWriter fills a real 1 MB file system under every
// writer: merge, synth, tornado, sweep, report and init fail, with status
// 1 if the disk filled while writing or 2 if it was found full before
// any work, and say the disk is full; the disk is as it was.
func TestFullDiskEveryWriter(t *testing.T) {
	bin := buildReunify(t)
	big := t.TempDir()
	sc := filepath.Join(big, "s.toml")
	b, _ := os.ReadFile("testdata/small.toml")
	os.WriteFile(sc, bytes.Replace(b, []byte("reentry = 2000"), []byte(`reentry = "gamma(mean=2000, sd=300)"`), 1), 0o644)
	var shards []string
	for k := range 2 {
		d := filepath.Join(big, "shard-"+string(rune('0'+k)))
		if out, err := exec.Command(bin, "run", sc, "--quiet", "--iterations", "200", "--shard", string(rune('0'+k))+"/2", "--out", d).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		shards = append(shards, d)
	}
	for _, tc := range []struct {
		name  string
		free  int64
		setup func(disk string) // before the disk is filled
		args  func(disk string) []string
	}{
		{"merge", 20 << 10, nil, func(d string) []string {
			return append([]string{"merge", "--quiet", "--out", filepath.Join(d, "merged")}, shards...)
		}},
		{"synth", 20 << 10, nil, func(d string) []string {
			return []string{"synth", "../../scenarios/local-authority.toml", "--iterations", "5", "--out", filepath.Join(d, "903")}
		}},
		{"tornado", 0, nil, func(d string) []string {
			return []string{"tornado", sc, "--quiet", "--iterations", "2", "--allow-large", "--out", filepath.Join(d, "t")}
		}},
		{"sweep", 0, nil, func(d string) []string {
			return []string{"sweep", sc, "--quiet", "--iterations", "2", "--allow-large", "--param", "costs.return", "--values", "0,1,2,3,4,5,6,7,8,9", "--out", filepath.Join(d, "s")}
		}},
		{"report", 20 << 10, func(d string) {
			if out, err := exec.Command(bin, "run", sc, "--quiet", "--iterations", "2", "--out", filepath.Join(d, "res")).CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		}, func(d string) []string { return []string{"report", filepath.Join(d, "res")} }},
		{"init", 0, nil, func(d string) []string { return []string{"init", filepath.Join(d, "mine.toml")} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			disk := tinyDisk(t)
			if tc.setup != nil {
				tc.setup(disk)
			}
			fill(t, disk, tc.free)
			before := snapshot(t, disk)
			cmd := exec.Command(bin, tc.args(disk)...)
			out, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != 1 && code != 2 || !strings.Contains(string(out), "no space left on device") || !strings.Contains(string(out), "free some space") {
				t.Errorf("exit %d, want 1 or 2 and the full disk\n%s", code, out)
			}
			sameFiles(t, before, snapshot(t, disk))
			es, _ := os.ReadDir(disk)
			for _, e := range es {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("left %s", e.Name())
				}
			}
		})
	}
}
