package sim

// enterHome starts a return home at month t, whose discount factor is d:
// a new stream, the ratios and tier at the return, the post-return offer
// of support and, unless the arms part at that offer, the spell's clocks.
func (w *worker) enterHome(ch *child, t, d float64) {
	c, ta := w.c, w.t
	ch.s = 0 // drawn from, it is hashed (rng)
	occurrence := ch.returns
	ch.returns++
	ch.stage = atHome
	ch.tR = t
	ch.dR = d
	ch.hr = w.history(ch, t, t-ch.epStart < 6)
	ch.tier = c.tier(ch.hr[onReentry])
	ta.returns++
	ta.byTier(c, t, &ta.returnsTier, yReturns, yReturnsTier, ch.tier)
	w.once(onceReturn, t, d)
	ch.maltreated24 = false
	w.drawHome(ch)
	w.offerPhase(ch, true, t, d, ch.tier, occurrence)
	if !w.diverged {
		w.armHome(ch, t)
	}
}

// advanceHome handles the return's next event.
func (w *worker) advanceHome(ch *child) {
	c, ta := w.c, w.t
	t := ch.next
	switch ch.which {
	case evReentry:
		w.reenter(ch, t, c.discountAt(t))
	case evMaltreatment:
		ta.maltreatEvents++
		ta.addYearly(c, t, yMaltreatment, 1)
		if t-ch.tR < 24 {
			ch.maltreated24 = true
		}
		if !ch.maltreated {
			ch.maltreated = true
			ta.maltreated++
		}
		w.event(ch, t, evMaltreatment, outside, outside)
		if w.endsReturn(ch) {
			w.reenter(ch, t, c.discountAt(t))
			return
		}
		ch.renewed++
		w.armClock(ch, 1, t, ch.rng().exp(homeMaltreatment+2*ch.renewed))
		ch.plan()
	default: // the horizon or the 18th birthday
		w.closeHome(ch, t, c.discountAt(t), false)
		if t >= ch.age18() {
			w.event(ch, t, evAge18, outside, outside)
		}
		ch.stage = gone
	}
}

// endsReturn reports whether the child's next maltreatment event ends its
// return with a re-entry (the number it draws is fixed in advance).
func (w *worker) endsReturn(ch *child) bool {
	q := w.c.m.Home.MaltreatmentReentry
	return q >= 1 || q > 0 && ch.rng().float(homeMaltreatment+2*ch.renewed+1) < q
}

// closeHome ends a return home at month at, whose discount factor is d.
func (w *worker) closeHome(ch *child, at, d float64, reentered bool) {
	c, h, ta := w.c, &w.c.m.Home, w.t
	tR := ch.tR
	ta.follow(at-tR, reentered)
	if c.priced[c.catHomeCase()] {
		if close := tR + h.CaseCloseMonths; close < at {
			w.ramp(c.catHomeCase(), tR, ch.dR, close, c.discount(close))
		} else {
			w.ramp(c.catHomeCase(), tR, ch.dR, at, d)
		}
	}
	w.closeSupport(ch, at, d)
	if tR+h.StableMonths <= c.horizon {
		ta.stableEligible++
		if at-tR >= h.StableMonths {
			ta.stable++
		}
	}
	if tR+24 <= c.horizon {
		ta.eligible24++
		if ch.maltreated24 {
			ta.maltreat24++
		}
	}
}

// reenter ends a return home with a re-entry to care at month at, whose
// discount factor is d.
func (w *worker) reenter(ch *child, at, d float64) {
	c, ta := w.c, w.t
	w.closeHome(ch, at, d, true)
	ta.reentries++
	ta.byTier(c, at, &ta.reentriesTier, yReentries, yReentriesTier, ch.tier)
	w.once(onceReentry, at, d)
	ch.failed++
	cat := &c.reentryCat[c.band(at-ch.birth)]
	ch.placement = cat.only
	if cat.random() {
		ch.placement = cat.draw(ch.rng().bits(homePlacement))
	}
	ch.placements++
	ch.epStart = at
	w.event(ch, at, evReentry, home, ch.placement)
	w.enterCare(ch, at, d)
}
