package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The precision of the probability of saving money is honest at the
// edges and agrees with its warning, on init's starter scenario as a new
// user runs it: with a support effect strong enough that every one of 50
// iterations saves money the table gives a Monte Carlo SE above 0 (it
// said "0.0 points"), and with the scenario's own effect at 50
// iterations the warning, when there is one, prints a half-width above
// ±5 points (it printed ±3.9 and still said more iterations were needed).
func TestProbabilityPrecisionOnStarter(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "x.toml")
	if _, stderr, code := reunify(t, "init", scen); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	row := regexp.MustCompile(`probability it saves money\s+(\d+)%\s+([0-9.]+) points`)
	warn := regexp.MustCompile(`within ±([0-9.]+) percentage points`)
	for _, hr := range []string{"0.3", "0.7"} {
		stdout, stderr, code := reunify(t, "run", "--iterations", "50", "--set", "package.post_return_support.post.hr_reentry="+hr,
			"--out", filepath.Join(dir, "out"+hr), scen)
		if code != 0 {
			t.Fatalf("hr %s: exit %d: %s", hr, code, stderr)
		}
		m := row.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("hr %s: no probability row in\n%s", hr, stdout)
		}
		if se, _ := strconv.ParseFloat(m[2], 64); !(se > 0) {
			t.Errorf("hr %s: probability %s%% with Monte Carlo SE %s points", hr, m[1], m[2])
		}
		if hr == "0.3" && m[1] != "100" {
			t.Errorf("hr 0.3: probability %s%%, not the edge this test means to try", m[1])
		}
		for _, w := range warn.FindAllStringSubmatch(stderr, -1) {
			if hw, _ := strconv.ParseFloat(w[1], 64); !(hw > 5) {
				t.Errorf("hr %s: warned that ±%s points is too wide for ±5: %s", hr, w[1], stderr)
			}
		}
		if strings.Contains(stderr+stdout, "±0.0") || strings.Contains(stdout, " 0.0 points") {
			t.Errorf("hr %s: a precision of 0 printed:\n%s\n%s", hr, stdout, stderr)
		}
	}
}
