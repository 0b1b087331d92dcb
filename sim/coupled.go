package sim

import "slices"

// Support with limited places couples the children of one iteration: a
// family gets a place only if another family has left one. Children
// interact only through places, so until a family first asks for a place
// an arm with limited places treats its child like any other arm does:
// the child is simulated with the other arms (runShared) and, at the
// offer where its family asks, parked in the arm's queue. The arm then
// goes on with its parked children in event-time order: only the events
// at which children meet over places sit in the priority queue, earliest
// first (an offer at which a family asks, every event of a family that
// holds a place and ends its spell or waits for one, the end of a
// supported phase and a team's start); between them each child runs on
// its own, event after event, as elsewhere.
// Each child still draws only from its own streams, so with more places
// than families the outcomes equal the uncoupled run's.

// Kinds of queued event, in the order they are handled at equal times:
// a team opens and places are released before anyone asks for one.
const (
	hOpen    uint8 = iota // a team starts (its start month)
	hRelease              // a family's supported phase ends: its place is free
	hArrive               // a child parked at the offer it gets as it arrives
	hStep                 // a child's next event, or a child parked at a later offer
)

// hevent is one entry of the queue, ordered by month and then by kind
// and child, packed into one number so that a comparison is two. Entries
// are never removed: an entry whose mark (gen) no longer matches its
// child's is skipped when it comes up (lazy deletion), so among entries
// of one child at one month only one is ever live and their order does
// not matter.
type hevent struct {
	at    float64
	order uint64 // kind<<62 | child
	slot  int32  // the child's slot, or the package of hOpen
	gen   uint32
	win   int8
}

func newEvent(at float64, kind uint8, child int, gen uint32) hevent {
	return hevent{at: at, order: uint64(kind)<<62 | uint64(child)&(1<<62-1), gen: gen}
}

func (e hevent) kind() uint8 { return uint8(e.order >> 62) }
func (e hevent) child() int  { return int(e.order & (1<<62 - 1)) }

func (a hevent) before(b hevent) bool {
	return a.at < b.at || a.at == b.at && a.order < b.order
}

// places is the state of one package's places in one arm.
type places struct {
	limited bool
	open    bool // the team has started
	free    int
	wait    bool
	byTier  bool
	waiting []waiter
	occ     int     // places taken
	last    float64 // time of the last change of occ
	used    float64 // place-months used
}

// waiter is a family waiting for a place.
type waiter struct {
	slot int32
	win  int8
	tier Tier
}

// queue holds an arm's event-time state. A worker reuses one queue. The
// children alive in the queue live in slots, reused once a child leaves
// the model, so memory follows the children in the queue at once, not
// the iteration's population.
type queue struct {
	slots []child
	free  []int32
	heap  []hevent
	pkgs  []places
	gen   uint32
}

func (q *queue) push(e hevent) {
	q.heap = append(q.heap, e)
	h := q.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue) pop() hevent {
	h := q.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	q.heap = h[:n]
	h = q.heap
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		s := l
		if r := l + 1; r < n && h[r].before(h[l]) {
			s = r
		}
		if !h[s].before(h[i]) {
			break
		}
		h[i], h[s] = h[s], h[i]
		i = s
	}
	return top
}

// alloc returns a free slot for a new child.
func (q *queue) alloc() int32 {
	if n := len(q.free); n > 0 {
		s := q.free[n-1]
		q.free = q.free[:n-1]
		return s
	}
	q.slots = append(q.slots, child{})
	return int32(len(q.slots) - 1)
}

// schedule queues the child's planned event, replacing any earlier one.
func (q *queue) schedule(ch *child) {
	q.gen++
	ch.gen = q.gen
	e := newEvent(ch.next, hStep, ch.idx, ch.gen)
	e.slot = ch.slot
	q.push(e)
}

