package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secrets are the identifiers, dates of birth and postcodes in
// testdata/903: none may reach any resultdir.
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
		"testdata/903/episodes.csv:6: unknown_code: column PLACE: not a code of the DfE SSDA903 guidance (the value is not shown",
		"testdata/903/episodes.csv:7: no_header: column CHILD: the child is in no header file",
		"testdata/903/episodes.csv:8: invalid_date: column DECOM: not a date",
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
	if !strings.HasPrefix(string(dropped), "file,line,column,class,action,message\n") || strings.Count(string(dropped), "\n") != 4 {
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
		// Values that were accepted silently (a horizon of 0 or -1 wrote
		// 5, a window of one day wrote rates from it) or called a bug (a
		// horizon of 1,000,000 years).
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--horizon-years", "0", "--out", out},
			"reunify: calibrate: --horizon-years 0: want whole years from 1 to 100\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--horizon-years", "-1", "--out", out},
			"reunify: calibrate: --horizon-years -1: want whole years from 1 to 100\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--horizon-years", "1000000", "--out", out},
			"reunify: calibrate: --horizon-years 1000000: want whole years from 1 to 100\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--from", "2019-06-01", "--to", "2019-06-01", "--out", out},
			"reunify: calibrate: the window 2019-06-01 to 2019-06-01 is 1 day: rates need at least 91 days (3 months) of data; check --from and --to\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--from", "2019-06-01", "--to", "2019-05-31", "--out", out},
			"reunify: calibrate: the window 2019-06-01 to 2019-05-31 ends before it starts; check --from and --to\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--from", "0001-01-01", "--out", out},
			"reunify: calibrate: --from 0001-01-01: a date outside the years 1800 to 2200 (a typing error?)\n"},
		{[]string{"--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--to", "2019-02-30", "--out", out},
			"reunify: calibrate: --to \"2019-02-30\": not a date (want yyyy-mm-dd)\n"},
		{[]string{"--backtest", "--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--split", "2999-01-01", "--out", out},
			"reunify: calibrate: --split 2999-01-01: a date outside the years 1800 to 2200 (a typing error?)\n"},
		{[]string{"/dev/zero", "--target", "reentry_rate_12m=0.3", "--param", "home.x", "--out", out},
			"reunify: /dev/zero: the file is larger than 4 MiB, the most a scenario may be (a few kilobytes is usual): is this the right file?\n"},
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
	if code != 0 || !strings.Contains(stdout, "0 rows skipped in all") || !strings.Contains(stdout, "window 2020-04-01 to 2025-03-31 (5.00 years)") {
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

// twoAuthorities writes a return of two synthetic authorities (the same
// child identifiers in both), told apart by an LA column, and returns the
// episodes and header paths.
func twoAuthorities(t *testing.T, dir string) (string, string) {
	t.Helper()
	var eps, head strings.Builder
	for k, code := range []string{"E06000001", "E06000002"} {
		files := filepath.Join(dir, "903-"+code)
		set := "care.return_home_per_year.0.0=0.2"
		if k == 1 {
			set = "entries.per_year=100"
		}
		if _, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--set", set, "--out", files, "--seed", "4", "--workers", "1"); code != 0 {
			t.Fatalf("synth: %s", stderr)
		}
		for _, f := range []struct {
			name string
			b    *strings.Builder
		}{{"episodes.csv", &eps}, {"header.csv", &head}} {
			data, err := os.ReadFile(filepath.Join(files, f.name))
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range strings.SplitAfter(string(data), "\n") {
				switch {
				case l == "":
				case i == 0 && k == 0:
					f.b.WriteString("LA," + l)
				case i > 0:
					f.b.WriteString(code + "," + l)
				}
			}
		}
	}
	ep, hp := filepath.Join(dir, "episodes.csv"), filepath.Join(dir, "header.csv")
	os.WriteFile(ep, []byte(eps.String()), 0o644)
	os.WriteFile(hp, []byte(head.String()), 0o644)
	return ep, hp
}

