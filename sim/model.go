package sim

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
