package sim

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
	cost, costDisc                          [numCosts]float64
	supportFamilies, waitMonths, turnedAway float64
	placeMonths, usedMonths                 float64 // limited places: available and used
	returnsTier, reentriesTier              [NumTiers]float64
	events                                  int64 // rows an event log would have

	// A memo of the last discount factors computed (keys NaN when
	// empty): a spell's end is usually the next spell's start, and
	// closing a care spell books two costs up to the same month, so most
	// math.Exp calls repeat one of the last few.
	discKey, discVal [4]float64
	discNext         int

	childMonths []float64 // per placement
	yearly      []float64 // [year*numYearly + k]
	kmEvent     []int32   // re-entries per bin of months since return
	kmCensor    []int32   // censored follow-ups per bin
}

func newTally(c *compiled) *tally {
	nbins := (c.survival + 1) * kmBinsPerMonth
	return &tally{
		childMonths: make([]float64, c.np),
		yearly:      make([]float64, c.years*numYearly),
		kmEvent:     make([]int32, nbins),
		kmCensor:    make([]int32, nbins),
	}
}

// fits reports whether t can be reused for compiled model c.
func (t *tally) fits(c *compiled) bool {
	return len(t.childMonths) == c.np && len(t.yearly) == c.years*numYearly &&
		len(t.kmEvent) == (c.survival+1)*kmBinsPerMonth
}

func (t *tally) reset() {
	cm, y, ke, kc := t.childMonths, t.yearly, t.kmEvent, t.kmCensor
	*t = tally{}
	t.discKey = [4]float64{nan, nan, nan, nan}
	clear(cm)
	clear(y)
	clear(ke)
	clear(kc)
	t.childMonths, t.yearly, t.kmEvent, t.kmCensor = cm, y, ke, kc
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
	for k := range t.cost {
		t.cost[k] += o.cost[k]
		t.costDisc[k] += o.costDisc[k]
	}
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

// oneOff books a one-off cost of component comp at month at.
func (t *tally) oneOff(c *compiled, at, amount float64, comp int) {
	if amount == 0 {
		return
	}
	d := amount * t.discount(c, at)
	t.cost[comp] += amount
	t.costDisc[comp] += d
	y := t.year(c, at) * numYearly
	t.yearly[y+yCost] += amount
	t.yearly[y+yCostDisc] += d
	t.yearlyComponent(y, comp, amount)
}

// yearlyComponent books the components that have their own yearly metric;
// y is the year's offset in the yearly slice.
func (t *tally) yearlyComponent(y, comp int, amount float64) {
	switch comp {
	case costPlacement:
		t.yearly[y+yCostPlacement] += amount
	case costSupport:
		t.yearly[y+yCostSupport] += amount
	}
}

// accrue books a cost flowing at rate pounds per month over [a, b),
// undiscounted and discounted continuously, split by year.
func (t *tally) accrue(c *compiled, a, b, rate float64, comp int) {
	if !(b > a) || rate == 0 {
		return
	}
	da := t.discount(c, a)
	for a < b {
		y := t.year(c, a)
		end, db := b, 0.0
		if yEnd := float64(y+1) * 12; y < c.years-1 && yEnd < b {
			end, db = yEnd, c.yearDiscount[y]
		} else {
			db = t.discount(c, b)
		}
		amount := rate * (end - a)
		disc := amount
		if c.delta > 0 {
			disc = rate * (da - db) / c.delta
		}
		t.cost[comp] += amount
		t.costDisc[comp] += disc
		k := y * numYearly
		t.yearly[k+yCost] += amount
		t.yearly[k+yCostDisc] += disc
		t.yearlyComponent(k, comp, amount)
		a, da = end, db
	}
}

// inCare books a spell in care over [a, b) for the year-end counts; open
// means the child is still in care at b (the horizon).
func (t *tally) inCare(c *compiled, a, b float64, open bool) {
	for y := 0; y < c.years; y++ {
		end := min(float64(y+1)*12, c.horizon)
		if (a <= end && end < b) || (open && end == b) {
			t.yearly[y*numYearly+yInCare]++
		}
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
	for k := range t.cost {
		totals += t.cost[k]
		totalsDisc += t.costDisc[k]
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
		totals, totalsDisc, t.cost[costPlacement], t.cost[costSocialWork],
		t.cost[costSupport], t.costDisc[costSupport], t.cost[costOneOff],
		t.supportFamilies, t.waitMonths, t.turnedAway, ratio(t.usedMonths, t.placeMonths),
	)
	o.Metrics = append(o.Metrics, t.returnsTier[:]...)
	o.Metrics = append(o.Metrics, t.reentriesTier[:]...)
	return o
}

// discount returns c.discount(at), the very same number, remembering the
// last few.
func (t *tally) discount(c *compiled, at float64) float64 {
	if c.delta == 0 {
		return 1
	}
	for i, k := range t.discKey {
		if k == at {
			return t.discVal[i]
		}
	}
	d := c.discount(at)
	i := t.discNext
	t.discKey[i], t.discVal[i] = at, d
	t.discNext = (i + 1) % len(t.discKey)
	return d
}