// TestCalibrateAuthorities: a return of two authorities is refused
// without --la (it was pooled as one); --la all writes one scenario per
// authority, --la CODE one, --la region the two as one.
func TestCalibrateAuthorities(t *testing.T) {
	dir := t.TempDir()
	ep, hp := twoAuthorities(t, dir)
	_, stderr, code := reunify(t, "calibrate", "--episodes", ep, "--header", hp, "--out", filepath.Join(dir, "x.toml"))
	if code != 2 || !strings.Contains(stderr, "the files hold 2 authorities (E06000001, E06000002): give --la CODE") {
		t.Errorf("two authorities without --la: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "region")
	stdout, stderr, code := reunify(t, "calibrate", "--episodes", ep, "--header", hp, "--la", "all", "--out", out)
	if code != 0 {
		t.Fatalf("--la all: exit %d: %s\n%s", code, stderr, stdout)
	}
	entries := map[string]string{}
	for _, code := range []string{"E06000001", "E06000002"} {
		p := filepath.Join(out, code+".toml")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "# Authority "+code+" (column LA)") || !strings.Contains(string(b), "region of 2 authorities") {
			t.Errorf("%s does not say whose it is and how it was pooled", p)
		}
		if _, stderr, code := reunify(t, "validate", p); code != 0 {
			t.Errorf("%s does not validate: %s", p, stderr)
		}
		i := strings.Index(string(b), "\nper_year = ")
		entries[code] = strings.SplitN(string(b)[i:], "\n", 3)[1]
	}
	if _, err := os.Stat(filepath.Join(out, "dropped.csv")); err != nil {
		t.Error("no dropped.csv in the folder")
	}
	// 250 and 100 entries a year: each authority keeps its own, within 4
	// Poisson standard errors of the rate over the 5 years (the first
	// digit of the estimate, checked before, depends on the draw).
	for code, want := range map[string]float64{"E06000001": 250, "E06000002": 100} {
		var lo, mode, hi float64
		if _, err := fmt.Sscanf(entries[code], "per_year = \"triangular(min=%g, mode=%g, max=%g)\"", &lo, &mode, &hi); err != nil || math.Abs(mode-want) > 4*math.Sqrt(5*want)/5 {
			t.Errorf("entries of %s: %q, want a mode near %v (%v)", code, entries[code], want, err)
		}
	}
	one := filepath.Join(dir, "b.toml")
	if _, stderr, code := reunify(t, "calibrate", "--episodes", ep, "--header", hp, "--la", "e06000002", "--out", one); code != 0 {
		t.Fatalf("--la CODE: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(one); !strings.Contains(string(b), "# Authority E06000002") {
		t.Error("--la CODE wrote another authority's scenario")
	}
	if _, stderr, code := reunify(t, "calibrate", "--episodes", ep, "--header", hp, "--la", "region", "--out", filepath.Join(dir, "r.toml")); code != 0 {
		t.Errorf("--la region: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct{ la, want string }{
		{"E06000009", "--la E06000009: no such authority in the files (they hold E06000001, E06000002)"},
		{"SECRETID1", "--la: not an authority code, \"all\" or \"region\""},
	} {
		if _, stderr, code := reunify(t, "calibrate", "--episodes", ep, "--header", hp, "--la", tc.la, "--out", filepath.Join(dir, "z.toml")); code != 2 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "SECRETID1") {
			t.Errorf("--la %s: exit %d: %s", tc.la, code, stderr)
		}
	}
	if _, stderr, code := reunify(t, "calibrate", "--episodes", "testdata/903/episodes.csv", "--header", "testdata/903/header.csv", "--la", "all", "--out", filepath.Join(dir, "n")); code != 2 || !strings.Contains(stderr, "no LA column") {
		t.Errorf("--la on files without an LA column: exit %d: %s", code, stderr)
	}
}

// TestCalibrateBacktest runs the backtest on a synthetic return of the
// shipped local authority (5 years: fit 3, predict 2) and on the public
// fake files (one year: fit on the first half, predict two quarters).
func TestCalibrateBacktest(t *testing.T) {
	dir := t.TempDir()
	files := filepath.Join(dir, "903")
	if _, stderr, code := reunify(t, "synth", "../../scenarios/local-authority.toml", "--out", files, "--seed", "4", "--workers", "1"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	out := filepath.Join(dir, "bt.csv")
	stdout, stderr, code := reunify(t, "calibrate", "--backtest", "--episodes", filepath.Join(files, "episodes.csv"), "--header", filepath.Join(files, "header.csv"),
		"--iterations", "60", "--workers", "2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	if !strings.Contains(stdout, "fitted on 2020-04-01 to 2023-03-31; predicted 2023-04-01 to 2025-03-31") || !strings.Contains(stdout, "inside their 95% prediction intervals") {
		t.Errorf("stdout:\n%s", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "period_from,period_to,metric,observed,simulated_mean,simulated_sd,simulated_p2_5,simulated_p97_5,z,inside_95" || len(lines) != 1+2*4 {
		t.Errorf("backtest.csv:\n%s", b)
	}
	fake := "../../../shared/data/ssda903-fake/"
	if _, err := os.Stat(fake + "episodes.csv"); err != nil {
		t.Skip("public fake files not available")
	}
	out2 := filepath.Join(dir, "fake.csv")
	stdout, stderr, code = reunify(t, "calibrate", "--backtest", "--episodes", fake+"episodes.csv", "--header", fake+"header.csv", "--iterations", "40", "--workers", "2", "--out", out2)
	if code != 0 {
		t.Fatalf("fake files: exit %d: %s\n%s", code, stderr, stdout)
	}
	if !strings.Contains(stdout, "fitted on 2017-04-01 to 2017-09-30; predicted 2017-10-01 to 2018-03-31") || !strings.Contains(stdout, "2018-01-01 to 2018-03-31  in_care_end") {
		t.Errorf("fake files:\n%s", stdout)
	}
	b, _ = os.ReadFile(out2)
	for _, secret := range []string{"566910", "EG19 7TT", "4244474", "27/03/2008", "D051910639385"} {
		if strings.Contains(stdout+stderr+string(b), secret) {
			t.Errorf("the backtest's output holds %q from the files", secret)
		}
	}
	if _, stderr, code := reunify(t, "calibrate", "--backtest", "--episodes", fake+"episodes.csv", "--header", fake+"header.csv", "--split", "2016-01-01", "--out", filepath.Join(dir, "bad.csv")); code != 2 || !strings.Contains(stderr, "the split 2016-01-01 must fall after the window's start 2017-04-01") {
		t.Errorf("a split outside the window: exit %d: %s", code, stderr)
	}
}
