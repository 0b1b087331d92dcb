package sim

import "math"

// compiled is a Model prepared for fast simulation: alias tables for
// categorical draws, risk-factor combinations, hazard tables in the
// forms the clocks invert, the costs by category, and per-arm support.
// It is built once per iteration (after any parameter draws) and
// read-only after.
type compiled struct {
	m        *Model
	horizon  float64
	nb, np   int
	years    int
	survival int     // months in the re-entry curves
	delta    float64 // continuous discount rate per month

	nMetrics       int            // len(MetricNames(m))
	amberAt, redAt float64        // the tiers' thresholds (NaN, to which no score compares: no such tier)
	hist           [16][3]float64 // product of the History ratios, by set of hist* bits

	bandStart []float64 // months of age, with MaxAgeMonths appended
	yearOf    []int32   // the year of each whole month of the horizon
	yearStart []float64 // the month each year starts: 12 * year
	segEnd    []float64 // months in care at which each duration segment ends (+Inf for the last)

	stock, cohort, entry draws

	// Risk factors: by combination (bit f set: factor f) when there are
	// few enough, drawn with one number (combos[band]); else one number
	// per factor.
	combos  []categorical // per age band, or one for all bands
	comboHR [][3]float64  // product of the factor ratios, per combination

	moveCat    []categorical // per placement: destination of a move
	reentryCat []categorical // per age band: placement on re-entry
	moveRate   []float64     // per placement, per month

	// Care: the return-home rate [band][segment] and whether any is
	// positive; permanence by age as a cumulative hazard at each band's
	// start (permCum[nb] is its value at 18), for inversion.
	ret       [][]float64
	retFlat   []float64 // ret as [band*segments + segment]
	anyReturn bool
	perm      []float64
	permCum   []float64
	// Home: the re-entry and maltreatment hazards by months since the
	// return, and for each clock whether any rate from a segment on is
	// positive.
	home [2]homeHazard

	// Costs. Flows are booked by category (cat*) as time, one-offs by
	// kind (once*) as counts, and priced once per iteration by terms.
	nCat, nOnce int
	priced      []bool // per category: does any term give it a price
	oncePriced  []bool
	rampTerms   []costTerm
	onceTerms   []costTerm
	monthlyCost []float64 // placement cost per month
	discTable   []float64 // exp(-delta*i/discSteps), i = 0 .. the horizon
	dHorizon    float64   // the discount factor at the horizon

	arms    []compiledArm
	windows []window // a new window of each package's phase, [2*package + phase]

	kern *cohortKernel // the cohort kernel, where the model has its shape
}

// draws are the categorical draws of a population: age band (with the age
// within it) and placement.
type draws struct {
	age, place categorical
}

// homeHazard is a hazard at home by months since the return.
type homeHazard struct {
	starts, ends, rates []float64 // segment k: [starts[k], ends[k])
	anyFrom             []bool    // any rate > 0 from segment k on
}

// costTerm prices a category of flow (pounds per month of it) or a kind
// of one-off (pounds each) for a cost component.
type costTerm struct {
	cat, comp int
	price     float64
}

// Cost categories: the months children spend in each placement, at home
// with an open case, supported by each package's phase, and each
// package's team from its start; one-off kinds: entries, re-entries,
// returns and support starts by package and phase.
func (c *compiled) catPlacement(p int) int { return p }
func (c *compiled) catHomeCase() int       { return c.np }
func (c *compiled) catWindow(k int, post bool) int {
	return c.np + 1 + 2*k + b2i(post)
}
func (c *compiled) catTeam(k int) int { return c.np + 1 + 2*len(c.m.Packages) + k }

const (
	onceEntry = iota
	onceReentry
	onceReturn
	onceStart // + 2*package + phase
)

