package sim

import (
	"math"
	"slices"
)

// Where a child enters the model.
type origin int

const (
	fromStock  origin = iota // in care at month 0
	fromCohort               // returned home at month 0
	fromEntry                // enters care during the horizon
)

// Where a child is.
type stage uint8

const (
	inCare stage = iota + 1
	atHome
	gone
)

// maxWindows bounds the support windows a child can have open in one
// spell: one per package of its arm (an arm has at most maxWindows).
const maxWindows = 4

// window is a support phase of one package for one child: supported (and
// paying) over [start, costEnd), with its effect over [start, effectEnd).
// A window that waits for a place is pending until a place is granted.
type window struct {
	start, costEnd, effectEnd, cost float64
	requested                       float64 // when the family asked for a place
	hr                              Ratios
	pkg                             int
	pending                         bool // waiting for a place
	holding                         bool // holds one of a limited package's places
}

// child is the state of one synthetic child: its attributes, where it is,
// and the state of the competing clocks of its current spell. The engine
// moves a child one step at a time (plan, then advance), so that children
// can either run to completion one after another or interleave in
// event-time order when support places couple them.
type child struct {
	idx        int
	key        uint64
	birth      float64 // month of birth (age at t is t - birth)
	age18      float64 // month of the 18th birthday
	end        float64 // the horizon or the 18th birthday, whichever is first
	factors    uint64  // bit f set: the child has factor f
	hrFactors  Ratios  // product of the factor ratios
	placement  int
	placements int     // placements so far, including the current one
	failed     int     // previous failed returns
	epStart    float64 // start of the current care episode (may be < 0)
	episodes   uint64  // care episodes simulated (stream index)
	returns    uint64  // returns home simulated (stream index)
	maltreated bool
	pcg        pcg // the stream being drawn from: attributes, then the current spell's

	stage stage
	t     float64   // simulated up to here
	next  float64   // the time of the next step
	which eventKind // what happens then (evNone: a boundary)
	gen   uint32    // bumped when a planned step is replaced

	// The clocks of the spell: unit-exponential targets e, accumulated
	// hazards a, current hazards h (care: return, move, permanence; home:
	// re-entry, maltreatment).
	e, a, h [3]float64

	spellStart, placeStart float64 // care
	dSpell, dPlace         float64 // care: their discount factors
	hrReturn               float64 // care: factor and history ratio on return
	band, seg              int     // care: age band, months-in-care segment
	nextBand, nextSeg      float64 // care

	tR           float64 // home: month of the return
	dR           float64 // home: its discount factor
	hr           Ratios  // home: factor and history ratios at the return
	tier         Tier    // home: risk tier at the return
	segR, segM   int     // home: re-entry and maltreatment segments
	nextR, nextM float64 // home
	maltreated24 bool    // home: maltreated within 24 months of this return

	win  [maxWindows]window
	nwin int
}

// worker simulates iterations; it owns its random generators, tallies and
// scratch space, so workers share nothing but the read-only model.
type worker struct {
	c      *compiled
	ik     uint64 // iteration key
	iter   int
	arm    int
	arrPCG pcg // the iteration's arrivals stream
	t      *tally
	ev     *eventBuf // nil unless an event log is asked for
	one    child     // the child being simulated when nothing couples them
	snap   child     // one's state where the arms part (runShared)
	common tally     // the counts of arms simulated together (runShared)
	// ts are the tallies that take sums of money and months: w.t alone,
	// or while arms are simulated together every arm's own tally, each
	// taking every sum in the order it would alone.
	ts, sharedTs []*tally

	// The last discount factor computed, at month discAt (NaN when none,
	// as after the compiled model changes).
	discAt, disc float64

	// While arms are simulated together (runShared), share lists them,
	// w.arm is the first and w.t the common tally; alike says, per phase
	// (pre, post), whether they all have the same packages. diverged is
	// set where the arms would treat the child differently, with the
	// offer that differs in pend.
	share    []int
	alike    [2]bool
	diverged bool
	pend     pendingOffer

	// stop reports whether the run is being abandoned (cancelled, or the
	// event log failed); it is checked every stopEvery children, so a
	// huge iteration still stops promptly.
	stop   func() bool
	q      *queue // event-time machinery, for arms with support places
	events int64  // events simulated by this worker
}

