package sim

// Support: offers at the start of each spell (the pre-return phase in
// care, the post-return phase at home), eligibility and uptake, the
// windows a family is supported in, and the places of limited packages.

// offerPhase offers the support of one phase (pre or post) of w.arm's
// packages. While arms are simulated together it first checks that every
// arm would open the same windows; where they would not, the arms part
// (w.diverged, with the offer in w.pend) and each makes its own offer
// from a copy of the child.
func (w *worker) offerPhase(ch *child, post bool, at float64, tier Tier, occurrence uint64) {
	if w.share != nil && !w.alike[b2i(post)] && !w.takenAlike(ch, post, at, tier, occurrence) {
		ch.nwin = 0
		w.diverged = true
		w.pend = pendingOffer{post: post, at: at, tier: tier, occ: occurrence}
		return
	}
	w.offer(ch, w.c.arms[w.arm].phase(post), at, tier, post, occurrence)
}

// pendingOffer is an offer of support at which arms simulated together
// part: the phase, the month, the child's tier and the occurrence.
type pendingOffer struct {
	post bool
	at   float64
	tier Tier
	occ  uint64
}

// takenAlike reports whether the family would take up the same packages
// in every arm being simulated together.
func (w *worker) takenAlike(ch *child, post bool, at float64, tier Tier, occurrence uint64) bool {
	var first [maxWindows]int
	n := 0
	for i, a := range w.share {
		j := 0
		for _, k := range w.c.arms[a].phase(post) {
			if !w.takesUp(ch, k, at, tier, post, occurrence) {
				continue
			}
			if i == 0 {
				first[n] = k
				n++
			} else if j >= n || first[j] != k {
				return false
			}
			j++
		}
		if i > 0 && j != n {
			return false
		}
	}
	return true
}

// takesUp reports whether the child is eligible for package k's phase and
// its family takes up the offer.
func (w *worker) takesUp(ch *child, k int, at float64, tier Tier, post bool, occurrence uint64) bool {
	p := &w.c.m.Packages[k]
	if !w.eligible(ch, &p.Eligible, at, tier) {
		return false
	}
	switch {
	case p.Uptake >= 1:
		return true
	case p.Uptake <= 0:
		return false
	}
	// Engagement is the family's: one uniform per offer, shared by every
	// package, so a family that takes up one offer takes up any more
	// attractive one, and arms with different packages still compare the
	// same families.
	return streamOf(ch.key, streamUptake, 0).float(occurrence<<1|uint64(b2i(post))) < p.Uptake
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

// offer opens support windows for the packages pkgs in one phase (pre or
// post) for which the child is eligible and its family takes up the offer.
// A package with limited places grants a place, queues the family or
// turns it away.
func (w *worker) offer(ch *child, pkgs []int, at float64, tier Tier, post bool, occurrence uint64) {
	ch.nwin = 0
	m := w.c.m
	for _, k := range pkgs {
		if !w.takesUp(ch, k, at, tier, post, occurrence) {
			continue
		}
		p := &m.Packages[k]
		ph := p.phase(post)
		s := &ch.win[ch.nwin]
		*s = window{requested: at, hr: ph.HR.array(), pkg: int32(k), post: post, neutral: ph.HR == One}
		if p.Capacity.coupled() && !w.q.request(ch, ch.nwin, at, tier) {
			if !p.Capacity.Wait {
				w.t.turnedAway++
				continue
			}
			s.pending = true
			ch.nwin++
			continue
		}
		w.grant(ch, ch.nwin, at)
		ch.nwin++
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

// grant starts support in window i at month at.
func (w *worker) grant(ch *child, i int, at float64) {
	s := &ch.win[i]
	p := &w.c.m.Packages[s.pkg]
	ph := p.phase(s.post)
	if s.pending {
		w.waitMonths(s.requested, at)
		s.pending = false
	}
	s.start, s.costEnd, s.effectEnd = at, at+ph.Months, at+ph.Months+ph.PersistMonths
	if w.c.priced[w.c.catWindow(int(s.pkg), s.post)] {
		s.dStart = w.discount(at)
	}
	s.holding = p.Capacity.coupled()
	w.t.supportFamilies++
	w.once(onceStartOf(int(s.pkg), s.post), at)
	if s.holding {
		w.q.timer(ch, i, s.costEnd)
	}
}

// closeSupport ends the child's windows at month end: it books the
// supported months, frees places and leaves queues.
func (w *worker) closeSupport(ch *child, end float64) {
	for i := range ch.nwin {
		s := &ch.win[i]
		if s.pending {
			w.waitMonths(s.requested, end)
			w.q.leave(ch, i)
			continue
		}
		w.ramp(w.c.catWindow(int(s.pkg), s.post), s.start, s.dStart, min(s.costEnd, end))
		if s.holding {
			w.q.release(w, ch, i, end)
		}
	}
	ch.nwin = 0
}
