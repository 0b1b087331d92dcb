package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := reunify(t, "run", "--report", "--iterations", "8", "--seed", "3", "--out", dir, "testdata/small.toml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "report in " + filepath.Join(dir, "report.html"); !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<table class="headline">`, "<svg ", "net saving"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "charts", "reentry-curve.svg")); err != nil {
		t.Error(err)
	}
}

func TestReportCommand(t *testing.T) {
	batch := t.TempDir()
	dir := filepath.Join(batch, "small")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "4", "--out", dir, "testdata/small.toml"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); err == nil {
		t.Fatal("run wrote a report without --report")
	}
	// A result folder.
	stdout, stderr, code := reunify(t, "report", dir)
	if code != 0 || !strings.Contains(stdout, "report in "+filepath.Join(dir, "report.html")) {
		t.Fatalf("report DIR: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A batch folder: a report in each scenario folder.
	other := filepath.Join(t.TempDir(), "other.toml")
	b, _ := os.ReadFile("testdata/small.toml")
	os.WriteFile(other, []byte(strings.Replace(string(b), `name = "small"`, `name = "other"`, 1)), 0o644)
	real := filepath.Join(t.TempDir(), "batch")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "4", "--out", real, "testdata/small.toml", other); code != 0 {
		t.Fatalf("run a batch: exit %d: %s", code, stderr)
	}
	if _, stderr, code := reunify(t, "report", "--quiet", real); code != 0 {
		t.Fatalf("report BATCH: exit %d: %s", code, stderr)
	}
	for _, sub := range []string{"small", "other"} {
		if _, err := os.Stat(filepath.Join(real, sub, "report.html")); err != nil {
			t.Error(err)
		}
	}
	// A folder that merely holds result folders is not a batch: report
	// writes only where it is told.
	if _, stderr, code := reunify(t, "report", "--quiet", batch); code != 2 || !strings.Contains(stderr, "nor a batch folder") {
		t.Errorf("report of a folder holding a result folder: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "no result folder given"},
		{[]string{"report", filepath.Join(batch, "missing")}, "no such file"},
		{[]string{"report", t.TempDir()}, "is not a result folder"},
	} {
		_, stderr, code := reunify(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