// beginCoupled readies arm's queue for an iteration: no children, and
// every package's places as at month 0.
func (w *worker) beginCoupled(arm int) *queue {
	c, m := w.c, w.c.m
	for len(w.qs) < len(c.arms) {
		w.qs = append(w.qs, nil)
	}
	if w.qs[arm] == nil {
		w.qs[arm] = &queue{}
	}
	q := w.qs[arm]
	q.heap, q.slots, q.free, q.gen = q.heap[:0], q.slots[:0], q.free[:0], 0
	for len(q.pkgs) < len(m.Packages) {
		q.pkgs = append(q.pkgs, places{})
	}
	for _, k := range m.Arms[arm].Packages {
		cp := m.Packages[k].Capacity
		p := &q.pkgs[k]
		*p = places{limited: cp.Limited, free: cp.Places, wait: cp.Wait, byTier: cp.ByTier, waiting: p.waiting[:0]}
		p.open = cp.StartMonth <= 0
		if !p.open && cp.StartMonth < c.horizon {
			e := newEvent(cp.StartMonth, hOpen, k, 0)
			e.slot = int32(k)
			q.push(e)
		}
	}
	return q
}

// park hands a copy of x, at an offer of support at which its family
// asks arm for a place, to arm's event-time queue: arm goes on with it
// there, in month order with the other families who ask.
func (w *worker) park(x *child, arm int, pend pendingOffer, taken uint8) {
	q := w.qs[arm]
	slot := q.alloc()
	ch := &q.slots[slot]
	ch.id, ch.state, ch.slot = x.id, x.state, slot
	ch.resume, ch.resumeTaken, ch.parked = pend, taken, true
	q.gen++
	ch.gen = q.gen
	kind := hStep
	if w.arriving {
		kind = hArrive // an offer as the child arrives keeps an arrival's place among ties
	}
	e := newEvent(pend.at, kind, ch.idx, ch.gen)
	e.slot = slot
	q.push(e)
}

// runCoupled goes on with arm w.arm's parked children in event-time
// order, into w.t; w.q is the arm's queue.
func (w *worker) runCoupled() {
	c, m, q := w.c, w.c.m, w.q
	for n := 0; len(q.heap) > 0; n++ {
		if w.stopped(n) {
			return
		}
		e := q.pop()
		switch e.kind() {
		case hOpen:
			w.open(int(e.slot), e.at)
		case hRelease:
			ch := &q.slots[e.slot]
			if ch.idx == e.child() && ch.stage != gone && int(e.win) < ch.nwin {
				if s := &ch.win[e.win]; s.holding && s.costEnd == e.at {
					q.release(w, ch, int(e.win), e.at)
				}
			}
		default: // a parked child's offer, or a child's next event
			ch := &q.slots[e.slot]
			if e.gen != ch.gen || ch.stage == gone {
				continue // replaced by a later plan
			}
			if ch.parked {
				ch.parked = false
				p := ch.resume
				w.offer(ch, c.arms[w.arm].phase(p.post), ch.resumeTaken, p.at, p.d, p.tier, p.post)
				if p.post {
					w.armHome(ch, p.at)
				} else {
					w.armCare(ch, p.at)
				}
			} else {
				w.advance(ch)
			}
			w.runPrivate(ch)
		}
	}
	for _, k := range m.Arms[w.arm].Packages {
		p := &q.pkgs[k] // only this arm's: the others hold an earlier arm's state
		if !p.limited {
			continue
		}
		p.used += float64(p.occ) * (c.horizon - p.last)
		start := min(m.Packages[k].Capacity.StartMonth, c.horizon)
		w.t.placeMonths += float64(m.Packages[k].Capacity.Places) * (c.horizon - start)
		w.t.usedMonths += p.used
	}
}

// runPrivate simulates the child on its own until its next event at
// which it may interact with others, which it queues; a child that
// leaves the model frees its slot.
func (w *worker) runPrivate(ch *child) {
	for ch.stage != gone {
		if w.interacts(ch) {
			w.q.schedule(ch)
			return
		}
		w.advance(ch)
	}
	w.q.free = append(w.q.free, ch.slot)
}

