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
	params []sim.Param
	paths  []string // every number's path, distribution or not
}

// val returns the base value of v (its mean, through conv) and, if v is a
// distribution, adds a parameter whose Set writes conv(draw) with set.
func (b *builder) val(path string, v Value, conv func(float64) float64, set func(m *sim.Model, x float64)) float64 {
	b.paths = append(b.paths, path)
	if v.Dist != nil {
		b.params = append(b.params, sim.Param{Path: path, Dist: v.Dist, Set: func(m *sim.Model, x float64) { set(m, conv(x)) }})
	}
	return conv(v.Mean())
}

func same(x float64) float64     { return x }
func perMonth(x float64) float64 { return x / 12 }

// Build converts the scenario to the engine's model: time in months, rates
// per month, the cumulative re-entry form to piecewise hazards. Parameters
// given as distributions come back as sim.Params (the model holds their
// means); their paths name them by placement, factor and package name,
// e.g. "package.support.post.hr_reentry". Build fills defaults and checks
// the scenario again (it may have been changed, or built in code, since
// Load) and returns Problems if it is invalid.
func (s *Scenario) Build() (*sim.Model, []sim.Param, error) {
	s.fillDefaults()
	if ps := s.check(); len(ps) > 0 {
		sortProblems(ps)
		return nil, nil, ps
	}
	b := &builder{}
	m := &sim.Model{Name: s.Name, Horizon: 12 * s.HorizonYears.Num}
	nb := len(s.AgeBands)
	for _, a := range s.AgeBands {
		m.AgeBands = append(m.AgeBands, 12*a.Num)
	}
	names := namesOf(s.Placements, func(p Placement) string { return p.Name })
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

	for i, p := range s.Placements {
		path := "placement." + p.Name + "."
		pl := sim.Placement{Name: p.Name}
		pl.WeeklyCost = b.val(path+"weekly_cost", p.WeeklyCost, same, func(m *sim.Model, x float64) { m.Placements[i].WeeklyCost = x })
		pl.MoveRate = b.val(path+"moves_per_year", p.MovesPerYear, perMonth, func(m *sim.Model, x float64) { m.Placements[i].MoveRate = x })
		pl.MoveTo = shareVec(p.MoveTo)
		if pl.MoveTo == nil {
			pl.MoveTo = make([]float64, np)
		}
		m.Placements = append(m.Placements, pl)
	}

	pop := func(name string, p Population, get func(m *sim.Model) *sim.Population) sim.Population {
		out := sim.Population{
			Count:           int(p.Count.Num),
			AgeShares:       plainList(p.AgeShares, 1),
			PlacementShares: shareVec(p.PlacementShares),
		}
		out.MeanMonthsInCare = b.val(name+".mean_months_in_care", p.MeanMonthsInCare, same, func(m *sim.Model, x float64) { get(m).MeanMonthsInCare = x })
		out.PriorFailedReturns = b.val(name+".prior_failed_returns", p.PriorFailedReturns, same, func(m *sim.Model, x float64) { get(m).PriorFailedReturns = x })
		return out
	}
	m.Stock = pop("stock", s.Stock, func(m *sim.Model) *sim.Population { return &m.Stock })
	m.Cohort = pop("cohort", s.Cohort, func(m *sim.Model) *sim.Population { return &m.Cohort })

	e := s.Entries
	m.Entries = sim.Entries{AgeShares: plainList(e.AgeShares, 1), PlacementShares: shareVec(e.PlacementShares)}
	m.Entries.PerMonth = b.val("entries.per_year", e.PerYear, perMonth, func(m *sim.Model, x float64) { m.Entries.PerMonth = x })
	m.Entries.Trend = b.val("entries.trend", e.Trend, same, func(m *sim.Model, x float64) { m.Entries.Trend = x })

	// Care.
	m.Care.DurationBreaks = plainList(s.Care.DurationBreaksMonths, 1)
	rh := s.Care.ReturnHomePerYear
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
	m.Care.Permanence = b.bands("care.permanence_per_year", s.Care.PermanencePerYear, nb, true, perMonth,
		func(m *sim.Model) []float64 { return m.Care.Permanence })

	// Home.
	h := s.Home
	m.Home.Reentry = b.hazard("home.reentry", h.Reentry, func(m *sim.Model) *sim.Piecewise { return &m.Home.Reentry })
	m.Home.Maltreatment = b.hazard("home.maltreatment", h.Maltreatment, func(m *sim.Model) *sim.Piecewise { return &m.Home.Maltreatment })
	m.Home.MaltreatmentReentry = b.val("home.maltreatment_reentry_probability", h.MaltreatmentReentryProbability, same,
		func(m *sim.Model, x float64) { m.Home.MaltreatmentReentry = x })
	m.Home.StableMonths = h.StableMonths.Num
	m.Home.CaseCloseMonths = h.CaseCloseMonths.Num
	for a := range nb {
		mp := h.ReentryPlacementShares.Maps[0]
		if h.ReentryPlacementShares.PerBand {
			mp = h.ReentryPlacementShares.Maps[a]
		}
		m.Home.ReentryPlacement = append(m.Home.ReentryPlacement, shareVec(mp))
	}

	// Factors and history.
	fnames := make([]string, len(s.Factors))
	for i, f := range s.Factors {
		fnames[i] = f.Name
		path := "factor." + f.Name + "."
		sf := sim.Factor{Name: f.Name}
		sf.Prevalence = b.bands(path+"prevalence", f.Prevalence, nb, false, same,
			func(m *sim.Model) []float64 { return m.Factors[i].Prevalence })
		sf.HR = b.ratios(path, f.Ratios, func(m *sim.Model) *sim.Ratios { return &m.Factors[i].HR })
		m.Factors = append(m.Factors, sf)
	}
	hist := func(name string, r Ratios, get func(m *sim.Model) *sim.Ratios) sim.Ratios {
		return b.ratios("history."+name+".", r, get)
	}
	m.History.Older = hist("older", s.History.Older, func(m *sim.Model) *sim.Ratios { return &m.History.Older })
	m.History.ManyPlacements = hist("many_placements", s.History.ManyPlacements, func(m *sim.Model) *sim.Ratios { return &m.History.ManyPlacements })
	m.History.ShortCare = hist("short_care", s.History.ShortCare, func(m *sim.Model) *sim.Ratios { return &m.History.ShortCare })
	m.History.PriorFailure = hist("prior_failure", s.History.PriorFailure, func(m *sim.Model) *sim.Ratios { return &m.History.PriorFailure })

	// Costs and tiers.
	co := s.Costs
	m.Costs.SocialWorkMonthly = b.val("costs.social_work_per_month", co.SocialWorkPerMonth, same, func(m *sim.Model, x float64) { m.Costs.SocialWorkMonthly = x })
	m.Costs.Entry = b.val("costs.entry", co.Entry, same, func(m *sim.Model, x float64) { m.Costs.Entry = x })
	m.Costs.Reentry = b.val("costs.reentry", co.Reentry, same, func(m *sim.Model, x float64) { m.Costs.Reentry = x })
	m.Costs.Return = b.val("costs.return", co.Return, same, func(m *sim.Model, x float64) { m.Costs.Return = x })
	m.Costs.DiscountRate = b.val("costs.discount_rate", co.DiscountRate, same, func(m *sim.Model, x float64) { m.Costs.DiscountRate = x })
	m.Costs.PriceYear = int(co.PriceYear.Num)
	m.Tiers = sim.Tiers{Amber: s.Tiers.Amber.Num, Red: s.Tiers.Red.Num}

	// Packages and arms.
	pnames := make([]string, len(s.Packages))
	for i, p := range s.Packages {
		pnames[i] = p.Name
		path := "package." + p.Name + "."
		get := func(m *sim.Model) *sim.Package { return &m.Packages[i] }
		sp := sim.Package{Name: p.Name}
		sp.Uptake = b.val(path+"uptake", p.Uptake, same, func(m *sim.Model, x float64) { get(m).Uptake = x })
		sp.FixedYearly = b.val(path+"fixed_per_year", p.FixedPerYear, same, func(m *sim.Model, x float64) { get(m).FixedYearly = x })
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
			sp.Eligible.Placements = make([]bool, np)
			for _, n := range el.Placements {
				sp.Eligible.Placements[slices.Index(names, n)] = true
			}
		}
		for _, f := range el.Factors {
			if k := slices.Index(fnames, f); !slices.Contains(sp.Eligible.Factors, k) {
				sp.Eligible.Factors = append(sp.Eligible.Factors, k)
			}
		}
		sp.Pre = sim.Phase{Months: p.Pre.Months.Num, PersistMonths: p.Pre.PersistMonths.Num, HR: sim.One}
		sp.Pre.MonthlyCost = b.val(path+"pre.cost_per_month", p.Pre.CostPerMonth, same, func(m *sim.Model, x float64) { get(m).Pre.MonthlyCost = x })
		sp.Pre.StartCost = b.val(path+"pre.cost_at_start", p.Pre.CostAtStart, same, func(m *sim.Model, x float64) { get(m).Pre.StartCost = x })
		sp.Pre.HR.Return = b.val(path+"pre.hr_return", p.Pre.HRReturn, same, func(m *sim.Model, x float64) { get(m).Pre.HR.Return = x })
		sp.Post = sim.Phase{Months: p.Post.Months.Num, PersistMonths: p.Post.PersistMonths.Num, HR: sim.One}
		sp.Post.MonthlyCost = b.val(path+"post.cost_per_month", p.Post.CostPerMonth, same, func(m *sim.Model, x float64) { get(m).Post.MonthlyCost = x })
		sp.Post.StartCost = b.val(path+"post.cost_at_start", p.Post.CostAtStart, same, func(m *sim.Model, x float64) { get(m).Post.StartCost = x })
		sp.Post.HR.Reentry = b.val(path+"post.hr_reentry", p.Post.HRReentry, same, func(m *sim.Model, x float64) { get(m).Post.HR.Reentry = x })
		sp.Post.HR.Maltreatment = b.val(path+"post.hr_maltreatment", p.Post.HRMaltreatment, same, func(m *sim.Model, x float64) { get(m).Post.HR.Maltreatment = x })
		m.Packages = append(m.Packages, sp)
	}
	for _, a := range s.Arms {
		arm := sim.Arm{Name: a.Name, Packages: []int{}}
		for _, k := range a.Packages {
			arm.Packages = append(arm.Packages, slices.Index(pnames, k))
		}
		m.Arms = append(m.Arms, arm)
	}

	if err := m.Validate(); err != nil {
		return nil, nil, fmt.Errorf("scenario %s: the built model is invalid (a bug in package scenario): %w", s.file, err)
	}
	if ps := s.correlate(b); len(ps) > 0 {
		sortProblems(ps)
		return nil, nil, ps
	}
	return m, b.params, nil
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
		rhos[pr] = cr.Rho.Num
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

func (b *builder) ratios(path string, r Ratios, get func(m *sim.Model) *sim.Ratios) sim.Ratios {
	return sim.Ratios{
		Return:       b.val(path+"hr_return", r.HRReturn, same, func(m *sim.Model, x float64) { get(m).Return = x }),
		Reentry:      b.val(path+"hr_reentry", r.HRReentry, same, func(m *sim.Model, x float64) { get(m).Reentry = x }),
		Maltreatment: b.val(path+"hr_maltreatment", r.HRMaltreatment, same, func(m *sim.Model, x float64) { get(m).Maltreatment = x }),
	}
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
