package sim

// enterCare starts a care episode at month t, whose discount factor is
// d: a new stream, the history ratio on return, the pre-return offer of
// support and, unless the arms part at that offer, the spell's clocks.
func (w *worker) enterCare(ch *child, t, d float64) {
	ch.s = 0 // drawn from, it is hashed (rng)
	occurrence := ch.episodes
	ch.episodes++
	ch.stage = inCare
	ch.spellStart, ch.placeStart = t, t
	ch.band, ch.seg = w.careAt(ch, t)
	ch.dPlace = d
	hist := w.history(ch, t, false)
	ch.hrReturn = hist[onReturn]
	w.drawCare(ch, t)
	w.offerPhase(ch, false, t, d, w.c.tier(hist[onReentry]), occurrence)
	if !w.diverged {
		w.armCare(ch, t)
	}
}

// advanceCare handles the care spell's next event.
func (w *worker) advanceCare(ch *child) {
	ta := w.t
	t := ch.next
	d := w.c.discountAt(t)
	switch ch.which {
	case evReturn:
		w.closeCare(ch, t, d, false)
		w.event(ch, t, evReturn, ch.placement, home)
		w.enterHome(ch, t, d)
	case evMove:
		w.move(ch, t, d)
	case evPermanence:
		w.closeCare(ch, t, d, false)
		ta.exitsPermanence++
		w.event(ch, t, evPermanence, ch.placement, outside)
		ch.stage = gone
	default: // the horizon or the 18th birthday
		if t >= ch.age18() {
			w.closeCare(ch, t, d, false)
			ta.exitsAge18++
			w.event(ch, t, evAge18, ch.placement, outside)
		} else {
			w.closeCare(ch, t, d, true)
		}
		ch.stage = gone
	}
}

// move moves the child to another placement at month t. Its history
// ratio on return may change (three placements, or older): then the
// return clock's accumulated hazard carries over to the new ratio.
func (w *worker) move(ch *child, t, d float64) {
	c := w.c
	w.ramp(c.catPlacement(ch.placement), ch.placeStart, ch.dPlace, t, d)
	from := ch.placement
	ch.placement = c.moveCat[from].draw(ch.rng().bits(careMove + 2*ch.renewed + 1))
	ch.renewed++
	ch.placements++
	ch.placeStart, ch.dPlace = t, d
	if hr := w.history(ch, t, false)[onReturn]; hr != ch.hrReturn {
		w.carry(ch, t)
		ch.hrReturn = hr
		w.rearm(ch, t)
	}
	ch.clock[1] = w.moveTime(ch, t)
	w.event(ch, t, evMove, from, ch.placement)
	ch.plan()
}

// closeCare ends a care spell at month at, whose discount factor is d;
// open means still in care at the horizon.
func (w *worker) closeCare(ch *child, at, d float64, open bool) {
	c := w.c
	w.ramp(c.catPlacement(ch.placement), ch.placeStart, ch.dPlace, at, d)
	w.t.inCare(c, ch.spellStart, at, open)
	w.closeSupport(ch, at, d)
}
