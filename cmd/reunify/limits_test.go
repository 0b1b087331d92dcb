package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/limits"
	"github.com/reunify/reunify/scenario"
)

// TestLimitsRefuseAbsurdRuns: 10^7 iterations, 10^9 children, a
// 1,000-year horizon and 10^9 children in care are refused with exit
// status 2 before any work, with the estimate and how to override it
// (internal/limits tests the figures against a machine of known size).
func TestLimitsRefuseAbsurdRuns(t *testing.T) {
	const la = "../../scenarios/local-authority.toml"
	out := t.TempDir() + "/out"
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"10^7 iterations", []string{"--iterations", "10000000"},
			[]string{"too large to run as asked", "1,650 children an iteration x 10,000,000 iterations x 2 arms", "GB of memory",
				"Reduce --iterations (", "--shard K/N", "--allow-large"}},
		{"10^9 children", []string{"--iterations", "1000", "--set", "entries.per_year=10000000", "--set", "entries.trend=0", "--set", "horizon_years=100"},
			[]string{"1,000,000,400 children an iteration x 1,000 iterations x 2 arms = 2,000,000,800,000 child-simulations",
				"hours on this machine's", "--allow-large"}},
		{"an event log of 10^7 children an iteration", []string{"--iterations", "10", "--events", out + ".csv", "--set", "entries.per_year=10000000", "--set", "entries.trend=0"},
			[]string{"GB of memory", "drop --events or give --workers 1"}},
		{"1,000-year horizon", []string{"--set", "horizon_years=1000"}, []string{"horizon_years: 1,000 must be between 1 and 100 years"}},
		{"10^9 children in care", []string{"--set", "stock.count=1000000000"}, []string{"stock.count: 1,000,000,000 must be a count from 0 to 10,000,000"}},
		{"0 iterations", []string{"--iterations", "0"}, []string{"--iterations 0: need at least 1"}},
		{"negative iterations", []string{"--iterations", "-5"}, []string{"--iterations -5: need at least 1"}},
		{"iterations beyond int", []string{"--iterations", "99999999999999999999"}, []string{"invalid value", "flag -iterations: value out of range"}},
	}
	for _, tt := range tests {
		args := append([]string{"run", "--quiet", "--workers", "2", "--out", out}, tt.args...)
		_, stderr, code := reunify(t, append(args, la)...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", tt.name, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: message lacks %q:\n%s", tt.name, w, stderr)
			}
		}
	}
}

// TestLimitsAllowLarge: --allow-large lifts the limits.
func TestLimitsAllowLarge(t *testing.T) {
	j, err := scenario.Open("../../scenarios/local-authority.toml", []string{"entries.per_year=10000000", "entries.trend=0", "horizon_years=100"})
	if err != nil {
		t.Fatal(err)
	}
	w := limits.Work{Model: j.Model, Params: len(j.Params), Iterations: 1000, Workers: 2, Out: t.TempDir() + "/o"}
	if err := checkLimits(false, j.Path, w); err == nil {
		t.Error("10^9 children not refused")
	}
	if err := checkLimits(true, j.Path, w); err != nil {
		t.Errorf("--allow-large: %v", err)
	}
}

func TestSensitivityCommandsRefuseAbsurdWork(t *testing.T) {
	dist := `placement.secure.weekly_cost="gamma(mean=7000, sd=500)"`
	for _, args := range [][]string{
		{"tornado", "../../scenarios/england.toml", "--set", dist, "--iterations", "1000000"},
		{"sweep", "../../scenarios/england.toml", "--param", "entries.per_year", "--range", "10000:50000:200", "--iterations", "5000"},
		{"breakeven", "../../scenarios/england.toml", "--param", "package.post_return_support.post.hr_reentry", "--iterations", "100000"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		_, stderr, code := reunify(t, append(args, "--out", out)...)
		if code != 2 || !strings.Contains(stderr, "too large") || !strings.Contains(stderr, "--allow-large") || !strings.Contains(stderr, "would fit") {
			t.Errorf("%s: exit %d, %q", args[0], code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: --out was created", args[0])
		}
	}
}
