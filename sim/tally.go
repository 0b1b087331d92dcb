package sim

import "math"

// Cost components, for the per-component metrics.
const (
	costPlacement = iota
	costSocialWork
	costSupport
	costOneOff
	numCosts
)

// Indices of the yearly metrics, matching yearlyNames.
const (
	yEntries = iota
	yReturns
	yReentries
	yMaltreatment
	yInCare
	yCost
	yCostDisc
	yCostPlacement
	yCostSupport
	yReturnsTier   // NumTiers entries: returns home by tier
	yReentriesTier = yReturnsTier + int(NumTiers)
	numYearly      = yReentriesTier + int(NumTiers)
)

// kmBinsPerMonth is the resolution of the Kaplan-Meier tallies: event and
// censoring times are grouped into bins of 1/16 month (about 2 days), fine
// enough that the grouped estimate is the exact one for practical purposes.
const kmBinsPerMonth = 16

// tally accumulates one arm of one iteration. A worker reuses one tally per
// arm, resetting it between iterations, so the hot loop never allocates.
type tally struct {
	children, entries, returns, reentries   float64
	stable, stableEligible                  float64
	maltreatEvents, maltreated              float64
	maltreat24, eligible24                  float64
	exitsPermanence, exitsAge18, inCareEnd  float64
	supportFamilies, waitMonths, turnedAway float64
	placeMonths, usedMonths                 float64 // limited places: available and used
	returnsTier, reentriesTier              [NumTiers]float64
	events                                  int64 // rows an event log would have

	childMonths []float64 // per placement
	yearly      []float64 // [year*numYearly + k], costs filled in by outcome
	kmEvent     []int32   // re-entries per bin of months since return
	kmCensor    []int32   // censored follow-ups per bin
	inCareDiff  []float64 // year-end counts in care, as differences by year

	// Costs are booked in O(1), whatever a spell's length, and split by
	// year only once, in outcome. A cost flowing at rate r over [a, b)
	// is a ramp: its cumulative cost at month T is r(min(T,b)-a) for
	// T > a. Ramps are kept as slope changes: +r at a and -r at b. For a
	// change dr at month x, kept in x's year, slope sums dr, the
	// cumulative cost at T > x gains dr(T-x), and the discounted one
	// dr(D(x)-D(T))/delta with D the discount factor. So, by component
	// and year ([comp*years + y]): slope = sum dr, slopeAt = sum dr x,
	// slopeD = sum dr D(x); oneOff and oneOffD are the one-off costs.
	slope, slopeAt, slopeD, oneOffs, oneOffsD []float64
}

func newTally(c *compiled) *tally {
	nbins := (c.survival + 1) * kmBinsPerMonth
	n := numCosts * c.years
	return &tally{
		childMonths: make([]float64, c.np),
		yearly:      make([]float64, c.years*numYearly),
		kmEvent:     make([]int32, nbins),
		kmCensor:    make([]int32, nbins),
		inCareDiff:  make([]float64, c.years+1),
		slope:       make([]float64, n),
		slopeAt:     make([]float64, n),
		slopeD:      make([]float64, n),
		oneOffs:     make([]float64, n),
		oneOffsD:    make([]float64, n),
	}
}

// fits reports whether t can be reused for compiled model c.
func (t *tally) fits(c *compiled) bool {
	return len(t.childMonths) == c.np && len(t.yearly) == c.years*numYearly &&
		len(t.kmEvent) == (c.survival+1)*kmBinsPerMonth
}

func (t *tally) reset() {
	keep := *t
	*t = tally{}
	for _, s := range [][]float64{keep.childMonths, keep.yearly, keep.inCareDiff, keep.slope, keep.slopeAt, keep.slopeD, keep.oneOffs, keep.oneOffsD} {
		clear(s)
	}
	clear(keep.kmEvent)
	clear(keep.kmCensor)
	t.childMonths, t.yearly, t.kmEvent, t.kmCensor = keep.childMonths, keep.yearly, keep.kmEvent, keep.kmCensor
	t.inCareDiff, t.slope, t.slopeAt, t.slopeD = keep.inCareDiff, keep.slope, keep.slopeAt, keep.slopeD
	t.oneOffs, t.oneOffsD = keep.oneOffs, keep.oneOffsD
}

