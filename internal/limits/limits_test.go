package limits

import (
	"strings"
	"testing"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// machine is a 2-core machine with 16 GB and 50 GB free on every disk.
var machine = Machine{Cores: 2, Memory: 16 << 30, MemoryKnown: true,
	Free: func(string) (uint64, bool) { return 50 << 30, true }}

// model builds the shipped local-authority scenario with sets.
func model(t *testing.T, sets ...string) (*sim.Model, int) {
	t.Helper()
	sc, err := scenario.Load("../../scenarios/local-authority.toml", sets)
	if err != nil {
		t.Fatal(err)
	}
	m, params, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m, len(params)
}

// TestCheckRefusesAbsurdRuns: 10^7 iterations, 10^9 children, an event
// log that cannot fit on disk and one whose iteration cannot fit in memory are refused with the estimate, what would fit and
// how to override it.
func TestCheckRefusesAbsurdRuns(t *testing.T) {
	out := t.TempDir() + "/out"
	tests := []struct {
		name       string
		sets       []string
		iterations int
		events     string
		want       []string
	}{
		{"10^7 iterations", nil, 10000000, "",
			[]string{"too large to run as asked", "1,650 children an iteration x 10,000,000 iterations x 2 arms", "GB of memory (this machine has 16.0 GB)",
				"Reduce --iterations (", "--shard K/N", "--allow-large"}},
		{"10^9 children", []string{"entries.per_year=10000000", "entries.trend=0", "horizon_years=100"}, 1000, "",
			[]string{"1,000,000,400 children an iteration x 1,000 iterations x 2 arms = 2,000,000,800,000 child-simulations",
				"at least 69 hours on this machine's 2 cores", "--allow-large"}},
		{"an event log of 10^5 iterations", nil, 100000, out + ".csv",
			[]string{"about 123.1 GB of disk for the results and the event log", "has 50.0 GB free", "Reduce --iterations (40,000 would fit)", "drop --events,"}},
		{"an event log of 10^7 children an iteration", []string{"entries.per_year=10000000", "entries.trend=0"}, 10, out + ".csv",
			[]string{"GB of memory (this machine has 16.0 GB)", "drop --events or give --workers 1"}},
	}
	for _, tt := range tests {
		m, params := model(t, tt.sets...)
		err := machine.Check("s.toml", Work{Model: m, Params: params, Iterations: tt.iterations, Workers: 2, Out: out, Events: tt.events})
		var tl *TooLarge
		if err == nil || !strings.HasPrefix(err.Error(), "s.toml is too large") {
			t.Fatalf("%s: %v, want a refusal", tt.name, err)
		}
		if tl, _ = err.(*TooLarge); tl == nil || !tl.BadInput() {
			t.Errorf("%s: %T is not bad input", tt.name, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: message lacks %q:\n%s", tt.name, w, err)
			}
		}
	}
}

// TestCheckPassesOrdinaryRuns: the shipped scenarios at 10,000 iterations
// on one core are inside the limits, even where the machine's memory is
// unknown.
func TestCheckPassesOrdinaryRuns(t *testing.T) {
	for _, sc := range []string{"local-authority.toml", "england.toml"} {
		s, err := scenario.Load("../../scenarios/"+sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, params, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		unknown := machine
		unknown.MemoryKnown, unknown.Free = false, nil
		for _, mc := range []Machine{machine, unknown} {
			if err := mc.Check(sc, Work{Model: m, Params: len(params), Iterations: 10000, Workers: 1, Out: t.TempDir() + "/o"}); err != nil {
				t.Errorf("%s at 10,000 iterations on one core: %v", sc, err)
			}
		}
	}
}

// TestAnalysisRuns: an analysis of many runs is measured over all of
// them, and what fits is per run.
func TestAnalysisRuns(t *testing.T) {
	m, params := model(t, "entries.per_year=1000000")
	err := machine.Check("this sweep", Work{Model: m, Params: params, Iterations: 1000 * 200, Runs: 200, Workers: 2, Out: t.TempDir() + "/o"})
	if err == nil || !strings.Contains(err.Error(), "1,000 iterations x 200 runs") || strings.Contains(err.Error(), "--shard") {
		t.Errorf("a sweep of 200 points: %v", err)
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
