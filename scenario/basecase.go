package scenario

import (
	"maps"
	"slices"
)

// Uncertain is a parameter given as a distribution: one of the sim.Params
// Build returns, with where its figure comes from.
type Uncertain struct {
	// Path names it as --set and the param.<path> columns do, e.g.
	// "package.support.post.hr_reentry".
	Path string
	Dist *Dist
	// Source is the source written with it, in table form (source =
	// "assumption"), or "" if none is given.
	Source string
}

// Uncertain lists every parameter given as a distribution, in the order
// of Build's parameters: the assumption register of a report.
func (s *Scenario) Uncertain() ([]Uncertain, error) {
	b, err := s.build()
	if err != nil {
		return nil, err
	}
	out := make([]Uncertain, len(b.params))
	for i, p := range b.params {
		d := *p.Dist.(*Dist)
		d.clamp = false // as written, not as the run draws it
		out[i] = Uncertain{Path: p.Path, Dist: &d, Source: b.sources[i]}
	}
	return out, nil
}

// BaseCase returns the deterministic base case: a copy of the scenario
// with every distribution replaced by its mean (Dist.Mean: as written for
// the mean and sd forms), keeping each figure's source. It builds to the
// model Build returns, with no parameter to draw, and its Resolved is the
// base case's scenario file. The scenario itself is unchanged.
func (s *Scenario) BaseCase() *Scenario {
	c := s.clone()
	c.values(func(v *Value) {
		if v.Dist != nil {
			*v = Value{Num: v.Dist.Mean(), Source: v.Source, set: true, def: v.def}
		}
	})
	return c
}

// values calls f with every number of the scenario that may be a
// distribution: the table's numbers and per-band lists, the return-home
// rates and the hazards' shares and rates.
func (s *Scenario) values(f func(v *Value)) {
	for k, v := range s.nums {
		f(&v)
		s.nums[k] = v
	}
	for _, b := range s.bandOf {
		for i := range b.Values {
			f(&b.Values[i])
		}
	}
	for _, row := range s.Care.ReturnHomePerYear.Rows {
		for i := range row {
			f(&row[i])
		}
	}
	for _, h := range []*Hazard{&s.Home.Reentry, &s.Home.Maltreatment} {
		for _, vs := range [][]Value{h.Cumulative, h.PerYear} {
			for i := range vs {
				f(&vs[i])
			}
		}
	}
}

// clone returns a deep copy of the scenario: changing the copy (a
// BaseCase, a Set) leaves the original as it was.
func (s *Scenario) clone() *Scenario {
	c := *s
	shares := func(m map[string]Value) map[string]Value { return maps.Clone(m) }
	pop := func(p Population) Population {
		return Population{AgeShares: slices.Clone(p.AgeShares), PlacementShares: shares(p.PlacementShares)}
	}
	hazard := func(h Hazard) Hazard {
		return Hazard{Months: slices.Clone(h.Months), Cumulative: slices.Clone(h.Cumulative),
			StartsMonths: slices.Clone(h.StartsMonths), PerYear: slices.Clone(h.PerYear)}
	}
	c.AgeBands = slices.Clone(s.AgeBands)
	c.Placements = slices.Clone(s.Placements)
	for i := range c.Placements {
		c.Placements[i].MoveTo = shares(s.Placements[i].MoveTo)
	}
	c.Stock, c.Entries, c.Cohort = pop(s.Stock), pop(s.Entries), pop(s.Cohort)
	c.Care.DurationBreaksMonths = slices.Clone(s.Care.DurationBreaksMonths)
	c.Care.ReturnHomePerYear.Rows = slices.Clone(s.Care.ReturnHomePerYear.Rows)
	for i, r := range c.Care.ReturnHomePerYear.Rows {
		c.Care.ReturnHomePerYear.Rows[i] = slices.Clone(r)
	}
	c.Home.Reentry, c.Home.Maltreatment = hazard(s.Home.Reentry), hazard(s.Home.Maltreatment)
	c.Home.ReentryPlacementShares.Maps = slices.Clone(s.Home.ReentryPlacementShares.Maps)
	for i, m := range c.Home.ReentryPlacementShares.Maps {
		c.Home.ReentryPlacementShares.Maps[i] = shares(m)
	}
	c.Factors = slices.Clone(s.Factors)
	c.Packages = slices.Clone(s.Packages)
	for i, p := range c.Packages {
		el := &c.Packages[i].Eligible
		el.Tiers, el.AgeBands = slices.Clone(p.Eligible.Tiers), slices.Clone(p.Eligible.AgeBands)
		el.Placements, el.Factors = slices.Clone(p.Eligible.Placements), slices.Clone(p.Eligible.Factors)
		if p.Capacity != nil {
			cp := *p.Capacity
			for _, n := range []**int{&cp.Places, &cp.Team, &cp.Caseload} {
				if *n != nil {
					x := **n
					*n = &x
				}
			}
			c.Packages[i].Capacity = &cp
		}
	}
	c.Arms = slices.Clone(s.Arms)
	for i, a := range c.Arms {
		c.Arms[i].Packages = slices.Clone(a.Packages)
	}
	c.Correlations = slices.Clone(s.Correlations)
	for i, cr := range c.Correlations {
		c.Correlations[i].Params = slices.Clone(cr.Params)
	}
	c.nums = maps.Clone(s.nums)
	c.bandOf = maps.Clone(s.bandOf)
	for k, b := range c.bandOf {
		b.Values = slices.Clone(b.Values)
		c.bandOf[k] = b
	}
	c.overrides = maps.Clone(s.overrides)
	return &c
}
