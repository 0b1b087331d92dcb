//go:build unix

package main

// TestGoldenFiles guards every file the commands write: it builds
// reunify, runs it as a user would (a separate process, real flags, real
// files) and compares every file each command leaves behind, byte for
// byte, with testdata/golden-files/<case>/. The cases are run of every
// shipped scenario in scenarios/ (found by glob, so a new scenario needs
// a golden), run --report (report.html and charts/), run --events, a
// batch of two scenarios, tornado, one- and two-way sweep, breakeven,
// calibrate from the public fake SSDA903 return (../shared) and
// calibrate's fit, synth, run --shard K/N followed by merge and report
// DIR, validate-model and init.
//
// A restructuring that keeps every result the same passes unchanged. A
// change that is meant to alter results (a new engine, a new field)
// regenerates the goldens with one command, and the diff is then read
// and committed with the change:
//
//	go test ./cmd/reunify -run TestGoldenFiles -update
//
// Byte for byte except for what changes from run to run by nature, which
// is replaced in the comparison only (goldenVolatile lists each with its
// reason): the temporary folder's path, the manifest's times, wall time,
// program version, commit, Go version and worker count, and the same
// facts where report.html shows them. PNG charts are compared by their
// decoded pixels and size (a digest in <chart>.png.pixels), so that a
// change in Go's zlib encoder, which alters the bytes but not the
// picture, does not fail the suite, while a single changed pixel does.
//
// Every command runs with --workers set to GOMAXPROCS, so running the
// suite with "go test -cpu 1,2,4" checks that no file depends on the
// number of workers. The binary is built without the race detector
// (buildReunify), so the suite takes seconds under "go test -race";
// the engine's concurrency is raced by the tests of sim and of this
// package that run in-process.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// goldenRoot holds one folder of expected files per case.
const goldenRoot = "testdata/golden-files"

// goldenRegenerate is the one command that rewrites every golden.
const goldenRegenerate = "go test ./cmd/reunify -run TestGoldenFiles -update"

// goldenFake is the public fake SSDA903 return beside the project.
const goldenFake = "../../../shared/data/ssda903-fake"

// goldenVolatile are the replacements made to every text file before it
// is compared or stored, each with why the value cannot be fixed by the
// command line. Anything not listed here must match byte for byte.
var goldenVolatile = []struct {
	re   *regexp.Regexp
	with string
	why  string
}{
	{regexp.MustCompile(`(?m)^(  "(?:version|commit|go_version|start|end|host)": )"[^"\n]*"`), `${1}"<volatile>"`,
		"manifest.json and <analysis>.json: the build (ldflags, VCS stamp, toolchain), the clock and the host; top-level keys only"},
	{regexp.MustCompile(`(?m)^(  "(?:wall_seconds|workers)": )[^,\n]*`), `${1}<volatile>`,
		"manifest.json and <analysis>.json: wall time, and the worker count, which the suite varies with GOMAXPROCS (results must not depend on it)"},
	{regexp.MustCompile(`("--workers",\s*)"\d+"`), `${1}"<workers>"`,
		"the command line recorded in a manifest: --workers is GOMAXPROCS"},
	{regexp.MustCompile(`--workers \d+`), `--workers <workers>`,
		"the command line shown in report.html"},
	{regexp.MustCompile(`(<th scope="row">(?:run|program)</th><td>)[^<]*`), `${1}<volatile>`,
		"report.html's run date and program version, commit and Go version"},
}

// goldenCase is one user session: commands run in order in a fresh
// folder ($ROOT), whose every file afterwards is the case's resultdir.
type goldenCase struct {
	name  string
	steps [][]string
	needs string // a file the case reads from outside the repository; skipped if absent
	// failOK lets the last step exit 1: validate-model does when a
	// figure falls outside its band at so few iterations, and writes its
	// file all the same.
	failOK bool
}

