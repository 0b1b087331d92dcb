package sim

// arrivals lists the children of an iteration in index order: the stock,
// the returning cohort, then the entries in arrival order, a Poisson
// stream whose rate changes by the trend at each year's end. It stops
// early if the run is being abandoned.
type arrivals struct {
	w      *worker
	origin origin
	idx    int
	t      float64 // the arrival's month

	s     stream // the entries' stream
	draw  uint64
	year  int
	rate  float64
	ended bool
}

func (a *arrivals) init(w *worker) {
	*a = arrivals{w: w, idx: -1, rate: w.c.m.Entries.PerMonth}
	a.s = streamOf(w.ik, streamArrivals, 0)
}

// next moves to the next child and reports whether there is one.
func (a *arrivals) next() bool {
	w, m := a.w, a.w.c.m
	if a.ended {
		return false
	}
	a.idx++
	if w.stopped(a.idx) {
		a.ended = true
		return false
	}
	switch {
	case a.idx < m.Stock.Count:
		a.origin, a.t = fromStock, 0
		return true
	case a.idx < m.Stock.Count+m.Cohort.Count:
		a.origin, a.t = fromCohort, 0
		return true
	}
	a.origin = fromEntry
	h := w.c.horizon
	for a.rate > 0 {
		next := a.t + a.s.exp(a.draw)/a.rate
		a.draw++
		if yEnd := float64(a.year+1) * 12; next >= yEnd && yEnd < h {
			// The rate changes at the year's end; by memorylessness
			// the wait starts afresh there.
			a.t, a.year = yEnd, a.year+1
			a.rate *= 1 + m.Entries.Trend
			continue
		}
		if next >= h {
			break
		}
		a.t = next
		return true
	}
	a.ended = true
	return false
}

// stopEvery is how many children a worker simulates between checks that
// the run goes on: about a millisecond of work.
const stopEvery = 4096

// stopped reports whether the run is being abandoned, checking only every
// stopEvery calls with n counting children.
func (w *worker) stopped(n int) bool {
	return n%stopEvery == stopEvery-1 && w.stop != nil && w.stop()
}
