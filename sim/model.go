package sim

import (
	"errors"
	"fmt"
	"math"
)

// WeeksPerMonth converts weekly costs to the engine's monthly time unit:
// a month is a twelfth of a 365.25-day year.
const WeeksPerMonth = 365.25 / 12 / 7

// MaxAgeMonths is the 18th birthday, when a child leaves care or the model.
const MaxAgeMonths = 18 * 12

// Model is a fully resolved scenario in engine units: time in months, rates
// per month, money in pounds, proportions in [0, 1]. The scenario package
// builds it from a TOML file; the engine never reads files.
type Model struct {
	Name string

	// Horizon is the simulated period in months.
	Horizon float64

	// AgeBands holds the lower bound of each age band in months of age;
	// AgeBands[0] must be 0 and the last band runs to MaxAgeMonths. Every
	// per-band slice in the model has one entry per band.
	AgeBands []float64

	// Placements lists the placement types; indices into it are used
	// throughout the model.
	Placements []Placement

	// Stock is the children already in care at month 0.
	Stock Population
	// Entries is the stream of new entries to care over the horizon.
	Entries Entries
	// Cohort is an optional group of children who return home at month 0.
	Cohort Population

	Care    Care
	Home    Home
	Factors []Factor
	History History
	Costs   Costs
	Tiers   Tiers

	// Packages are the support packages that arms can switch on.
	Packages []Package
	// Arms are the compared policies; Arms[0] is the baseline.
	Arms []Arm
}

// Placement is a type of care placement.
type Placement struct {
	Name       string
	WeeklyCost float64 // pounds per week
	MoveRate   float64 // placement moves per month
	// MoveTo gives, for a move out of this placement, the share of moves
	// to each placement type (len(Placements) entries summing to 1).
	MoveTo []float64
}

// Population describes children present at month 0: in care (the stock) or
// just returned home (the cohort).
type Population struct {
	Count     int
	AgeShares []float64 // share of children in each age band
	// PlacementShares is the current placement (stock) or the placement
	// the child left on return (cohort), one share per placement type.
	PlacementShares []float64
	// MeanMonthsInCare is the mean time in care before month 0; each child
	// draws it from an exponential distribution capped at its age.
	MeanMonthsInCare float64
	// PriorFailedReturns is the share of children who have already had a
	// failed return home (history factor).
	PriorFailedReturns float64
}

// Entries is a Poisson stream of new entries to care.
type Entries struct {
	PerMonth float64 // entries per month in the first year
	// Trend is the proportional change in the entry rate from one year of
	// the horizon to the next (0.02 is 2% more each year).
	Trend           float64
	AgeShares       []float64 // age at entry, per age band
	PlacementShares []float64 // first placement, per placement type
}

// Care holds the rates of leaving care.
type Care struct {
	// DurationBreaks are the months in care at which return-home segments
	// start; DurationBreaks[0] must be 0.
	DurationBreaks []float64
	// ReturnHome is the return-home hazard per month, indexed
	// [age band][duration segment].
	ReturnHome [][]float64
	// Permanence is the hazard per month of other permanent exits
	// (adoption, special guardianship, other orders), per age band.
	Permanence []float64
}

// Piecewise is a piecewise-constant hazard: Rates[k] per month applies from
// Starts[k] until Starts[k+1] (the last rate applies for ever). Starts[0]
// must be 0.
type Piecewise struct {
	Starts []float64
	Rates  []float64
}

// Home holds what can happen after a return home.
type Home struct {
	Reentry      Piecewise // re-entry hazard by months since return
	Maltreatment Piecewise // maltreatment hazard by months since return
	// MaltreatmentReentry is the probability that a maltreatment event
	// ends the return with a re-entry to care.
	MaltreatmentReentry float64
	// StableMonths is the time at home after which a return counts as
	// stable (24 months in the UEA 2020 definition).
	StableMonths float64
	// CaseCloseMonths is the time at home after which the case closes and
	// social-work costs stop.
	CaseCloseMonths float64
	// ReentryPlacement gives the placement on re-entry, indexed
	// [age band][placement type].
	ReentryPlacement [][]float64
}

