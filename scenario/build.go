package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/reunify/reunify/sim"
)

// builder collects the model and the parameters given as distributions.
type builder struct {
	s       *Scenario
	m       *sim.Model
	params  []sim.Param
	sources []string // each parameter's source
	paths   []string // every number's path, distribution or not
}

// val returns the base value of v (its mean, through conv) and, if v is a
// distribution, adds a parameter whose Set writes conv(draw) with set.
// The parameter draws inside its key's range (validation has checked that
// its tails leave it at most once in 10^12 draws), so that no draw can
// give an invalid model.
func (b *builder) val(path string, v Value, conv func(float64) float64, set func(m *sim.Model, x float64)) float64 {
	b.paths = append(b.paths, path)
	if v.Dist != nil {
		lo, hi := rowOf(path).rule.drawRange()
		b.params = append(b.params, sim.Param{Path: path, Dist: v.Dist.bounded(lo, hi), Set: func(m *sim.Model, x float64) { set(m, conv(x)) }})
		b.sources = append(b.sources, v.Source)
	}
	return conv(v.Mean())
}

func same(x float64) float64     { return x }
func perMonth(x float64) float64 { return x / 12 }

// walk builds the rows of the table at path (without indices; element i,
// called name, of an array of tables) in the table's order: each number
// and per-band list into the model where its row says, each table row by
// row, and at a row with a hook, the hook instead. The order is that of
// the parameters Build returns.
func (b *builder) walk(path string, i int, name string, hooks map[string]func()) {
	walkRows(path, i, name, hooks, func(r *param, ipath, npath string) {
		switch {
		case r.kind == isNumber && r.set != nil && r.rule.plain:
			r.set(b.m, i, r.conv.apply(b.s.num(ipath).Num))
		case r.kind == isNumber && r.set != nil:
			set := r.set
			set(b.m, i, b.val(npath, b.s.num(ipath), r.conv.apply, func(m *sim.Model, x float64) { set(m, i, x) }))
		case r.kind == isBands:
			get := r.get
			*get(b.m, i) = b.bands(npath, b.s.band(ipath), len(b.s.AgeBands), r.broadcast, r.conv.apply,
				func(m *sim.Model) []float64 { return *get(m, i) })
		case r.kind == isTable:
			b.walk(unstar(r.path), i, name, nil)
		}
	})
}

// Build converts the scenario to the engine's model: time in months, rates
// per month, the cumulative re-entry form to piecewise hazards. Parameters
// given as distributions come back as sim.Params (the model holds their
// means); their paths name them by placement, factor and package name,
// e.g. "package.support.post.hr_reentry". Build fills defaults and checks
// the scenario again (it may have been changed, or built in code, since
// Load) and returns Problems if it is invalid.
func (s *Scenario) Build() (*sim.Model, []sim.Param, error) {
	b, err := s.build()
	if err != nil {
		return nil, nil, err
	}
	return b.m, b.params, nil
}