func onceStartOf(k int, post bool) int { return onceStart + 2*k + b2i(post) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The history factors of a child's path, as bits of an index into
// compiled.hist.
const (
	histOlder  = 1 << iota // aged 12 or over
	histMany               // 3 or more placements
	histShort              // under 6 months in care before the return
	histFailed             // one or more earlier failed returns
)

// compiledArm lists the support packages of one arm by phase.
type compiledArm struct {
	pre, post []int // package indices with that phase
	fixed     []int // package indices with a fixed yearly cost
	// coupled is set when a package has limited places or a start month,
	// so the arm's children must be simulated in event-time order;
	// coupledPhase says it by phase (pre, post).
	coupled      bool
	coupledPhase [2]bool
	// always is, per phase, the set of packages every family takes up
	// when that does not depend on the family (everyone eligible, uptake
	// 0 or 1), else -1.
	always [2]int
	// homeSched are the arm's schedules at home (nil if it has more
	// post-return packages than a child can have windows).
	homeSched homeSchedules
}

// phase returns the arm's packages with a pre-return phase, or with a
// post-return phase if post.
func (ca *compiledArm) phase(post bool) []int {
	if post {
		return ca.post
	}
	return ca.pre
}

// maxComboCells bounds the table of factor combinations (age bands times
// 2^factors); with more factors each is drawn with a number of its own.
const maxComboCells = 1 << 12

func compile(m *Model) *compiled {
	c := &compiled{
		m:        m,
		horizon:  m.Horizon,
		nb:       len(m.AgeBands),
		np:       len(m.Placements),
		years:    int(math.Ceil(m.Horizon/12 - 1e-9)),
		survival: int(math.Ceil(m.Horizon - 1e-9)),
		delta:    math.Log1p(m.Costs.DiscountRate) / 12,
	}
	if c.delta > 0 {
		n := int(math.Ceil(c.horizon*discSteps)) + 2
		c.discTable = make([]float64, n)
		for i := range c.discTable {
			c.discTable[i] = math.Exp(-c.delta * float64(i) / discSteps)
		}
	}
	c.dHorizon = c.discount(c.horizon)
	c.yearOf = make([]int32, int(c.horizon)+1)
	for mo := range c.yearOf {
		c.yearOf[mo] = int32(min(mo/12, c.years-1))
	}
	for y := range c.years {
		c.yearStart = append(c.yearStart, float64(12*y))
	}
	c.nMetrics = len(MetricNames(m))
	c.amberAt, c.redAt = math.NaN(), math.NaN()
	if m.Tiers.Amber > 0 {
		c.amberAt = m.Tiers.Amber
	}
	if m.Tiers.Red > 0 {
		c.redAt = m.Tiers.Red
	}
	h := &m.History
	for k := range c.hist {
		r := one3
		for bit, hr := range [4]Ratios{h.Older, h.ManyPlacements, h.ShortCare, h.PriorFailure} {
			if k&(1<<bit) != 0 {
				r = times3(r, hr.array())
			}
		}
		c.hist[k] = r
	}
	c.bandStart = append(append([]float64(nil), m.AgeBands...), MaxAgeMonths)
	breaks := m.Care.DurationBreaks
	for k := range breaks {
		end := math.Inf(1)
		if k+1 < len(breaks) {
			end = breaks[k+1]
		}
		c.segEnd = append(c.segEnd, end)
	}
	pop := func(age, place []float64) draws {
		if len(age) == 0 {
			return draws{}
		}
		return draws{newCategorical(age), newCategorical(place)}
	}
	c.stock = pop(m.Stock.AgeShares, m.Stock.PlacementShares)
	c.cohort = pop(m.Cohort.AgeShares, m.Cohort.PlacementShares)
	c.entry = pop(m.Entries.AgeShares, m.Entries.PlacementShares)
	c.compileFactors()
	for _, p := range m.Placements {
		var mc categorical
		if p.MoveRate > 0 {
			mc = newCategorical(p.MoveTo)
		}
		c.moveCat = append(c.moveCat, mc)
		c.moveRate = append(c.moveRate, p.MoveRate)
		c.monthlyCost = append(c.monthlyCost, p.WeeklyCost*WeeksPerMonth)
	}
	for _, row := range m.Home.ReentryPlacement {
		c.reentryCat = append(c.reentryCat, newCategorical(row))
	}
	c.ret = m.Care.ReturnHome
	for _, row := range c.ret {
		for _, v := range row {
			c.anyReturn = c.anyReturn || v > 0
		}
		c.retFlat = append(c.retFlat, row...)
	}
	c.perm = m.Care.Permanence
	c.permCum = make([]float64, c.nb+1)
	for b := range c.nb {
		c.permCum[b+1] = c.permCum[b] + c.perm[b]*(c.bandStart[b+1]-c.bandStart[b])
	}
	c.home[0] = newHomeHazard(m.Home.Reentry)
	c.home[1] = newHomeHazard(m.Home.Maltreatment)
	c.compileCosts()
	for k := range m.Packages {
		for _, post := range []bool{false, true} {
			ph := m.Packages[k].phase(post)
			c.windows = append(c.windows, window{hr: ph.HR.array(), pkg: int32(k), post: post, neutral: ph.HR == One})
		}
	}
	for _, a := range m.Arms {
		var ca compiledArm
		for _, k := range a.Packages {
			p := &m.Packages[k]
			if p.Pre.Months > 0 {
				ca.pre = append(ca.pre, k)
				ca.coupledPhase[0] = ca.coupledPhase[0] || p.Capacity.coupled()
			}
			if p.Post.Months > 0 {
				ca.post = append(ca.post, k)
				ca.coupledPhase[1] = ca.coupledPhase[1] || p.Capacity.coupled()
			}
			if p.FixedYearly > 0 {
				ca.fixed = append(ca.fixed, k)
			}
			ca.coupled = ca.coupled || p.Capacity.coupled()
		}
		ca.homeSched = newHomeSchedules(c, ca.post)
		for ph, pkgs := range [2][]int{ca.pre, ca.post} {
			ca.always[ph] = 0
			for i, k := range pkgs {
				p := &m.Packages[k]
				e := &p.Eligible
				switch {
				case e.Tiers != nil || e.AgeBands != nil || e.Placements != nil || len(e.Factors) > 0 || p.Uptake > 0 && p.Uptake < 1:
					ca.always[ph] = -1
				case p.Uptake >= 1 && ca.always[ph] >= 0:
					ca.always[ph] |= 1 << i
				}
				if ca.always[ph] < 0 {
					break
				}
			}
		}
		c.arms = append(c.arms, ca)
	}
	c.kern = newCohortKernel(c)
	return c
}

func newHomeHazard(p Piecewise) homeHazard {
	n := len(p.Starts)
	h := homeHazard{starts: p.Starts, rates: p.Rates, ends: make([]float64, n), anyFrom: make([]bool, n+1)}
	for k := range n {
		h.ends[k] = math.Inf(1)
		if k+1 < n {
			h.ends[k] = p.Starts[k+1]
		}
	}
	for k := n - 1; k >= 0; k-- {
		h.anyFrom[k] = h.anyFrom[k+1] || p.Rates[k] > 0
	}
	return h
}

// compileFactors builds the table of factor combinations: for each age
// band (or once, if no prevalence depends on the band), the probability
// of every combination of factors, drawn with one number, and each
// combination's product of ratios.
func (c *compiled) compileFactors() {
	fs := c.m.Factors
	nf := len(fs)
	byBand := false
	for _, f := range fs {
		byBand = byBand || len(f.Prevalence) > 1
	}
	tables := 1
	if byBand {
		tables = c.nb
	}
	if nf >= 31 || tables<<nf > maxComboCells {
		return // one number per factor
	}
	n := 1 << nf
	c.comboHR = make([][3]float64, n)
	for combo := range n {
		r := One
		for f := range nf {
			if combo&(1<<f) != 0 {
				r = r.times(fs[f].HR)
			}
		}
		c.comboHR[combo] = r.array()
	}
	shares := make([]float64, n)
	for b := range tables {
		for combo := range n {
			p := 1.0
			for f := range nf {
				prev := fs[f].Prevalence[0]
				if len(fs[f].Prevalence) > 1 {
					prev = fs[f].Prevalence[b]
				}
				if combo&(1<<f) != 0 {
					p *= prev
				} else {
					p *= 1 - prev
				}
			}
			shares[combo] = p
		}
		c.combos = append(c.combos, newCategorical(shares))
	}
}

// compileCosts lists the prices of every category of flow and kind of
// one-off, and which are priced at all (the others need no booking).
func (c *compiled) compileCosts() {
	m := c.m
	np, nk := c.np, len(m.Packages)
	c.nCat = np + 1 + 3*nk
	c.nOnce = onceStart + 2*nk
	sw := m.Costs.SocialWorkMonthly
	ramp := func(cat, comp int, price float64) {
		c.rampTerms = append(c.rampTerms, costTerm{cat, comp, price})
	}
	for p := range np {
		ramp(c.catPlacement(p), costPlacement, c.monthlyCost[p])
		ramp(c.catPlacement(p), costSocialWork, sw) // a case is open in care
	}
	ramp(c.catHomeCase(), costSocialWork, sw)
	once := func(kind, comp int, price float64) {
		c.onceTerms = append(c.onceTerms, costTerm{kind, comp, price})
	}
	once(onceEntry, costOneOff, m.Costs.Entry)
	once(onceReentry, costOneOff, m.Costs.Reentry)
	once(onceReturn, costOneOff, m.Costs.Return)
	for k := range nk {
		p := &m.Packages[k]
		for _, post := range []bool{false, true} {
			ph := &p.Pre
			if post {
				ph = &p.Post
			}
			ramp(c.catWindow(k, post), costSupport, ph.MonthlyCost)
			once(onceStartOf(k, post), costSupport, ph.StartCost)
		}
		ramp(c.catTeam(k), costSupport, p.FixedYearly/12)
	}
	c.priced = make([]bool, c.nCat)
	for p := range np {
		c.priced[p] = true // months in each placement are a metric
	}
	for _, t := range c.rampTerms {
		c.priced[t.cat] = c.priced[t.cat] || t.price != 0
	}
	c.oncePriced = make([]bool, c.nOnce)
	for _, t := range c.onceTerms {
		c.oncePriced[t.cat] = c.oncePriced[t.cat] || t.price != 0
	}
}

// band returns the age band of an age in months.
func (c *compiled) band(age float64) int {
	b := 0
	for b+1 < c.nb && age >= c.bandStart[b+1] {
		b++
	}
	return b
}

// seg returns the months-in-care segment of a duration in months.
func (c *compiled) seg(months float64) int {
	s := 0
	for s+1 < len(c.segEnd) && months >= c.segEnd[s] {
		s++
	}
	return s
}

// tier returns Tiers.Of(score), choosing with moves, not branches.
func (c *compiled) tier(score float64) Tier {
	t := Green
	if score >= c.amberAt {
		t = Amber
	}
	if score >= c.redAt {
		t = Red
	}
	return t
}

// permanenceTo returns the permanence hazard accumulated from birth to an
// age in months.
func (c *compiled) permanenceTo(age float64) float64 {
	b := c.band(age)
	return c.permCum[b] + c.perm[b]*(age-c.bandStart[b])
}

// discountAt is discount for a month that is often the horizon (a
// child's end).
func (c *compiled) discountAt(t float64) float64 {
	if t == c.horizon {
		return c.dHorizon
	}
	return c.discount(t)
}

// discSteps is the number of steps per month of the discount table.
const discSteps = 16

// discount returns the discount factor exp(-delta*t) at month t. Within
// the horizon it takes the table's factor at the step below t and
// corrects it with the series of exp(-u) to the third power, u = delta
// times the rest (under 1/16 month). The series' error, under u^4/24,
// is below rounding at a discount rate of 3.5% a year (the result is
// within a few units in the last place) and below 1e-11 at the largest
// rate the model allows; math.Exp costs several times as much.
func (c *compiled) discount(t float64) float64 {
	if c.delta == 0 {
		return 1
	}
	x := t * discSteps
	if !(x >= 0) || x >= float64(len(c.discTable)-1) {
		return math.Exp(-c.delta * t)
	}
	return discStep(c.discTable[int(x)], c.delta, t, int(x))
}

// discStep is discount within the horizon: the table's factor f at step
// i below month t, corrected by the series. discounts writes the same
// expression, so both give the same bits.
func discStep(f, delta, t float64, i int) float64 {
	u := delta * (t - float64(i)/discSteps)
	u2 := u * u
	return f * ((1 - u) + u2*(0.5-u*(1.0/6)))
}

// discountsIn sets ds[i] to discount(ts[i]) for each month of ts, all
// within the horizon, in one loop (the cohort kernel's).
func (c *compiled) discountsIn(ts, ds []float64) {
	ds = ds[:len(ts)]
	if c.delta == 0 {
		for i := range ds {
			ds[i] = 1
		}
		return
	}
	tab, delta := c.discTable, c.delta
	for i, t := range ts {
		j := int(t * discSteps) // within the table: 0 <= t <= horizon
		ds[i] = discStep(tab[j], delta, t, j)
	}
}