func goldenCases(t *testing.T, workers string) []goldenCase {
	t.Helper()
	w := []string{"--workers", workers}
	var cases []goldenCase
	shipped, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(shipped) == 0 {
		t.Fatalf("no shipped scenarios: %v", err)
	}
	for _, s := range shipped {
		name := strings.TrimSuffix(filepath.Base(s), ".toml")
		iters := "3"
		if name == "england" { // 400,000 children an iteration
			iters = "2"
		}
		cases = append(cases, goldenCase{name: "run-" + name, steps: [][]string{
			cat([]string{"run", "--quiet", "--iterations", iters, "--seed", "11"}, w, []string{"--out", "$ROOT/out", s}),
		}})
	}
	small := "testdata/small.toml"
	cases = append(cases,
		goldenCase{name: "run-report", steps: [][]string{
			cat([]string{"run", "--quiet", "--report", "--iterations", "4", "--seed", "3"}, w, []string{"--out", "$ROOT/out", small}),
		}},
		goldenCase{name: "run-events", steps: [][]string{
			cat([]string{"run", "--quiet", "--iterations", "2", "--seed", "3", "--events", "$ROOT/events.csv"}, w, []string{"--out", "$ROOT/out", small}),
		}},
		goldenCase{name: "run-batch", steps: [][]string{
			cat([]string{"run", "--quiet", "--iterations", "3", "--seed", "5"}, w,
				[]string{"--out", "$ROOT/batch", "../../scenarios/residential-step-down.toml", "../../scenarios/england-2013.toml"}),
		}},
		goldenCase{name: "calibrate-ssda903", needs: goldenFake + "/episodes.csv", steps: [][]string{
			{"calibrate", "--episodes", goldenFake + "/episodes.csv", "--header", goldenFake + "/header.csv", "--out", "$ROOT/la.toml"},
		}},
		goldenCase{name: "calibrate-fit", steps: [][]string{
			cat([]string{"calibrate", small, "--target", "reentry_rate_12m=0.35", "--param", "home.reentry.cumulative.0",
				"--iterations", "20", "--seed", "2"}, w, []string{"--out", "$ROOT/fitted.toml"}),
		}},
		goldenCase{name: "synth", steps: [][]string{
			cat([]string{"synth", "../../scenarios/local-authority.toml", "--seed", "4"}, w, []string{"--out", "$ROOT/903"}),
		}},
		goldenCase{name: "validate-model", failOK: true, steps: [][]string{
			cat([]string{"validate-model", "--quiet", "--iterations", "3", "--seed", "6"}, w, []string{"--out", "$ROOT/out"}),
		}},
		goldenCase{name: "init", steps: [][]string{{"init", "$ROOT/mine.toml"}}},
		// Shards given to merge in reverse order; the merged folder then
		// gets its report.
		goldenCase{name: "merge-report", steps: [][]string{
			cat([]string{"run"}, mergeArgs, w, []string{"--shard", "0/2", "--out", "$ROOT/shard0", small}),
			cat([]string{"run"}, mergeArgs, w, []string{"--shard", "1/2", "--out", "$ROOT/shard1", small}),
			{"merge", "--quiet", "--out", "$ROOT/merged", "$ROOT/shard1", "$ROOT/shard0"},
			{"report", "--quiet", "$ROOT/merged"},
		}},
	)
	// The sensitivity analyses as their own tests run them, plus a
	// one-way sweep.
	analysis := analyses()
	analysis["sweep-one-way"] = []string{"sweep", "--param", "package.support.post.hr_reentry", "--values", "0.5,0.7,0.9"}
	for _, file := range slices.Sorted(maps.Keys(analysis)) {
		name := strings.TrimSuffix(file, ".csv")
		if name == "sweep" {
			name = "sweep-two-way"
		}
		cases = append(cases, goldenCase{name: name, steps: [][]string{
			cat(analysis[file], []string{"--quiet", "--iterations", "4", "--seed", "5"}, w, []string{"--out", "$ROOT/out"}, smallDists, []string{small}),
		}})
	}
	return cases
}