func newWorker() *worker {
	return &worker{discAt: nan}
}

// use makes c the model the worker simulates.
func (w *worker) use(c *compiled) {
	w.c, w.discAt = c, nan
}

// pendingOffer is an offer of support at which arms simulated together
// part: the phase, the month, the child's tier and the occurrence.
type pendingOffer struct {
	post bool
	at   float64
	tier Tier
	occ  uint64
}

// bookFixed books the fixed yearly costs of arm's packages into w.ts
// (arm's tally, before anything else).
func (w *worker) bookFixed(arm int) {
	c := w.c
	for _, k := range c.arms[arm].fixed {
		p := &c.m.Packages[k]
		w.accrue(min(p.Capacity.StartMonth, c.horizon), c.horizon, p.FixedYearly/12, costSupport)
	}
}

// accrue books a cost flowing at rate pounds per month over [a, b) into
// every tally of w.ts.
func (w *worker) accrue(a, b, rate float64, comp int) {
	if !(b > a) || rate == 0 {
		return
	}
	w.accrueD(a, w.discount(a), b, w.discount(b), rate, comp)
}

// accrueD is accrue with the discount factors da at a and db at b.
func (w *worker) accrueD(a, da, b, db, rate float64, comp int) {
	if !(b > a) || rate == 0 {
		return
	}
	for _, t := range w.ts {
		t.accrue(w.c, a, b, da, db, rate, comp)
	}
}

// oneOff books a one-off cost at month at into every tally of w.ts.
func (w *worker) oneOff(at, amount float64, comp int) {
	if amount == 0 {
		return
	}
	d := w.discount(at)
	for _, t := range w.ts {
		t.oneOff(w.c, at, d, amount, comp)
	}
}

// discount returns the discount factor at month at, w.c.discount(at),
// remembering the last: a spell's end is the next spell's start. A child
// keeps the factors of its spells' starts, so that each month at which
// something happens costs one factor.
func (w *worker) discount(at float64) float64 {
	if at != w.discAt {
		w.discAt, w.disc = at, w.c.discount(at)
	}
	return w.disc
}

// placeMonths books months spent in placement p into every tally of w.ts.
func (w *worker) placeMonths(p int, months float64) {
	for _, t := range w.ts {
		t.childMonths[p] += months
	}
}

// waitMonths books months waiting for support into every tally of w.ts.
func (w *worker) waitMonths(months float64) {
	for _, t := range w.ts {
		t.waitMonths += months
	}
}

// runArm simulates the whole population of one arm with limited places
// in event-time order, into w.t.
func (w *worker) runArm(arm int) {
	w.arm = arm
	w.ts = append(w.ts[:0], w.t)
	w.runCoupled()
}

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
// together, counts (whole numbers, so the order of their sums does not
// matter) go to a common tally that is added to each arm's at the end,
// and sums of money and months go to every arm's tally, in the order a
// separate run would add them.
func (w *worker) runShared(arms []int, tallies []*tally, common *tally) {
	c := w.c
	// Every arm's tally takes the sums; counts go to the only arm's
	// tally, or to the common one.
	w.sharedTs = w.sharedTs[:0]
	for _, a := range arms {
		w.sharedTs = append(w.sharedTs, tallies[a])
	}
	shared, share := tallies[arms[0]], []int(nil)
	if len(arms) > 1 {
		if !common.fits(c) {
			*common = *newTally(c)
		}
		common.reset()
		shared, share = common, arms
		for phase := range w.alike {
			w.alike[phase] = true
			first := c.arms[arms[0]].phase(phase == 1)
			for _, a := range arms[1:] {
				w.alike[phase] = w.alike[phase] && slices.Equal(first, c.arms[a].phase(phase == 1))
			}
		}
	}
	together := func() {
		w.share, w.arm, w.t = share, arms[0], shared
		w.ts = append(w.ts[:0], w.sharedTs...)
	}
	together()
	w.population(func(o origin, idx int, t0 float64) {
		ch := &w.one
		w.start(ch, o, idx, t0)
		for ch.stage != gone && !w.diverged {
			w.advance(ch)
		}
		if w.diverged {
			w.part(ch, arms, tallies)
			together()
		}
	})
	w.share = nil
	if share != nil {
		for _, a := range arms {
			tallies[a].add(common)
		}
	}
}