// build is Build, returning the builder (which also holds each
// parameter's source).
func (s *Scenario) build() (*builder, error) {
	s.fillDefaults()
	if ps := s.check(); len(ps) > 0 {
		sortProblems(ps)
		return nil, ps
	}
	m := &sim.Model{Name: s.Name}
	b := &builder{s: s, m: m}
	nb := len(s.AgeBands)
	for _, a := range s.AgeBands {
		m.AgeBands = append(m.AgeBands, 12*a.Num)
	}
	names := s.elements("placement")
	fnames := s.elements("factor")
	pnames := s.elements("package")
	np := len(names)
	shareVec := func(sh map[string]Value) []float64 {
		if sh == nil {
			return nil
		}
		out := make([]float64, np)
		for k, v := range sh {
			out[slices.Index(names, k)] = v.Num
		}
		return out
	}
	plainList := func(vs []Value, scale float64) []float64 {
		if vs == nil {
			return nil
		}
		out := make([]float64, len(vs))
		for i, v := range vs {
			out[i] = scale * v.Num
		}
		return out
	}
	population := func(name string, p Population, get func(m *sim.Model) (age, placement *[]float64)) {
		age, placement := get(m)
		*age, *placement = plainList(p.AgeShares, 1), shareVec(p.PlacementShares)
		b.walk(name, 0, "", nil)
	}

	b.walk("", 0, "", map[string]func(){
		"name": func() {}, "description": func() {}, "age_bands": func() {},
		"placement": func() {
			m.Placements = make([]sim.Placement, np)
			for i, p := range s.Placements {
				m.Placements[i] = sim.Placement{Name: p.Name, MoveTo: shareVec(p.MoveTo)}
				if m.Placements[i].MoveTo == nil {
					m.Placements[i].MoveTo = make([]float64, np)
				}
				b.walk("placement", i, p.Name, map[string]func(){"name": func() {}, "move_to": func() {}})
			}
		},
		// Stock and cohort, then entries: the order of the parameters.
		"stock": func() {
			population("stock", s.Stock, func(m *sim.Model) (*[]float64, *[]float64) { return &m.Stock.AgeShares, &m.Stock.PlacementShares })
			population("cohort", s.Cohort, func(m *sim.Model) (*[]float64, *[]float64) { return &m.Cohort.AgeShares, &m.Cohort.PlacementShares })
		},
		"cohort": func() {},
		"entries": func() {
			population("entries", s.Entries, func(m *sim.Model) (*[]float64, *[]float64) { return &m.Entries.AgeShares, &m.Entries.PlacementShares })
		},
		"care": func() {
			b.walk("care", 0, "", map[string]func(){
				"duration_breaks_months": func() { m.Care.DurationBreaks = plainList(s.Care.DurationBreaksMonths, 1) },
				"return_home_per_year":   func() { b.returnHome(s.Care.ReturnHomePerYear, nb) },
			})
		},
		"home": func() {
			h := s.Home
			b.walk("home", 0, "", map[string]func(){
				"reentry": func() {
					m.Home.Reentry = b.hazard("home.reentry", h.Reentry, func(m *sim.Model) *sim.Piecewise { return &m.Home.Reentry })
				},
				"maltreatment": func() {
					m.Home.Maltreatment = b.hazard("home.maltreatment", h.Maltreatment, func(m *sim.Model) *sim.Piecewise { return &m.Home.Maltreatment })
				},
				"reentry_placement_shares": func() {
					for a := range nb {
						mp := h.ReentryPlacementShares.Maps[0]
						if h.ReentryPlacementShares.PerBand {
							mp = h.ReentryPlacementShares.Maps[a]
						}
						m.Home.ReentryPlacement = append(m.Home.ReentryPlacement, shareVec(mp))
					}
				},
			})
		},
		"factor": func() {
			m.Factors = make([]sim.Factor, len(fnames))
			for i, name := range fnames {
				m.Factors[i].Name = name
				b.walk("factor", i, name, map[string]func(){"name": func() {}})
			}
		},
		"package": func() {
			m.Packages = make([]sim.Package, len(pnames))
			for i, p := range s.Packages {
				m.Packages[i] = b.pkg(p, nb, names, fnames)
				b.walk("package", i, p.Name, map[string]func(){"name": func() {}, "eligible": func() {}, "capacity": func() {}})
			}
		},
		"arm": func() {
			for _, a := range s.Arms {
				arm := sim.Arm{Name: a.Name, Packages: []int{}}
				for _, k := range a.Packages {
					arm.Packages = append(arm.Packages, slices.Index(pnames, k))
				}
				m.Arms = append(m.Arms, arm)
			}
		},
		"correlation": func() {},
	})

	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %s: the built model is invalid (a bug in package scenario): %w", s.file, err)
	}
	if ps := s.correlate(b); len(ps) > 0 {
		sortProblems(ps)
		return nil, ps
	}
	return b, nil
}

