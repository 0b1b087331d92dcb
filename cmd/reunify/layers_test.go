package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layers is the project's layering, package by package (as go/build's
// deps_test keeps the standard library's): the project packages each may
// import directly. A package not listed here fails the test until its
// place is decided; a new import between listed packages fails it until
// the table says why it is right.
var layers = map[string][]string{
	"sim":                       nil, // the engine knows no files, TOML or statistics
	"scenarios":                 nil,
	"internal/buildinfo":        nil,
	"internal/safefile":         nil,
	"internal/limits":           {"internal/numfmt", "sim"},
	"internal/numfmt":           nil, // numbers for a person: thousands grouped
	"internal/progress":         nil,
	"internal/interrupt":        {"internal/interrupt/caught", "internal/progress", "internal/safefile"},
	"internal/interrupt/caught": nil,
	"internal/resultstest":      {"sim"},
	"summary":                   {"internal/numfmt", "sim"},
	"psa":                       {"sim"}, // the wide tables of a PSA, as dampack reads them
	"scenario":                  {"internal/numfmt", "sim"},
	"ssda903":                   {"internal/safefile", "sim"},
	"resultdir":                 {"internal/buildinfo", "internal/safefile", "psa", "sim", "summary"},
	"report":                    {"internal/numfmt", "internal/safefile", "resultdir", "scenario", "sim", "summary"},
	"appraise":                  {"internal/limits", "internal/progress", "internal/safefile", "report", "resultdir", "scenario", "sensitivity", "sim", "summary"},
	"sensitivity":               {"resultdir", "scenario", "sim", "summary"},
	"validation":                {"internal/numfmt", "resultdir", "scenario", "scenarios", "sim", "summary"},
	"calibrate":                 {"resultdir", "scenario", "sim", "ssda903", "summary"},
	"cmd/reunify":               {"appraise", "calibrate", "internal/buildinfo", "internal/interrupt", "internal/interrupt/caught", "internal/limits", "internal/progress", "internal/safefile", "report", "resultdir", "scenario", "sensitivity", "sim", "ssda903", "summary", "validation"},
	"scripts/pngcheck":          nil,
}

// presentation is what only the command line, report (which draws) and
// appraise (which puts a report in its pack) may pull in: charts and HTML
// templates. The analyses summarise numbers without them.
var presentation = []string{"gonum.org/v1/plot", "html/template"}

// TestPackageLayers checks every package's imports against layers, and
// that no package but the command line (and report, which draws, and
// appraise, which writes a report) depends, even indirectly, on the
// charting library or HTML templates.
func TestPackageLayers(t *testing.T) {
	const module = "github.com/reunify/reunify/"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", module+"...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		pkg := strings.TrimPrefix(parts[0], module)
		seen[pkg] = true
		allowed, ok := layers[pkg]
		if !ok {
			t.Errorf("%s is not in the layering table (cmd/reunify/layers_test.go): say what it may import", pkg)
			continue
		}
		for _, imp := range strings.Fields(parts[1]) {
			if p, ok := strings.CutPrefix(imp, module); ok && !slices.Contains(allowed, p) {
				t.Errorf("%s imports %s, which the layering does not allow", pkg, p)
			}
		}
		if pkg == "cmd/reunify" || pkg == "report" || pkg == "appraise" {
			continue
		}
		for _, dep := range strings.Fields(parts[2]) {
			for _, p := range presentation {
				if dep == p || strings.HasPrefix(dep, p+"/") {
					t.Errorf("%s depends on %s: only the command line and report may", pkg, dep)
				}
			}
		}
	}
	for pkg := range layers {
		if !seen[pkg] {
			t.Errorf("the layering table lists %s, which is not a package", pkg)
		}
	}
}

// Limits of the layout (CONTRIBUTING.md): the command wires and nothing
// more, and no file is so long that one concept hides another.
const (
	maxCommandLines = 1600 // non-test Go lines of cmd/reunify
	maxFileLines    = 600  // lines of any non-test Go file
)

// TestSizes holds the layout to those limits, over the files git tracks.
func TestSizes(t *testing.T) {
	out, err := exec.Command("git", "-C", "../..", "ls-files", "*.go").Output()
	if err != nil {
		t.Skipf("git ls-files: %v (not a git checkout)", err)
	}
	command := 0
	for _, f := range strings.Fields(string(out)) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile("../../" + f)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(string(b), "\n")
		if n > maxFileLines {
			t.Errorf("%s: %d lines, over %d: split it by concept", f, n, maxFileLines)
		}
		if strings.HasPrefix(f, "cmd/reunify/") && !strings.Contains(f[len("cmd/reunify/"):], "/") {
			command += n
		}
	}
	if command > maxCommandLines {
		t.Errorf("cmd/reunify: %d non-test lines, over %d: move logic into the packages it belongs to", command, maxCommandLines)
	}
	t.Logf("cmd/reunify: %d non-test lines", command)
}
