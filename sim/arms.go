package sim

import "slices"

// runShared simulates the populations of arms, none with limited places,
// into their tallies. A child is simulated once for as long as every arm
// treats it alike: until an offer of support that would open different
// windows in different arms. There the child's state is copied and each
// arm goes on from the copy on its own. Each arm draws from the child's
// streams exactly what it would draw alone, so every arm's children
// follow the paths of a separate run; sharing saves simulating, for every
// arm, the children whom no arm supports and every child's path up to
// its first support.
//
// The results are those of separate runs bit for bit: while the arms go
// together, what they share goes to a common tally that is added to each
// arm's at the end, and every sum is exact (fixed.go), so its order does
// not matter.
func (w *worker) runShared(arms []int, tallies []*tally, common *tally) {
	c := w.c
	shared, share := tallies[arms[0]], []int(nil)
	for len(w.taken) < max(len(arms), 1) {
		w.taken = append(w.taken, 0)
		w.parks = append(w.parks, false)
	}
	if len(arms) > 1 {
		if !common.fits(c) {
			*common = *newTally(c)
		}
		common.reset()
		shared, share = common, arms
		for phase := range w.alike {
			// Alike: the same packages in every arm, none with places.
			w.alike[phase] = !c.arms[arms[0]].coupledPhase[phase]
			first := c.arms[arms[0]].phase(phase == 1)
			for _, a := range arms[1:] {
				w.alike[phase] = w.alike[phase] && slices.Equal(first, c.arms[a].phase(phase == 1)) && !c.arms[a].coupledPhase[phase]
			}
			w.knowParting(arms, phase)
		}
	}
	w.deferred = true
	defer func() { w.deferred = false }()
	ch := &w.one
	kern := w.kernelFor(arms)
	if kern {
		w.resetCohort()
	}
	var ar arrivals
	ar.init(w)
	one := func(o origin, idx int, t0 float64) {
		w.share, w.arm, w.t = share, arms[0], shared
		w.start(ch, o, idx, t0)
		for ch.stage != gone && !w.diverged {
			w.advance(ch)
		}
		if w.diverged {
			w.goApart(ch, arms, tallies)
		}
	}
	for ar.next() {
		if kern && ar.origin == fromCohort {
			// The whole cohort, block by block; the children outside
			// the kernel's shape go the general way.
			end := c.m.Stock.Count + c.m.Cohort.Count
			for lo := ar.idx; lo < end; lo += kernelBlock {
				if lo > ar.idx && w.stop != nil && w.stop() {
					ar.ended = true
					break
				}
				for _, idx := range w.cohortBlock(lo, min(lo+kernelBlock, end), arms, tallies) {
					one(fromCohort, idx, 0)
				}
			}
			ar.idx = end - 1
			continue
		}
		one(ar.origin, ar.idx, ar.t)
	}
	w.share = nil
	if kern {
		w.foldCohort(arms, tallies)
	}
	if share != nil {
		for _, a := range arms {
			tallies[a].add(common)
		}
	}
}

// knowParting sets w.known[phase] when every arm's offer of the phase is
// taken up alike by every family and the arms part there, with what each
// arm takes up and whether it parks the child.
func (w *worker) knowParting(arms []int, phase int) {
	c, post := w.c, phase == 1
	w.known[phase] = false
	w.knownTaken[phase] = w.knownTaken[phase][:0]
	w.knownParks[phase] = w.knownParks[phase][:0]
	first := c.arms[arms[0]].phase(post)
	same, parks := true, false
	for _, a := range arms {
		t := c.arms[a].always[phase]
		if t < 0 {
			return
		}
		p := w.asks(a, post, uint8(t))
		w.knownTaken[phase] = append(w.knownTaken[phase], uint8(t))
		w.knownParks[phase] = append(w.knownParks[phase], p)
		parks = parks || p
		same = same && sameTaken(first, w.knownTaken[phase][0], c.arms[a].phase(post), uint8(t))
	}
	w.known[phase] = !same || parks
}

// goApart goes on with each arm on its own from where they part, or
// parks the child in the queue of an arm where the family asks for a
// place. The last arm goes on from a copy of the child taken here, the
// first from the child itself and any between from copies of that copy:
// one copy for each arm but one.
func (w *worker) goApart(ch *child, arms []int, tallies []*tally) {
	w.diverged, w.share = false, nil
	pend := w.pend
	last := len(arms) - 1
	if last > 0 {
		w.spare.id, w.spare.state = ch.id, ch.state
	}
	for i, a := range arms {
		x := ch
		switch {
		case i == last && i > 0:
			x = &w.spare
		case i > 0:
			w.alt.id, w.alt.state = w.spare.id, w.spare.state
			x = &w.alt
		}
		if w.parks[i] {
			w.park(x, a, pend, w.taken[i])
			continue
		}
		w.arm, w.t = a, tallies[a]
		w.offer(x, w.c.arms[a].phase(pend.post), w.taken[i], pend.at, pend.d, pend.tier, pend.post)
		if pend.post {
			w.armHome(x, pend.at)
		} else {
			w.armCare(x, pend.at)
		}
		for x.stage != gone {
			w.advance(x)
			if w.diverged {
				// Later, on its own, the family asks this arm for a
				// place (offerPhase): the arm goes on with it in its
				// queue.
				w.diverged = false
				w.park(x, a, w.pend, w.taken[0])
				break
			}
		}
	}
	ch.stage = gone
}

// advance moves the child to its next event and handles it.
func (w *worker) advance(ch *child) {
	if ch.stage == inCare {
		w.advanceCare(ch)
	} else {
		w.advanceHome(ch)
	}
}
