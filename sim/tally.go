package sim

// Cost components, for the per-component metrics.
const (
	costPlacement = iota
	costSocialWork
	costSupport
	costOneOff
	numCosts
)

// kmBinsPerMonth is the resolution of the Kaplan-Meier tallies: event and
// censoring times are grouped into bins of 1/16 month (about 2 days), fine
// enough that the grouped estimate is the exact one for practical purposes.
const kmBinsPerMonth = 16

// tally accumulates one arm of one iteration. A worker reuses one tally per
// arm, resetting it between iterations, so the hot loop never allocates.
type tally struct {
	children, entries, returns, reentries  float64
	stable, stableEligible                 float64
	maltreatEvents, maltreated             float64
	maltreat24, eligible24                 float64
	exitsPermanence, exitsAge18, inCareEnd float64
	supportFamilies, turnedAway            float64
	waitMonths                             sum128  // months waited, monthScale
	placeMonths, usedMonths                float64 // limited places: available and used
	returnsTier, reentriesTier             [NumTiers]float64
	events                                 int64 // rows an event log would have

	yearly []float64 // [year*numYearly + k]; costs and counts in care filled in by outcome
	// kmBins are the censored follow-ups per bin of months since return,
	// then the re-entries per bin: a return's bin is its length's plus
	// nbins if it ended in re-entry. kmCensor and kmEvent are the halves.
	kmBins            []int32
	kmCensor, kmEvent []int32
	inCareDiff        []float64 // year-end counts in care, as differences by year

	// Flows are booked in O(1), whatever a spell's length, as months
	// (priced only once, in outcome), and split by year only once. A
	// flow over [a, b) is a ramp: its cumulative months at month T are
	// min(T,b)-a for T > a. Ramps are kept as slope changes: +1 at a and
	// -1 at b. For a change s at month x, kept in x's year, n sums s,
	// the cumulative months at T > x gain s(T-x), and the discounted
	// ones s(D(x)-D(T))/delta with D the discount factor. So, by
	// category and year ([cat*years + y]): n = sum s, at = sum s x,
	// d = sum s D(x), the last two exact (fixed.go). One-offs are
	// counted by kind and year, with the sum of their discount factors.
	ramps []rampSum
	once  []onceSum
	// months and monthsD are outcome's scratch: each category's months
	// in each year, undiscounted and discounted; childMonths the months
	// in each placement.
	months, monthsD, childMonths []float64
}

type rampSum struct {
	n     int64
	at, d sum128
}

type onceSum struct {
	n int64
	d sum128
}

func newTally(c *compiled) *tally {
	nbins := (c.survival + 1) * kmBinsPerMonth
	t := &tally{
		yearly:      make([]float64, c.years*numYearly),
		kmBins:      make([]int32, 2*nbins),
		inCareDiff:  make([]float64, c.years+1),
		ramps:       make([]rampSum, c.nCat*c.years),
		once:        make([]onceSum, c.nOnce*c.years),
		months:      make([]float64, c.nCat*c.years),
		monthsD:     make([]float64, c.nCat*c.years),
		childMonths: make([]float64, c.np),
	}
	t.kmCensor, t.kmEvent = t.kmBins[:nbins], t.kmBins[nbins:]
	return t
}

// fits reports whether t can be reused for compiled model c.
func (t *tally) fits(c *compiled) bool {
	return len(t.yearly) == c.years*numYearly && len(t.ramps) == c.nCat*c.years && len(t.childMonths) == c.np &&
		len(t.once) == c.nOnce*c.years && len(t.kmEvent) == (c.survival+1)*kmBinsPerMonth
}

func (t *tally) reset() {
	keep := *t
	*t = tally{}
	clear(keep.yearly)
	clear(keep.inCareDiff)
	clear(keep.kmBins)
	clear(keep.ramps)
	clear(keep.once)
	t.yearly, t.inCareDiff, t.kmBins, t.kmEvent, t.kmCensor = keep.yearly, keep.inCareDiff, keep.kmBins, keep.kmEvent, keep.kmCensor
	t.ramps, t.once, t.months, t.monthsD = keep.ramps, keep.once, keep.months, keep.monthsD
	t.childMonths = keep.childMonths
}

// add adds o's tallies to t's (same compiled model). Every sum but the
// places' months is exact (counts, and fixed.go's sums), so adding a
// tally changes no bit of what a single tally would have held; o must
// hold no places (see runShared).
func (t *tally) add(o *tally) {
	t.children += o.children
	t.entries += o.entries
	t.returns += o.returns
	t.reentries += o.reentries
	t.stable += o.stable
	t.stableEligible += o.stableEligible
	t.maltreatEvents += o.maltreatEvents
	t.maltreated += o.maltreated
	t.maltreat24 += o.maltreat24
	t.eligible24 += o.eligible24
	t.exitsPermanence += o.exitsPermanence
	t.exitsAge18 += o.exitsAge18
	t.inCareEnd += o.inCareEnd
	t.supportFamilies += o.supportFamilies
	t.turnedAway += o.turnedAway
	for k := range t.returnsTier {
		t.returnsTier[k] += o.returnsTier[k]
		t.reentriesTier[k] += o.reentriesTier[k]
	}
	t.events += o.events
	for i, v := range o.yearly {
		t.yearly[i] += v
	}
	for i, v := range o.kmBins {
		t.kmBins[i] += v
	}
	for i, v := range o.inCareDiff {
		t.inCareDiff[i] += v
	}
	t.waitMonths.addSum(o.waitMonths)
	for i := range o.ramps {
		r, q := &t.ramps[i], &o.ramps[i]
		r.n += q.n
		r.at.addSum(q.at)
		r.d.addSum(q.d)
	}
	for i := range o.once {
		t.once[i].n += o.once[i].n
		t.once[i].d.addSum(o.once[i].d)
	}
}

