package sim

import (
	"math"
	"slices"
)

// The cohort kernel: a fast path for children of the returning cohort in
// models where a return home can end only in a re-entry to care, and care
// can end only at the horizon (no return home, permanence or move from
// care, no maltreatment at home, no support before a return, no limited
// places, every family taking up the same post-return packages). That is
// the shape of a study of returns (BM1 of ../shared/peers, the England
// 2012-13 cohort): each child's path is one re-entry month per arm, found
// by inverting the arm's schedule at the child's one target, and every
// arm books it with no spell, clock, offer or copy of the child. The
// kernel is chosen from the model's structure once per compiled model; it
// books exactly what the general path books, into the same exact sums,
// so its results are the general path's bit for bit
// (TestCohortKernelEqualsGeneralPath), and a child outside its shape (one
// who turns 18 within the horizon) goes the general way.
//
// Children go through the kernel in blocks, stage by stage: keys, then
// attributes, then targets; then, arm by arm, re-entry months, discount
// factors, and what each child books. Each stage is a short loop over the
// block with nothing random to branch on, so the processor overlaps many
// children's hashing and arithmetic.
//
// What a child books depends only on the month its return ends (the
// re-entry month, or the horizon), its discount factor, the year they fall
// in, whether it is a re-entry, and which of the open case's and the
// windows' ends come before it. So each child adds its month and factor,
// as fixed-point terms, to a bucket of those (year, ends passed,
// re-entry), and the buckets are booked once per iteration into every
// sum that the general path books those children into (foldCohort), with
// what every child books alike (its arrival, return and the starts of
// its windows at month 0, the ends at the horizon of the stays in care).
// Every sum is of whole numbers, so grouping the terms changes no bit.

// cohortKernel is a compiled model's kernel; nil where the model does not
// have the kernel's shape.
type cohortKernel struct {
	needAge  bool    // the age is drawn: something below depends on it
	checkEnd bool    // some child may turn 18 within the horizon
	older    bool    // the history ratio for ages 12+ changes re-entry
	months   bool    // the time in care so far is drawn (short care changes re-entry)
	prior    float64 // the share with an earlier failed return, if that changes re-entry, else 0
	reentry  bool    // re-entry has a hazard at all
	comboRe  []float64
	// placeOnly is the placement on re-entry when it is the same for
	// every child, else -1 (drawn by the age band at re-entry).
	placeOnly      int
	casePriced     bool // the open case at home is priced
	stableEligible bool // a return at month 0 can count as stable
	eligible24     bool
	onceReturn     bool // the one-offs of a return and a re-entry are priced
	onceReentry    bool
	d0             float64 // the discount factor at month 0
	arms           []kernelArm
}

// kernelArm is one arm in the kernel: its schedule of re-entry with the
// windows every family opens at the return, and the flows that start at
// the return and end at the return's end or at their own.
type kernelArm struct {
	ok   bool // the arm has the kernel's shape
	inv  invert4
	long *schedule // the schedule, when it has more than 4 pieces
	nwin int       // windows opened at the return
	// closers are the priced flows from month 0 (the open case, each
	// priced window), by their ends; ends are those ends, padded with
	// +Inf, so that the count of ends before a month is branch-free.
	closers []closer
	ends    [maxClosers]float64
	onces   []int // the kinds of the windows' priced start-up costs
}

// maxClosers bounds an arm's flows from month 0: the open case and a
// window per package.
const maxClosers = 1 + maxWindows

// closer is a priced flow that starts at month 0 and ends at month end
// (discount factor there dEnd) unless the return ends first.
type closer struct {
	cat       int
	end, dEnd float64
}

// invert4 is a schedule of at most 4 pieces, padded with copies of its
// last piece, inverted with no loop: the piece is the count of
// breakpoints at or below the target, which is the piece schedule.invert's
// search stops at.
type invert4 struct {
	starts, cum, rates [4]float64
}

