package sim

import "math"

// The numbers of a child's attribute stream.
const (
	attrAge       = iota // age band and age within it, from one number
	attrFactors          // every risk factor, from one number
	attrPlacement        // current or first placement
	attrMonths           // time in care so far (stock and cohort)
	attrPrior            // an earlier failed return (stock and cohort)
	attrFactor0          // + f: factor f, when there are too many to draw together
	// attrMoves + k: the wait for the k-th move before month 0 (stock and
	// cohort).
	attrMoves = 1 << 32
	// attrUptake + 2*occurrence + phase: the family's engagement at an
	// offer of support (occurrence: the care episode or return).
	attrUptake = 1 << 40
)

// start draws a child's attributes, books its arrival and enters it into
// its first spell at month t0.
func (w *worker) start(ch *child, o origin, idx int, t0 float64) {
	c, ta := w.c, w.t
	pop := w.attributes(ch, o, idx, t0)
	d0 := c.discount(t0)
	ta.children++
	if pop != nil {
		to := ch.placement
		if o == fromCohort {
			to = home
		}
		w.event(ch, t0, evStart, outside, to)
	} else {
		ta.entries++
		ta.addYearly(c, t0, yEntries, 1)
		w.once(onceEntry, t0, d0)
		w.event(ch, t0, evEntry, outside, ch.placement)
	}
	w.arriving = true
	if o == fromCohort {
		w.enterHome(ch, t0, d0)
	} else {
		w.enterCare(ch, t0, d0)
	}
	w.arriving = false
}

// attributes draws the attributes of child idx arriving from o at month
// t0, and returns its population (nil for an entry to care).
func (w *worker) attributes(ch *child, o origin, idx int, t0 float64) *Population {
	c, m := w.c, w.c.m
	// The state a child carries from spell to spell starts afresh; each
	// spell sets the rest as it starts.
	ch.placements, ch.failed, ch.episodes, ch.returns = 1, 0, 0, 0
	ch.maltreated, ch.nwin, ch.gen = false, 0, 0
	ch.idx, ch.key, ch.factors = idx, childKey(w.ik, idx), 0
	a := streamOf(ch.key, streamAttributes, 0)
	ch.attr = a
	var pop *Population
	d := &c.entry
	switch o {
	case fromStock:
		pop, d = &m.Stock, &c.stock
	case fromCohort:
		pop, d = &m.Cohort, &c.cohort
	}
	// The age band and the age within it come from one number: the
	// alias table's position within the band drawn is uniform.
	b, pos := d.age.drawAt(a.bits(attrAge))
	lo, hi := c.bandStart[b], c.bandStart[b+1]
	age := lo + pos*(hi-lo)
	if age >= hi {
		age = math.Nextafter(hi, lo) // rounding must not reach the next band
	}
	ch.birth = t0 - age
	ch.end = fmin(c.horizon, ch.age18())
	ch.permEnd = c.permanenceTo(ch.end - ch.birth)
	w.drawFactors(ch, a, b)
	ch.placement = d.place.only
	if d.place.random() {
		ch.placement = d.place.draw(a.bits(attrPlacement))
	}
	ch.epStart = t0
	if pop != nil {
		// Time in care so far: exponential, capped at the child's age;
		// placements so far: the moves of a Poisson process at the
		// placement's move rate in that time, at most 19 (exponential
		// waits, one number each: fewer than 2 on average, and cheaper
		// than inverting the Poisson distribution, which needs exp).
		months := 0.0
		if pop.MeanMonthsInCare > 0 {
			months = fmin(a.exp(attrMonths)*pop.MeanMonthsInCare, age)
		}
		ch.epStart = t0 - months
		if rate := c.moveRate[ch.placement]; rate > 0 && months > 0 {
			x := months * rate // the waits in units of the mean wait
			for k := uint64(0); k < 19; k++ {
				if x -= a.exp(attrMoves + k); x <= 0 {
					break
				}
				ch.placements++
			}
		}
		if p := pop.PriorFailedReturns; p > 0 && a.float(attrPrior) < p {
			ch.failed = 1
		}
	}
	return pop
}

// drawFactors draws the child's risk factors: all of them from one
// number over their combinations when the table is small enough, else
// one number each.
func (w *worker) drawFactors(ch *child, a stream, band int) {
	c := w.c
	fs := c.m.Factors
	if len(fs) == 0 {
		ch.hrFactors = one3
		return
	}
	if c.combos != nil {
		t := &c.combos[0]
		if len(c.combos) > 1 {
			t = &c.combos[band]
		}
		combo := t.only
		if t.random() {
			combo = t.draw(a.bits(attrFactors))
		}
		ch.factors = uint64(combo)
		ch.hrFactors = c.comboHR[combo]
		return
	}
	ch.hrFactors = one3
	for f := range fs {
		fa := &fs[f]
		prev := fa.Prevalence[0]
		if len(fa.Prevalence) > 1 {
			prev = fa.Prevalence[band]
		}
		if a.float(uint64(attrFactor0+f)) < prev {
			ch.factors |= 1 << uint(f)
			ch.hrFactors = times3(ch.hrFactors, fa.HR.array())
		}
	}
}

// history returns the hazard ratios of the child's own path at month at;
// short says whether the care episode before a return was under 6 months.
func (w *worker) history(ch *child, at float64, short bool) [3]float64 {
	k := b2i(at-ch.birth >= 144)*histOlder | b2i(ch.placements >= 3)*histMany |
		b2i(short)*histShort | b2i(ch.failed >= 1)*histFailed
	return times3(ch.hrFactors, w.c.hist[k&15])
}
