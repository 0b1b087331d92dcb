package scenario

import (
	"fmt"
)

// Scenario is a decoded scenario file. Its numbers, the parameters of
// the table in params.go, are kept by key path and read with Lookup; the
// fields hold the keys of other shapes (names, lists, shares, tables).
// Field names follow the TOML keys (see the toml tags); units are those
// of the file: years, rates per year, costs per week or month. Load fills
// defaults and validates; Build converts to the engine's units.
type Scenario struct {
	Name        string  `toml:"name"`
	Description string  `toml:"description"`
	AgeBands    []Value `toml:"age_bands"` // lower bounds in years

	Placements []Placement `toml:"placement"`
	Stock      Population  `toml:"stock"`
	Entries    Population  `toml:"entries"`
	Cohort     Population  `toml:"cohort"`
	Care       Care        `toml:"care"`
	Home       Home        `toml:"home"`
	Factors    []Factor    `toml:"factor"`
	Packages   []Package   `toml:"package"`
	Arms       []Arm       `toml:"arm"`

	Correlations []Correlation `toml:"correlation"`

	// nums holds every number row's value and bandsOf every bands row's,
	// by key path with indices ("package.0.post.hr_reentry").
	nums   map[string]Value
	bandOf map[string]Bands

	file      string
	pos       positions
	overrides map[string]string // indexed key path -> --set text
}

// Placement is a [[placement]] table: a type of care placement.
type Placement struct {
	Name   string           `toml:"name"`
	MoveTo map[string]Value `toml:"move_to"` // shares by placement name
}

// Population is the [stock], [entries] or [cohort] table's shares: by age
// band and by placement.
type Population struct {
	AgeShares       []Value          `toml:"age_shares"`
	PlacementShares map[string]Value `toml:"placement_shares"`
}

// Care is the [care] table: yearly rates of leaving care.
type Care struct {
	DurationBreaksMonths []Value `toml:"duration_breaks_months"`
	ReturnHomePerYear    Matrix  `toml:"return_home_per_year"`
}

// Hazard is a hazard by months since return, in one of two forms: the
// published cumulative form (Months and Cumulative: the share that has had
// the event by each month) or piecewise yearly rates (StartsMonths and
// PerYear).
type Hazard struct {
	Months       []Value `toml:"months"`
	Cumulative   []Value `toml:"cumulative"`
	StartsMonths []Value `toml:"starts_months"`
	PerYear      []Value `toml:"per_year"`
}

// IsCumulative reports whether the hazard is given in the cumulative form.
func (h Hazard) IsCumulative() bool { return h.Months != nil || h.Cumulative != nil }

func (h Hazard) given() bool {
	return h.Months != nil || h.Cumulative != nil || h.StartsMonths != nil || h.PerYear != nil
}

// Home is the [home] table: what can happen after a return home.
type Home struct {
	Reentry                Hazard    `toml:"reentry"`
	Maltreatment           Hazard    `toml:"maltreatment"`
	ReentryPlacementShares ShareMaps `toml:"reentry_placement_shares"`
}

// Factor is a [[factor]] table: a named risk factor.
type Factor struct {
	Name string `toml:"name"`
}

// Eligible says who a package is for; an absent list means everyone.
type Eligible struct {
	Tiers      []string `toml:"tiers"`
	AgeBands   []int    `toml:"age_bands"` // indices into age_bands
	Placements []string `toml:"placements"`
	Factors    []string `toml:"factors"`
}

// Package is a [[package]] table: a support package.
type Package struct {
	Name     string    `toml:"name"`
	Eligible Eligible  `toml:"eligible"`
	Capacity *Capacity `toml:"capacity"`
}

// Capacity is a package's capacity table: how many families it supports
// at once, and what happens when every place is taken. Without it, every
// eligible family that takes up the offer is supported.
type Capacity struct {
	Places     *int    `toml:"places"`      // families at once; or team x caseload
	Team       *int    `toml:"team"`        // workers
	Caseload   *int    `toml:"caseload"`    // families per worker
	WhenFull   string  `toml:"when_full"`   // "wait" (default) or "go_without"
	Queue      string  `toml:"queue"`       // "first_come" (default) or "highest_tier"
	StartMonth float64 `toml:"start_month"` // the team starts (hiring delay) [0]
}

// Capacity's choices, as written in scenario files.
var (
	WhenFullChoices = []string{"wait", "go_without"}
	QueueChoices    = []string{"first_come", "highest_tier"}
)

// choices returns when_full and queue with their defaults filled in.
func (c *Capacity) choices() (whenFull, queue string) {
	whenFull, queue = c.WhenFull, c.Queue
	if whenFull == "" {
		whenFull = WhenFullChoices[0]
	}
	if queue == "" {
		queue = QueueChoices[0]
	}
	return whenFull, queue
}