func newInvert4(s *schedule) (invert4, bool) {
	var v invert4
	n := len(s.starts)
	if n > 4 || n == 0 {
		return v, false
	}
	for _, r := range s.rates {
		if !(r > 0) {
			return v, false // a piece without hazard: invert's +Inf
		}
	}
	for j := range 4 {
		k := min(j, n-1)
		v.starts[j], v.cum[j], v.rates[j] = s.starts[k], s.cum[k], s.rates[k]
	}
	return v, true
}

// invert is schedule.invert, bit for bit, for a schedule whose every
// piece has a hazard.
func (v *invert4) invert(x float64) float64 {
	j := (b2i(x >= v.cum[1]) + b2i(x >= v.cum[2]) + b2i(x >= v.cum[3])) & 3
	return v.starts[j] + (x-v.cum[j])/v.rates[j]
}

// newCohortKernel returns c's kernel, or nil if c lacks its shape.
func newCohortKernel(c *compiled) *cohortKernel {
	m := c.m
	if m.Cohort.Count == 0 || c.anyReturn || c.permCum[c.nb] > 0 || c.home[1].anyFrom[0] {
		return nil
	}
	for _, r := range c.moveRate {
		if r > 0 {
			return nil
		}
	}
	k := &cohortKernel{reentry: c.home[0].anyFrom[0], d0: c.discount(0)}
	h := &m.History
	k.older = h.Older.Reentry != 1
	k.months = h.ShortCare.Reentry != 1
	if h.PriorFailure.Reentry != 1 {
		k.prior = m.Cohort.PriorFailedReturns
	}
	k.needAge = k.older || k.months && m.Cohort.MeanMonthsInCare > 0 || len(c.combos) > 1
	if c.combos == nil {
		for _, f := range m.Factors {
			k.needAge = k.needAge || len(f.Prevalence) > 1
		}
	} else {
		for _, hr := range c.comboHR {
			k.comboRe = append(k.comboRe, hr[onReentry])
		}
	}
	for b, s := range m.Cohort.AgeShares {
		if s > 0 && !(MaxAgeMonths-c.bandStart[b+1] > c.horizon) {
			k.checkEnd, k.needAge = true, true
		}
	}
	k.placeOnly = c.reentryCat[0].only
	for b := range c.reentryCat {
		if c.reentryCat[b].only != k.placeOnly {
			k.placeOnly = -1
		}
	}
	if k.placeOnly < 0 {
		k.needAge = true // the placement depends on the age band at re-entry
	}
	k.casePriced = c.priced[c.catHomeCase()]
	k.stableEligible = 0+m.Home.StableMonths <= c.horizon
	k.eligible24 = 0+24 <= c.horizon
	k.onceReturn, k.onceReentry = c.oncePriced[onceReturn], c.oncePriced[onceReentry]
	any := false
	for a := range c.arms {
		ka := newKernelArm(c, k, &c.arms[a])
		any = any || ka.ok
		k.arms = append(k.arms, ka)
	}
	if !any {
		return nil
	}
	return k
}

func newKernelArm(c *compiled, k *cohortKernel, ca *compiledArm) kernelArm {
	var ka kernelArm
	if ca.coupled || len(ca.pre) > 0 || ca.always[1] < 0 || ca.homeSched == nil {
		return ka
	}
	taken := uint8(ca.always[1])
	s := &ca.homeSched[taken][0]
	var fits bool
	if ka.inv, fits = newInvert4(s); !fits {
		ka.long = s
	}
	add := func(cat int, end float64) {
		ka.closers = append(ka.closers, closer{cat: cat, end: end, dEnd: c.discount(end)})
	}
	if k.casePriced {
		add(c.catHomeCase(), 0+c.m.Home.CaseCloseMonths)
	}
	for i, pk := range ca.post {
		if taken&(1<<i) == 0 {
			continue
		}
		ka.nwin++
		if cat := c.catWindow(pk, true); c.priced[cat] {
			add(cat, 0+c.m.Packages[pk].Post.Months)
		}
		if kind := onceStartOf(pk, true); c.oncePriced[kind] {
			ka.onces = append(ka.onces, kind)
		}
	}
	slices.SortStableFunc(ka.closers, func(a, b closer) int {
		switch {
		case a.end < b.end:
			return -1
		case a.end > b.end:
			return 1
		}
		return 0
	})
	for i := range ka.ends {
		ka.ends[i] = inf
		if i < len(ka.closers) {
			ka.ends[i] = ka.closers[i].end
		}
	}
	ka.ok = true
	return ka
}