// add adds o's tallies to t's (same compiled model). Sums of whole
// numbers are exact, so adding a tally of counts changes no bit of what a
// single tally would have held.
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
	t.waitMonths += o.waitMonths
	t.turnedAway += o.turnedAway
	t.placeMonths += o.placeMonths
	t.usedMonths += o.usedMonths
	for k := range t.returnsTier {
		t.returnsTier[k] += o.returnsTier[k]
		t.reentriesTier[k] += o.reentriesTier[k]
	}
	t.events += o.events
	for i, v := range o.childMonths {
		t.childMonths[i] += v
	}
	for i, v := range o.yearly {
		t.yearly[i] += v
	}
	for i, v := range o.kmEvent {
		t.kmEvent[i] += v
	}
	for i, v := range o.kmCensor {
		t.kmCensor[i] += v
	}
	for _, s := range [][2][]float64{{t.inCareDiff, o.inCareDiff}, {t.slope, o.slope}, {t.slopeAt, o.slopeAt}, {t.slopeD, o.slopeD}, {t.oneOffs, o.oneOffs}, {t.oneOffsD, o.oneOffsD}} {
		for i, v := range s[1] {
			s[0][i] += v
		}
	}
}

// year returns the index of the year containing month t, clamped to the
// horizon's years.
func (t *tally) year(c *compiled, at float64) int {
	y := int(at / 12)
	if y >= c.years {
		y = c.years - 1
	}
	if y < 0 {
		y = 0
	}
	return y
}

func (t *tally) addYearly(c *compiled, at float64, k int, v float64) {
	t.yearly[t.year(c, at)*numYearly+k] += v
}

// oneOff books a one-off cost of component comp at month at, whose
// discount factor is d.
func (t *tally) oneOff(c *compiled, at, d, amount float64, comp int) {
	k := comp*c.years + t.year(c, at)
	t.oneOffs[k] += amount
	t.oneOffsD[k] += amount * d
}

// accrue books a cost flowing at rate pounds per month over [a, b), whose
// discount factors are da and db; b is no later than the horizon.
func (t *tally) accrue(c *compiled, a, b, da, db, rate float64, comp int) {
	k := comp * c.years
	ka, kb := k+t.year(c, a), k+t.year(c, b)
	t.slope[ka] += rate
	t.slopeAt[ka] += rate * a
	t.slopeD[ka] += rate * da
	t.slope[kb] -= rate
	t.slopeAt[kb] -= rate * b
	t.slopeD[kb] -= rate * db
}

// costs turns the booked ramps and one-offs into each year's costs, in
// t.yearly, and returns the totals by component, undiscounted and
// discounted.
func (t *tally) costs(c *compiled) (cost, disc [numCosts]float64) {
	for y := range c.years {
		t.yearly[y*numYearly+yCost] = 0
		t.yearly[y*numYearly+yCostDisc] = 0
	}
	for comp := range numCosts {
		var s, sAt, sD, prev, prevD float64
		for y := range c.years {
			k := comp*c.years + y
			s += t.slope[k]
			sAt += t.slopeAt[k]
			sD += t.slopeD[k]
			end := min(float64(y+1)*12, c.horizon)
			cum := end*s - sAt
			cumD := cum
			if c.delta > 0 {
				cumD = (sD - c.discount(end)*s) / c.delta
			}
			amount := cum - prev + t.oneOffs[k]
			amountD := cumD - prevD + t.oneOffsD[k]
			prev, prevD = cum, cumD
			cost[comp] += amount
			disc[comp] += amountD
			j := y * numYearly
			t.yearly[j+yCost] += amount
			t.yearly[j+yCostDisc] += amountD
			switch comp {
			case costPlacement:
				t.yearly[j+yCostPlacement] = amount
			case costSupport:
				t.yearly[j+yCostSupport] = amount
			}
		}
	}
	return cost, disc
}

