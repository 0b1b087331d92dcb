package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLimitsRefuseAbsurdRuns: 10^7 iterations, 10^9 children, a
// 1,000-year horizon and 10^9 children in care are refused with exit
// status 2 before any work, with the estimate and how to override it.
func TestLimitsRefuseAbsurdRuns(t *testing.T) {
	defer func(f func() (float64, bool)) { memTotal = f }(memTotal)
	memTotal = func() (float64, bool) { return 16 << 30, true }
	defer func(f func(string) (uint64, bool)) { diskFree = f }(diskFree)
	diskFree = func(string) (uint64, bool) { return 50 << 30, true }
	const la = "../../scenarios/local-authority.toml"
	out := t.TempDir() + "/out"
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"10^7 iterations", []string{"--iterations", "10000000"},
			[]string{"too large to run as asked", "1,650 children an iteration x 10,000,000 iterations x 2 arms", "GB of memory (this machine has 16.0 GB)",
				"Reduce --iterations (", "--shard K/N", "--allow-large"}},
		{"10^9 children", []string{"--iterations", "1000", "--set", "entries.per_year=10000000", "--set", "entries.trend=0", "--set", "horizon_years=100"},
			[]string{"1,000,000,400 children an iteration x 1,000 iterations x 2 arms = 2,000,000,800,000 child-simulations",
				"at least 69 hours on this machine's 2 cores", "--allow-large"}},
		{"an event log of 10^5 iterations", []string{"--iterations", "100000", "--events", out + ".csv"},
			[]string{"about 123.1 GB of disk for the results and the event log", "has 50.0 GB free", "Reduce --iterations (40,000 would fit)", "drop --events,"}},
		{"an event log of 10^7 children an iteration", []string{"--iterations", "10", "--events", out + ".csv", "--set", "entries.per_year=10000000", "--set", "entries.trend=0"},
			[]string{"GB of memory (this machine has 16.0 GB)", "drop --events or give --workers 1"}},
		{"1,000-year horizon", []string{"--set", "horizon_years=1000"}, []string{"horizon_years: 1000 must be between 1 and 100 years"}},
		{"10^9 children in care", []string{"--set", "stock.count=1000000000"}, []string{"stock.count: 1000000000 must be a count from 0 to 10000000"}},
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

// TestLimitsAllowLarge: --allow-large lifts the limits; ordinary runs are
// inside them.
func TestLimitsAllowLarge(t *testing.T) {
	jobs, err := loadJobs([]string{"../../scenarios/local-authority.toml"}, []string{"entries.per_year=10000000", "entries.trend=0", "horizon_years=100"})
	if err != nil {
		t.Fatal(err)
	}
	rf := runFlags{iterations: 1000, workers: 2, out: t.TempDir() + "/o"}
	if err := (limitFlags{}).checkJobs(jobs, rf, rf.iterations, rf.out); err == nil {
		t.Error("10^9 children not refused")
	}
	if err := (limitFlags{allowLarge: true}).checkJobs(jobs, rf, rf.iterations, rf.out); err != nil {
		t.Errorf("--allow-large: %v", err)
	}
	for _, sc := range []string{"local-authority.toml", "england.toml"} {
		jobs, err := loadJobs([]string{"../../scenarios/" + sc}, nil)
		if err != nil {
			t.Fatal(err)
		}
		rf := runFlags{iterations: 10000, workers: 1, out: t.TempDir() + "/o"}
		if err := (limitFlags{}).checkJobs(jobs, rf, rf.iterations, rf.out); err != nil {
			t.Errorf("%s at 10,000 iterations on one core: %v", sc, err)
		}
	}
}

func TestRoundAndNiceFloor(t *testing.T) {
	if got := round(1234567.4); got != "1,234,567" {
		t.Errorf("round: %s", got)
	}
	if got := niceFloor(5015180); got != 5000000 {
		t.Errorf("niceFloor: %d", got)
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