// returnHome converts the return-home rates: one row per age band, or a
// single row for all bands.
func (b *builder) returnHome(rh Matrix, nb int) {
	m := b.m
	m.Care.ReturnHome = make([][]float64, nb)
	for a := range nb {
		r := a
		if rh.Single {
			r = 0
		}
		m.Care.ReturnHome[a] = make([]float64, len(rh.Rows[r]))
	}
	for r, row := range rh.Rows {
		for j, v := range row {
			bands := []int{r}
			path := fmt.Sprintf("care.return_home_per_year.%d.%d", r, j)
			if rh.Single {
				bands = seq(nb)
				path = fmt.Sprintf("care.return_home_per_year.%d", j)
			}
			x := b.val(path, v, perMonth, func(m *sim.Model, x float64) {
				for _, a := range bands {
					m.Care.ReturnHome[a][j] = x
				}
			})
			for _, a := range bands {
				m.Care.ReturnHome[a][j] = x
			}
		}
	}
}

// pkg returns a package's name, eligibility and capacity in the engine's
// terms, with its phases' ratios at 1 for its rows to set.
func (b *builder) pkg(p Package, nb int, placements, factors []string) sim.Package {
	sp := sim.Package{Name: p.Name, Pre: sim.Phase{HR: sim.One}, Post: sim.Phase{HR: sim.One}}
	el := p.Eligible
	if el.Tiers != nil {
		sp.Eligible.Tiers = make([]bool, sim.NumTiers)
		for _, t := range el.Tiers {
			sp.Eligible.Tiers[slices.Index(sim.TierNames[:], t)] = true
		}
	}
	if cp := p.Capacity; cp != nil {
		sp.Capacity = sim.Capacity{
			Limited:    true,
			Places:     cp.places(),
			Wait:       cp.WhenFull != "go_without",
			ByTier:     cp.Queue == "highest_tier",
			StartMonth: cp.StartMonth,
		}
	}
	if el.AgeBands != nil {
		sp.Eligible.AgeBands = make([]bool, nb)
		for _, a := range el.AgeBands {
			sp.Eligible.AgeBands[a] = true
		}
	}
	if el.Placements != nil {
		sp.Eligible.Placements = make([]bool, len(placements))
		for _, n := range el.Placements {
			sp.Eligible.Placements[slices.Index(placements, n)] = true
		}
	}
	for _, f := range el.Factors {
		if k := slices.Index(factors, f); !slices.Contains(sp.Eligible.Factors, k) {
			sp.Eligible.Factors = append(sp.Eligible.Factors, k)
		}
	}
	return sp
}

