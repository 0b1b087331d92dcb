package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/buildinfo"
	"github.com/reunify/reunify/resultdir"
)

// mergedFiles are the CSV files that a merge must reproduce byte for byte.
var mergedFiles = []string{"summary.csv", "iterations.csv", "yearly.csv", "comparison.csv", "survival.csv", "acceptability.csv"}

// mergeArgs run small.toml with a sampled parameter, so that the shard
// files carry param columns too.
var mergeArgs = []string{"--quiet", "--iterations", "11", "--seed", "9", "--set", "costs.reentry=gamma(mean=2000, sd=300)"}

func runShard(t *testing.T, dir string, extra ...string) {
	t.Helper()
	args := append(append([]string{"run"}, mergeArgs...), extra...)
	args = append(args, "--out", dir, "testdata/small.toml")
	if _, stderr, code := reunify(t, args...); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
}

func TestMergeIsByteIdenticalToASingleRun(t *testing.T) {
	tmp := t.TempDir()
	single := filepath.Join(tmp, "single")
	runShard(t, single)
	if _, err := os.Stat(filepath.Join(single, resultdir.ShardFile)); err == nil {
		t.Errorf("a single run without --shard wrote %s; the default folder should stay as documented", resultdir.ShardFile)
	}
	for _, n := range []int{1, 2, 3, 7} {
		var dirs []string
		for k := n - 1; k >= 0; k-- { // any order
			d := filepath.Join(tmp, fmt.Sprintf("n%d-k%d", n, k))
			runShard(t, d, "--shard", fmt.Sprintf("%d/%d", k, n), "--workers", fmt.Sprint(1+k%2))
			dirs = append(dirs, d)
		}
		merged := filepath.Join(tmp, fmt.Sprintf("merged%d", n))
		stdout, stderr, code := reunify(t, append([]string{"merge", "--out", merged}, dirs...)...)
		if code != 0 {
			t.Fatalf("N=%d: merge: exit %d: %s", n, code, stderr)
		}
		if !strings.Contains(stdout, fmt.Sprintf("merged %d shards (11 iterations)", n)) {
			t.Errorf("N=%d: merge said %q", n, stdout)
		}
		for _, f := range mergedFiles {
			want, err := os.ReadFile(filepath.Join(single, f))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(merged, f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("N=%d: merged %s differs from the single run's", n, f)
			}
		}
		var man resultdir.Manifest
		b, _ := os.ReadFile(filepath.Join(merged, "manifest.json"))
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatal(err)
		}
		if man.Shard != "0/1" || man.Iterations != 11 || man.Seed != 9 {
			t.Errorf("N=%d: merged manifest %+v", n, man)
		}
		s, err := os.ReadFile(filepath.Join(single, "scenario.toml"))
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := os.ReadFile(filepath.Join(merged, "scenario.toml")); !bytes.Equal(m, s) {
			t.Errorf("N=%d: merged scenario.toml differs", n)
		}
	}
}