// yearEnd returns the first year whose end (12(y+1) months, the horizon
// for the last) is at or after month at, or c.years if none is.
func (c *compiled) yearEnd(at float64) int {
	y := int(math.Ceil(at/12)) - 1
	switch {
	case at <= 0 || y < 0:
		return 0
	case y >= c.years-1:
		if at <= c.horizon {
			return c.years - 1
		}
		return c.years
	}
	return y
}

// inCare books a spell in care over [a, b) for the year-end counts; open
// means the child is still in care at b (the horizon).
func (t *tally) inCare(c *compiled, a, b float64, open bool) {
	// Counted at every year end in [a, b), and at b when open.
	k1 := c.years
	if !open {
		k1 = c.yearEnd(b)
	}
	if k0 := c.yearEnd(a); k0 < k1 {
		t.inCareDiff[k0]++
		t.inCareDiff[k1]--
	}
	if open {
		t.inCareEnd++
	}
}

// follow books the follow-up of one return home for the re-entry curve:
// months at home, and whether it ended in re-entry (else censored).
func (t *tally) follow(months float64, reentered bool) {
	b := int(months * kmBinsPerMonth)
	if b >= len(t.kmEvent) {
		b = len(t.kmEvent) - 1
	}
	if reentered {
		t.kmEvent[b]++
	} else {
		t.kmCensor[b]++
	}
}

// outcome converts the tally into the metric vectors of Results.
func (t *tally) outcome(c *compiled) Outcome {
	cost, costDisc := t.costs(c)
	inCare := 0.0
	for y := range c.years {
		inCare += t.inCareDiff[y]
		t.yearly[y*numYearly+yInCare] = inCare
	}
	nm := 18 + c.np + 11 + 2*int(NumTiers)
	o := Outcome{
		Metrics:    make([]float64, 0, nm),
		Yearly:     append([]float64(nil), t.yearly...),
		AtRisk:     make([]float64, c.survival+1),
		CumReentry: make([]float64, c.survival+1),
	}
	// Kaplan-Meier over the bins: within a bin, re-entries come before
	// censoring (the usual convention for ties).
	atRisk := float64(t.returns)
	surv := 1.0
	for m := 0; m <= c.survival; m++ {
		o.AtRisk[m] = atRisk
		if atRisk > 0 || m == 0 && t.returns > 0 {
			o.CumReentry[m] = 1 - surv
		} else {
			o.CumReentry[m] = nan
		}
		for b := m * kmBinsPerMonth; b < (m+1)*kmBinsPerMonth; b++ {
			d, cz := float64(t.kmEvent[b]), float64(t.kmCensor[b])
			if atRisk > 0 && d > 0 {
				surv *= 1 - d/atRisk
			}
			atRisk -= d + cz
		}
	}
	km := func(month int) float64 {
		if month > c.survival || t.returns == 0 {
			return nan
		}
		return o.CumReentry[month]
	}
	ratio := func(a, b float64) float64 {
		if b == 0 {
			return nan
		}
		return a / b
	}
	exits := t.returns + t.exitsPermanence + t.exitsAge18
	totals := 0.0
	totalsDisc := 0.0
	for k := range cost {
		totals += cost[k]
		totalsDisc += costDisc[k]
	}
	o.Metrics = append(o.Metrics,
		t.children, t.entries, t.returns, t.reentries,
		km(3), km(12), km(24), km(60), km(72),
		t.stable, ratio(t.stable, t.stableEligible),
		t.maltreatEvents, t.maltreated, ratio(t.maltreat24, t.eligible24),
		t.exitsPermanence, t.exitsAge18, ratio(t.returns, exits), t.inCareEnd,
	)
	o.Metrics = append(o.Metrics, t.childMonths...)
	o.Metrics = append(o.Metrics,
		totals, totalsDisc, cost[costPlacement], cost[costSocialWork],
		cost[costSupport], costDisc[costSupport], cost[costOneOff],
		t.supportFamilies, t.waitMonths, t.turnedAway, ratio(t.usedMonths, t.placeMonths),
	)
	o.Metrics = append(o.Metrics, t.returnsTier[:]...)
	o.Metrics = append(o.Metrics, t.reentriesTier[:]...)
	return o
}