// Ratios are hazard ratios on the three hazards a factor can change. A
// ratio of 1 changes nothing.
type Ratios struct {
	Return       float64
	Reentry      float64
	Maltreatment float64
}

// One is the neutral set of ratios.
var One = Ratios{1, 1, 1}

func (r Ratios) times(o Ratios) Ratios {
	return Ratios{r.Return * o.Return, r.Reentry * o.Reentry, r.Maltreatment * o.Maltreatment}
}

// Factor is a named risk factor drawn once for each child.
type Factor struct {
	Name string
	// Prevalence is the share of children with the factor, one entry per
	// age band, or a single entry for all ages.
	Prevalence []float64
	HR         Ratios
}

// History holds the hazard ratios of factors that come from the child's own
// path, evaluated at each return home (and, for Return, while in care).
type History struct {
	Older          Ratios // aged 12 or over at return
	ManyPlacements Ratios // 3 or more placements so far
	ShortCare      Ratios // under 6 months in care before the return
	PriorFailure   Ratios // one or more previous failed returns
}

// Costs are the non-placement costs.
type Costs struct {
	SocialWorkMonthly float64 // per month while a case is open
	Entry             float64 // one-off, on entry to care
	Reentry           float64 // one-off, on re-entry to care
	Return            float64 // one-off, on return home
	DiscountRate      float64 // per year (Green Book: 0.035)
	PriceYear         int
}

// Tier is a traffic-light risk tier.
type Tier int

// The risk tiers of the Taking Care framework.
const (
	Green Tier = iota
	Amber
	Red
	NumTiers
)

// TierNames are the names used in metric names and scenario files.
var TierNames = [NumTiers]string{"green", "amber", "red"}

// Tiers sorts children into risk tiers by their risk score: the product of
// their factor and history hazard ratios on re-entry. A score at or above
// Amber is amber, at or above Red is red.
type Tiers struct {
	Amber float64
	Red   float64
}

// Of returns the tier of a risk score.
func (t Tiers) Of(score float64) Tier {
	switch {
	case t.Red > 0 && score >= t.Red:
		return Red
	case t.Amber > 0 && score >= t.Amber:
		return Amber
	}
	return Green
}

// Phase is one phase of a support package.
type Phase struct {
	Months      float64 // length of the phase; 0 means no phase
	MonthlyCost float64 // per family per month while supported
	StartCost   float64 // per family, once when support starts
	HR          Ratios  // effect while supported
	// PersistMonths is how long the effect lasts after the phase ends.
	PersistMonths float64
}

// Eligibility says who a package is for. Nil slices mean "everyone".
type Eligibility struct {
	Tiers      []bool // per Tier
	AgeBands   []bool // per age band
	Placements []bool // per placement type (the placement before return)
	// Factors lists factor indices of which the child must have at least one.
	Factors []int
}

// Package is a support package that a policy arm can switch on.
type Package struct {
	Name     string
	Eligible Eligibility
	Uptake   float64 // probability an eligible family engages
	// Pre is offered from the start of each care episode (from month 0
	// for the stock) and raises the return-home hazard.
	Pre Phase
	// Post starts at each return home and lowers re-entry and
	// maltreatment hazards.
	Post        Phase
	FixedYearly float64 // team cost per year from Capacity.StartMonth, paid whatever the caseload
	Capacity    Capacity
}

// Capacity limits how many families a package supports at once: staff,
// not money, is the binding constraint in the seeds. A family holds a
// place from the start of a phase until the phase ends or the child leaves
// that setting (returns home, re-enters care, turns 18).
type Capacity struct {
	// Limited switches the limit on; without it every eligible family
	// that takes up an offer is supported at once.
	Limited bool
	// Places is the number of families supported at once (a team's size
	// times its caseload per worker). 0 means no places at all.
	Places int
	// Wait says what an eligible family does when every place is taken:
	// wait for one (unsupported meanwhile), or go without (turned away).
	Wait bool
	// ByTier serves waiting families highest risk tier first (first come
	// first served within a tier); otherwise first come first served.
	ByTier bool
	// StartMonth is when the team starts (a hiring delay): before it,
	// there are no places, and no fixed cost is paid.
	StartMonth float64
}

// coupled reports whether the package makes children compete for places,
// so that an arm using it must be simulated in event-time order.
func (c Capacity) coupled() bool { return c.Limited || c.StartMonth > 0 }

