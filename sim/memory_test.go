package sim

import (
	"math"
	"runtime"
	"testing"
)

func TestExpectedChildren(t *testing.T) {
	m := &Model{Horizon: 30, Stock: Population{Count: 100}, Cohort: Population{Count: 10},
		Entries: Entries{PerMonth: 10, Trend: 0.5}}
	// 120 in year 1, 180 in year 2, 270/2 in the half year 3.
	if got, want := ExpectedChildren(m), 110+120+180+135.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("expected children %v, want %v", got, want)
	}
}

// TestMemoryEstimateCoversResults measures the heap that a run's results
// hold and checks the estimate's live share (half of it: the other half
// is the collector's headroom) against it: not below, and not far above.
func TestMemoryEstimateCoversResults(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	m := richModel()
	const iterations = 3000
	heap := func() uint64 {
		runtime.GC()
		var s runtime.MemStats
		runtime.ReadMemStats(&s)
		return s.HeapAlloc
	}
	before := heap()
	res := run(t, m, Options{Iterations: iterations, Seed: 1, Workers: 1})
	held := float64(heap() - before)
	runtime.KeepAlive(res)
	live := MemoryEstimate(m, 0, iterations, 1, false) / 2
	if held > live || held < live/3 {
		t.Errorf("results hold %.0f bytes; the estimate's live share is %.0f", held, live)
	}
	// An event log adds each worker's buffered iterations.
	if with := MemoryEstimate(m, 0, iterations, 2, true); !(with > MemoryEstimate(m, 0, iterations, 2, false)) {
		t.Error("an event log adds nothing to the estimate")
	}
}