// part goes on with each arm on its own from where they part; the caller
// puts the arms back together for the next child.
func (w *worker) part(ch *child, arms []int, tallies []*tally) {
	w.diverged, w.share = false, nil
	w.snap = *ch
	pend := w.pend
	for i, a := range arms {
		if i > 0 {
			*ch = w.snap
		}
		w.arm, w.t = a, tallies[a]
		w.ts = append(w.ts[:0], w.t)
		w.offer(ch, w.c.arms[a].phase(pend.post), pend.at, pend.tier, pend.post, pend.occ)
		w.plan(ch)
		for ch.stage != gone {
			w.advance(ch)
		}
	}
}

// stopEvery is how many children a worker simulates between checks that
// the run goes on: about a millisecond of work.
const stopEvery = 4096

// stopped reports whether the run is being abandoned, checking only every
// stopEvery calls with n counting children.
func (w *worker) stopped(n int) bool {
	return n%stopEvery == stopEvery-1 && w.stop != nil && w.stop()
}

// population calls f for every child of the iteration, in index order:
// the stock, the returning cohort, then the entries in arrival order. It
// gives up early if the run is being abandoned.
func (w *worker) population(f func(o origin, idx int, t0 float64)) {
	c, m := w.c, w.c.m
	idx := 0
	for range m.Stock.Count {
		if w.stopped(idx) {
			return
		}
		f(fromStock, idx, 0)
		idx++
	}
	for range m.Cohort.Count {
		if w.stopped(idx) {
			return
		}
		f(fromCohort, idx, 0)
		idx++
	}
	if m.Entries.PerMonth <= 0 {
		return
	}
	seedStream(&w.arrPCG, w.ik, streamArrivals, 0)
	t, year, rate := 0.0, 0, m.Entries.PerMonth
	for {
		next := t + w.arrPCG.ExpFloat64()/rate
		if yEnd := float64(year+1) * 12; next >= yEnd && yEnd < c.horizon {
			// The rate changes at the year boundary; by memorylessness
			// the wait starts afresh there.
			t, year = yEnd, year+1
			rate *= 1 + m.Entries.Trend
			continue
		}
		if next >= c.horizon || w.stopped(idx) {
			return
		}
		t = next
		f(fromEntry, idx, t)
		idx++
	}
}

