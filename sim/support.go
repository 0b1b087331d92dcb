package sim

// Support: offers at the start of each spell (the pre-return phase in
// care, the post-return phase at home), eligibility and uptake, the
// windows a family is supported in, and the places of limited packages.

// offerPhase offers the support of one phase (pre or post) of w.arm's
// packages. While arms are simulated together it first checks that every
// arm would open the same windows; where they would not, the arms part
// (w.diverged, with the offer in w.pend and what each arm's family takes
// up in w.taken) and each makes its own offer from a copy of the child.
func (w *worker) offerPhase(ch *child, post bool, at, d float64, tier Tier, occurrence uint64) {
	arms := w.c.arms
	if w.share != nil && !w.alike[b2i(post)] {
		if w.known[b2i(post)] {
			// Every arm's family takes up the same packages whoever
			// it is, and they differ: part with the taken sets known.
			copy(w.parks, w.knownParks[b2i(post)])
			copy(w.taken, w.knownTaken[b2i(post)])
			w.part(ch, at, d, tier, post)
			return
		}
		first := arms[w.share[0]].phase(post)
		same, parks := true, false
		for i, a := range w.share {
			pkgs := arms[a].phase(post)
			w.taken[i] = w.takes(ch, a, at, tier, post, occurrence)
			w.parks[i] = w.deferred && w.asks(a, post, w.taken[i])
			parks = parks || w.parks[i]
			same = same && sameTaken(first, w.taken[0], pkgs, w.taken[i])
		}
		if !same || parks {
			w.part(ch, at, d, tier, post)
			return
		}
		w.offer(ch, first, w.taken[0], at, d, tier, post)
		return
	}
	pkgs := arms[w.arm].phase(post)
	if len(pkgs) == 0 {
		ch.nwin, ch.sched = 0, nil
		if sc := arms[w.arm].homeSched; post && sc != nil {
			ch.sched = &sc[0]
		}
		return
	}
	taken := w.takes(ch, w.arm, at, tier, post, occurrence)
	if w.deferred && w.asks(w.arm, post, taken) {
		w.taken[0], w.parks[0] = taken, true
		w.part(ch, at, d, tier, post)
		return
	}
	w.offer(ch, pkgs, taken, at, d, tier, post)
}

// part marks where the arms part: at an offer that opens different
// windows in different arms, or at which the family asks an arm for a
// place (see park).
func (w *worker) part(ch *child, at, d float64, tier Tier, post bool) {
	ch.nwin = 0
	w.diverged = true
	w.pend = pendingOffer{post: post, at: at, d: d, tier: tier}
}

// asks reports whether the packages taken up (of arm's phase) include one
// with limited places.
func (w *worker) asks(arm int, post bool, taken uint8) bool {
	if taken == 0 || !w.c.arms[arm].coupledPhase[b2i(post)] {
		return false
	}
	for i, k := range w.c.arms[arm].phase(post) {
		if taken&(1<<i) != 0 && w.c.m.Packages[k].Capacity.coupled() {
			return true
		}
	}
	return false
}

// pendingOffer is an offer of support at which arms simulated together
// part: the phase, the month and the child's tier.
type pendingOffer struct {
	post  bool
	at, d float64 // the month and its discount factor
	tier  Tier
}

// sameTaken reports whether two arms' families take up the same
// packages: a of packages pa, and b of pb (bit i: the i-th package).
func sameTaken(pa []int, a uint8, pb []int, b uint8) bool {
	i, j := 0, 0
	for {
		for i < len(pa) && a&(1<<i) == 0 {
			i++
		}
		for j < len(pb) && b&(1<<j) == 0 {
			j++
		}
		if i == len(pa) || j == len(pb) {
			return i == len(pa) && j == len(pb)
		}
		if pa[i] != pb[j] {
			return false
		}
		i++
		j++
	}
}

