package scenario

// DefaultAgeBands are the lower bounds, in years, of the age bands used
// when a scenario gives none.
var DefaultAgeBands = []float64{0, 1, 5, 10, 16}

// fillDefaults fills every optional value that was not given: the
// numbers' defaults from the parameter table, and the lists' here.
func (s *Scenario) fillDefaults() {
	s.fillNumbers()
	if s.AgeBands == nil {
		for _, a := range DefaultAgeBands {
			s.AgeBands = append(s.AgeBands, Value{Num: a, set: true, def: true})
		}
	}
	if s.Care.DurationBreaksMonths == nil {
		s.Care.DurationBreaksMonths = []Value{{Num: 0, set: true, def: true}}
	}
	h := &s.Home
	if !h.Maltreatment.given() {
		h.Maltreatment = Hazard{
			StartsMonths: []Value{{Num: 0, set: true, def: true}},
			PerYear:      []Value{{Num: 0, set: true, def: true}},
		}
	}
}
