//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reunify/reunify/internal/limits"
	"github.com/reunify/reunify/resultdir"
)

// The tests in this file are the examples of "never lose a user's file":
// each was reproduced against the program before the fix, and each runs
// the real binary in a folder of its own, so that a regression damages a
// temporary folder, never the checkout.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// sharedBinary builds reunify once for every test of the package that
// needs a real process (buildReunify builds one per test).
func sharedBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reunify-test-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "reunify")
		if out, err := exec.Command("go", "build", "-tags", "reunifytest", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = &buildError{err, out}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestMain removes the binary sharedBinary built. Run with peakEnv set,
// the test binary is instead peakHelper.
func TestMain(m *testing.M) {
	if args := os.Getenv(peakEnv); args != "" {
		os.Exit(peakHelper(args))
	}
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + string(e.out) }

// result is a finished reunify process.
type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runIn runs the binary with the working folder dir and fails the test
// if it takes longer than limit (a hang), panics, or exits with a status
// reunify never uses.
func runIn(t *testing.T, dir string, limit time.Duration, args ...string) result {
	t.Helper()
	bin := sharedBinary(t)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("reunify %q hung: still running after %v\nstderr:\n%s", args, limit, errb.String())
	}
	r := result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String(), took: time.Since(t0)}
	if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
		t.Fatalf("reunify %q panicked:\n%s", args, r.stderr)
	}
	switch r.code {
	case 0, 1, 2, 130, 143:
	default:
		t.Fatalf("reunify %q: exit status %d, not one reunify uses\nstderr:\n%s", args, r.code, r.stderr)
	}
	return r
}

// copyScenario copies testdata/small.toml to dir/name with its name
// replaced by scenarioName, and returns the new file's path.
func copyScenario(t *testing.T, dir, name, scenarioName string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`name = "small"`), []byte(`name = "`+scenarioName+`"`), 1)
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tree hashes every entry under dir (files by content, folders and
// symbolic links by name and target), so that before and after can be
// compared for any change at all.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[rel] = "link " + target
		case fi.IsDir():
			m[rel] = "dir " + fi.Mode().Perm().String()
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[rel] = fi.Mode().Perm().String() + " " + string(b)
		default:
			m[rel] = fi.Mode().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// unchanged fails if anything under the tree's root changed, except the
// entries allowed (relative paths, and everything below them).
func unchanged(t *testing.T, before, after map[string]string, allowed ...string) {
	t.Helper()
	ok := func(p string) bool {
		for _, a := range allowed {
			if p == a || strings.HasPrefix(p, a+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
	for p, h := range before {
		if ok(p) {
			continue
		}
		if a, found := after[p]; !found {
			t.Errorf("%s was removed", p)
		} else if a != h {
			t.Errorf("%s was changed", p)
		}
	}
	for p := range after {
		if _, found := before[p]; !found && !ok(p) {
			t.Errorf("%s was added", p)
		}
	}
}

// TestBatchNamedDotDotDeletesNothing: a batch scenario named ".." or "."
// once wrote its folder over the folder above --out (deleting the user's
// files there) and then said nothing was written.
func TestBatchNamedDotDotDeletesNothing(t *testing.T) {
	for _, name := range []string{"..", ".", "../escape", "a/b", ".hidden", resultdir.SummaryFile, resultdir.ManifestFile} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.WriteFile(filepath.Join(root, "precious.txt"), []byte("precious\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			good := copyScenario(t, root, "in/good.toml", "good")
			bad := copyScenario(t, root, "in/bad.toml", name)
			before := tree(t, root)
			r := runIn(t, root, time.Minute, "run", good, bad, "--iterations", "3", "--quiet", "--force", "--out", "P/batch")
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (the name is refused)\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "bad.toml") {
				t.Errorf("the message does not name the scenario file:\n%s", r.stderr)
			}
			unchanged(t, before, tree(t, root))
		})
	}
}

// TestEventsNeverOverwritesWithoutForce: --events once overwrote any
// existing file, even the scenario being run.
func TestEventsNeverOverwritesWithoutForce(t *testing.T) {
	root := t.TempDir()
	victim := copyScenario(t, root, "victim.toml", "victim")
	notes := filepath.Join(root, "notes.csv")
	os.WriteFile(notes, []byte("a,b\n1,2\n"), 0o644)
	before := tree(t, root)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"the scenario itself", []string{"--events", victim}},
		{"the scenario itself with --force", []string{"--events", victim, "--force"}},
		{"a file of the user's", []string{"--events", notes}},
		{"a file of the user's with --force", []string{"--events", notes, "--force"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run", victim, "--iterations", "2", "--quiet", "--out", "v1"}, tc.args...)
			r := runIn(t, root, time.Minute, args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			unchanged(t, before, tree(t, root))
		})
	}
}

// TestForceNeverDeletesTheInputsFolder: --force once deleted whatever
// folder --out named, the folder holding the scenario and the user's
// notes included.
func TestForceNeverDeletesTheInputsFolder(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "sf/local.toml", "local")
	os.WriteFile(filepath.Join(root, "sf", "notes.txt"), []byte("my notes\n"), 0o644)
	before := tree(t, root)
	r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "sf", "--force")
	if r.code != 2 {
		t.Errorf("exit %d, want 2\n%s", r.code, r.stderr)
	}
	unchanged(t, before, tree(t, root))
}