func cat(parts ...[]string) []string { return slices.Concat(parts...) }

func TestGoldenFiles(t *testing.T) {
	bin := buildReunify(t)
	workers := strconv.Itoa(runtime.GOMAXPROCS(0))
	for _, c := range goldenCases(t, workers) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.needs != "" {
				if _, err := os.Stat(c.needs); err != nil {
					t.Skip("input not available:", err)
				}
			}
			root := t.TempDir()
			for i, step := range c.steps {
				args := make([]string, len(step))
				for i, a := range step {
					args[i] = strings.ReplaceAll(a, "$ROOT", root)
				}
				var stderr bytes.Buffer
				cmd := exec.Command(bin, args...)
				cmd.Stderr = &stderr
				err := cmd.Run()
				var exit *exec.ExitError
				if c.failOK && i == len(c.steps)-1 && errors.As(err, &exit) && exit.ExitCode() == 1 {
					err = nil
				}
				if err != nil {
					t.Fatalf("reunify %s: %v\n%s", strings.Join(step, " "), err, stderr.String())
				}
			}
			got := goldenRead(t, root)
			dir := filepath.Join(goldenRoot, c.name)
			if *update {
				goldenWrite(t, dir, got)
				return
			}
			goldenCompare(t, dir, got)
		})
	}
}

// goldenRead returns every file under root by its slash path, as it is
// compared: text normalised, a PNG as its pixel digest.
func goldenRead(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".png") {
			files[rel+".pixels"] = pngDigest(t, rel, b)
			return nil
		}
		b = bytes.ReplaceAll(b, []byte(root), []byte("$ROOT"))
		for _, v := range goldenVolatile {
			b = v.re.ReplaceAll(b, []byte(v.with))
		}
		files[rel] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// pngDigest is a PNG's size and the SHA-256 of its pixels as 8-bit RGBA.
func pngDigest(t *testing.T, name string, b []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rgba := image.NewNRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return fmt.Appendf(nil, "PNG %dx%d pixels, NRGBA SHA-256 %x\n", img.Bounds().Dx(), img.Bounds().Dy(), sha256.Sum256(rgba.Pix))
}

// goldenWrite replaces the case's golden folder with got, so that a
// file a command no longer writes does not linger.
func goldenWrite(t *testing.T, dir string, got map[string][]byte) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for rel, b := range got {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func goldenCompare(t *testing.T, dir string, got map[string][]byte) {
	t.Helper()
	want := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		b, err := os.ReadFile(path)
		want[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatalf("%v\nno goldens for this case: if it is new, create them with\n\t%s", err, goldenRegenerate)
	}
	hint := "if the change is intended, regenerate every golden with\n\t" + goldenRegenerate + "\nand read the diff before committing it"
	for _, rel := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[rel]
		if !ok {
			t.Errorf("%s: not written any more (golden %s)\n%s", rel, filepath.Join(dir, rel), hint)
			continue
		}
		if line, w, gl, differ := firstDiff(want[rel], g); differ {
			t.Errorf("%s differs from %s at line %d:\nwant: %s\n got: %s\n%s", rel, filepath.Join(dir, rel), line, w, gl, hint)
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s: a new file with no golden in %s\n%s", rel, dir, hint)
		}
	}
}

// firstDiff finds the first line (from 1) at which a and b differ, and
// that line of each, shortened for the message.
func firstDiff(a, b []byte) (line int, la, lb string, differ bool) {
	if bytes.Equal(a, b) {
		return 0, "", "", false
	}
	as, bs := strings.SplitAfter(string(a), "\n"), strings.SplitAfter(string(b), "\n")
	for i := 0; ; i++ {
		x, y := "<end of file>", "<end of file>"
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		if x != y {
			return i + 1, shorten(x), shorten(y), true
		}
	}
}

func shorten(s string) string {
	s = strconv.Quote(s)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
