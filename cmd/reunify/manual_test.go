package main

import (
	"flag"
	"io"
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

// TestHelpPrintsOnce: every command's help prints once, on stdout, when
// asked for (help CMD, CMD -h); after a mistake in the flags it prints
// once on stderr, with the mistake once, and nothing on stdout.
func TestHelpPrintsOnce(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}} {
			stdout, stderr, code := reunify(t, args...)
			if code != 0 || strings.Count(stdout, "Usage: reunify "+c.name) != 1 || stderr != "" {
				t.Errorf("%v: exit %d, %d usages on stdout, stderr %q", args, code, strings.Count(stdout, "Usage:"), stderr)
			}
		}
		stdout, stderr, code := reunify(t, c.name, "--no-such-flag")
		if code != 2 || stdout != "" || strings.Count(stderr, "Usage: reunify "+c.name) != 1 ||
			strings.Count(stderr, "flag provided but not defined: -no-such-flag") != 1 {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr:\n%s", c.name, code, stdout, stderr)
		}
	}
	stdout, stderr, code := reunify(t, "help")
	if code != 0 || strings.Count(stdout, "Commands:") != 1 || stderr != "" {
		t.Errorf("help: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = reunify(t)
	if code != 2 || stdout != "" || strings.Count(stderr, "Commands:") != 1 {
		t.Errorf("no command: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// readmeTable returns the rows of the first Markdown table after the
// line of README.md that contains after, each as its cells.
func readmeTable(t *testing.T, after string) [][]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), after)
	if !ok {
		t.Fatalf("README.md has no %q", after)
	}
	var rows [][]string
	for _, line := range strings.Split(rest, "\n")[1:] {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		if strings.Trim(line, "|-: ") == "" {
			continue // the rule under the header
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	return rows[1:] // the header
}

// TestREADMECommands: the README's table of commands lists every
// command, and no other.
func TestREADMECommands(t *testing.T) {
	var listed []string
	for _, row := range readmeTable(t, "## Commands") {
		m := regexp.MustCompile("^`reunify ([a-z-]+)").FindStringSubmatch(row[0])
		if m == nil {
			t.Errorf("README command row %q does not start with `reunify COMMAND", row[0])
			continue
		}
		if !slices.Contains(listed, m[1]) {
			listed = append(listed, m[1])
		}
	}
	var have []string
	for _, c := range commands() {
		have = append(have, c.name)
	}
	slices.Sort(listed)
	slices.Sort(have)
	if !slices.Equal(listed, have) {
		t.Errorf("README lists the commands %v; reunify has %v", listed, have)
	}
}

// TestREADMERunFlags: the README's table of run's flags is run's flags:
// the same names, a value placeholder where the flag takes a value, and
// the default the flag has (a flag that is off by default shows none,
// or "refuse"; a default worked out on the machine shows as the flag's
// help says it).
func TestREADMERunFlags(t *testing.T) {
	fl := newFlags("run", io.Discard)
	var rf runFlags
	rf.register(fl)
	type boolFlag interface{ IsBoolFlag() bool }
	documented := map[string]bool{}
	for _, row := range readmeTable(t, "Flags of `run`:") {
		if len(row) != 3 {
			t.Errorf("README row %q: want flag, meaning and default", row)
			continue
		}
		m := regexp.MustCompile("^`--([a-z-]+)( [^`]+)?`$").FindStringSubmatch(row[0])
		if m == nil {
			t.Errorf("README flag %q is not `--name [VALUE]`", row[0])
			continue
		}
		name, value, def := m[1], m[2], strings.Trim(row[2], "`")
		documented[name] = true
		f := fl.Lookup(name)
		if f == nil {
			t.Errorf("README lists --%s, which run does not have", name)
			continue
		}
		bf, isBool := f.Value.(boolFlag)
		isBool = isBool && bf.IsBoolFlag()
		switch {
		case isBool && value != "":
			t.Errorf("README shows --%s taking a value; it is a switch", name)
		case !isBool && value == "":
			t.Errorf("README shows --%s without its value", name)
		case isBool && f.DefValue == "false":
			if def != "" && def != "refuse" {
				t.Errorf("README gives --%s the default %q; it is off by default", name, def)
			}
		case def == f.DefValue:
		case f.DefValue == "" || name == "workers" && f.DefValue == strconv.Itoa(runtime.NumCPU()):
			if def != "" && !strings.Contains(f.Usage, def) {
				t.Errorf("README gives --%s the default %q, which its help (%q) does not say", name, def, f.Usage)
			}
		default:
			t.Errorf("README gives --%s the default %q; it is %q", name, def, f.DefValue)
		}
	}
	fl.VisitAll(func(f *flag.Flag) {
		if !documented[f.Name] {
			t.Errorf("run has --%s, which README's table of run's flags does not list", f.Name)
		}
	})
}

// TestVersionOfMakeBuild: the binary "make build" makes reports the
// version the Makefile sets (git describe) and the commit it was built
// from, from the build information Go stamps in a build from git.
func TestVersionOfMakeBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds reunify with make")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", root}, args...)...).Output()
		if err != nil {
			t.Skipf("not a git checkout, or no git: %v", err)
		}
		return strings.TrimSpace(string(out))
	}
	rev, describe := git("rev-parse", "HEAD"), git("describe", "--tags", "--always", "--dirty")
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	bin := filepath.Join(t.TempDir(), "reunify")
	if out, err := exec.Command("make", "-C", root, "--no-print-directory", "build", "BIN="+bin).CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(string(out))
	if !strings.HasPrefix(got, "reunify "+describe+" (commit "+rev) || !strings.HasSuffix(got, runtime.Version()+")") {
		t.Errorf("version of make build: %q, want reunify %s (commit %s..., %s)", got, describe, rev, runtime.Version())
	}
}

// TestCommandDocsExist: the page each command's help points to exists.
func TestCommandDocsExist(t *testing.T) {
	for _, c := range commands() {
		for _, doc := range strings.Split(c.doc, " and ") {
			if _, err := os.Stat(filepath.Join("../..", doc)); err != nil {
				t.Errorf("reunify help %s points to %s: %v", c.name, doc, err)
			}
		}
	}
}
