package scenario

// DefaultAgeBands are the lower bounds, in years, of the age bands used
// when a scenario gives none.
var DefaultAgeBands = []float64{0, 1, 5, 10, 16}

// dflt fills v with x if it was not given.
func dflt(v *Value, x float64) {
	if !v.set {
		*v = Value{Num: x, set: true, def: true}
	}
}

func dfltRatios(r *Ratios) {
	dflt(&r.HRReturn, 1)
	dflt(&r.HRReentry, 1)
	dflt(&r.HRMaltreatment, 1)
}

func dfltPop(p *Population) {
	dflt(&p.Count, 0)
	dflt(&p.MeanMonthsInCare, 24)
	dflt(&p.PriorFailedReturns, 0)
}

// fillDefaults fills every optional value that was not given.
func (s *Scenario) fillDefaults() {
	if s.AgeBands == nil {
		for _, a := range DefaultAgeBands {
			s.AgeBands = append(s.AgeBands, Value{Num: a, set: true, def: true})
		}
	}
	for i := range s.Placements {
		dflt(&s.Placements[i].MovesPerYear, 0)
	}
	dfltPop(&s.Stock)
	dfltPop(&s.Cohort)
	dflt(&s.Entries.PerYear, 0)
	dflt(&s.Entries.Trend, 0)
	if s.Care.DurationBreaksMonths == nil {
		s.Care.DurationBreaksMonths = []Value{{Num: 0, set: true, def: true}}
	}
	if !s.Care.PermanencePerYear.IsSet() {
		s.Care.PermanencePerYear = Bands{Values: []Value{{Num: 0, set: true, def: true}}, Scalar: true}
	}
	h := &s.Home
	if !h.Maltreatment.given() {
		h.Maltreatment = Hazard{
			StartsMonths: []Value{{Num: 0, set: true, def: true}},
			PerYear:      []Value{{Num: 0, set: true, def: true}},
		}
	}
	dflt(&h.MaltreatmentReentryProbability, 0)
	dflt(&h.StableMonths, 24)
	dflt(&h.CaseCloseMonths, 12)
	for i := range s.Factors {
		dfltRatios(&s.Factors[i].Ratios)
	}
	dfltRatios(&s.History.Older)
	dfltRatios(&s.History.ManyPlacements)
	dfltRatios(&s.History.ShortCare)
	dfltRatios(&s.History.PriorFailure)
	c := &s.Costs
	dflt(&c.SocialWorkPerMonth, 0)
	dflt(&c.Entry, 0)
	dflt(&c.Reentry, 0)
	dflt(&c.Return, 0)
	dflt(&c.DiscountRate, 0.035)
	dflt(&c.PriceYear, 0)
	dflt(&s.Tiers.Amber, 0)
	dflt(&s.Tiers.Red, 0)
	for i := range s.Packages {
		p := &s.Packages[i]
		dflt(&p.Uptake, 1)
		dflt(&p.FixedPerYear, 0)
		dflt(&p.Pre.Months, 0)
		dflt(&p.Pre.CostPerMonth, 0)
		dflt(&p.Pre.CostAtStart, 0)
		dflt(&p.Pre.HRReturn, 1)
		dflt(&p.Pre.PersistMonths, 0)
		dflt(&p.Post.Months, 0)
		dflt(&p.Post.CostPerMonth, 0)
		dflt(&p.Post.CostAtStart, 0)
		dflt(&p.Post.HRReentry, 1)
		dflt(&p.Post.HRMaltreatment, 1)
		dflt(&p.Post.PersistMonths, 0)
	}
}