// TestForceOverABatchLeavesNoStaleFolders: --force over an earlier batch
// once kept the earlier batch's scenario folders beside the new ones.
func TestForceOverABatchLeavesNoStaleFolders(t *testing.T) {
	root := t.TempDir()
	a := copyScenario(t, root, "a.toml", "alpha")
	b := copyScenario(t, root, "b.toml", "beta")
	c := copyScenario(t, root, "c.toml", "gamma")
	if r := runIn(t, root, time.Minute, "run", a, b, "--iterations", "2", "--quiet", "--out", "batch"); r.code != 0 {
		t.Fatalf("first batch: exit %d\n%s", r.code, r.stderr)
	}
	if r := runIn(t, root, time.Minute, "run", a, c, "--iterations", "2", "--quiet", "--out", "batch", "--force"); r.code != 0 {
		t.Fatalf("second batch: exit %d\n%s", r.code, r.stderr)
	}
	var got []string
	es, _ := os.ReadDir(filepath.Join(root, "batch"))
	for _, e := range es {
		got = append(got, e.Name())
	}
	if want := "alpha gamma manifest.json summary.csv"; strings.Join(got, " ") != want {
		t.Errorf("the batch folder holds %q, want %q", got, want)
	}
}

// TestEventsInsideForcedOut: "--out D --events D/events.csv --force" once
// exited 0 with no event log (the log was written into D, then D was
// replaced). Now the log lands inside the new result folder, with it.
func TestEventsInsideForcedOut(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	for i := range 2 { // the second replaces the first's folder
		r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "D", "--events", "D/events.csv", "--force")
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stderr)
		}
		b, err := os.ReadFile(filepath.Join(root, "D", "events.csv"))
		if err != nil || !bytes.HasPrefix(b, []byte("iteration,arm,child,month,event")) {
			t.Fatalf("run %d: no event log in D: %v", i, err)
		}
		if _, err := os.Stat(filepath.Join(root, "D", resultdir.SummaryFile)); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
}

// TestMergeRefusesHugeOrEndlessShards: merge once grew memory on a
// shard.csv that is /dev/zero, ran out of memory on a shard of
// "run --shard 0/1000000000000", and hung on a manifest claiming
// 9,000,000,000,000,000,000 iterations. Each is refused at once.
func TestMergeRefusesHugeOrEndlessShards(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	mk := func(name, shard string) string {
		d := filepath.Join(root, name)
		if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "4", "--quiet", "--shard", shard, "--out", d); r.code != 0 {
			t.Fatalf("shard %s: exit %d\n%s", shard, r.code, r.stderr)
		}
		return d
	}
	editManifest := func(dir string, edit func(m map[string]any)) {
		p := filepath.Join(dir, resultdir.ManifestFile)
		b, _ := os.ReadFile(p)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ = json.MarshalIndent(m, "", "  ")
		os.WriteFile(p, b, 0o644)
	}

	zero := mk("zero", "0/1")
	os.Remove(filepath.Join(zero, resultdir.ShardFile))
	os.Symlink("/dev/zero", filepath.Join(zero, resultdir.ShardFile))

	huge := mk("huge", "0/1")
	editManifest(huge, func(m map[string]any) { m["shard"] = "0/1000000000000" })

	many := mk("many", "0/1")
	editManifest(many, func(m map[string]any) { m["iterations"] = json.Number("9000000000000000000") })

	for _, dir := range []string{zero, huge, many} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			r := runIn(t, root, 20*time.Second, "merge", "--out", filepath.Join(root, "m-"+filepath.Base(dir)), dir)
			if r.code != 2 || !strings.Contains(r.stderr, dir) {
				t.Errorf("exit %d, want 2 naming %s\n%s", r.code, dir, r.stderr)
			}
			if r.took > 5*time.Second {
				t.Errorf("took %v to refuse", r.took)
			}
		})
	}
	// The run itself refuses more shards than iterations.
	r := runIn(t, root, time.Minute, "run", sc, "--iterations", "4", "--quiet", "--shard", "0/1000000000000", "--out", filepath.Join(root, "tiny"))
	if r.code != 2 || !strings.Contains(r.stderr, "--shard") {
		t.Errorf("run --shard 0/1000000000000 of 4 iterations: exit %d\n%s", r.code, r.stderr)
	}
}

