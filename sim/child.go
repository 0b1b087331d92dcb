package sim

import (
	"math"
	"math/rand/v2"
)

// Where a child enters the model.
type origin int

const (
	fromStock  origin = iota // in care at month 0
	fromCohort               // returned home at month 0
	fromEntry                // enters care during the horizon
)

// child is the state of one synthetic child. It lives on the worker's
// stack-like scratch space; nothing is allocated per child.
type child struct {
	idx        int
	key        uint64
	birth      float64 // month of birth (age at t is t - birth)
	age18      float64 // month of the 18th birthday
	factors    uint64  // bit f set: the child has factor f
	hrFactors  Ratios  // product of the factor ratios
	placement  int
	placements int     // placements so far, including the current one
	failed     int     // previous failed returns
	epStart    float64 // start of the current care episode (may be < 0)
	episodes   uint64  // care episodes simulated (stream index)
	returns    uint64  // returns home simulated (stream index)
	maltreated bool
	home       bool // at home at the start (a returning cohort)
}

// window is a support phase of one package for one child: supported (and
// paying) over [start, costEnd), with its effect over [start, effectEnd).
type window struct {
	start, costEnd, effectEnd, cost float64
	hr                              Ratios
}

// worker simulates iterations; it owns its random generators, tallies and
// scratch space, so workers share nothing but the read-only model.
type worker struct {
	c      *compiled
	ik     uint64 // iteration key
	iter   int
	arm    int
	pcg    rand.PCG // the current child stream
	r      *rand.Rand
	arrPCG rand.PCG // the iteration's arrivals stream
	arrR   *rand.Rand
	t      *tally
	win    []window
	ev     *eventBuf // nil unless an event log is asked for
}

func newWorker() *worker {
	w := &worker{win: make([]window, 0, 8)}
	w.r = rand.New(&w.pcg)
	w.arrR = rand.New(&w.arrPCG)
	return w
}

// runArm simulates the whole population of one arm of one iteration.
func (w *worker) runArm(arm int) {
	c, m := w.c, w.c.m
	w.arm = arm
	if fixed := c.arms[arm].fixedPerMon; fixed > 0 {
		w.t.accrue(c, 0, c.horizon, fixed, costSupport)
	}
	idx := 0
	for range m.Stock.Count {
		w.simulate(fromStock, idx, 0)
		idx++
	}
	for range m.Cohort.Count {
		w.simulate(fromCohort, idx, 0)
		idx++
	}
	if m.Entries.PerMonth <= 0 {
		return
	}
	seedStream(&w.arrPCG, w.ik, streamArrivals, 0)
	t, year, rate := 0.0, 0, m.Entries.PerMonth
	for {
		next := t + w.arrR.ExpFloat64()/rate
		if yEnd := float64(year+1) * 12; next >= yEnd && yEnd < c.horizon {
			// The rate changes at the year boundary; by memorylessness
			// the wait starts afresh there.
			t, year = yEnd, year+1
			rate *= 1 + m.Entries.Trend
			continue
		}
		if next >= c.horizon {
			return
		}
		t = next
		w.simulate(fromEntry, idx, t)
		idx++
	}
}