// Arm is one compared policy: the packages it switches on.
type Arm struct {
	Name     string
	Packages []int // indices into Model.Packages
}

// Validate checks the model's internal consistency: slice lengths, ranges
// and shares. The scenario package reports problems against the file; this
// is the engine's own guard for models built in code.
func (m *Model) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	nb, np := len(m.AgeBands), len(m.Placements)
	if !(m.Horizon > 0) || m.Horizon > 12*200 {
		bad("horizon %v months out of range (0, 2400]", m.Horizon)
	}
	if nb == 0 || m.AgeBands[0] != 0 {
		bad("age bands must start at 0")
	}
	for i := 1; i < nb; i++ {
		if !(m.AgeBands[i] > m.AgeBands[i-1]) || m.AgeBands[i] >= MaxAgeMonths {
			bad("age band %d starts at %v: bands must increase and stay under 18 years", i, m.AgeBands[i])
		}
	}
	if np == 0 {
		bad("no placement types")
	}
	shares := func(name string, s []float64, n int) {
		if len(s) != n {
			bad("%s: %d shares, want %d", name, len(s), n)
			return
		}
		sum := 0.0
		for _, v := range s {
			if !(v >= 0) {
				bad("%s: negative share %v", name, v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-6 {
			bad("%s: shares sum to %v, want 1", name, sum)
		}
	}
	nonneg := func(name string, v float64) {
		if !(v >= 0) || math.IsInf(v, 1) {
			bad("%s: %v must be a finite number >= 0", name, v)
		}
	}
	prop := func(name string, v float64) {
		if !(v >= 0 && v <= 1) {
			bad("%s: %v must be a proportion in [0, 1]", name, v)
		}
	}
	ratios := func(name string, r Ratios) {
		for _, v := range []float64{r.Return, r.Reentry, r.Maltreatment} {
			if !(v > 0) || math.IsInf(v, 1) {
				bad("%s: hazard ratio %v must be > 0", name, v)
			}
		}
	}
	piecewise := func(name string, p Piecewise) {
		if len(p.Starts) == 0 || len(p.Starts) != len(p.Rates) || p.Starts[0] != 0 {
			bad("%s: need matching starts and rates, starting at month 0", name)
			return
		}
		for i := range p.Rates {
			nonneg(name, p.Rates[i])
			if i > 0 && !(p.Starts[i] > p.Starts[i-1]) {
				bad("%s: starts must increase", name)
			}
		}
	}
	for i, p := range m.Placements {
		nonneg("placement "+p.Name+" weekly cost", p.WeeklyCost)
		nonneg("placement "+p.Name+" move rate", p.MoveRate)
		if p.MoveRate > 0 {
			shares("placement "+p.Name+" move destinations", p.MoveTo, np)
			if len(p.MoveTo) == np && p.MoveTo[i] != 0 {
				bad("placement %s: a move cannot go to the same placement", p.Name)
			}
		}
	}
	pop := func(name string, p Population) {
		if p.Count < 0 {
			bad("%s: negative count", name)
		}
		if p.Count > 0 {
			shares(name+" ages", p.AgeShares, nb)
			shares(name+" placements", p.PlacementShares, np)
		}
		nonneg(name+" mean months in care", p.MeanMonthsInCare)
		prop(name+" prior failed returns", p.PriorFailedReturns)
	}
	pop("stock", m.Stock)
	pop("cohort", m.Cohort)
	nonneg("entries per month", m.Entries.PerMonth)
	if !(m.Entries.Trend > -1) {
		bad("entries trend %v must be > -1", m.Entries.Trend)
	}
	if m.Entries.PerMonth > 0 {
		shares("entries ages", m.Entries.AgeShares, nb)
		shares("entries placements", m.Entries.PlacementShares, np)
	}
	c := m.Care
	if len(c.DurationBreaks) == 0 || c.DurationBreaks[0] != 0 {
		bad("return-home duration breaks must start at 0")
	}
	if len(c.ReturnHome) != nb {
		bad("return-home rates: %d age bands, want %d", len(c.ReturnHome), nb)
	}
	for _, row := range c.ReturnHome {
		if len(row) != len(c.DurationBreaks) {
			bad("return-home rates: %d duration segments, want %d", len(row), len(c.DurationBreaks))
		}
		for _, v := range row {
			nonneg("return-home rate", v)
		}
	}
	if len(c.Permanence) != nb {
		bad("permanence rates: %d age bands, want %d", len(c.Permanence), nb)
	}
	for _, v := range c.Permanence {
		nonneg("permanence rate", v)
	}
	h := m.Home
	piecewise("re-entry hazard", h.Reentry)
	piecewise("maltreatment hazard", h.Maltreatment)
	prop("maltreatment re-entry probability", h.MaltreatmentReentry)
	nonneg("stable months", h.StableMonths)
	nonneg("case close months", h.CaseCloseMonths)
	if len(h.ReentryPlacement) != nb {
		bad("re-entry placements: %d age bands, want %d", len(h.ReentryPlacement), nb)
	}
	for _, row := range h.ReentryPlacement {
		shares("re-entry placements", row, np)
	}
	for _, f := range m.Factors {
		if len(f.Prevalence) != 1 && len(f.Prevalence) != nb {
			bad("factor %s: %d prevalences, want 1 or %d", f.Name, len(f.Prevalence), nb)
		}
		for _, v := range f.Prevalence {
			prop("factor "+f.Name+" prevalence", v)
		}
		ratios("factor "+f.Name, f.HR)
	}
	ratios("history older", m.History.Older)
	ratios("history many placements", m.History.ManyPlacements)
	ratios("history short care", m.History.ShortCare)
	ratios("history prior failure", m.History.PriorFailure)
	co := m.Costs
	for _, v := range []float64{co.SocialWorkMonthly, co.Entry, co.Reentry, co.Return} {
		nonneg("cost", v)
	}
	if !(co.DiscountRate >= 0 && co.DiscountRate < 1) {
		bad("discount rate %v must be in [0, 1)", co.DiscountRate)
	}
	for _, p := range m.Packages {
		prop("package "+p.Name+" uptake", p.Uptake)
		nonneg("package "+p.Name+" fixed yearly cost", p.FixedYearly)
		for _, ph := range []Phase{p.Pre, p.Post} {
			nonneg("package "+p.Name+" months", ph.Months)
			if ph.Months == 0 {
				continue
			}
			nonneg("package "+p.Name+" monthly cost", ph.MonthlyCost)
			nonneg("package "+p.Name+" start cost", ph.StartCost)
			nonneg("package "+p.Name+" persistence", ph.PersistMonths)
			ratios("package "+p.Name, ph.HR)
		}
		if p.Capacity.Places < 0 {
			bad("package %s: %d places must be >= 0", p.Name, p.Capacity.Places)
		}
		nonneg("package "+p.Name+" start month", p.Capacity.StartMonth)
		e := p.Eligible
		if e.Tiers != nil && len(e.Tiers) != int(NumTiers) {
			bad("package %s: eligibility by tier needs %d entries", p.Name, NumTiers)
		}
		if e.AgeBands != nil && len(e.AgeBands) != nb {
			bad("package %s: eligibility by age band needs %d entries", p.Name, nb)
		}
		if e.Placements != nil && len(e.Placements) != np {
			bad("package %s: eligibility by placement needs %d entries", p.Name, np)
		}
		for _, f := range e.Factors {
			if f < 0 || f >= len(m.Factors) {
				bad("package %s: eligibility names factor %d of %d", p.Name, f, len(m.Factors))
			}
		}
	}
	if len(m.Arms) == 0 {
		bad("no arms: need at least a baseline")
	}
	for _, a := range m.Arms {
		if len(a.Packages) > maxWindows {
			bad("arm %s: %d packages, at most %d", a.Name, len(a.Packages), maxWindows)
		}
		for _, k := range a.Packages {
			if k < 0 || k >= len(m.Packages) {
				bad("arm %s: package %d of %d", a.Name, k, len(m.Packages))
			}
		}
	}
	return errors.Join(errs...)
}

// Clone returns a deep copy of m, so that a copy can be changed (for a
// parameter draw) without touching the original.
func (m *Model) Clone() *Model {
	c := *m
	c.AgeBands = clone1(m.AgeBands)
	c.Placements = make([]Placement, len(m.Placements))
	for i, p := range m.Placements {
		p.MoveTo = clone1(p.MoveTo)
		c.Placements[i] = p
	}
	clonePop := func(p Population) Population {
		p.AgeShares = clone1(p.AgeShares)
		p.PlacementShares = clone1(p.PlacementShares)
		return p
	}
	c.Stock = clonePop(m.Stock)
	c.Cohort = clonePop(m.Cohort)
	c.Entries.AgeShares = clone1(m.Entries.AgeShares)
	c.Entries.PlacementShares = clone1(m.Entries.PlacementShares)
	c.Care.DurationBreaks = clone1(m.Care.DurationBreaks)
	c.Care.ReturnHome = clone2(m.Care.ReturnHome)
	c.Care.Permanence = clone1(m.Care.Permanence)
	c.Home.Reentry = Piecewise{clone1(m.Home.Reentry.Starts), clone1(m.Home.Reentry.Rates)}
	c.Home.Maltreatment = Piecewise{clone1(m.Home.Maltreatment.Starts), clone1(m.Home.Maltreatment.Rates)}
	c.Home.ReentryPlacement = clone2(m.Home.ReentryPlacement)
	c.Factors = make([]Factor, len(m.Factors))
	for i, f := range m.Factors {
		f.Prevalence = clone1(f.Prevalence)
		c.Factors[i] = f
	}
	c.Packages = make([]Package, len(m.Packages))
	for i, p := range m.Packages {
		p.Eligible.Tiers = cloneB(p.Eligible.Tiers)
		p.Eligible.AgeBands = cloneB(p.Eligible.AgeBands)
		p.Eligible.Placements = cloneB(p.Eligible.Placements)
		p.Eligible.Factors = append([]int(nil), p.Eligible.Factors...)
		c.Packages[i] = p
	}
	c.Arms = make([]Arm, len(m.Arms))
	for i, a := range m.Arms {
		a.Packages = append([]int(nil), a.Packages...)
		c.Arms[i] = a
	}
	return &c
}

func clone1(s []float64) []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s...)
}