// TestReportOnHugeValuesDoesNotHang: report once hung on a
// comparison.csv whose values span -1e308 to 1e308.
func TestReportOnHugeValuesDoesNotHang(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	d := filepath.Join(root, "r")
	if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "5", "--quiet", "--out", d); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	p := filepath.Join(d, resultdir.ComparisonFile)
	b, _ := os.ReadFile(p)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := 1; i < len(lines); i++ {
		f := strings.Split(lines[i], ",")
		f[3], f[5], f[7] = "1e308", "-1e308", "1e308" // mean, p2_5, p97_5
		lines[i] = strings.Join(f, ",")
	}
	os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	r := runIn(t, root, 30*time.Second, "report", d)
	if r.code != 0 && r.code != 2 {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestMergeRefusesTamperedShards: an edited number or a NaN in a shard's
// files once merged with exit 0 into results that differ from the single
// run's.
func TestMergeRefusesTamperedShards(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	shards := func(tag string) []string {
		var ds []string
		for k := range 2 {
			d := filepath.Join(root, tag+"-"+string(rune('0'+k)))
			if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "4", "--quiet", "--shard", string(rune('0'+k))+"/2", "--out", d); r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			ds = append(ds, d)
		}
		return ds
	}
	for _, tc := range []struct {
		name string
		file string
		edit func(s string) string
	}{
		{"an edited number", resultdir.ShardFile, func(s string) string {
			lines := strings.Split(s, "\n")
			f := strings.Split(lines[1], ",")
			f[2] = f[2] + "1"
			lines[1] = strings.Join(f, ",")
			return strings.Join(lines, "\n")
		}},
		{"a NaN", resultdir.ShardFile, func(s string) string {
			lines := strings.Split(s, "\n")
			f := strings.Split(lines[1], ",")
			f[3] = "NaN"
			lines[1] = strings.Join(f, ",")
			return strings.Join(lines, "\n")
		}},
		{"a truncated file", resultdir.ShardFile, func(s string) string { return s[:len(s)/2] }},
		{"an edited scenario", resultdir.ScenarioFile, func(s string) string { return s + "\n# edited\n" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := shards(strings.ReplaceAll(tc.name, " ", "-"))
			p := filepath.Join(ds[1], tc.file)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(tc.edit(string(b))), 0o644)
			r := runIn(t, root, time.Minute, "merge", "--out", filepath.Join(root, "m-"+filepath.Base(ds[0])), ds[0], ds[1])
			if r.code != 2 || !strings.Contains(r.stderr, p) {
				t.Errorf("exit %d, want 2 naming %s\n%s", r.code, p, r.stderr)
			}
		})
	}
}

// TestUnwritableOutFoundBeforeSimulating: a read-only or dangling --out
// was once found only after the whole simulation.
func TestUnwritableOutFoundBeforeSimulating(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	os.Symlink(filepath.Join(root, "nowhere", "x"), filepath.Join(root, "dangling"))
	os.WriteFile(filepath.Join(root, "afile"), []byte("x"), 0o644)
	ro := filepath.Join(root, "ro")
	os.Mkdir(ro, 0o555)
	// A read-only file system: root ignores permissions, so bind-mount
	// read-only where that works.
	rofs := filepath.Join(root, "rofs")
	os.Mkdir(rofs, 0o755)
	readOnlyFS := exec.Command("mount", "--bind", "-o", "ro", rofs, rofs).Run() == nil
	if readOnlyFS {
		exec.Command("mount", "-o", "remount,ro,bind", rofs).Run()
		t.Cleanup(func() { exec.Command("umount", rofs).Run() })
	}
	cases := map[string]string{
		"dangling symbolic link": "dangling",
		"path through a file":    "afile/out",
		"read-only folder":       "ro/out",
	}
	if readOnlyFS {
		cases["read-only file system"] = "rofs/out"
	}
	before := tree(t, root)
	for name, out := range cases {
		t.Run(name, func(t *testing.T) {
			if name == "read-only folder" && os.Geteuid() == 0 {
				t.Skip("root writes into read-only folders")
			}
			// 20 million child-simulations: many seconds if simulated.
			r := runIn(t, root, time.Minute, "run", sc, "--iterations", "200000", "--quiet", "--allow-large", "--out", out)
			if r.code != 2 {
				t.Errorf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			if r.took > 3*time.Second {
				t.Errorf("took %v: the folder was found unwritable only after simulating", r.took)
			}
		})
	}
	unchanged(t, before, tree(t, root))
}

// hidden lists the hidden entries of dir (temporary files and stages).
func hidden(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestKilledRunIsCleanedUpByTheNext: SIGKILL (the kernel's out-of-memory
// killer, a scheduler's hard limit) once left hidden temporary files that
// nothing ever removed (one was 671 MB). The next run in the same place
// removes them, says so, and changes nothing else.
func TestKilledRunIsCleanedUpByTheNext(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "res", "--events", "ev.csv"); r.code != 0 {
		t.Fatalf("earlier run: exit %d\n%s", r.code, r.stderr)
	}
	before := tree(t, root)
	cmd := exec.Command(sharedBinary(t), "run", sc, "--iterations", "2000000", "--quiet", "--allow-large", "--workers", "1",
		"--force", "--out", "res", "--events", "ev.csv")
	cmd.Dir = root
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // simulating, the event log growing
	cmd.Process.Kill()
	cmd.Wait()
	if len(hidden(t, root)) == 0 {
		t.Fatal("the killed run left nothing: this test needs it killed while writing")
	}
	r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "other")
	if r.code != 0 {
		t.Fatalf("next run: exit %d\n%s", r.code, r.stderr)
	}
	if left := hidden(t, root); len(left) > 0 {
		t.Errorf("the next run left the killed run's temporary files: %v", left)
	}
	if !strings.Contains(r.stderr, "interrupted run") {
		t.Errorf("the next run did not say what it removed:\n%s", r.stderr)
	}
	unchanged(t, before, tree(t, root), "other")
}

// peakEnv, set to a JSON list of a command and its arguments, makes the
// test binary run that command and print its peak memory (peakHelper).
const peakEnv = "REUNIFY_TEST_PEAK"

// peakHelper runs the command args names, passing its output through,
// prints "maxrss_kb N" (its peak resident memory) and returns its exit
// status. A child started by this process measures only itself: Go
// starts children with vfork, and Linux counts the memory of the process
// a child was started from in the child's peak, so a child of the test
// process (under the race detector, often past a gigabyte) would report
// the test's peak, not its own.
func peakHelper(args string) int {
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil || len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "peakHelper:", args, err)
		return 2
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "peakHelper:", err)
		return 2
	}
	fmt.Printf("maxrss_kb %d\n", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	return cmd.ProcessState.ExitCode()
}

