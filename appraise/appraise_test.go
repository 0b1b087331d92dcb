package appraise

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

func TestMain(m *testing.M) {
	relTol = 0.05 // coarser break-even searches: the tests check the pack, not the roots
	os.Exit(m.Run())
}

// small makes testdata/small.toml (a small authority of two arms) carry
// three uncertain figures: the support effect, its uptake and a cost.
var small = []string{
	`package.support.post.hr_reentry="lognormal(mean=0.7, sd=0.1)"`,
	`package.support.uptake="beta(mean=0.8, sd=0.08)"`,
	`costs.social_work_per_month="gamma(mean=600, sd=180)"`,
}

func openSmall(t *testing.T, sets ...string) *scenario.File {
	t.Helper()
	job, err := scenario.Open(filepath.Join("testdata", "small.toml"), append(slices.Clone(small), sets...))
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func config(job *scenario.File, out string) Config {
	return Config{Job: job, Sets: small, Options: sim.Options{Iterations: 4, Seed: 3, Workers: 2}, Out: out, Quiet: true, CommandLine: []string{"appraise", "test"}}
}

// packFiles are the files every pack of a scenario with uncertain figures
// holds.
var packFiles = []string{resultdir.SummaryFile, resultdir.IterationsFile, resultdir.YearlyFile, resultdir.ComparisonFile,
	resultdir.AcceptabilityFile, resultdir.SurvivalFile, resultdir.ScenarioFile, resultdir.ManifestFile,
	resultdir.BaseCaseFile, resultdir.TornadoFile, resultdir.BreakevenFile, resultdir.ReportFile, resultdir.ChartsDir}

// checkPack checks that dir is a complete pack: every file, the manifest
// listing the pack's CSV files, and the report readable.
func checkPack(t *testing.T, dir string) *resultdir.Folder {
	t.Helper()
	for _, name := range packFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the pack lacks %s: %v", name, err)
		}
	}
	man, err := resultdir.ReadManifest(filepath.Join(dir, resultdir.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, resultdir.ManifestFile))
	for _, name := range []string{resultdir.BaseCaseFile, resultdir.TornadoFile, resultdir.BreakevenFile} {
		if !bytes.Contains(b, []byte(`"`+name+`"`)) {
			t.Errorf("manifest.json does not list %s", name)
		}
	}
	// docs/appraisal.md: the manifest lists every file but itself, the
	// report and its charts, which the report's seal covers instead.
	listed := map[string]bool{}
	for _, fs := range man.Files {
		listed[fs.Name] = true
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		switch n {
		case resultdir.ManifestFile, resultdir.ReportFile, resultdir.ChartsDir:
			if listed[n] {
				t.Errorf("manifest.json lists %s, which docs/appraisal.md says it does not", n)
			}
		default:
			if !listed[n] {
				t.Errorf("manifest.json does not list %s", n)
			}
		}
	}
	if page, _ := os.ReadFile(filepath.Join(dir, resultdir.ReportFile)); !bytes.Contains(page, []byte("<!-- reunify-seal ")) {
		t.Errorf("report.html has no seal")
	}
	f, err := resultdir.LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestAppraisePack: one command makes the whole pack; the tornado starts
// at the base case written beside it, and the break-even searches cover
// the support effect and uptake.
func TestAppraisePack(t *testing.T) {
	job, err := scenario.Open(filepath.Join("..", "scenarios", "local-authority.toml"), []string{"stock.count=40", "entries.per_year=25"})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "pack")
	cfg := config(job, out)
	cfg.Sets = []string{"stock.count=40", "entries.per_year=25"}
	dir, res, err := Run(context.Background(), io.Discard, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if dir != out || res == nil {
		t.Fatalf("Run returned %q, %v", dir, res)
	}
	f := checkPack(t, dir)
	base, ok := f.BaseCaseOf("post_return_support", summary.NetSaving)
	if !ok {
		t.Fatal("basecase.csv lacks the net saving")
	}
	if len(f.Tornado) != len(job.Params) {
		t.Errorf("tornado.csv has %d rows for %d uncertain figures", len(f.Tornado), len(job.Params))
	}
	for _, r := range f.Tornado {
		if r.Base != base.Mean || r.Metric != summary.NetSaving || r.Arm != "post_return_support" {
			t.Errorf("tornado row %s: base %v (%s, %s), want the base case's net saving %v", r.Parameter, r.Base, r.Metric, r.Arm, base.Mean)
		}
	}
	var params []string
	for _, b := range f.Breakeven {
		params = append(params, b.Param)
		if b.Prob != BreakevenProb || b.Current != b.Current {
			t.Errorf("breakeven row %s: prob %v, current %v", b.Param, b.Prob, b.Current)
		}
	}
	want := []string{"package.post_return_support.post.hr_reentry", "package.post_return_support.uptake"}
	if !slices.Equal(params, want) {
		t.Errorf("break-even searches %v, want %v", params, want)
	}
	if len(f.Parameters) != len(job.Params) {
		t.Errorf("iterations.csv draws %d figures, the scenario has %d", len(f.Parameters), len(job.Params))
	}
}