// kernelFor reports whether the kernel simulates the cohort of arms.
func (w *worker) kernelFor(arms []int) bool {
	k := w.c.kern
	if k == nil || w.ev != nil || w.general {
		return false
	}
	for _, a := range arms {
		if !k.arms[a].ok {
			return false
		}
	}
	return true
}

// kernelBlock is how many children the kernel takes through each of its
// stages at once: enough that each stage is a loop whose children the
// processor overlaps, few enough that the block stays in L1.
const kernelBlock = 256

// kernelScratch is a worker's block of the kernel's children (what the
// first stages draw for each, then for one arm at a time the return's
// end and its discount factor) and the kernel's buckets and counts for
// the iteration.
type kernelScratch struct {
	n     int
	key   [kernelBlock]uint64
	birth [kernelBlock]float64
	age   [kernelBlock]float64
	band  [kernelBlock]int32
	hr    [kernelBlock]float64
	x     [kernelBlock]float64 // the target on the ratio-1 scale
	slot  [kernelBlock]uint8   // 1 + tier: the child's bucket slot if it re-enters
	q     [kernelBlock]int32   // how many of the arm's closers end before the return
	rel   [kernelBlock]float64 // an arm's re-entry months, by child
	at, d [kernelBlock]float64 // an arm's re-entries: the month and its discount factor
	who   [kernelBlock]int32   // the child of each re-entry
	fall  []int                // children of the block outside the kernel's shape
	// tiers counts the kernel's children by tier; per arm, buckets holds
	// the terms of the returns' ends (bucket), edges the re-entries at a
	// year's start, placed the re-entries by placement, and stable the
	// stable returns.
	tiers [NumTiers]int64
	arm   []kernelAcc
}

// kernelAcc is one arm's sums over the kernel's children in an
// iteration.
type kernelAcc struct {
	buckets []bucket
	edges   []int64 // [year]: re-entries exactly at the year's start (12 * year)
	placed  []int64
	stable  int64
	// atHorizon counts the returns that end at the horizon: their
	// bucket, follow-up and stability are all alike.
	atHorizon int64
}

// bucket sums the returns whose end falls in one year, after the same
// number q of the ends of the arm's flows from month 0, and that end in
// no re-entry (slot 0) or in a re-entry of a child of tier slot-1: their
// count and the sums of their ends and discount factors as fixed-point
// terms. A bucket's index is (year*(closers+1) + q)*4 + slot.
type bucket struct {
	n    int64
	a, d sum128
}

// resetCohort readies the worker's kernel for an iteration of c.
func (w *worker) resetCohort() {
	c := w.c
	if w.ks == nil {
		w.ks = &kernelScratch{}
	}
	ks := w.ks
	ks.tiers = [NumTiers]int64{}
	for len(ks.arm) < len(c.arms) {
		ks.arm = append(ks.arm, kernelAcc{})
	}
	grow := func(s []int64, n int) []int64 {
		if cap(s) < n {
			return make([]int64, n)
		}
		s = s[:n]
		clear(s)
		return s
	}
	for a := range ks.arm {
		acc := &ks.arm[a]
		if n := c.years * (maxClosers + 1) * 4; cap(acc.buckets) < n {
			acc.buckets = make([]bucket, n)
		} else {
			acc.buckets = acc.buckets[:n]
			clear(acc.buckets)
		}
		acc.edges = grow(acc.edges, c.years)
		acc.placed = grow(acc.placed, c.np)
		acc.stable, acc.atHorizon = 0, 0
	}
}

// cohortBlock simulates the cohort's children lo to hi-1 in every arm of
// arms with the kernel, into tallies, and returns those it leaves to the
// general path.
func (w *worker) cohortBlock(lo, hi int, arms []int, tallies []*tally) []int {
	w.kernelDraw(lo, hi)
	for _, arm := range arms {
		w.kernelArm(arm, tallies[arm])
	}
	return w.ks.fall
}

