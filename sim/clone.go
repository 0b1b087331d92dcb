package sim

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