// TestAppraiseRefusesAnExistingFolder: as run does, appraise refuses a
// folder that is not empty (a folder of the user's, or an earlier pack)
// before simulating anything, and touches nothing in it.
func TestAppraiseRefusesAnExistingFolder(t *testing.T) {
	job := openSmall(t)
	for name, fill := range map[string]func(dir string){
		"a folder of the user's": func(dir string) { os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644) },
		"an earlier pack": func(dir string) {
			os.Remove(dir)
			if _, _, err := Run(context.Background(), io.Discard, config(job, dir)); err != nil {
				t.Fatal(err)
			}
		},
		"a file": func(dir string) { os.Remove(dir); os.WriteFile(dir, []byte("mine"), 0o644) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			os.Mkdir(dir, 0o755)
			fill(dir)
			before := snapshot(t, filepath.Dir(dir))
			_, _, err := Run(context.Background(), io.Discard, config(job, dir))
			var bi interface{ BadInput() bool }
			if err == nil || !errors.As(err, &bi) || !bi.BadInput() {
				t.Fatalf("Run over %s: %v, want a refusal (bad input)", name, err)
			}
			if !strings.Contains(err.Error(), "--out") {
				t.Errorf("the refusal does not name --out: %v", err)
			}
			if strings.Contains(err.Error(), "--force") {
				t.Errorf("the refusal advises --force, which appraise does not have: %v", err)
			}
			if after := snapshot(t, filepath.Dir(dir)); after != before {
				t.Errorf("the refused destination changed:\nbefore %s\nafter %s", before, after)
			}
		})
	}
}

// TestAppraiseFillsAnEmptyFolder: as run does (and as its help and
// docs/appraisal.md say), an existing empty folder is filled, not refused.
func TestAppraiseFillsAnEmptyFolder(t *testing.T) {
	job := openSmall(t)
	dir := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	got, _, err := Run(context.Background(), io.Discard, config(job, dir))
	if err != nil {
		t.Fatalf("Run into an empty folder: %v", err)
	}
	if got != dir {
		t.Errorf("the pack went to %s, want %s", got, dir)
	}
	checkPack(t, dir)
}

// TestAppraiseDefaultFolderNeverCollides: with no --out, the default
// folder of this second (and the next ones) already taken, appraise
// chooses the next free name (-2, -3, ...) and touches none of them.
func TestAppraiseDefaultFolderNeverCollides(t *testing.T) {
	job := openSmall(t)
	root := t.TempDir()
	t.Chdir(root)
	now := time.Now().UTC()
	var taken []string
	for s := -1; s <= 3; s++ {
		d := resultdir.DefaultDir(job.Name, now.Add(time.Duration(s)*time.Second))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "mine.txt"), []byte("mine"), 0o644)
		taken = append(taken, d)
	}
	got, _, err := Run(context.Background(), io.Discard, config(job, ""))
	if err != nil {
		t.Fatalf("Run with a taken default folder: %v", err)
	}
	if slices.Contains(taken, got) {
		t.Fatalf("the pack went to the taken folder %s", got)
	}
	if !strings.HasSuffix(got, "-2") {
		t.Errorf("the pack went to %s, want the taken name with -2", got)
	}
	for _, d := range taken {
		b, err := os.ReadFile(filepath.Join(d, "mine.txt"))
		if err != nil || string(b) != "mine" {
			t.Errorf("%s was touched: %v", d, err)
		}
	}
}

// snapshot lists every file under root with its contents' length and
// first bytes.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		b.WriteString(rel)
		if !info.IsDir() {
			data, _ := os.ReadFile(path)
			b.WriteString(":" + string(data[:min(len(data), 64)]))
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

// TestInterruptedAppraisalLeavesNothing: cancelled at the end of any
// stage (after the run, the base case, the tornado, the break-even
// searches, the writing or the report), or before its commit, appraise
// leaves no folder and no temporary files; uninterrupted it leaves the
// complete pack.
func TestInterruptedAppraisalLeavesNothing(t *testing.T) {
	job := openSmall(t)
	defer func(old func(string)) { stage = old }(stage)
	for _, at := range []string{"simulated", "basecase", "tornado", "breakeven", "written", "reported"} {
		t.Run(at, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "pack")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			seen := false
			stage = func(name string) {
				if name == at {
					seen = true
					cancel()
				}
			}
			_, _, err := Run(ctx, io.Discard, config(job, out))
			if !seen {
				t.Fatalf("the stage %s was never reached (%v)", at, err)
			}
			if err == nil || !strings.Contains(err.Error(), "interrupted") || !strings.Contains(err.Error(), "nothing was written") {
				t.Fatalf("interrupted at %s: %v, want an interruption that says nothing was written", at, err)
			}
			// The message says the stage, not a total of iterations
			// that reads like one run's.
			if want, ok := map[string]string{"simulated": "during the base case", "basecase": "during the tornado", "tornado": "during the break-even searches"}[at]; ok && !strings.Contains(err.Error(), want) {
				t.Errorf("interrupted at %s: %v, want it to say %q", at, err, want)
			}
			if es, _ := os.ReadDir(parent); len(es) != 0 {
				var names []string
				for _, e := range es {
					names = append(names, e.Name())
				}
				t.Errorf("interrupted at %s, the folder holds %v, want nothing", at, names)
			}
		})
	}
	stage = func(string) {}
	out := filepath.Join(t.TempDir(), "pack")
	if _, _, err := Run(context.Background(), io.Discard, config(job, out)); err != nil {
		t.Fatal(err)
	}
	checkPack(t, out)
}

