package sim

import (
	"math/bits"
)

// foldCohort books, into each arm's tally, the kernel's children of the
// iteration: from the buckets, what the general path books for each at
// the end of its return (its follow-up's end, the ends of the open case
// and the windows, a re-entry and the start of its stay in care), and
// what every child books alike (its arrival, return, the starts of its
// flows at month 0, the end of each stay in care at the horizon).
func (w *worker) foldCohort(arms []int, tallies []*tally) {
	c, k, ks := w.c, w.c.kern, w.ks
	years := c.years
	var n int64
	for _, v := range ks.tiers {
		n += v
	}
	if n == 0 {
		return
	}
	fn := float64(n)
	fix0, d0 := fix(0, monthScale), fix(k.d0, discScale)
	fixH, dH := fix(c.horizon, monthScale), fix(c.dHorizon, discScale)
	yH := c.year(c.horizon)
	for _, arm := range arms {
		ka, acc, t := &k.arms[arm], &ks.arm[arm], tallies[arm]
		qs := len(ka.closers) + 1
		if v := acc.atHorizon; v > 0 {
			// The returns that end at the horizon: one bucket, one bin
			// of the re-entry curve, stable if the horizon is.
			qH := 0
			for _, cl := range ka.closers {
				qH += b2i(cl.end < c.horizon)
			}
			b := &acc.buckets[(yH*qs+qH)<<2]
			b.n += v
			b.a.addMul(fixH, v)
			b.d.addMul(dH, v)
			nbins := len(t.kmCensor)
			t.kmCensor[min(int(c.horizon*kmBinsPerMonth), nbins-1)] += int32(v)
			if c.horizon >= c.m.Home.StableMonths {
				acc.stable += v
			}
		}
		for tier, v := range ks.tiers {
			t.returnsTier[tier] += float64(v)
			t.yearly[yReturnsTier+tier] += float64(v)
		}
		t.children += fn
		t.returns += fn
		t.yearly[yReturns] += fn
		t.events += n // each child's start
		if k.stableEligible {
			t.stableEligible += fn
			t.stable += float64(acc.stable)
		}
		if k.eligible24 {
			t.eligible24 += fn
		}
		once := func(kind int) {
			o := &t.once[kind*years]
			o.n += n
			o.d.addMul(d0, n)
		}
		if k.onceReturn {
			once(onceReturn)
		}
		t.supportFamilies += fn * float64(ka.nwin)
		for _, kind := range ka.onces {
			once(kind)
		}
		// The flows from month 0 start there, and end where each
		// bucket's returns end or at their own end.
		var early [maxClosers]int64 // returns that end after the closer's end
		for _, cl := range ka.closers {
			r := &t.ramps[cl.cat*years]
			r.n += n
			r.at.addMul(fix0, n)
			r.d.addMul(d0, n)
		}
		var in int64
		for y := range years {
			var reY int64
			for q := range qs {
				for slot := range 4 {
					b := &acc.buckets[(y*qs+q)<<2|slot]
					if b.n == 0 {
						continue
					}
					for j, cl := range ka.closers {
						if j < q {
							early[j] += b.n
							continue
						}
						rp := &t.ramps[cl.cat*years+y]
						rp.n -= b.n
						rp.at.sub(b.a)
						rp.d.sub(b.d)
					}
					if slot == 0 {
						continue // no re-entry
					}
					reY += b.n
					tier := slot - 1
					t.reentriesTier[tier] += float64(b.n)
					t.yearly[y*numYearly+yReentriesTier+tier] += float64(b.n)
					if k.onceReentry {
						o := &t.once[onceReentry*years+y]
						o.n += b.n
						o.d.addSum(b.d)
					}
					if p := k.placeOnly; p >= 0 {
						rp := &t.ramps[p*years+y]
						rp.n += b.n
						rp.at.addSum(b.a)
						rp.d.addSum(b.d)
						acc.placed[p] += b.n
					}
				}
			}
			if reY == 0 {
				continue
			}
			in += reY
			t.reentries += float64(reY)
			t.events += reY
			t.yearly[y*numYearly+yReentries] += float64(reY)
			// In care at each year's end from the re-entry on (one at
			// a year's start counts from the year before's end).
			edge := float64(acc.edges[y])
			if y == 0 {
				edge = 0 // at month 0: the first year's end
			}
			t.inCareDiff[y] += float64(reY) - edge
			t.inCareDiff[max(y-1, 0)] += edge
		}
		for j, cl := range ka.closers {
			r := &t.ramps[cl.cat*years+c.year(cl.end)]
			r.n -= early[j]
			r.at.addMul(-fix(cl.end, monthScale), early[j])
			r.d.addMul(-fix(cl.dEnd, discScale), early[j])
		}
		for p, v := range acc.placed {
			r := &t.ramps[p*years+yH]
			r.n -= v
			r.at.addMul(-fixH, v)
			r.d.addMul(-dH, v)
		}
		t.inCareDiff[years] -= float64(in)
		t.inCareEnd += float64(in)
	}
}

// addU adds a term v >= 0 (below 2^63), as add does.
func (s *sum128) addU(v uint64) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, v, 0)
	s.hi += int64(c)
}

// sub subtracts o.
func (s *sum128) sub(o sum128) {
	var b uint64
	s.lo, b = bits.Sub64(s.lo, o.lo, 0)
	s.hi -= o.hi + int64(b)
}
