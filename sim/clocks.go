package sim

// A clock fires when its accumulated hazard reaches its unit-exponential
// target. Every hazard is piecewise constant, so each clock's fire time is
// found at once by inverting its cumulative hazard: walking the pieces
// of its schedule (age bands and months-in-care segments, months since
// the return, support windows), each merged from the breakpoints as the
// walk meets them, and solving within the piece where the target falls.
// A clock is armed when its spell starts and walked again only when its
// hazard changes during the spell: a move that changes the history ratio
// on return, or a support place granted late. Permanence depends on age
// alone and is inverted from a table by age; a move is exponential.

// The numbers of a care episode's stream.
const (
	careReturn     = 0 // return-home target
	carePermanence = 1 // permanence target
	careMove       = 2 // + 2k: target of move k; + 2k + 1: its destination
)

// The numbers of a return home's stream.
const (
	homeReentry      = 0 // re-entry target
	homePlacement    = 1 // placement on re-entry
	homeMaltreatment = 2 // + 2k: target of maltreatment k; + 2k + 1: whether it ends the return
)

// returnWalk walks ch's return-home hazard from month t, in age band
// band and months-in-care segment seg, with x of its target left: it
// returns the month the clock fires if that is before stop, else +Inf
// and what is left of the target at stop.
func (w *worker) returnWalk(ch *child, t, x, stop float64, band, seg int) (float64, float64) {
	c := w.c
	sup := ch.supports()
	nseg := len(c.segEnd)
	for {
		nb := ch.birth + c.bandStart[band+1]
		ns := ch.epStart + c.segEnd[seg]
		tb := min(nb, ns, stop) // branch-free: which bound comes first is random
		h := c.retFlat[band*nseg+seg] * ch.hrReturn
		if sup {
			r, nw := ch.support(t)
			h *= r[onReturn]
			tb = min(tb, nw)
		}
		if h > 0 {
			if need := h * (tb - t); x < need {
				return t + x/h, 0
			} else {
				x -= need
			}
		}
		if tb >= stop {
			return inf, x
		}
		// Before stop, the last band never ends (its end is the 18th
		// birthday): the walk moves on by one band, one segment, or both.
		t = tb
		band += b2i(t >= nb)
		seg += b2i(t >= ns)
	}
}

// careAt returns the age band and months-in-care segment of ch at month t.
func (w *worker) careAt(ch *child, t float64) (band, seg int) {
	c := w.c
	for band+1 < c.nb && t >= ch.birth+c.bandStart[band+1] {
		band++
	}
	for t >= ch.epStart+c.segEnd[seg] {
		seg++
	}
	return band, seg
}

// homeWalk is returnWalk for a clock at home: k is onReentry or
// onMaltreatment.
func (w *worker) homeWalk(ch *child, k int, t, x, stop float64) (float64, float64) {
	hh := &w.c.home[k-onReentry]
	seg := 0
	for t >= ch.tR+hh.ends[seg] {
		seg++
	}
	sup := ch.supports()
	for {
		ns := ch.tR + hh.ends[seg]
		tb := min(ns, stop)
		h := hh.rates[seg] * ch.hr[k]
		if sup {
			r, nw := ch.support(t)
			h *= r[k]
			tb = min(tb, nw)
		}
		if h > 0 {
			if dt := x / h; dt < tb-t {
				return t + dt, 0
			}
			if x -= h * (tb - t); x < 0 {
				x = 0
			}
		}
		if tb >= stop {
			return inf, x
		}
		t = tb
		seg += b2i(t >= ns)
	}
}

// walk walks ch's clock i (care: 0, return home; home: 0, re-entry, 1,
// maltreatment).
func (w *worker) walk(ch *child, i int, t, x, stop float64) (float64, float64) {
	if ch.stage == inCare {
		band, seg := ch.band, ch.seg
		if t != ch.spellStart {
			band, seg = w.careAt(ch, t)
		}
		return w.returnWalk(ch, t, x, stop, band, seg)
	}
	return w.homeWalk(ch, onReentry+i, t, x, stop)
}

// armClock arms walked clock i at month t with target x and sets its
// fire time: from the arm's schedule at home when every window opened at
// the return, else by walking.
func (w *worker) armClock(ch *child, i int, t, x float64) {
	ch.armed |= 1 << i
	ch.ref[i], ch.rest[i] = t, x
	if sc := ch.sched; sc != nil && ch.stage == atHome {
		s := &sc[i]
		base := 0.0
		if t != ch.tR {
			base = s.at(t - ch.tR)
		}
		ch.clock[i] = ch.tR + s.invert(base+x/ch.hr[onReentry+i])
		return
	}
	ch.clock[i], _ = w.walk(ch, i, t, x, ch.end)
}