// kernelDraw is the kernel's first stages: each child's key, its
// attributes as attributes draws them (but only those that change a
// re-entry: a number nobody needs is not drawn) and its target.
//
// It and kernelArm stay functions of their own: inlined into
// cohortBlock (as profile-guided optimisation would), their loops share
// registers and spill (BM1: 10% more instructions and time, measured).
//
//go:noinline
func (w *worker) kernelDraw(lo, hi int) {
	c, k, ks := w.c, w.c.kern, w.ks
	n := hi - lo
	ks.fall = ks.fall[:0]
	keys := ks.key[:n]
	for i := range keys {
		keys[i] = childKey(w.ik, lo+i)
	}
	band, birth, age := ks.band[:n], ks.birth[:n], ks.age[:n]
	if k.needAge {
		ad := &c.cohort.age
		for i, key := range keys {
			b, pos := ad.drawAt(streamOf(key, streamAttributes, 0).bits(attrAge))
			lo, hi := c.bandStart[b], c.bandStart[b+1]
			a := lo + pos*(hi-lo)
			if a >= hi {
				a = math.Nextafter(hi, lo)
			}
			age[i], birth[i], band[i] = a, 0-a, int32(b)
		}
		if k.checkEnd {
			// Those who turn 18 within the horizon go the general way.
			j := 0
			for i := range keys {
				if !(birth[i]+MaxAgeMonths > c.horizon) {
					ks.fall = append(ks.fall, lo+i)
					continue
				}
				keys[j], age[j], birth[j], band[j] = keys[i], age[i], birth[i], band[i]
				j++
			}
			n = j
			keys, band, birth, age = keys[:n], band[:n], birth[:n], age[:n]
		}
	} else {
		clear(band)
		clear(birth)
		clear(age)
	}
	hr := ks.hr[:n]
	switch {
	case c.combos != nil && len(c.combos) == 1 && c.combos[0].random():
		t, re := &c.combos[0], k.comboRe
		for i, key := range keys {
			hr[i] = re[t.draw(streamOf(key, streamAttributes, 0).bits(attrFactors))]
		}
	case c.combos != nil:
		for i, key := range keys {
			t := &c.combos[0]
			if len(c.combos) > 1 {
				t = &c.combos[band[i]]
			}
			combo := t.only
			if t.random() {
				combo = t.draw(streamOf(key, streamAttributes, 0).bits(attrFactors))
			}
			hr[i] = k.comboRe[combo]
		}
	default:
		fs := c.m.Factors
		for i, key := range keys {
			a := streamOf(key, streamAttributes, 0)
			r := 1.0
			for f := range fs {
				fa := &fs[f]
				prev := fa.Prevalence[0]
				if len(fa.Prevalence) > 1 {
					prev = fa.Prevalence[band[i]]
				}
				if a.float(uint64(attrFactor0+f)) < prev {
					r *= fa.HR.Reentry
				}
			}
			hr[i] = r
		}
	}
	// The history at the return (month 0): age 12+, a short stay (under
	// 6 months in care so far), an earlier failed return.
	if k.older || k.months || k.prior > 0 {
		mean := c.m.Cohort.MeanMonthsInCare
		for i, key := range keys {
			a := streamOf(key, streamAttributes, 0)
			h := 0
			if k.older && 0-birth[i] >= 144 {
				h |= histOlder
			}
			if k.months {
				months := 0.0
				if mean > 0 {
					months = fmin(a.exp(attrMonths)*mean, age[i])
				}
				if months < 6 {
					h |= histShort
				}
			}
			if k.prior > 0 && a.float(attrPrior) < k.prior {
				h |= histFailed
			}
			hr[i] *= c.hist[h][onReentry]
		}
	} else if r := c.hist[0][onReentry]; r != 1 {
		for i := range hr {
			hr[i] *= r
		}
	}
	slot, x := ks.slot[:n], ks.x[:n]
	for i, r := range hr {
		t := c.tier(r)
		slot[i] = uint8(1 + t)
		ks.tiers[t&3]++
	}
	if k.reentry {
		for i, key := range keys {
			// stream.exp, its ziggurat's first try inlined.
			s := streamOf(key, streamHome, 0)
			u := s.bits(homeReentry)
			j, z := uint32(u), uint8(u>>32)
			e := float64(j) * float64(we[z])
			if j >= ke[z] {
				e = s.expSlow(homeReentry, u)
			}
			x[i] = e / hr[i]
		}
	}
	ks.n = n
}