// simulate follows one child from its start at month t0 to the end of the
// horizon, its 18th birthday or a permanent exit.
func (w *worker) simulate(o origin, idx int, t0 float64) {
	c, m, r, t := w.c, w.c.m, w.r, w.t
	ch := child{idx: idx, key: childKey(w.ik, idx), placements: 1}
	seedStream(&w.pcg, ch.key, streamAttributes, 0)
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
		months := math.Min(r.ExpFloat64()*pop.MeanMonthsInCare, age)
		ch.epStart = t0 - months
		if rate := m.Placements[ch.placement].MoveRate; rate > 0 {
			for s := r.ExpFloat64() / rate; s < months && ch.placements < 20; s += r.ExpFloat64() / rate {
				ch.placements++
			}
		}
		if r.Float64() < pop.PriorFailedReturns {
			ch.failed = 1
		}
	} else {
		t.entries++
		t.addYearly(c, t0, yEntries, 1)
		t.oneOff(c, t0, m.Costs.Entry, costOneOff)
		w.event(&ch, t0, evEntry, -1, ch.placement)
	}
	home := o == fromCohort
	if pop != nil {
		ch.home = home
		to := ch.placement
		if home {
			to = -1
		}
		w.event(&ch, t0, evStart, -1, to)
	}
	now := t0
	for now < c.horizon {
		if home {
			var reentered bool
			now, reentered = w.homeSpell(&ch, now)
			if !reentered {
				return
			}
		} else {
			var returned bool
			now, returned = w.careSpell(&ch, now)
			if !returned {
				return
			}
		}
		home = !home
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

// offer opens the support windows of the arm's packages in phase (pre or
// post) for which the child is eligible and its family takes up the offer.
func (w *worker) offer(ch *child, pkgs []int, at float64, tier Tier, post bool, occurrence uint64) {
	w.win = w.win[:0]
	m := w.c.m
	for _, k := range pkgs {
		p := &m.Packages[k]
		ph := &p.Pre
		phase := uint64(0)
		if post {
			ph, phase = &p.Post, 1
		}
		if !w.eligible(ch, &p.Eligible, at, tier) {
			continue
		}
		if uniform(ch.key, streamUptake, uint64(k)<<32|occurrence<<1|phase) >= p.Uptake {
			continue
		}
		w.win = append(w.win, window{
			start:     at,
			costEnd:   at + ph.Months,
			effectEnd: at + ph.Months + ph.PersistMonths,
			cost:      ph.MonthlyCost,
			hr:        ph.HR,
		})
		w.t.supportFamilies++
		w.t.oneOff(w.c, at, ph.StartCost, costSupport)
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

// support returns the combined ratios of the open windows at month at and
// the next month at which they change.
func (w *worker) support(at float64) (Ratios, float64) {
	hr, next := One, math.Inf(1)
	for i := range w.win {
		s := &w.win[i]
		if s.hr == One {
			// A window that changes no hazard must not split time:
			// splitting would perturb event times in the last bit.
			continue
		}
		switch {
		case at < s.start:
			next = math.Min(next, s.start)
		case at < s.effectEnd:
			hr = hr.times(s.hr)
			next = math.Min(next, s.effectEnd)
		}
	}
	return hr, next
}

// closeSupport books the cost of the open windows up to month end.
func (w *worker) closeSupport(end float64) {
	for i := range w.win {
		s := &w.win[i]
		w.t.accrue(w.c, s.start, math.Min(s.costEnd, end), s.cost, costSupport)
	}
	w.win = w.win[:0]
}

// careSpell runs a care episode from month t until the child returns home
// (returned true) or leaves the model (permanence, 18th birthday, horizon).
func (w *worker) careSpell(ch *child, t float64) (float64, bool) {
	c, m, r, ta := w.c, w.c.m, w.r, w.t
	seedStream(&w.pcg, ch.key, streamCare, ch.episodes)
	occurrence := ch.episodes
	ch.episodes++
	eR, eM, eP := r.ExpFloat64(), r.ExpFloat64(), r.ExpFloat64()
	var aR, aM, aP float64

	spellStart, placeStart := t, t
	hist := w.history(ch, t, false)
	w.offer(ch, c.arms[w.arm].pre, t, m.Tiers.Of(hist.Reentry), false, occurrence)
	hrBase := hist.Return

	band := c.band(t - ch.birth)
	nextBand := math.Inf(1)
	if band+1 < c.nb {
		nextBand = ch.birth + c.bandStart[band+1]
	}
	breaks := m.Care.DurationBreaks
	seg := 0
	for seg+1 < len(breaks) && t-ch.epStart >= breaks[seg+1] {
		seg++
	}
	nextSeg := math.Inf(1)
	if seg+1 < len(breaks) {
		nextSeg = ch.epStart + breaks[seg+1]
	}
	end := math.Min(c.horizon, ch.age18)

	closeSpell := func(at float64, open bool) {
		ta.accrue(c, placeStart, at, c.monthlyCost[ch.placement], costPlacement)
		ta.childMonths[ch.placement] += at - placeStart
		ta.accrue(c, spellStart, at, m.Costs.SocialWorkMonthly, costSocialWork)
		ta.inCare(c, spellStart, at, open)
		w.closeSupport(at)
	}

	for {
		hrSup, nextSup := w.support(t)
		tb := math.Min(math.Min(end, nextBand), math.Min(nextSeg, nextSup))
		hR := m.Care.ReturnHome[band][seg] * hrBase * hrSup.Return
		hM := m.Placements[ch.placement].MoveRate
		hP := m.Care.Permanence[band]
		best, which := tb, evNone
		if hR > 0 {
			if tc := t + (eR-aR)/hR; tc < best {
				best, which = tc, evReturn
			}
		}
		if hM > 0 {
			if tc := t + (eM-aM)/hM; tc < best {
				best, which = tc, evMove
			}
		}
		if hP > 0 {
			if tc := t + (eP-aP)/hP; tc < best {
				best, which = tc, evPermanence
			}
		}
		dt := best - t
		aR += hR * dt
		aM += hM * dt
		aP += hP * dt
		t = best

		switch which {
		case evReturn:
			closeSpell(t, false)
			w.event(ch, t, evReturn, ch.placement, -1)
			return t, true
		case evMove:
			ta.accrue(c, placeStart, t, c.monthlyCost[ch.placement], costPlacement)
			ta.childMonths[ch.placement] += t - placeStart
			from := ch.placement
			ch.placement = pick(c.moveCum[from], r.Float64())
			ch.placements++
			placeStart = t
			eM, aM = r.ExpFloat64(), 0
			hrBase = w.history(ch, t, false).Return
			w.event(ch, t, evMove, from, ch.placement)
			continue
		case evPermanence:
			closeSpell(t, false)
			ta.exitsPermanence++
			w.event(ch, t, evPermanence, ch.placement, -1)
			return t, false
		}
		if t >= end {
			if t >= ch.age18 {
				closeSpell(t, false)
				ta.exitsAge18++
				w.event(ch, t, evAge18, ch.placement, -1)
			} else {
				closeSpell(t, true)
			}
			return t, false
		}
		if t >= nextBand {
			band++
			nextBand = math.Inf(1)
			if band+1 < c.nb {
				nextBand = ch.birth + c.bandStart[band+1]
			}
		}
		if t >= nextSeg {
			seg++
			nextSeg = math.Inf(1)
			if seg+1 < len(breaks) {
				nextSeg = ch.epStart + breaks[seg+1]
			}
		}
	}
}

// homeSpell runs a return home from month t until the child re-enters care
// (reentered true) or leaves the model (18th birthday, horizon).
func (w *worker) homeSpell(ch *child, t float64) (float64, bool) {
	c, m, r, ta := w.c, w.c.m, w.r, w.t
	h := &m.Home
	seedStream(&w.pcg, ch.key, streamHome, ch.returns)
	occurrence := ch.returns
	ch.returns++
	tR := t

	hr := w.history(ch, t, t-ch.epStart < 6)
	tier := m.Tiers.Of(hr.Reentry)
	ta.returns++
	ta.returnsTier[tier]++
	ta.addYearly(c, t, yReturns, 1)
	ta.oneOff(c, t, m.Costs.Return, costOneOff)
	w.offer(ch, c.arms[w.arm].post, t, tier, true, occurrence)

	eRe, eMa := r.ExpFloat64(), r.ExpFloat64()
	var aRe, aMa float64
	segR, segM := 0, 0
	nextR, nextM := next(h.Reentry, 0, tR), next(h.Maltreatment, 0, tR)
	end := math.Min(c.horizon, ch.age18)
	maltreated24 := false
	eligible24 := tR+24 <= c.horizon

	closeSpell := func(at float64, reentered bool) {
		ta.follow(at-tR, reentered)
		ta.accrue(c, tR, math.Min(at, tR+h.CaseCloseMonths), m.Costs.SocialWorkMonthly, costSocialWork)
		w.closeSupport(at)
		if tR+h.StableMonths <= c.horizon {
			ta.stableEligible++
			if at-tR >= h.StableMonths {
				ta.stable++
			}
		}
		if eligible24 {
			ta.eligible24++
			if maltreated24 {
				ta.maltreat24++
			}
		}
	}
	reenter := func(at float64) (float64, bool) {
		closeSpell(at, true)
		ta.reentries++
		ta.reentriesTier[tier]++
		ta.addYearly(c, at, yReentries, 1)
		ta.oneOff(c, at, m.Costs.Reentry, costOneOff)
		ch.failed++
		ch.placement = pick(c.reentryPlaceCum[c.band(at-ch.birth)], r.Float64())
		ch.placements++
		ch.epStart = at
		w.event(ch, at, evReentry, -1, ch.placement)
		return at, true
	}

	for {
		hrSup, nextSup := w.support(t)
		tb := math.Min(math.Min(end, nextR), math.Min(nextM, nextSup))
		hRe := h.Reentry.Rates[segR] * hr.Reentry * hrSup.Reentry
		hMa := h.Maltreatment.Rates[segM] * hr.Maltreatment * hrSup.Maltreatment
		best, which := tb, evNone
		if hRe > 0 {
			if tc := t + (eRe-aRe)/hRe; tc < best {
				best, which = tc, evReentry
			}
		}
		if hMa > 0 {
			if tc := t + (eMa-aMa)/hMa; tc < best {
				best, which = tc, evMaltreatment
			}
		}
		dt := best - t
		aRe += hRe * dt
		aMa += hMa * dt
		t = best

		switch which {
		case evReentry:
			return reenter(t)
		case evMaltreatment:
			ta.maltreatEvents++
			ta.addYearly(c, t, yMaltreatment, 1)
			if t-tR < 24 {
				maltreated24 = true
			}
			if !ch.maltreated {
				ch.maltreated = true
				ta.maltreated++
			}
			w.event(ch, t, evMaltreatment, -1, -1)
			if r.Float64() < h.MaltreatmentReentry {
				return reenter(t)
			}
			eMa, aMa = r.ExpFloat64(), 0
			continue
		}
		if t >= end {
			closeSpell(t, false)
			if t >= ch.age18 {
				w.event(ch, t, evAge18, -1, -1)
			}
			return t, false
		}
		if t >= nextR {
			segR++
			nextR = next(h.Reentry, segR, tR)
		}
		if t >= nextM {
			segM++
			nextM = next(h.Maltreatment, segM, tR)
		}
	}
}

// next returns the month at which segment seg of p ends, for a clock that
// started at month origin.
func next(p Piecewise, seg int, origin float64) float64 {
	if seg+1 < len(p.Starts) {
		return origin + p.Starts[seg+1]
	}
	return math.Inf(1)
}
