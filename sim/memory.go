package sim

import (
	"math"
	"unsafe"
)

// The sizes of a run, for callers that must refuse absurd work before
// starting it. They are estimates from the model alone (expected
// entries, not drawn ones), written here once, beside the structures they
// measure.

// Event log sizes: rows per child and arm (an upper estimate: a start or
// entry, moves, returns, re-entries, maltreatment and an exit;
// docs/outputs.md) and bytes per row.
const (
	EventRowsPerChildArm = 10
	EventBytesPerRow     = 40
)

// ExpectedChildren returns the children simulated in one iteration of m:
// the stock, the returning cohort and the expected entries over the
// horizon, with the yearly trend.
func ExpectedChildren(m *Model) float64 {
	n := float64(m.Stock.Count + m.Cohort.Count)
	rate := m.Entries.PerMonth
	for t := 0.0; t < m.Horizon && rate > 0; t += 12 {
		n += rate * math.Min(12, m.Horizon-t)
		rate *= 1 + m.Entries.Trend
		if math.IsInf(n, 1) {
			break
		}
	}
	return n
}

// EventLogBytes returns the expected size in bytes of the event log of
// iterations iterations of m.
func EventLogBytes(m *Model, iterations int) float64 {
	return ExpectedChildren(m) * float64(len(m.Arms)) * EventRowsPerChildArm * EventBytesPerRow * float64(iterations)
}

// MemoryEstimate returns the bytes a run of iterations iterations of m
// (this process's share), with params drawn parameters, on workers
// workers and with an event log if events, holds at its peak: the
// results of every iteration (Results: each arm's metrics, yearly metrics
// and re-entry curves, and the drawn parameters), each worker's tallies
// and cohort kernel and, for arms with limited places, its children in
// the event-time queue, and the event rows held until they can be
// written in iteration order (at most a window of iterations: see
// eventWindow). Live
// data is counted twice: Go's collector lets the heap grow to about
// double (GOGC=100) before it collects.
func MemoryEstimate(m *Model, params, iterations, workers int, events bool) float64 {
	arms := float64(len(m.Arms))
	years := math.Ceil(m.Horizon/12 - 1e-9)
	months := math.Ceil(m.Horizon-1e-9) + 1
	metrics := float64(len(MetricNames(m)))
	// One allocation of the four vectors (rounded up to the allocator's
	// size class and its bookkeeping: a quarter more), and the four slice
	// headers.
	const sliceHeaders = 4 * 24
	perOutcome := (metrics+float64(numYearly)*years+2*months)*8*5/4 + sliceHeaders
	perIteration := arms*perOutcome + float64(params)*8 + 32
	live := float64(iterations) * perIteration

	cats := float64(len(m.Placements) + 1 + 3*len(m.Packages))
	perTally := (months*kmBinsPerMonth*2*4 + float64(numYearly+1)*years*8 +
		cats*years*float64(unsafe.Sizeof(rampSum{})+2*8) + float64(onceStart+2*len(m.Packages))*years*float64(unsafe.Sizeof(onceSum{})))
	perWorker := (arms + 1) * perTally
	// The cohort kernel's block and its buckets (cohort.go), where a
	// model has its shape.
	perWorker += float64(unsafe.Sizeof(kernelScratch{})) + arms*years*float64((maxClosers+1)*4*unsafe.Sizeof(bucket{}))
	children := ExpectedChildren(m)
	for _, a := range m.Arms {
		coupled := false
		for _, k := range a.Packages {
			coupled = coupled || k >= 0 && k < len(m.Packages) && m.Packages[k].Capacity.coupled()
		}
		if coupled {
			// At most every child of the iteration in the queue at once.
			perWorker += children * float64(unsafe.Sizeof(child{})+unsafe.Sizeof(hevent{}))
			break
		}
	}
	live += float64(max(1, min(workers, iterations))) * perWorker
	if events {
		// The engine holds each iteration's events until every earlier
		// one is written, but admits at most eventWindow(workers)
		// iterations beyond the first unwritten one (a worker waits for
		// the slow one rather than start another), so at most that many
		// iterations' rows are in memory at once, whatever the length of
		// the log; twice, for the buffers' growth.
		held := float64(min(iterations, eventWindow(max(1, min(workers, iterations)))))
		live += 2 * children * arms * EventRowsPerChildArm * EventBytesPerRow * held
	}
	return 2 * live
}
