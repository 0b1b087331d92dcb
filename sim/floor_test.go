package sim

import (
	"math"
	"testing"
)

// BenchmarkBM1Floor is the work BM1 (../shared/peers/README.md) cannot
// do without, with the engine's random numbers, done by the cohort
// kernel's own first stages: for each child its key, the draw of its
// factors from the alias table of their combinations and its
// exponential target; then for each arm the inversion of the arm's
// schedule, counting the re-entries before the horizon so that nothing
// is optimised away. It books nothing: no re-entry curve, costs, counts
// by year or exact sums. It is the floor of an exact event-time engine
// with these numbers on this machine, for the cost model in
// docs/engine.md; the engine itself (the cohort kernel) is BenchmarkBM1,
// and what it costs above this floor is its bookkeeping.
func BenchmarkBM1Floor(b *testing.B) {
	const n, horizon = 10080, 60.0
	m := cohortModel(n, horizon)
	m.Home.Reentry = Piecewise{Starts: []float64{0, 3, 12}, Rates: []float64{0.043, 0.011, 0.0035}}
	m.Factors = []Factor{
		{Name: "older", Prevalence: []float64{0.3}, HR: Ratios{1, 1.5, 1}},
		{Name: "substance", Prevalence: []float64{0.4}, HR: Ratios{1, 2, 1}},
		{Name: "deprivation", Prevalence: []float64{0.5}, HR: Ratios{1, 1.3, 1}},
		{Name: "prior_failure", Prevalence: []float64{0.2}, HR: Ratios{1, 1.6, 1}},
	}
	m.Packages = []Package{{Name: "support", Uptake: 1, Post: Phase{Months: 12, MonthlyCost: 469, HR: Ratios{1, 0.6, 1}}}}
	m.Arms = []Arm{{Name: "baseline"}, {Name: "support", Packages: []int{0}}}
	c := compile(m)
	w := newWorker()
	w.use(c)
	w.resetCohort()
	reentries := 0
	cpu0 := cpuTimeInternal()
	for it := range b.N {
		w.ik = iterKey(1, it)
		for lo := 0; lo < n; lo += kernelBlock {
			// The kernel's own first stages: draws, then each arm's
			// re-entries.
			w.kernelDraw(lo, min(lo+kernelBlock, n))
			for a := range c.kern.arms {
				at, _ := w.kernelReentries(&c.kern.arms[a])
				reentries += len(at)
			}
		}
	}
	b.StopTimer()
	cpu := float64((cpuTimeInternal() - cpu0).Nanoseconds())
	b.ReportMetric(cpu/float64(b.N)/(2*n), "cpu-ns/child")
	if r := float64(reentries) / float64(b.N) / 2; !(r > 0.4*n && r < 0.66*n) || math.IsNaN(r) {
		b.Fatalf("%v re-entries of %d: not BM1", r, n)
	}
}