// takes returns the packages of arm's phase for which the child is
// eligible and its family takes up the offer, as a bit set (bit i: the
// phase's i-th package).
func (w *worker) takes(ch *child, arm int, at float64, tier Tier, post bool, occurrence uint64) uint8 {
	ca := &w.c.arms[arm]
	if t := ca.always[b2i(post)]; t >= 0 {
		return uint8(t) // the same for every family
	}
	pkgs := ca.phase(post)
	var set uint8
	u := -1.0
	for i, k := range pkgs {
		p := &w.c.m.Packages[k]
		if !w.eligible(ch, &p.Eligible, at, tier) || p.Uptake <= 0 {
			continue
		}
		if p.Uptake < 1 {
			// Engagement is the family's: one uniform per offer,
			// shared by every package, so a family that takes up one
			// offer takes up any more attractive one, and arms with
			// different packages still compare the same families.
			if u < 0 {
				u = ch.attr.float(attrUptake + occurrence<<1 | uint64(b2i(post)))
			}
			if !(u < p.Uptake) {
				continue
			}
		}
		set |= 1 << i
	}
	return set
}

func (w *worker) eligible(ch *child, e *Eligibility, at float64, tier Tier) bool {
	if e.Tiers != nil && !e.Tiers[tier] {
		return false
	}
	if e.AgeBands != nil && !e.AgeBands[w.c.band(at-ch.birth)] {
		return false
	}
	if e.Placements != nil && !e.Placements[ch.placement] {
		return false
	}
	if len(e.Factors) > 0 {
		for _, f := range e.Factors {
			if ch.factors&(1<<uint(f)) != 0 {
				return true
			}
		}
		return false
	}
	return true
}

// offer opens support windows for the packages of pkgs (one phase of an
// arm's) in the set taken. A package with limited places grants a
// place, queues the family or turns it away.
func (w *worker) offer(ch *child, pkgs []int, taken uint8, at, d float64, tier Tier, post bool) {
	ch.nwin, ch.sched = 0, nil
	c := w.c
	var opened uint8
	pending := false
	for i, k := range pkgs {
		if taken&(1<<i) == 0 {
			continue
		}
		s := &ch.win[ch.nwin]
		*s = c.windows[2*k+b2i(post)]
		s.requested = at
		if c.m.Packages[k].Capacity.coupled() && !w.q.request(ch, ch.nwin, at, tier) {
			if !c.m.Packages[k].Capacity.Wait {
				w.t.turnedAway++
				continue
			}
			s.pending, pending = true, true
			ch.nwin++
			continue
		}
		w.grant(ch, ch.nwin, at, d)
		ch.nwin++
		opened |= 1 << i
	}
	// At home, with every window opened now, the arm's schedule for
	// these packages gives the clocks' fire times.
	if sc := c.arms[w.arm].homeSched; post && !pending && sc != nil {
		ch.sched = &sc[opened]
	}
}

// phase returns the package's pre-return phase, or its post-return phase
// if post.
func (p *Package) phase(post bool) *Phase {
	if post {
		return &p.Post
	}
	return &p.Pre
}

// grant starts support in window i at month at, whose discount factor
// is d.
func (w *worker) grant(ch *child, i int, at, d float64) {
	s := &ch.win[i]
	p := &w.c.m.Packages[s.pkg]
	ph := p.phase(s.post)
	if s.pending {
		w.waitMonths(s.requested, at)
		s.pending = false
	}
	s.start, s.costEnd, s.effectEnd = at, at+ph.Months, at+ph.Months+ph.PersistMonths
	s.dStart = d
	s.holding = p.Capacity.coupled()
	ch.sched = nil // a window opened late: the clocks walk
	w.t.supportFamilies++
	w.once(onceStartOf(int(s.pkg), s.post), at, d)
	if s.holding {
		w.q.timer(ch, i, s.costEnd)
	}
}

// closeSupport ends the child's windows at month end, whose discount
// factor is d: it books the supported months, frees places and leaves
// queues.
func (w *worker) closeSupport(ch *child, end, d float64) {
	for i := range ch.nwin {
		s := &ch.win[i]
		if s.pending {
			w.waitMonths(s.requested, end)
			w.q.leave(ch, i)
			continue
		}
		if cat := w.c.catWindow(int(s.pkg), s.post); w.c.priced[cat] {
			if s.costEnd < end {
				w.ramp(cat, s.start, s.dStart, s.costEnd, w.c.discount(s.costEnd))
			} else {
				w.ramp(cat, s.start, s.dStart, end, d)
			}
		}
		if s.holding {
			w.q.release(w, ch, i, end)
		}
	}
	ch.nwin = 0
}