// start draws a child's attributes, enters it into its first spell at
// month t0 and plans its first step.
func (w *worker) start(ch *child, o origin, idx int, t0 float64) {
	c, m, t := w.c, w.c.m, w.t
	*ch = child{idx: idx, key: childKey(w.ik, idx), placements: 1}
	seedStream(&ch.pcg, ch.key, streamAttributes, 0)
	r := &ch.pcg
	var pop *Population
	var ageCum, placeCum []float64
	switch o {
	case fromStock:
		pop, ageCum, placeCum = &m.Stock, c.stockAge, c.stockPlace
	case fromCohort:
		pop, ageCum, placeCum = &m.Cohort, c.cohortAge, c.cohortPlace
	default:
		ageCum, placeCum = c.entryAge, c.entryPlace
	}
	b := pick(ageCum, r.Float64())
	age := c.bandStart[b] + r.Float64()*(c.bandStart[b+1]-c.bandStart[b])
	ch.birth = t0 - age
	ch.age18 = ch.birth + MaxAgeMonths
	ch.end = fmin(c.horizon, ch.age18)
	ch.hrFactors = One
	for f := range m.Factors {
		fa := &m.Factors[f]
		prev := fa.Prevalence[0]
		if len(fa.Prevalence) > 1 {
			prev = fa.Prevalence[b]
		}
		if r.Float64() < prev {
			ch.factors |= 1 << uint(f)
			ch.hrFactors = ch.hrFactors.times(fa.HR)
		}
	}
	ch.placement = pick(placeCum, r.Float64())
	ch.epStart = t0
	t.children++
	if pop != nil {
		// Time in care so far: exponential, capped at the child's age;
		// placements so far follow the placement's move rate.
		months := min(r.ExpFloat64()*pop.MeanMonthsInCare, age)
		ch.epStart = t0 - months
		if rate := m.Placements[ch.placement].MoveRate; rate > 0 {
			for s := r.ExpFloat64() / rate; s < months && ch.placements < 20; s += r.ExpFloat64() / rate {
				ch.placements++
			}
		}
		if r.Float64() < pop.PriorFailedReturns {
			ch.failed = 1
		}
		to := ch.placement
		if o == fromCohort {
			to = home
		}
		w.event(ch, t0, evStart, outside, to)
	} else {
		t.entries++
		t.addYearly(c, t0, yEntries, 1)
		w.oneOff(t0, m.Costs.Entry, costOneOff)
		w.event(ch, t0, evEntry, outside, ch.placement)
	}
	if o == fromCohort {
		w.enterHome(ch, t0)
	} else {
		w.enterCare(ch, t0)
	}
	if !w.diverged {
		w.plan(ch)
	}
}

// history returns the hazard ratios of the child's own path at month at;
// short says whether the care episode before a return was under 6 months.
func (w *worker) history(ch *child, at float64, short bool) Ratios {
	h := &w.c.m.History
	r := ch.hrFactors
	if at-ch.birth >= 144 {
		r = r.times(h.Older)
	}
	if ch.placements >= 3 {
		r = r.times(h.ManyPlacements)
	}
	if short {
		r = r.times(h.ShortCare)
	}
	if ch.failed >= 1 {
		r = r.times(h.PriorFailure)
	}
	return r
}

// offerPhase offers the support of one phase (pre or post) of w.arm's
// packages. While arms are simulated together it first checks that every
// arm would open the same windows; where they would not, the arms part
// (w.diverged, with the offer in w.pend) and each makes its own offer
// from a copy of the child.
func (w *worker) offerPhase(ch *child, post bool, at float64, tier Tier, occurrence uint64) {
	ph := 0
	if post {
		ph = 1
	}
	if w.share != nil && !w.alike[ph] && !w.takenAlike(ch, post, at, tier, occurrence) {
		ch.nwin = 0
		w.diverged = true
		w.pend = pendingOffer{post: post, at: at, tier: tier, occ: occurrence}
		return
	}
	w.offer(ch, w.c.arms[w.arm].phase(post), at, tier, post, occurrence)
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
	phase := uint64(0)
	if post {
		phase = 1
	}
	// Engagement is the family's: one uniform per offer, shared by every
	// package, so a family that takes up one offer takes up any more
	// attractive one, and arms with different packages still compare the
	// same families.
	return uniform(ch.key, streamUptake, occurrence<<1|phase) < p.Uptake
}