// places returns the number of places the table gives.
func (c *Capacity) places() int {
	if c.Places != nil {
		return *c.Places
	}
	if c.Team != nil && c.Caseload != nil {
		return *c.Team * *c.Caseload
	}
	return 0
}

// Arm is an [[arm]] table: a compared policy. The first arm is the
// baseline.
type Arm struct {
	Name     string   `toml:"name"`
	Packages []string `toml:"packages"`
}

// Correlation is a [[correlation]] table: two parameters given as
// distributions whose draws are correlated through a Gaussian copula.
type Correlation struct {
	// Params are the two parameters' paths, as --set and the param.<path>
	// columns name them, e.g. "placement.childrens_home.weekly_cost". The
	// correlation of their normal scores is the number correlation.N.rho.
	Params []string `toml:"params"`
}

// Bands is a per-age-band list that may be written as one number for all
// bands.
type Bands struct {
	Values []Value
	// Scalar is set when one number was written for all bands.
	Scalar bool
	err    string
}

// UnmarshalTOML implements toml.Unmarshaler.
func (b *Bands) UnmarshalTOML(data any) error {
	*b = Bands{}
	switch x := data.(type) {
	case []any:
		b.Values = make([]Value, len(x))
		for i, e := range x {
			b.Values[i].UnmarshalTOML(e)
		}
		if len(x) == 0 {
			b.err = "empty array: give one number, or one per age band"
		}
	default:
		var v Value
		v.UnmarshalTOML(data)
		b.Values, b.Scalar = []Value{v}, true
	}
	return nil
}

// IsSet reports whether the list was given.
func (b Bands) IsSet() bool { return b.Values != nil || b.err != "" }

// Matrix is a table of rates by age band (rows) and duration segment
// (columns), which may be written as a single row used for all bands.
type Matrix struct {
	Rows [][]Value
	// Single is set when one row was written for all bands.
	Single bool
	err    string
}

// UnmarshalTOML implements toml.Unmarshaler.
func (m *Matrix) UnmarshalTOML(data any) error {
	*m = Matrix{}
	arr, ok := data.([]any)
	if !ok || len(arr) == 0 {
		m.err = fmt.Sprintf("want an array of numbers (one per duration segment) or an array of such rows (one per age band), got %s", tomlType(data))
		if ok {
			m.err = "empty array"
		}
		return nil
	}
	if _, nested := arr[0].([]any); !nested {
		m.Single = true
		arr = []any{arr}
	} else if len(arr) == 1 {
		m.Single = true // one row, written nested, for all bands
	}
	for _, r := range arr {
		ra, ok := r.([]any)
		if !ok {
			m.err = "mixes numbers and rows: write one row, or one row per age band"
			return nil
		}
		row := make([]Value, len(ra))
		for j, e := range ra {
			row[j].UnmarshalTOML(e)
		}
		m.Rows = append(m.Rows, row)
	}
	return nil
}

// IsSet reports whether the matrix was given.
func (m Matrix) IsSet() bool { return m.Rows != nil || m.err != "" }

// ShareMaps is a map of shares by placement name, or one such map per age
// band.
type ShareMaps struct {
	Maps []map[string]Value
	// PerBand is set when an array of maps (one per age band) was written.
	PerBand bool
	err     string
}

// UnmarshalTOML implements toml.Unmarshaler.
func (s *ShareMaps) UnmarshalTOML(data any) error {
	*s = ShareMaps{}
	conv := func(t map[string]any) map[string]Value {
		m := make(map[string]Value, len(t))
		for k, e := range t {
			var v Value
			v.UnmarshalTOML(e)
			m[k] = v
		}
		return m
	}
	switch x := data.(type) {
	case map[string]any:
		s.Maps = []map[string]Value{conv(x)}
	case []map[string]any:
		s.PerBand = true
		for _, t := range x {
			s.Maps = append(s.Maps, conv(t))
		}
	case []any:
		s.PerBand = true
		for _, e := range x {
			t, ok := e.(map[string]any)
			if !ok {
				s.err = "want a table of shares by placement name, or an array of such tables (one per age band)"
				return nil
			}
			s.Maps = append(s.Maps, conv(t))
		}
		if len(x) == 0 {
			s.err = "empty array"
		}
	default:
		s.err = fmt.Sprintf("want a table of shares by placement name, or an array of such tables (one per age band), got %s", tomlType(data))
	}
	return nil
}

// IsSet reports whether the shares were given.
func (s ShareMaps) IsSet() bool { return s.Maps != nil || s.err != "" }