// year returns the index of the year containing month at, clamped to the
// horizon's years.
func (c *compiled) year(at float64) int {
	if m := int(at); m >= 0 && m < len(c.yearOf) {
		return int(c.yearOf[m]) // floor(floor(at)/12) is floor(at/12)
	}
	if at < 0 {
		return 0
	}
	return c.years - 1
}

// byTier counts a return or re-entry of a child of tier at month at: in
// the count by tier, and in the yearly count k and by tier (kTier).
func (t *tally) byTier(c *compiled, at float64, tiers *[NumTiers]float64, k, kTier int, tier Tier) {
	tiers[tier]++
	y := c.year(at) * numYearly
	t.yearly[y+k]++
	t.yearly[y+kTier+int(tier)]++
}

func (t *tally) addYearly(c *compiled, at float64, k int, v float64) {
	t.yearly[c.year(at)*numYearly+k] += v
}

// yearEnd returns the first year whose end (12(y+1) months, the horizon
// for the last) is at or after month at, or c.years if none is.
func (c *compiled) yearEnd(at float64) int {
	switch {
	case at <= 0:
		return 0
	case at > c.horizon:
		return c.years
	}
	y := c.year(at)
	if y > 0 && float64(12*y) == at {
		y-- // a year's end belongs to the year it ends
	}
	return y
}

// inCare books a spell in care over [a, b) for the year-end counts; open
// means the child is still in care at b (the horizon).
func (t *tally) inCare(c *compiled, a, b float64, open bool) {
	// Counted at every year end in [a, b), and at b when open.
	// yearEnd is monotone, so k0 <= k1; equal, the two cancel.
	k1 := c.years
	if !open {
		k1 = c.yearEnd(b)
	}
	t.inCareDiff[c.yearEnd(a)]++
	t.inCareDiff[k1]--
	if open {
		t.inCareEnd++
	}
}

// follow books the follow-up of one return home for the re-entry curve:
// months at home, and whether it ended in re-entry (else censored).
func (t *tally) follow(months float64, reentered bool) {
	n := len(t.kmEvent)
	b := min(int(months*kmBinsPerMonth), n-1)
	t.kmBins[b2i(reentered)*n+b]++
}

// costs prices the booked flows and one-offs: it fills each year's costs
// into t.yearly and returns the totals by component, undiscounted and
// discounted, and the months in each placement.
func (t *tally) costs(c *compiled, childMonths []float64) (cost, disc [numCosts]float64) {
	ys := c.years
	for cat := range c.nCat {
		if !c.priced[cat] {
			continue
		}
		var n int64
		var at, d sum128
		var prev, prevD float64
		for y := range ys {
			k := cat*ys + y
			r := &t.ramps[k]
			n += r.n
			at.addSum(r.at)
			d.addSum(r.d)
			end := min(float64(y+1)*12, c.horizon)
			fn := float64(n)
			cum := end*fn - at.value(monthScale)
			cumD := cum
			if c.delta > 0 {
				cumD = (d.value(discScale) - c.discount(end)*fn) / c.delta
			}
			t.months[k], t.monthsD[k] = cum-prev, cumD-prevD
			prev, prevD = cum, cumD
		}
		if cat < len(childMonths) {
			childMonths[cat] = prev // the placement categories come first
		}
	}
	for y := range ys {
		j := y * numYearly
		t.yearly[j+yCost], t.yearly[j+yCostDisc] = 0, 0
		t.yearly[j+yCostPlacement], t.yearly[j+yCostSupport] = 0, 0
	}
	book := func(comp, y int, amount, amountD float64) {
		cost[comp] += amount
		disc[comp] += amountD
		j := y * numYearly
		t.yearly[j+yCost] += amount
		t.yearly[j+yCostDisc] += amountD
		switch comp {
		case costPlacement:
			t.yearly[j+yCostPlacement] += amount
		case costSupport:
			t.yearly[j+yCostSupport] += amount
		}
	}
	for _, term := range c.rampTerms {
		if term.price == 0 {
			continue
		}
		for y := range ys {
			k := term.cat*ys + y
			book(term.comp, y, term.price*t.months[k], term.price*t.monthsD[k])
		}
	}
	for _, term := range c.onceTerms {
		if term.price == 0 {
			continue
		}
		for y := range ys {
			o := &t.once[term.cat*ys+y]
			book(term.comp, y, term.price*float64(o.n), term.price*o.d.value(discScale))
		}
	}
	return cost, disc
}