func TestMergeRefusesShardsOfDifferentRuns(t *testing.T) {
	tmp := t.TempDir()
	d := func(name string) string { return filepath.Join(tmp, name) }
	runShard(t, d("a0"), "--shard", "0/2")
	runShard(t, d("a1"), "--shard", "1/2")
	runShard(t, d("seed"), "--shard", "1/2", "--seed", "10")
	runShard(t, d("iters"), "--shard", "1/2", "--iterations", "12")
	runShard(t, d("set"), "--shard", "1/2", "--set", "costs.return=10")
	runShard(t, d("three"), "--shard", "1/3")
	runShard(t, d("single"))
	// Another program version: same everything else.
	runShard(t, d("version"), "--shard", "1/2")
	path := filepath.Join(d("version"), "manifest.json")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte(`"version": "`+buildinfo.Version()+`"`), []byte(`"version": "v0.0.1-other"`), 1), 0o644)
	// A different scenario file: its hash differs.
	other := filepath.Join(tmp, "other.toml")
	raw, _ := os.ReadFile("testdata/small.toml")
	os.WriteFile(other, append(raw, []byte("\n# a comment\n")...), 0o644)
	args := append(append([]string{"run"}, mergeArgs...), "--shard", "1/2", "--out", d("scenario"), other)
	if _, stderr, code := reunify(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}

	for _, tc := range []struct {
		name string
		dirs []string
		want string
	}{
		{"missing", []string{d("a0")}, "shard 1/2 missing"},
		{"duplicated", []string{d("a0"), d("a1"), d("a1")}, "shard 1/2 is given twice"},
		{"seed", []string{d("a0"), d("seed")}, "different seeds"},
		{"iterations", []string{d("a0"), d("iters")}, "different iteration counts"},
		{"set", []string{d("a0"), d("set")}, "different resolved scenarios"},
		{"scenario", []string{d("a0"), d("scenario")}, "different scenarios"},
		{"shard count", []string{d("a0"), d("three")}, "different shard counts"},
		{"version", []string{d("a0"), d("version")}, "different program versions"},
		{"not a shard", []string{d("single")}, "not a shard folder"},
		{"not a folder", []string{d("nothing")}, "not a result folder"},
	} {
		out := filepath.Join(tmp, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
		_, stderr, code := reunify(t, append([]string{"merge", "--out", out}, tc.dirs...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q: want 2 and %q", tc.name, code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: a refused merge wrote %s", tc.name, out)
		}
	}
	// Flags after the folders, as in "reunify merge DIR1 DIR2 --out DIR".
	out := d("ok")
	if _, stderr, code := reunify(t, "merge", "--quiet", d("a1"), d("a0"), "--out", out); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	// After "--" every argument is a folder, even one that looks like a
	// flag.
	if _, stderr, code := reunify(t, "merge", "--out", d("dash"), "--", d("a1"), "-odd"); code != 2 || !strings.Contains(stderr, "-odd") || strings.Contains(stderr, "flag provided") {
		t.Errorf("merge -- DIR -odd: exit %d, %q: want 2 naming the folder -odd", code, stderr)
	}
	if _, stderr, code := reunify(t, "merge", d("a1"), d("a0")); code != 2 || !strings.Contains(stderr, "--out") {
		t.Errorf("merge without --out: exit %d, %q", code, stderr)
	}
}

// TestShardEventLogsJoinToTheSingleRunsLog: merge does not join event
// logs; docs/outputs.md says the shards' rows, sorted stably by
// iteration, are the single run's log byte for byte (shard K of N holds
// iterations K, K+N, ...). Uneven shards: 7 iterations in 3.
func TestShardEventLogsJoinToTheSingleRunsLog(t *testing.T) {
	const la = "../../scenarios/local-authority.toml"
	dir := t.TempDir()
	run := func(name string, extra ...string) []byte {
		t.Helper()
		args := append([]string{"run", "--quiet", "--iterations", "7", "--seed", "5", "--out", filepath.Join(dir, name), "--events", filepath.Join(dir, name+".csv")}, extra...)
		if _, stderr, code := reunify(t, append(args, la)...); code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	full := run("full")
	type row struct {
		iter int
		line string
	}
	var header string
	var rows []row
	for k := range 3 {
		lines := strings.SplitAfter(string(run(fmt.Sprintf("s%d", k), "--shard", fmt.Sprintf("%d/3", k))), "\n")
		header = lines[0]
		for _, l := range lines[1:] {
			if l == "" {
				continue
			}
			it, err := strconv.Atoi(l[:strings.IndexByte(l, ',')])
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row{it, l})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].iter < rows[j].iter })
	var b strings.Builder
	b.WriteString(header)
	for _, r := range rows {
		b.WriteString(r.line)
	}
	if b.String() != string(full) {
		t.Errorf("the shards' logs sorted by iteration (%d bytes) are not the single run's (%d bytes)", b.Len(), len(full))
	}
}
