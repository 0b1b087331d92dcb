package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secrets are the identifiers, dates of birth and postcodes in
// testdata/903: none may reach any output.
var secrets = []string{"SECRETID", "ZZ9 9ZZ", "YY8 8YY", "SC999111", "A123456789012", "03/07/2009", "2009-07-03", "2012-11-19", "14/02/2006"}

func noSecrets(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains %q from the input files", where, s)
		}
	}
}

func TestCalibrateFromFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "la.toml")
	stdout, stderr, code := reunify(t, "calibrate", "--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"read 7 episode rows and 3 header rows; kept 4 episodes of 2 children",
		"testdata/903/episodes.csv:6: unknown_code: unknown PLACE code \"Q7\"",
		"testdata/903/episodes.csv:7: no_header: the child is in no header file",
		"testdata/903/episodes.csv:8: invalid_date: DECOM is not a date",
		"3 rows skipped in all",
		"wrote " + out,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	scen, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := os.ReadFile(filepath.Join(dir, "la_dropped.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(dropped), "file,line,class,action,message\n") || strings.Count(string(dropped), "\n") != 4 {
		t.Errorf("dropped rows file:\n%s", dropped)
	}
	// Written like every other output: readable by others, not 0600 as
	// a temporary file is made.
	for _, p := range []string{out, filepath.Join(dir, "la_dropped.csv")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, %v: want 0644", p, fi.Mode().Perm(), err)
		}
	}
	noSecrets(t, "stdout", stdout)
	noSecrets(t, "stderr", stderr)
	noSecrets(t, "the scenario", string(scen))
	noSecrets(t, "the dropped rows file", string(dropped))
	if _, stderr, code := reunify(t, "validate", out); code != 0 {
		t.Errorf("the scenario written does not validate: %s", stderr)
	}
	// Refuses to overwrite without --force.
	if _, stderr, code := reunify(t, "calibrate", "--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--out", out); code != 2 || !strings.Contains(stderr, "exists") {
		t.Errorf("overwrite: exit %d: %s", code, stderr)
	}
}

func TestCalibrateBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.toml")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--episodes", "testdata/903/header.csv", "--header", "testdata/903/header.csv", "--out", out},
			"reunify: testdata/903/header.csv:1: missing column DECOM, RNE, PLACE, PLACE_PROVIDER, DEC, REC: the header row must name CHILD, DECOM, RNE, PLACE, PLACE_PROVIDER, DEC, REC (extra columns are ignored); is this the right file?\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--out", out},
			"reunify: calibrate: need --header: the header file(s) give each child's date of birth\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv"},
			"reunify: calibrate: --out is required: the scenario file to write\n"},
		{[]string{"--episodes", "testdata/903/nope.csv", "--header", "testdata/903/header.csv", "--out", out},
			"reunify: calibrate: open testdata/903/nope.csv: no such file or directory\n"},
		{[]string{"testdata/small.toml", "--out", out},
			"reunify: calibrate: fitting testdata/small.toml needs --target metric=value and --param key.path (each repeatable)\n"},
		{[]string{"testdata/small.toml", "--target", "reentry_rate_12m", "--param", "home.reentry.cumulative.0", "--out", out},
			"reunify: target \"reentry_rate_12m\": want metric=number, e.g. reentry_rate_12m=0.18\n"},
		{[]string{"testdata/small.toml", "--target", "reentry_rate_12m=0.3", "--param", "home.nothing", "--out", out},
			"reunify: calibrate: --param home.nothing: no key \"nothing\"\n"},
		{[]string{"/dev/zero", "--target", "reentry_rate_12m=0.3", "--param", "home.x", "--out", out},
			"reunify: /dev/zero: the file is 4194305 bytes; a scenario is at most 4194304 (a few kilobytes is usual): is this the right file?\n"},
	} {
		_, stderr, code := reunify(t, append([]string{"calibrate"}, tc.args...)...)
		if code != 2 || stderr != tc.want {
			t.Errorf("calibrate %s: exit %d\ngot  %q\nwant %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("bad input left a scenario behind")
	}
}

func TestCalibrateFit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fitted.toml")
	stdout, stderr, code := reunify(t, "calibrate", "testdata/small.toml", "--target", "reentry_rate_12m=0.35",
		"--param", "home.reentry.cumulative.0", "--iterations", "40", "--seed", "2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"bisection after", "reentry_rate_12m: target 0.35, simulated", "wrote " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if _, stderr, code := reunify(t, "validate", out); code != 0 {
		t.Errorf("the fitted scenario does not validate: %s", stderr)
	}
	// An unreachable target: the best values are written, exit 1.
	out2 := filepath.Join(t.TempDir(), "unreachable.toml")
	_, stderr, code = reunify(t, "calibrate", "testdata/small.toml", "--target", "reentry_rate_12m=0.99",
		"--param", "home.reentry.cumulative.0", "--iterations", "10", "--max-evals", "12", "--out", out2)
	if code != 1 || !strings.Contains(stderr, "not every target is within 2 Monte Carlo standard errors") {
		t.Errorf("unreachable target: exit %d: %s", code, stderr)
	}
}

// TestSynthThenCalibrate runs the two directions end to end: a shipped
// scenario exported as SSDA903 files, then calibrated from them.
func TestSynthThenCalibrate(t *testing.T) {
	dir := t.TempDir()
	files := filepath.Join(dir, "903")
	stdout, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--out", files, "--seed", "4", "--workers", "1")
	if code != 0 || !strings.Contains(stdout, "month 0 is 2020-04-01") {
		t.Fatalf("synth: exit %d: %s\n%s", code, stderr, stdout)
	}
	out := filepath.Join(dir, "cal.toml")
	stdout, stderr, code = reunify(t, "calibrate", "--episodes", filepath.Join(files, "episodes.csv"), "--header", filepath.Join(files, "header.csv"), "--out", out)
	if code != 0 || !strings.Contains(stdout, "0 rows skipped in all") || !strings.Contains(stdout, "window 2020-04-01 to 2025-03-31: ") {
		t.Fatalf("calibrate: exit %d: %s\n%s", code, stderr, stdout)
	}
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "3", "--out", filepath.Join(dir, "run"), out); code != 0 {
		t.Errorf("run of the calibrated scenario: %s", stderr)
	}
	// Several iterations: one authority per folder; a non-empty --out is refused.
	if _, stderr, code := reunify(t, "synth", "testdata/small.toml", "--out", files); code != 2 || !strings.Contains(stderr, "not empty") {
		t.Errorf("synth into a non-empty folder: exit %d: %s", code, stderr)
	}
	if _, stderr, code := reunify(t, "synth", "testdata/small.toml", "--out", filepath.Join(dir, "s")); code != 2 || !strings.Contains(stderr, `placements "foster", "residential" have no SSDA903 code`) {
		t.Errorf("synth with placements 903 cannot name: exit %d: %s", code, stderr)
	}
}