// carry moves the armed walked clocks' reference to month at under the
// hazards in force until at, before something changes them there.
func (w *worker) carry(ch *child, at float64) {
	for i := range ch.ref {
		if ch.armed&(1<<i) != 0 && ch.clock[i] > at {
			_, ch.rest[i] = w.walk(ch, i, ch.ref[i], ch.rest[i], at)
			ch.ref[i] = at
		}
	}
}

// rearm sets the fire times of the clocks carried to month at again,
// after their hazards changed there (see carry).
func (w *worker) rearm(ch *child, at float64) {
	for i := range ch.ref {
		if ch.armed&(1<<i) != 0 && ch.ref[i] == at {
			ch.clock[i], _ = w.walk(ch, i, ch.ref[i], ch.rest[i], ch.end)
		}
	}
}

// drawCare draws a care spell's targets, before any offer of support so
// that arms that part there share them.
func (w *worker) drawCare(ch *child, t float64) {
	c := w.c
	ch.target = [3]float64{}
	if c.anyReturn {
		ch.target[0] = ch.rng().exp(careReturn)
	}
	if c.moveRate[ch.placement] > 0 {
		ch.target[1] = ch.rng().exp(careMove)
	}
	if c.permCum[c.nb] > c.permCum[ch.band] {
		ch.target[2] = ch.rng().exp(carePermanence)
	}
}

// armCare arms a care spell's clocks at month t and plans its first event.
func (w *worker) armCare(ch *child, t float64) {
	c := w.c
	ch.armed, ch.renewed, ch.sched = 0, 0, nil
	ch.clock = [3]float64{inf, inf, inf}
	if c.anyReturn {
		w.armClock(ch, 0, t, ch.target[0])
	}
	if rate := c.moveRate[ch.placement]; rate > 0 {
		ch.clock[1] = t + ch.target[1]/rate
	}
	// Permanence by age: invert the cumulative hazard from birth.
	age := t - ch.birth
	b := ch.band
	if c.permCum[c.nb] > c.permCum[b] {
		x := c.permCum[b] + c.perm[b]*(age-c.bandStart[b]) + ch.target[2]
		if x >= ch.permEnd {
			b = c.nb // not before the child's end
		}
		for b < c.nb && x >= c.permCum[b+1] {
			b++
		}
		if b < c.nb {
			if ch.clock[2] = ch.birth + c.bandStart[b] + (x-c.permCum[b])/c.perm[b]; ch.clock[2] < t {
				ch.clock[2] = t // rounding
			}
		}
	}
	ch.plan()
}

// moveTime returns the month of the next move from month t, in the
// current placement.
func (w *worker) moveTime(ch *child, t float64) float64 {
	if rate := w.c.moveRate[ch.placement]; rate > 0 {
		return t + ch.rng().exp(careMove+2*ch.renewed)/rate
	}
	return inf
}

// drawHome draws a return's targets, before any offer of support so that
// arms that part there share them.
func (w *worker) drawHome(ch *child) {
	c := w.c
	ch.target = [3]float64{}
	if c.home[0].anyFrom[0] {
		ch.target[0] = ch.rng().exp(homeReentry)
	}
	if c.home[1].anyFrom[0] {
		ch.target[1] = ch.rng().exp(homeMaltreatment)
	}
}

// armHome arms a return home's clocks at month t and plans its first
// event.
func (w *worker) armHome(ch *child, t float64) {
	c := w.c
	ch.armed, ch.renewed = 0, 0
	ch.clock = [3]float64{inf, inf, inf}
	for i := range 2 {
		if !c.home[i].anyFrom[0] {
			continue
		}
		if sc := ch.sched; sc != nil {
			// At the return, from the arm's schedule.
			ch.armed |= 1 << i
			ch.ref[i], ch.rest[i] = t, ch.target[i]
			ch.clock[i] = t + sc[i].invert(ch.target[i]/ch.hr[onReentry+i])
		} else {
			w.armClock(ch, i, t, ch.target[i])
		}
	}
	ch.plan()
}

// fmin is min for numbers that are never NaN, without the builtin's
// care for NaN and signed zeros, which the hot loop does not need.
func fmin(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}