// correlate gives the parameters named in [[correlation]] tables their
// mix (sim.Param.Mix): the rows of the Cholesky factor of their
// correlation matrix. A correlation naming a number that is not a
// distribution (a --set or a sweep may have fixed it) is ignored; an
// unknown path, a pair given twice, or correlations that no joint
// distribution can have are problems.
func (s *Scenario) correlate(b *builder) Problems {
	var ps Problems
	index := map[string]int{}
	for i, p := range b.params {
		index[p.Path] = i
	}
	// The parameters involved, in order of first mention, and the matrix.
	var involved []int
	at := map[int]int{} // param index -> position in involved
	type pair struct{ i, j int }
	rhos := map[pair]float64{}
	first := map[pair]int{}
	for k, cr := range s.Correlations {
		var idx [2]int
		ok := true
		for j, path := range cr.Params {
			i, isDist := index[path]
			if !isDist {
				ok = false
				if !slices.Contains(b.paths, path) {
					msg := fmt.Sprintf("unknown parameter %q", path)
					if sg := suggest(path, b.paths); sg != "" {
						msg += fmt.Sprintf("; did you mean %q?", sg)
					}
					ps = append(ps, s.problem(fmt.Sprintf("correlation.%d.params.%d", k, j), msg+" (paths as --set names them, e.g. placement.NAME.weekly_cost)"))
				}
				continue
			}
			idx[j] = i
		}
		if !ok {
			continue
		}
		pr := pair{min(idx[0], idx[1]), max(idx[0], idx[1])}
		if k0, dup := first[pr]; dup {
			ps = append(ps, s.problem(fmt.Sprintf("correlation.%d.params", k), fmt.Sprintf("this pair is already correlated by [[correlation]] number %d", k0+1)))
			continue
		}
		first[pr] = k
		rhos[pr] = s.num(fmt.Sprintf("correlation.%d.rho", k)).Num
		for _, i := range idx {
			if _, seen := at[i]; !seen {
				at[i] = len(involved)
				involved = append(involved, i)
			}
		}
	}
	if len(ps) > 0 || len(involved) == 0 {
		return ps
	}
	n := len(involved)
	r := mat.NewSymDense(n, nil)
	for a := range n {
		r.SetSym(a, a, 1)
	}
	for pr, rho := range rhos {
		r.SetSym(at[pr.i], at[pr.j], rho)
	}
	var ch mat.Cholesky
	if !ch.Factorize(r) {
		return Problems{s.problem("correlation", "these correlations contradict each other: no joint distribution has them all (their matrix is not positive definite); weaken some, or drop one")}
	}
	var l mat.TriDense
	ch.LTo(&l)
	for a, i := range involved {
		var mix []sim.Weight
		for c := 0; c <= a; c++ {
			if w := l.At(a, c); w != 0 {
				mix = append(mix, sim.Weight{Param: involved[c], W: w})
			}
		}
		if len(mix) == 1 && mix[0].Param == i && mix[0].W == 1 {
			continue // its own draw, unchanged
		}
		b.params[i].Mix = mix
	}
	return nil
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// bands converts a per-age-band list; broadcast repeats a single number
// for every band (otherwise one number stays one entry).
func (b *builder) bands(path string, bs Bands, nb int, broadcast bool, conv func(float64) float64, get func(m *sim.Model) []float64) []float64 {
	if bs.Scalar {
		n := 1
		if broadcast {
			n = nb
		}
		x := b.val(path, bs.Values[0], conv, func(m *sim.Model, x float64) {
			s := get(m)
			for i := range s {
				s[i] = x
			}
		})
		out := make([]float64, n)
		for i := range out {
			out[i] = x
		}
		return out
	}
	out := make([]float64, len(bs.Values))
	for i, v := range bs.Values {
		out[i] = b.val(path+"."+strconv.Itoa(i), v, conv, func(m *sim.Model, x float64) { get(m)[i] = x })
	}
	return out
}

// hazard converts a hazard to piecewise monthly rates. In the cumulative
// form, a drawn share replaces its point and the hazards are derived
// again from the model's current curve, so draws of several points
// combine in any order.
func (b *builder) hazard(path string, h Hazard, get func(m *sim.Model) *sim.Piecewise) sim.Piecewise {
	if !h.IsCumulative() {
		p := sim.Piecewise{Starts: make([]float64, len(h.StartsMonths))}
		for i, v := range h.StartsMonths {
			p.Starts[i] = v.Num
		}
		for i, v := range h.PerYear {
			p.Rates = append(p.Rates, b.val(fmt.Sprintf("%s.per_year.%d", path, i), v, perMonth,
				func(m *sim.Model, x float64) { get(m).Rates[i] = x }))
		}
		return p
	}
	months := make([]float64, len(h.Months))
	shares := make([]float64, len(h.Cumulative))
	for i := range months {
		months[i] = h.Months[i].Num
	}
	for i, v := range h.Cumulative {
		shares[i] = b.val(fmt.Sprintf("%s.cumulative.%d", path, i), v, same, func(m *sim.Model, x float64) {
			p := get(m)
			cur := make([]float64, len(months))
			for j, t := range months {
				cur[j] = p.Cumulative(t)
			}
			cur[i] = x
			*p = cumulativeToPiecewise(months, cur)
		})
	}
	return cumulativeToPiecewise(months, shares)
}

// cumulativeToPiecewise is sim.CumulativeToPiecewise made total for drawn
// values: a share below an earlier one counts as the earlier one (a zero
// hazard), and shares are kept below 1.
func cumulativeToPiecewise(months, shares []float64) sim.Piecewise {
	fixed := make([]float64, len(shares))
	run := 0.0
	for i, s := range shares {
		run = math.Min(math.Max(run, s), 1-1e-12)
		fixed[i] = run
	}
	p, err := sim.CumulativeToPiecewise(months, fixed)
	if err != nil {
		panic("scenario: " + err.Error()) // months were validated
	}
	return p
}