// offer opens support windows for the packages pkgs in one phase (pre or
// post) for which the child is eligible and its family takes up the offer.
// A package with limited places grants a place, queues the family or
// turns it away.
func (w *worker) offer(ch *child, pkgs []int, at float64, tier Tier, post bool, occurrence uint64) {
	ch.nwin = 0
	m := w.c.m
	for _, k := range pkgs {
		p := &m.Packages[k]
		ph := &p.Pre
		if post {
			ph = &p.Post
		}
		if !w.takesUp(ch, k, at, tier, post, occurrence) {
			continue
		}
		s := &ch.win[ch.nwin]
		*s = window{requested: at, cost: ph.MonthlyCost, hr: ph.HR, pkg: k}
		if p.Capacity.coupled() && !w.q.request(w, ch, ch.nwin, at, tier) {
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

// grant starts support in window i at month at.
func (w *worker) grant(ch *child, i int, at float64) {
	s := &ch.win[i]
	p := &w.c.m.Packages[s.pkg]
	ph := &p.Pre
	if ch.stage == atHome {
		ph = &p.Post
	}
	if s.pending {
		w.waitMonths(at - s.requested)
		s.pending = false
	}
	s.start, s.costEnd, s.effectEnd = at, at+ph.Months, at+ph.Months+ph.PersistMonths
	s.holding = p.Capacity.coupled()
	w.t.supportFamilies++
	w.oneOff(at, ph.StartCost, costSupport)
	if s.holding {
		w.q.timer(ch, i, s.costEnd)
	}
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

// support returns the combined ratios of the child's windows in effect at
// month at and the next month at which they change.
func (ch *child) support(at float64) (Ratios, float64) {
	hr, next := One, math.Inf(1)
	for i := range ch.nwin {
		s := &ch.win[i]
		if s.pending || s.hr == One {
			// A window that changes no hazard must not split time:
			// splitting would perturb event times in the last bit.
			continue
		}
		switch {
		case at < s.start:
			next = min(next, s.start)
		case at < s.effectEnd:
			hr = hr.times(s.hr)
			next = min(next, s.effectEnd)
		}
	}
	return hr, next
}

// closeSupport ends the child's windows at month end: it books the cost
// of supported months, frees places and leaves queues.
func (w *worker) closeSupport(ch *child, end float64) {
	for i := range ch.nwin {
		s := &ch.win[i]
		switch {
		case s.pending:
			w.waitMonths(end - s.requested)
			w.q.leave(ch, i)
		default:
			w.accrue(s.start, min(s.costEnd, end), s.cost, costSupport)
			if s.holding {
				w.q.release(w, ch, i, end)
			}
		}
	}
	ch.nwin = 0
}

// enterCare starts a care episode at month t.
func (w *worker) enterCare(ch *child, t float64) {
	c, m := w.c, w.c.m
	seedStream(&ch.pcg, ch.key, streamCare, ch.episodes)
	occurrence := ch.episodes
	ch.episodes++
	ch.stage = inCare
	ch.t = t
	ch.e = [3]float64{ch.pcg.ExpFloat64(), ch.pcg.ExpFloat64(), ch.pcg.ExpFloat64()}
	ch.a = [3]float64{}
	ch.spellStart, ch.placeStart = t, t
	ch.dSpell = w.discount(t)
	ch.dPlace = ch.dSpell
	hist := w.history(ch, t, false)
	ch.hrReturn = hist.Return
	ch.band = c.band(t - ch.birth)
	ch.nextBand = next(c.bandStart[:c.nb], ch.band, ch.birth)
	breaks := m.Care.DurationBreaks
	ch.seg = 0
	for ch.seg+1 < len(breaks) && t-ch.epStart >= breaks[ch.seg+1] {
		ch.seg++
	}
	ch.nextSeg = next(breaks, ch.seg, ch.epStart)
	w.offerPhase(ch, false, t, m.Tiers.Of(hist.Reentry), occurrence)
}

// enterHome starts a return home at month t.
func (w *worker) enterHome(ch *child, t float64) {
	c, m, ta := w.c, w.c.m, w.t
	seedStream(&ch.pcg, ch.key, streamHome, ch.returns)
	occurrence := ch.returns
	ch.returns++
	ch.stage = atHome
	ch.t, ch.tR = t, t
	ch.dR = w.discount(t)
	ch.hr = w.history(ch, t, t-ch.epStart < 6)
	ch.tier = m.Tiers.Of(ch.hr.Reentry)
	ta.returns++
	ta.returnsTier[ch.tier]++
	ta.addYearly(c, t, yReturns, 1)
	ta.addYearly(c, t, yReturnsTier+int(ch.tier), 1)
	w.oneOff(t, m.Costs.Return, costOneOff)
	ch.e = [3]float64{ch.pcg.ExpFloat64(), ch.pcg.ExpFloat64()}
	ch.a = [3]float64{}
	ch.segR, ch.segM = 0, 0
	ch.nextR, ch.nextM = next(m.Home.Reentry.Starts, 0, t), next(m.Home.Maltreatment.Starts, 0, t)
	ch.maltreated24 = false
	w.offerPhase(ch, true, t, ch.tier, occurrence)
}

// plan sets the child's hazards from month ch.t and the time and kind of
// its next step: the earliest event, or the next boundary at which a
// hazard changes.
func (w *worker) plan(ch *child) {
	m := w.c.m
	t := ch.t
	hrSup, nextSup := ch.support(t)
	end := ch.end
	var tb float64
	switch ch.stage {
	case inCare:
		tb = fmin(fmin(end, ch.nextBand), fmin(ch.nextSeg, nextSup))
		ch.h[0] = m.Care.ReturnHome[ch.band][ch.seg] * ch.hrReturn * hrSup.Return
		ch.h[1] = m.Placements[ch.placement].MoveRate
		ch.h[2] = m.Care.Permanence[ch.band]
	case atHome:
		tb = fmin(fmin(end, ch.nextR), fmin(ch.nextM, nextSup))
		ch.h[0] = m.Home.Reentry.Rates[ch.segR] * ch.hr.Reentry * hrSup.Reentry
		ch.h[1] = m.Home.Maltreatment.Rates[ch.segM] * ch.hr.Maltreatment * hrSup.Maltreatment
		ch.h[2] = 0
	}
	best, which := tb, evNone
	for i, kind := range clockEvents[ch.stage] {
		if h := ch.h[i]; h > 0 {
			if tc := t + (ch.e[i]-ch.a[i])/h; tc < best {
				best, which = tc, kind
			}
		}
	}
	ch.next, ch.which = best, which
}

// fmin is min for numbers that are never NaN, without the builtin's
// care for NaN and signed zeros, which the hot loop does not need.
func fmin(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// clockEvents names the event each clock fires, by stage.
var clockEvents = [...][3]eventKind{
	inCare: {evReturn, evMove, evPermanence},
	atHome: {evReentry, evMaltreatment, evNone},
}

// catchUp accumulates the child's hazards up to month at (no later than
// its planned step), so that its plan can change there.
func (ch *child) catchUp(at float64) {
	dt := at - ch.t
	for i := range ch.h {
		ch.a[i] += ch.h[i] * dt
	}
	ch.t = at
}

// advance moves the child to its planned step, handles what happens there
// and plans the next step (or marks the child gone).
func (w *worker) advance(ch *child) {
	ch.catchUp(ch.next)
	if ch.stage == inCare {
		w.advanceCare(ch)
	} else {
		w.advanceHome(ch)
	}
	if ch.stage != gone && !w.diverged {
		w.plan(ch)
	}
}

// closeCare ends a care spell at month at; open means still in care at
// the horizon.
func (w *worker) closeCare(ch *child, at float64, open bool) {
	c, ta := w.c, w.t
	d := w.discount(at)
	w.accrueD(ch.placeStart, ch.dPlace, at, d, c.monthlyCost[ch.placement], costPlacement)
	w.placeMonths(ch.placement, at-ch.placeStart)
	w.accrueD(ch.spellStart, ch.dSpell, at, d, c.m.Costs.SocialWorkMonthly, costSocialWork)
	ta.inCare(c, ch.spellStart, at, open)
	w.closeSupport(ch, at)
}

func (w *worker) advanceCare(ch *child) {
	c, m, ta := w.c, w.c.m, w.t
	t := ch.t
	switch ch.which {
	case evReturn:
		w.closeCare(ch, t, false)
		w.event(ch, t, evReturn, ch.placement, home)
		w.enterHome(ch, t)
		return
	case evMove:
		d := w.discount(t)
		w.accrueD(ch.placeStart, ch.dPlace, t, d, c.monthlyCost[ch.placement], costPlacement)
		w.placeMonths(ch.placement, t-ch.placeStart)
		from := ch.placement
		ch.placement = pick(c.moveCum[from], ch.pcg.Float64())
		ch.placements++
		ch.placeStart, ch.dPlace = t, d
		ch.e[1], ch.a[1] = ch.pcg.ExpFloat64(), 0
		ch.hrReturn = w.history(ch, t, false).Return
		w.event(ch, t, evMove, from, ch.placement)
		return
	case evPermanence:
		w.closeCare(ch, t, false)
		ta.exitsPermanence++
		w.event(ch, t, evPermanence, ch.placement, outside)
		ch.stage = gone
		return
	}
	if t >= ch.end {
		if t >= ch.age18 {
			w.closeCare(ch, t, false)
			ta.exitsAge18++
			w.event(ch, t, evAge18, ch.placement, outside)
		} else {
			w.closeCare(ch, t, true)
		}
		ch.stage = gone
		return
	}
	if t >= ch.nextBand {
		ch.band++
		ch.nextBand = next(c.bandStart[:c.nb], ch.band, ch.birth)
	}
	if t >= ch.nextSeg {
		ch.seg++
		ch.nextSeg = next(m.Care.DurationBreaks, ch.seg, ch.epStart)
	}
}

// closeHome ends a return home at month at.
func (w *worker) closeHome(ch *child, at float64, reentered bool) {
	c, h, ta := w.c, &w.c.m.Home, w.t
	tR := ch.tR
	ta.follow(at-tR, reentered)
	end := min(at, tR+h.CaseCloseMonths)
	w.accrueD(tR, ch.dR, end, w.discount(end), c.m.Costs.SocialWorkMonthly, costSocialWork)
	w.closeSupport(ch, at)
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

// reenter ends a return home with a re-entry to care at month at.
func (w *worker) reenter(ch *child, at float64) {
	c, ta := w.c, w.t
	w.closeHome(ch, at, true)
	ta.reentries++
	ta.reentriesTier[ch.tier]++
	ta.addYearly(c, at, yReentries, 1)
	ta.addYearly(c, at, yReentriesTier+int(ch.tier), 1)
	w.oneOff(at, c.m.Costs.Reentry, costOneOff)
	ch.failed++
	ch.placement = pick(c.reentryPlaceCum[c.band(at-ch.birth)], ch.pcg.Float64())
	ch.placements++
	ch.epStart = at
	w.event(ch, at, evReentry, home, ch.placement)
	w.enterCare(ch, at)
}

func (w *worker) advanceHome(ch *child) {
	c, h, ta := w.c, &w.c.m.Home, w.t
	t := ch.t
	switch ch.which {
	case evReentry:
		w.reenter(ch, t)
		return
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
		if ch.pcg.Float64() < h.MaltreatmentReentry {
			w.reenter(ch, t)
			return
		}
		ch.e[1], ch.a[1] = ch.pcg.ExpFloat64(), 0
		return
	}
	if t >= ch.end {
		w.closeHome(ch, t, false)
		if t >= ch.age18 {
			w.event(ch, t, evAge18, outside, outside)
		}
		ch.stage = gone
		return
	}
	if t >= ch.nextR {
		ch.segR++
		ch.nextR = next(h.Reentry.Starts, ch.segR, ch.tR)
	}
	if t >= ch.nextM {
		ch.segM++
		ch.nextM = next(h.Maltreatment.Starts, ch.segM, ch.tR)
	}
}

// next returns the month at which segment seg ends, of segments that
// start at starts (after origin) and the last of which never ends.
func next(starts []float64, seg int, origin float64) float64 {
	if seg+1 < len(starts) {
		return origin + starts[seg+1]
	}
	return math.Inf(1)
}