func cloneB(s []bool) []bool {
	if s == nil {
		return nil
	}
	return append([]bool(nil), s...)
}

func clone2(s [][]float64) [][]float64 {
	if s == nil {
		return nil
	}
	c := make([][]float64, len(s))
	for i := range s {
		c[i] = clone1(s[i])
	}
	return c
}

// CumulativeToPiecewise converts the published form of a survival curve,
// the cumulative share F[k] of returns that have re-entered by month
// Months[k], into a piecewise-constant hazard with segments starting at 0,
// Months[0], Months[1], ... The hazard of the last given interval continues
// after the last point. Shares must increase strictly below 1 and months
// strictly.
func CumulativeToPiecewise(months, shares []float64) (Piecewise, error) {
	if len(months) == 0 || len(months) != len(shares) {
		return Piecewise{}, errors.New("cumulative form needs as many months as shares, at least one")
	}
	p := Piecewise{Starts: make([]float64, len(months)), Rates: make([]float64, len(months))}
	prevT, prevS := 0.0, 0.0
	for k := range months {
		t, s := months[k], shares[k]
		if !(t > prevT) {
			return Piecewise{}, fmt.Errorf("month %v: months must increase from above 0", t)
		}
		if !(s >= prevS && s < 1) {
			return Piecewise{}, fmt.Errorf("share %v by month %v: shares must not decrease and must stay below 1", s, t)
		}
		p.Starts[k] = prevT
		p.Rates[k] = -math.Log((1-s)/(1-prevS)) / (t - prevT)
		prevT, prevS = t, s
	}
	return p, nil
}

// Cumulative returns the probability that the event has happened by month
// t under the hazard alone: 1 - exp(-integral of the hazard to t).
func (p Piecewise) Cumulative(t float64) float64 {
	h := 0.0
	for k := range p.Starts {
		end := math.Inf(1)
		if k+1 < len(p.Starts) {
			end = p.Starts[k+1]
		}
		if t <= p.Starts[k] {
			break
		}
		h += p.Rates[k] * (math.Min(t, end) - p.Starts[k])
	}
	return 1 - math.Exp(-h)
}