// kernelArm takes the block through one arm: each child's re-entry month
// from the arm's schedule; then, for those who re-enter before the
// horizon, kept in a list without a branch, its discount factor and its
// terms in the arm's buckets and counts. A return that does not end in
// re-entry ends at the horizon, as every such return does, and is only
// counted (foldCohort books them).
//
//go:noinline
func (w *worker) kernelArm(arm int, t *tally) {
	c, k, ks := w.c, w.c.kern, w.ks
	ka, acc := &k.arms[arm], &ks.arm[arm]
	n := ks.n
	at, who := w.kernelReentries(ka)
	m := len(at)
	acc.atHorizon += int64(n - m)
	d := ks.d[:m]
	c.discountsIn(at, d)

	// How many of the arm's closers end before each re-entry.
	buckets, qs := acc.buckets, len(ka.closers)+1
	q := ks.q[:m]
	e0 := ka.ends[0]
	for i, a := range at {
		q[i] = int32(b2i(e0 < a))
	}
	for _, e := range ka.ends[1:max(qs-1, 1)] {
		for i, a := range at {
			q[i] += int32(b2i(e < a))
		}
	}

	// Each re-entry's terms in its bucket; its follow-up for the re-entry
	// curve; whether the return was stable; and whether it came at a
	// year's start, which is in care from the end of the year before.
	nbins := len(t.kmEvent)
	events := t.kmEvent[:nbins]
	yearOf, yearStart := c.yearOf, c.yearStart
	edges := acc.edges
	slot := ks.slot[:n]
	sm := c.m.Home.StableMonths
	var stable int64
	for i, a := range at {
		y := int(yearOf[int(a)])
		b := &buckets[(y*qs+int(q[i]))<<2|int(slot[who[i]])]
		b.n++
		b.a.addU(uint64(fix(a, monthScale)))
		b.d.addU(uint64(fix(d[i], discScale)))
		events[min(int(a*kmBinsPerMonth), nbins-1)]++
		stable += int64(b2i(a >= sm))
		edges[y] += int64(b2i(a == yearStart[y]))
	}
	acc.stable += stable
	if k.placeOnly < 0 {
		// The placement on re-entry depends on the age band then.
		for i, a := range at {
			j := who[i]
			cat := &c.reentryCat[c.band(a-ks.birth[j])]
			p := cat.only
			if cat.random() {
				p = cat.draw(streamOf(ks.key[j], streamHome, 0).bits(homePlacement))
			}
			acc.placed[p]++
			rp := &t.ramps[p*c.years+c.year(a)]
			rp.n++
			rp.at.add(fix(a, monthScale))
			rp.d.add(fix(d[i], discScale))
		}
	}
}

// kernelReentries inverts arm ka's schedule at the block's targets and
// returns the re-entries before the horizon, the month of each and its
// child, kept without a branch.
func (w *worker) kernelReentries(ka *kernelArm) (at []float64, who []int32) {
	c, k, ks := w.c, w.c.kern, w.ks
	n, h := ks.n, c.horizon
	if !k.reentry {
		return nil, nil
	}
	// First every month, each at its child's place; then the list. A
	// store to a place that depends on the month just computed (the
	// list's end) would make the processor wait for each division in
	// turn: measured, 11 ns a child-arm against 2.
	rel := ks.rel[:n]
	if ka.long != nil {
		for i, x := range ks.x[:n] {
			rel[i] = ka.long.invert(x)
		}
	} else {
		inv := ka.inv
		for i, x := range ks.x[:n] {
			rel[i] = inv.invert(x)
		}
	}
	at, who = ks.at[:n], ks.who[:n]
	m := 0
	for i, a := range rel {
		at[m], who[m] = a, int32(i)
		m += b2i(a < h)
	}
	return at[:m], who[:m]
}