// TestAppraiseWithoutUncertainFigures: a scenario that gives no figure
// as a distribution still gets a pack (no tornado: nothing to vary), and
// its report says the interval is chance alone.
func TestAppraiseWithoutUncertainFigures(t *testing.T) {
	job := openSmall(t)
	raw := job.Scenario.BaseCase().Resolved()
	path := filepath.Join(t.TempDir(), "fixed.toml")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	fixed, err := scenario.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixed.Params) != 0 {
		t.Fatalf("the base case still has %d uncertain figures", len(fixed.Params))
	}
	cfg := config(fixed, filepath.Join(t.TempDir(), "pack"))
	cfg.Sets = nil
	dir, _, err := Run(context.Background(), io.Discard, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, resultdir.TornadoFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a pack without uncertain figures has a tornado.csv (%v)", err)
	}
	page, err := os.ReadFile(filepath.Join(dir, resultdir.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the interval is chance alone", "No figure of this scenario is given as a distribution"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the report of a scenario without uncertain figures lacks %q", want)
		}
	}
}

// TestAppraiseNeedsAPolicy: a scenario of one arm is refused as bad
// input before anything is written.
func TestAppraiseNeedsAPolicy(t *testing.T) {
	job := openSmall(t, `arm=[{name="baseline", packages=[]}]`)
	out := filepath.Join(t.TempDir(), "pack")
	_, _, err := Run(context.Background(), io.Discard, config(job, out))
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "one arm") {
		t.Fatalf("one arm: %v, want an InputError", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused appraisal made %s", out)
	}
}

// TestAppraiseCollisionAtCommitIsAFailure: a folder another process makes
// at --out while the appraisal simulates is found at the commit, left
// untouched, and reported as a failure (exit 1) that says the pack was
// not kept, not as the user's bad input.
func TestAppraiseCollisionAtCommitIsAFailure(t *testing.T) {
	job := openSmall(t)
	dir := filepath.Join(t.TempDir(), "out")
	defer func(old func(string)) { stage = old }(stage)
	stage = func(name string) {
		if name == "reported" {
			os.Mkdir(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "theirs.txt"), []byte("theirs"), 0o644)
		}
	}
	_, _, err := Run(context.Background(), io.Discard, config(job, dir))
	var bi interface{ BadInput() bool }
	if err == nil || (errors.As(err, &bi) && bi.BadInput()) {
		t.Fatalf("Run with --out taken at the commit: %v, want a failure that is not bad input", err)
	}
	if !strings.Contains(err.Error(), "another process") || strings.Contains(err.Error(), "--force") {
		t.Errorf("the message does not say what happened: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "theirs.txt")); string(b) != "theirs" {
		t.Errorf("the other process's file was touched")
	}
}

// TestAppraisePrintsRunsWarnings: appraise prints on stderr the warnings
// run prints (with --quiet too), and its report carries them in a
// warning box: with every figure fixed (chance alone) and with too few
// iterations.
func TestAppraisePrintsRunsWarnings(t *testing.T) {
	fixed, err := scenario.Open(filepath.Join("testdata", "small.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]Config{
		"every figure fixed": {Job: fixed, Options: sim.Options{Iterations: 40, Seed: 3, Workers: 2}},
		"one iteration":      {Job: openSmall(t), Sets: small, Options: sim.Options{Iterations: 1, Seed: 3, Workers: 2}},
	} {
		t.Run(name, func(t *testing.T) {
			cfg.Out, cfg.Quiet, cfg.CommandLine = filepath.Join(t.TempDir(), "out"), true, []string{"appraise"}
			var stderr bytes.Buffer
			dir, res, err := Run(context.Background(), &stderr, cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := summary.Warnings(res)
			if len(want) == 0 {
				t.Fatal("the run has no warnings: the test tests nothing")
			}
			page, err := os.ReadFile(filepath.Join(dir, resultdir.ReportFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), `id="warnings-h"`) {
				t.Errorf("the report has no warning box")
			}
			for _, w := range want {
				if !strings.Contains(stderr.String(), "reunify: warning: "+cfg.Job.Name+": "+w) {
					t.Errorf("stderr lacks the warning %q:\n%s", w, stderr.String())
				}
				if !strings.Contains(string(page), html.EscapeString(w)) {
					t.Errorf("the report lacks the warning %q", w)
				}
			}
			if name == "one iteration" && strings.Contains(string(page), "includes the uncertainty") {
				t.Errorf("the report says a one-iteration interval includes the uncertainty")
			}
		})
	}
}
