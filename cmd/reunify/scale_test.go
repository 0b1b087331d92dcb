package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The shard and merge commands of the recipes in docs/scale.md, verbatim.
// TestScaleRecipes checks that the document holds them and runs them
// locally: N processes at once, each taking its shard index from the
// environment variable its scheduler sets, then the merge.
const (
	recipeKubernetes = `reunify run --quiet --force --iterations "$ITERATIONS" --seed "$SEED" --workers "$WORKERS" --shard "$JOB_COMPLETION_INDEX/$SHARDS" --out "$RESULTS/shard-$JOB_COMPLETION_INDEX" "$SCENARIO"`
	recipeSlurm      = `reunify run --quiet --force --iterations "$ITERATIONS" --seed "$SEED" --workers "${SLURM_CPUS_PER_TASK:-1}" --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --out "$RESULTS/shard-$SLURM_ARRAY_TASK_ID" "$SCENARIO"`
	recipeParallel   = `seq 0 $((SHARDS - 1)) | parallel -j "$SHARDS" reunify run --quiet --force --iterations "$ITERATIONS" --seed "$SEED" --workers 1 --shard {}/"$SHARDS" --out "$RESULTS/shard-{}" "$SCENARIO"`
	recipeMerge      = `reunify merge --out "$RESULTS/merged" "$RESULTS"/shard-*`
)

// parallelShim stands in for GNU parallel where it is not installed: it
// runs "parallel -j N CMD..." once per line of standard input, all at
// once, with {} replaced by the line, as GNU parallel does for these
// recipes.
const parallelShim = `#!/usr/bin/env bash
[ "$1" = "-j" ] && shift 2
pids=()
while read -r arg; do
  args=()
  for a in "$@"; do args+=("${a//\{\}/$arg}"); done
  "${args[@]}" & pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
`

func TestScaleRecipes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts processes")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the recipes are POSIX shell")
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "scale.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{recipeKubernetes, recipeSlurm, recipeParallel, recipeMerge} {
		if !bytes.Contains(doc, []byte(c)) {
			t.Errorf("docs/scale.md does not hold the tested command\n%s", c)
		}
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "reunify"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if _, err := exec.LookPath("parallel"); err != nil {
		if err := os.WriteFile(filepath.Join(bin, "parallel"), []byte(parallelShim), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Log("GNU parallel is not installed: using a stand-in that runs the jobs the same way")
	}
	scenario, err := filepath.Abs("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	const shards = 3
	env := func(results string, extra ...string) []string {
		return append(append(os.Environ(),
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"ITERATIONS=10", "SEED=4", "WORKERS=1", fmt.Sprintf("SHARDS=%d", shards),
			"SCENARIO="+scenario, "RESULTS="+results,
		), extra...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	shell := func(script string, env []string) error {
		cmd := exec.CommandContext(ctx, "bash", "-c", script)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v\n%s", script, err, out.String())
		}
		return nil
	}

	// The reference: one process, all iterations.
	single := filepath.Join(tmp, "single")
	if err := shell(`reunify run --quiet --iterations "$ITERATIONS" --seed "$SEED" --out "$RESULTS" "$SCENARIO"`, env(single)); err != nil {
		t.Fatal(err)
	}

	for _, r := range []struct {
		name   string
		script string
		index  string // the scheduler's variable, one process per index
		extra  func(k int) []string
	}{
		{"kubernetes", recipeKubernetes, "JOB_COMPLETION_INDEX", nil},
		{"slurm", recipeSlurm, "SLURM_ARRAY_TASK_ID", func(int) []string {
			return []string{fmt.Sprintf("SLURM_ARRAY_TASK_COUNT=%d", shards), "SLURM_CPUS_PER_TASK=1"}
		}},
		{"parallel", recipeParallel, "", nil},
	} {
		results := filepath.Join(tmp, r.name)
		if r.index == "" {
			if err := shell(r.script, env(results)); err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
		} else {
			var wg sync.WaitGroup
			errs := make([]error, shards)
			for k := range shards {
				extra := []string{fmt.Sprintf("%s=%d", r.index, k)}
				if r.extra != nil {
					extra = append(extra, r.extra(k)...)
				}
				wg.Go(func() { errs[k] = shell(r.script, env(results, extra...)) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("%s: %v", r.name, err)
				}
			}
		}
		if err := shell(recipeMerge, env(results)); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		for _, f := range mergedFiles {
			want, _ := os.ReadFile(filepath.Join(single, f))
			got, err := os.ReadFile(filepath.Join(results, "merged", f))
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if len(want) == 0 || !bytes.Equal(got, want) {
				t.Errorf("%s: merged %s differs from the single run's", r.name, f)
			}
		}
		if entries, _ := filepath.Glob(filepath.Join(results, "shard-*")); len(entries) != shards {
			t.Errorf("%s: %d shard folders, want %d: %s", r.name, len(entries), shards, strings.Join(entries, " "))
		}
	}
}