// interacts reports whether the child's next event must wait for the
// queue: it waits for a place; it holds one and the event ends its spell
// (freeing the place); or the event starts a spell at which the family
// asks for a place (a return home whose offer it takes up; any re-entry,
// when the arm's pre-return support has places). A move, or maltreatment
// that does not end the return, changes nothing for anyone else.
func (w *worker) interacts(ch *child) bool {
	holding := false
	for i := range ch.nwin {
		s := &ch.win[i]
		if s.pending {
			return true
		}
		holding = holding || s.holding
	}
	ca := &w.c.arms[w.arm]
	switch ch.which {
	case evMove:
		return false
	case evMaltreatment:
		if !w.endsReturn(ch) {
			return false
		}
		return holding || ca.coupledPhase[0]
	case evReturn:
		if holding {
			return true
		}
		if !ca.coupledPhase[1] {
			return false
		}
		// The offer the return will make, as enterHome makes it.
		t := ch.next
		tier := w.c.tier(w.history(ch, t, t-ch.epStart < 6)[onReentry])
		taken := w.takes(ch, w.arm, t, tier, true, ch.returns)
		for i, k := range ca.post {
			if taken&(1<<i) != 0 && w.c.m.Packages[k].Capacity.coupled() {
				return true
			}
		}
		return false
	case evReentry:
		return holding || ca.coupledPhase[0]
	}
	return holding // permanence, the horizon or the 18th birthday
}

// request asks for a place in the package of window i at month at: it
// reports whether one was granted, and queues the family if it may wait.
func (q *queue) request(ch *child, i int, at float64, tier Tier) bool {
	p := &q.pkgs[ch.win[i].pkg]
	if p.open && (!p.limited || p.free > 0) {
		q.take(p, at)
		return true
	}
	if p.wait {
		p.waiting = append(p.waiting, waiter{slot: ch.slot, win: int8(i), tier: tier})
	}
	return false
}

// take books one more place in use from month at.
func (q *queue) take(p *places, at float64) {
	if !p.limited {
		return
	}
	p.used += float64(p.occ) * (at - p.last)
	p.last = at
	p.occ++
	p.free--
}

// timer queues the end of a supported phase, when its place comes free.
func (q *queue) timer(ch *child, i int, at float64) {
	e := newEvent(at, hRelease, ch.idx, 0)
	e.slot, e.win = ch.slot, int8(i)
	q.push(e)
}

// release frees the place held by window i at month at and gives it to
// the next waiting family, if any.
func (q *queue) release(w *worker, ch *child, i int, at float64) {
	s := &ch.win[i]
	s.holding = false
	p := &q.pkgs[s.pkg]
	if !p.limited {
		return
	}
	p.used += float64(p.occ) * (at - p.last)
	p.last = at
	p.occ--
	p.free++
	w.serve(p, at)
}

// serve gives free places to waiting families, in queue order. A family
// granted a place is supported from month at: its clocks carry their
// accumulated hazards over to the new ratios.
func (w *worker) serve(p *places, at float64) {
	q := w.q
	for len(p.waiting) > 0 && (!p.limited || p.free > 0) {
		j := 0
		if p.byTier {
			for k := range p.waiting {
				if p.waiting[k].tier > p.waiting[j].tier {
					j = k
				}
			}
		}
		wt := p.waiting[j]
		p.waiting = slices.Delete(p.waiting, j, j+1)
		q.take(p, at)
		ch := &q.slots[wt.slot]
		w.carry(ch, at)
		w.grant(ch, int(wt.win), at, w.c.discount(at))
		w.rearm(ch, at)
		ch.plan()
		q.schedule(ch)
	}
}

// open starts package k's team at month at and serves those waiting.
func (w *worker) open(k int, at float64) {
	p := &w.q.pkgs[k]
	p.open = true
	p.last = at
	w.serve(p, at)
}

// leave takes a waiting family out of its queue (the child left the
// setting before a place came free).
func (q *queue) leave(ch *child, i int) {
	p := &q.pkgs[ch.win[i].pkg]
	for j, wt := range p.waiting {
		if wt.slot == ch.slot && int(wt.win) == i {
			p.waiting = slices.Delete(p.waiting, j, j+1)
			return
		}
	}
}