// TestEventsMemoryWithinEstimate: --events with many workers once
// exhausted memory, as the estimate counted event buffers for only as
// many iterations as cores. The peak memory of a real run with 64
// workers stays within the estimate (plus the program itself).
func TestEventsMemoryWithinEstimate(t *testing.T) {
	root := t.TempDir()
	const la, iters, workers = "../../scenarios/local-authority.toml", 200, 64
	jobs, err := loadJobs([]string{la}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// What run checks against the limits, with the workers it will use.
	e := limits.Local().Estimate(limits.Work{Model: jobs[0].Model, Params: len(jobs[0].Params), Iterations: iters,
		Workers: min(workers, runtime.NumCPU()), Out: "res", Events: "ev.csv"})
	abs, _ := filepath.Abs(la)
	argv, _ := json.Marshal([]string{sharedBinary(t), "run", abs, "--iterations", fmt.Sprint(iters), "--workers", fmt.Sprint(workers),
		"--quiet", "--out", "res", "--events", "ev.csv"})
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), peakEnv+"="+string(argv))
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.Bytes())
	}
	var kb float64
	if _, err := fmt.Sscanf(string(out), "maxrss_kb %g", &kb); err != nil {
		t.Fatalf("peak memory not reported: %q", out)
	}
	peak := kb * 1024        // kB on Linux
	const program = 64 << 20 // the runtime, the binary, the model
	t.Logf("peak %.0f MB, estimate %.0f MB (+%d MB for the program)", peak/(1<<20), e.Memory/(1<<20), program>>20)
	if peak > e.Memory+program {
		t.Errorf("peak memory %.0f MB is over the estimate %.0f MB + %d MB", peak/(1<<20), e.Memory/(1<<20), program>>20)
	}
}

// TestBatchCheckedBeforeAnySimulation: a batch whose last scenario is
// broken is refused before the first is simulated, however long that
// would take, and writes nothing.
func TestBatchCheckedBeforeAnySimulation(t *testing.T) {
	root := t.TempDir()
	good := copyScenario(t, root, "good.toml", "good")
	bad := filepath.Join(root, "bad.toml")
	b, _ := os.ReadFile(good)
	os.WriteFile(bad, bytes.Replace(b, []byte("weekly_cost = 600"), []byte("weekly_cost = -600"), 1), 0o644)
	before := tree(t, root)
	r := runIn(t, root, time.Minute, "run", good, bad, "--iterations", "200000", "--allow-large", "--quiet", "--out", "batch")
	if r.code != 2 || !strings.Contains(r.stderr, "bad.toml:") {
		t.Errorf("exit %d, want 2 naming bad.toml\n%s", r.code, r.stderr)
	}
	if r.took > 3*time.Second {
		t.Errorf("took %v: the first scenario was simulated", r.took)
	}
	unchanged(t, before, tree(t, root))
}
