package sim

import (
	"math"
	"testing"
)

// BenchmarkBM1Floor is BM1 (../shared/peers/README.md) written by hand
// for that model alone, with the engine's own parts (counter-based
// numbers, alias tables, the arms' schedules, exact ramps, Kaplan-Meier
// bins, yearly counts) and nothing general: no spells, offers, clocks or
// arms parting, and no results vectors. It is the floor a Go engine
// computing reunify's outputs for BM1 can reach on this machine, for the
// cost model in docs/engine.md; the engine itself is BenchmarkBM1.
func BenchmarkBM1Floor(b *testing.B) {
	const n, horizon = 10080, 60.0
	m := cohortModel(n, horizon)
	m.Placements[0].WeeklyCost = 61614 / 52.1786
	m.Home.Reentry = Piecewise{Starts: []float64{0, 3, 12}, Rates: []float64{0.043, 0.011, 0.0035}}
	m.Factors = []Factor{
		{Name: "older", Prevalence: []float64{0.3}, HR: Ratios{1, 1.5, 1}},
		{Name: "substance", Prevalence: []float64{0.4}, HR: Ratios{1, 2, 1}},
		{Name: "deprivation", Prevalence: []float64{0.5}, HR: Ratios{1, 1.3, 1}},
		{Name: "prior_failure", Prevalence: []float64{0.2}, HR: Ratios{1, 1.6, 1}},
	}
	m.Costs.DiscountRate = 0.035
	m.Packages = []Package{{Name: "support", Uptake: 1, Post: Phase{Months: 12, MonthlyCost: 469, HR: Ratios{1, 0.6, 1}}}}
	m.Arms = []Arm{{Name: "baseline"}, {Name: "support", Packages: []int{0}}}
	c := compile(m)
	scheds := [2]*schedule{&c.arms[0].homeSched[0][0], &c.arms[1].homeSched[1][0]}
	tallies := [2]*tally{newTally(c), newTally(c)}
	d12 := c.discount(12)
	w := newWorker()
	w.use(c)
	cpu0 := cpuTimeInternal()
	for it := range b.N {
		ik := iterKey(1, it)
		for _, t := range tallies {
			t.reset()
		}
		for j := range n {
			ck := childKey(ik, j)
			a := streamOf(ck, streamAttributes, 0)
			_, pos := c.cohort.age.drawAt(a.bits(attrAge))
			birth := -pos * 12
			combo := c.combos[0].draw(a.bits(attrFactors))
			hr := c.comboHR[combo][onReentry]
			x := streamOf(ck, streamHome, 0).exp(homeReentry) / hr
			for arm, sc := range scheds {
				t := tallies[arm]
				w.t = t
				t.children++
				t.returns++
				rel := sc.invert(x)
				d := 1.0
				if rel < horizon {
					d = c.discount(rel)
					t.reentries++
					t.yearly[c.year(rel)*numYearly+yReentries]++
					w.ramp(c.catPlacement(0), rel, d, horizon, c.dHorizon)
					t.inCare(c, rel, horizon, true)
					t.follow(rel, true)
					t.events += 2
				} else {
					rel = horizon
					t.follow(rel, false)
					t.events++
				}
				t.stableEligible++
				if rel >= 24 {
					t.stable++
				}
				if arm == 1 {
					t.supportFamilies++
					if rel < 12 {
						w.ramp(c.catWindow(0, true), 0, 1, rel, d)
					} else {
						w.ramp(c.catWindow(0, true), 0, 1, 12, d12)
					}
				}
				_ = birth
			}
		}
	}
	b.StopTimer()
	cpu := float64((cpuTimeInternal() - cpu0).Nanoseconds())
	b.ReportMetric(cpu/float64(b.N)/(2*n), "cpu-ns/child")
	if r := tallies[0].reentries; !(r > 0.4*n && r < 0.66*n) || math.IsNaN(r) {
		b.Fatalf("%v re-entries of %d: not BM1", r, n)
	}
}
