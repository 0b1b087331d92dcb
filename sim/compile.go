package sim

import "math"

// compiled is a Model prepared for fast simulation: cumulative share tables
// for categorical draws, monthly costs, and per-arm support windows. It is
// built once per iteration (after any parameter draws) and read-only after.
type compiled struct {
	m        *Model
	horizon  float64
	nb, np   int
	years    int
	survival int     // months in the re-entry curves
	delta    float64 // continuous discount rate per month

	bandStart []float64 // months of age, with MaxAgeMonths appended

	stockAge, stockPlace   []float64
	cohortAge, cohortPlace []float64
	entryAge, entryPlace   []float64
	moveCum                [][]float64
	reentryPlaceCum        [][]float64
	monthlyCost            []float64 // placement cost per month
	discTable              []float64 // exp(-delta*i/discSteps), i = 0 .. the horizon

	arms []compiledArm
}

// compiledArm lists the support packages of one arm by phase.
type compiledArm struct {
	pre, post []int // package indices with that phase
	fixed     []int // package indices with a fixed yearly cost
	// coupled is set when a package has limited places or a start month,
	// so the arm's children must be simulated in event-time order.
	coupled bool
}

// phase returns the arm's packages with a pre-return phase, or with a
// post-return phase if post.
func (ca *compiledArm) phase(post bool) []int {
	if post {
		return ca.post
	}
	return ca.pre
}

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
	c.bandStart = append(append([]float64(nil), m.AgeBands...), MaxAgeMonths)
	c.stockAge, c.stockPlace = cumulative(m.Stock.AgeShares), cumulative(m.Stock.PlacementShares)
	c.cohortAge, c.cohortPlace = cumulative(m.Cohort.AgeShares), cumulative(m.Cohort.PlacementShares)
	c.entryAge, c.entryPlace = cumulative(m.Entries.AgeShares), cumulative(m.Entries.PlacementShares)
	for _, p := range m.Placements {
		c.moveCum = append(c.moveCum, cumulative(p.MoveTo))
		c.monthlyCost = append(c.monthlyCost, p.WeeklyCost*WeeksPerMonth)
	}
	for _, row := range m.Home.ReentryPlacement {
		c.reentryPlaceCum = append(c.reentryPlaceCum, cumulative(row))
	}
	for _, a := range m.Arms {
		var ca compiledArm
		for _, k := range a.Packages {
			p := &m.Packages[k]
			if p.Pre.Months > 0 {
				ca.pre = append(ca.pre, k)
			}
			if p.Post.Months > 0 {
				ca.post = append(ca.post, k)
			}
			if p.FixedYearly > 0 {
				ca.fixed = append(ca.fixed, k)
			}
			ca.coupled = ca.coupled || p.Capacity.coupled()
		}
		c.arms = append(c.arms, ca)
	}
	return c
}

// cumulative turns shares into a cumulative table whose last entry is
// exactly 1, so a uniform draw always lands in some category.
func cumulative(shares []float64) []float64 {
	if len(shares) == 0 {
		return nil
	}
	out := make([]float64, len(shares))
	sum := 0.0
	for i, s := range shares {
		sum += s
		out[i] = sum
	}
	for i := range out {
		out[i] /= sum
	}
	// Categories with zero share after the last positive one must never
	// be drawn: give them a bound above any uniform.
	last := len(out) - 1
	for last > 0 && shares[last] == 0 {
		out[last] = 2
		last--
	}
	out[last] = 1
	return out
}

// pick returns the category of uniform u in a cumulative table.
func pick(cum []float64, u float64) int {
	for i, v := range cum {
		if u < v {
			return i
		}
	}
	return len(cum) - 1
}

// band returns the age band of an age in months.
func (c *compiled) band(age float64) int {
	b := 0
	for b+1 < c.nb && age >= c.bandStart[b+1] {
		b++
	}
	return b
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
	i := int(x)
	u := c.delta * (t - float64(i)/discSteps)
	u2 := u * u
	return c.discTable[i] * ((1 - u) + u2*(0.5-u*(1.0/6)))
}
