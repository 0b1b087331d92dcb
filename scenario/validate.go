package scenario

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
)

// Limits of the schema.
const (
	MaxHorizonYears = 100
	MaxCount        = 10_000_000
	shareTolerance  = 1e-6
)

// rule is the range a number must lie in.
type rule struct {
	lo, hi         float64
	loOpen, hiOpen bool
	plain          bool // distributions not allowed
	integer        bool
	required       bool
	what           string // the constraint, for messages
}

var (
	inf      = math.Inf(1)
	nonneg   = rule{lo: 0, hi: inf, what: "must be >= 0"}
	prop     = rule{lo: 0, hi: 1, what: "must be a proportion in [0, 1]"}
	positive = rule{lo: 0, hi: inf, loOpen: true, what: "must be > 0"}
	share    = rule{lo: 0, hi: 1, plain: true, what: "must be a share in [0, 1]"}
)

func (r rule) req() rule       { r.required = true; return r }
func (r rule) plainOnly() rule { r.plain = true; return r }

func (r rule) contains(x float64) bool {
	if math.IsNaN(x) {
		return false
	}
	if x < r.lo || x > r.hi || (r.loOpen && x == r.lo) || (r.hiOpen && x == r.hi) {
		return false
	}
	return !math.IsInf(x, 0)
}

type checker struct {
	s          *Scenario
	ps         Problems
	placements []string // the placements' names
}

// add records a problem at key path (with indices).
func (c *checker) add(path, format string, args ...any) {
	c.ps = append(c.ps, c.s.problem(path, fmt.Sprintf(format, args...)))
}

// problem locates a problem: at the --set that gave the value, else at the
// key in the file (or its nearest written parent).
func (s *Scenario) problem(path, msg string) Problem {
	for p := path; p != ""; {
		if set, ok := s.overrides[p]; ok {
			return Problem{File: "--set", Key: path, Msg: msg + " (from --set " + set + ")"}
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	pr := Problem{File: s.file, Key: path, Msg: msg}
	if pos, ok := s.pos.lookup(path); ok {
		pr.Line, pr.Col = pos.line, pos.col
	}
	return pr
}

// num checks one value against a rule and reports whether it is usable.
func (c *checker) num(path string, v Value, r rule) bool {
	if !v.set {
		if r.required {
			c.add(path, "missing: this key is required")
		}
		return false
	}
	if v.err != "" {
		c.add(path, "%s", v.err)
		return false
	}
	if v.Dist != nil {
		if r.plain {
			c.add(path, "must be a plain number, not a distribution (%s)", v.Dist)
			return false
		}
		lo, hi := v.Dist.Support()
		wide := rule{lo: r.lo, hi: r.hi}
		if v.Dist.Kind == "fixed" {
			wide = r
		}
		if !(lo >= wide.lo && hi <= wide.hi && (!wide.loOpen || lo > wide.lo) && (!wide.hiOpen || hi < wide.hi)) {
			c.add(path, "%s can take values from %s to %s, but the value %s", v.Dist, formatNum(lo), formatNum(hi), r.what)
			return false
		}
		if !r.contains(v.Dist.Mean()) {
			c.add(path, "%s has mean %s, but the value %s", v.Dist, formatNum(v.Dist.Mean()), r.what)
			return false
		}
		for _, b := range []struct {
			n string
			x float64
		}{{"low", v.Dist.Low}, {"high", v.Dist.High}} {
			if !math.IsNaN(b.x) && !r.contains(b.x) {
				c.add(path, "%s: %s = %s, but the value %s", v.Dist, b.n, formatNum(b.x), r.what)
				return false
			}
		}
		return true
	}
	x := v.Num
	if math.IsNaN(x) || math.IsInf(x, 0) {
		c.add(path, "%s: must be a finite number", formatNum(x))
		return false
	}
	if !r.contains(x) {
		c.add(path, "%s %s", formatNum(x), r.what)
		return false
	}
	if r.integer && x != math.Trunc(x) {
		c.add(path, "%s must be a whole number", formatNum(x))
		return false
	}
	return true
}

// nums checks a list of values and returns their means.
func (c *checker) nums(path string, vs []Value, r rule) ([]float64, bool) {
	ok := true
	out := make([]float64, len(vs))
	for i, v := range vs {
		ok = c.num(path+"."+strconv.Itoa(i), v, r) && ok
		out[i] = v.Mean()
	}
	return out, ok
}

// increasing checks a plain list that must start at first (if not NaN)
// and increase strictly.
func (c *checker) increasing(path string, vs []Value, r rule, first float64) ([]float64, bool) {
	xs, ok := c.nums(path, vs, r.plainOnly())
	if !ok {
		return xs, false
	}
	if len(xs) == 0 {
		c.add(path, "empty array")
		return xs, false
	}
	if !math.IsNaN(first) && xs[0] != first {
		c.add(path+".0", "must be %s, got %s", formatNum(first), formatNum(xs[0]))
		return xs, false
	}
	for i := 1; i < len(xs); i++ {
		if !(xs[i] > xs[i-1]) {
			c.add(path+"."+strconv.Itoa(i), "%s must be greater than the value before it (%s)", formatNum(xs[i]), formatNum(xs[i-1]))
			return xs, false
		}
	}
	return xs, true
}

func (c *checker) sumsToOne(path string, xs []float64) {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	if math.Abs(sum-1) > shareTolerance {
		c.add(path, "shares sum to %s, want 1", formatNum(sum))
	}
}

// shareList checks shares per age band.
func (c *checker) shareList(path string, vs []Value, n int, required bool) {
	if vs == nil {
		if required {
			c.add(path, "missing: need %d shares, one per age band", n)
		}
		return
	}
	if len(vs) != n {
		c.add(path, "%d shares, want %d (one per age band)", len(vs), n)
		return
	}
	if xs, ok := c.nums(path, vs, share); ok {
		c.sumsToOne(path, xs)
	}
}

// shareMap checks shares by placement name; self, if not "", is a
// placement the shares may not name.
func (c *checker) shareMap(path string, m map[string]Value, required bool, self string) {
	if m == nil {
		if required {
			c.add(path, "missing: need shares by placement name, e.g. { %s = 1 }", c.firstPlacement(self))
		}
		return
	}
	if len(m) == 0 {
		c.add(path, "empty table: need shares by placement name")
		return
	}
	names := c.placements
	ok := true
	var xs []float64
	for _, k := range slices.Sorted(maps.Keys(m)) {
		kp := path + "." + k
		if !c.known(kp, "placement", k, names) {
			ok = false
			continue
		}
		if k == self {
			c.add(kp, "a move cannot go to the same placement")
			ok = false
		}
		ok = c.num(kp, m[k], share) && ok
		xs = append(xs, m[k].Num)
	}
	if ok {
		c.sumsToOne(path, xs)
	}
}

func (c *checker) firstPlacement(not string) string {
	for _, n := range c.placements {
		if n != not {
			return n
		}
	}
	return "kinship"
}

// namesOf returns the name of each of xs.
func namesOf[T any](xs []T, name func(T) string) []string {
	ns := make([]string, len(xs))
	for i, x := range xs {
		ns[i] = name(x)
	}
	return ns
}

var (
	reName    = regexp.MustCompile(`^[a-z0-9_-]+$`)
	reScenary = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// names checks the names of an array of tables: present, well formed,
// unique.
func (c *checker) names(table string, names []string) {
	seen := map[string]int{}
	for i, n := range names {
		path := fmt.Sprintf("%s.%d.name", table, i)
		switch {
		case n == "":
			c.add(fmt.Sprintf("%s.%d", table, i), "missing name")
		case !reName.MatchString(n):
			c.add(path, "name %q: use only lower-case letters, digits, '_' and '-'", n)
		default:
			if j, dup := seen[n]; dup {
				c.add(path, "name %q is already used by %s.%d", n, table, j)
			}
			seen[n] = i
		}
	}
}

// check validates the whole scenario (after defaults).
func (s *Scenario) check() Problems {
	c := &checker{s: s, placements: namesOf(s.Placements, func(p Placement) string { return p.Name })}
	switch {
	case s.Name == "":
		c.add("name", "missing: this key is required (it names the result folders)")
	case !reScenary.MatchString(s.Name):
		c.add("name", "%q: use only letters, digits, '.', '_' and '-' (it names the result folders)", s.Name)
	}
	c.num("horizon_years", s.HorizonYears, rule{lo: 1, hi: MaxHorizonYears, plain: true, required: true,
		what: fmt.Sprintf("must be between 1 and %d years", MaxHorizonYears)})
	c.increasing("age_bands", s.AgeBands, rule{lo: 0, hi: 18, hiOpen: true, what: "must be an age in years in [0, 18)"}, 0)
	nb := len(s.AgeBands)

	// Placements.
	if len(s.Placements) == 0 {
		c.add("placement", "missing: need at least one [[placement]]")
	}
	c.names("placement", c.placements)
	for i, p := range s.Placements {
		path := fmt.Sprintf("placement.%d.", i)
		c.num(path+"weekly_cost", p.WeeklyCost, nonneg.req())
		c.num(path+"moves_per_year", p.MovesPerYear, nonneg)
		moves := p.MovesPerYear.Dist != nil || p.MovesPerYear.Num > 0
		c.shareMap(path+"move_to", p.MoveTo, moves, p.Name)
	}

	// Populations and entries.
	for _, pop := range []struct {
		name string
		p    Population
	}{{"stock", s.Stock}, {"cohort", s.Cohort}} {
		p := pop.p
		c.num(pop.name+".count", p.Count, rule{lo: 0, hi: MaxCount, plain: true, integer: true,
			what: fmt.Sprintf("must be a count from 0 to %d", MaxCount)})
		some := p.Count.Num > 0
		c.shareList(pop.name+".age_shares", p.AgeShares, nb, some)
		c.shareMap(pop.name+".placement_shares", p.PlacementShares, some, "")
		c.num(pop.name+".mean_months_in_care", p.MeanMonthsInCare, nonneg)
		c.num(pop.name+".prior_failed_returns", p.PriorFailedReturns, prop)
	}
	e := s.Entries
	c.num("entries.per_year", e.PerYear, rule{lo: 0, hi: MaxCount, what: fmt.Sprintf("must be from 0 to %d a year", MaxCount)})
	c.num("entries.trend", e.Trend, rule{lo: -1, loOpen: true, hi: inf, what: "must be a yearly proportional change > -1"})
	some := e.PerYear.Dist != nil || e.PerYear.Num > 0
	c.shareList("entries.age_shares", e.AgeShares, nb, some)
	c.shareMap("entries.placement_shares", e.PlacementShares, some, "")

	// Care.
	breaks, _ := c.increasing("care.duration_breaks_months", s.Care.DurationBreaksMonths, nonneg, 0)
	c.matrix("care.return_home_per_year", s.Care.ReturnHomePerYear, nb, len(breaks))
	c.bands("care.permanence_per_year", s.Care.PermanencePerYear, nb, nonneg)

	// Home.
	h := s.Home
	c.hazard("home.reentry", h.Reentry, true)
	c.hazard("home.maltreatment", h.Maltreatment, false)
	c.num("home.maltreatment_reentry_probability", h.MaltreatmentReentryProbability, prop)
	c.num("home.stable_months", h.StableMonths, nonneg.plainOnly())
	c.num("home.case_close_months", h.CaseCloseMonths, nonneg.plainOnly())
	rp := h.ReentryPlacementShares
	switch {
	case rp.err != "":
		c.add("home.reentry_placement_shares", "%s", rp.err)
	case !rp.IsSet():
		c.add("home.reentry_placement_shares", "missing: need the placement mix on re-entry, e.g. { %s = 1 }", c.firstPlacement(""))
	case rp.PerBand && len(rp.Maps) != nb:
		c.add("home.reentry_placement_shares", "%d tables, want one, or one per age band (%d)", len(rp.Maps), nb)
	case rp.PerBand:
		for i, m := range rp.Maps {
			c.shareMap(fmt.Sprintf("home.reentry_placement_shares.%d", i), m, true, "")
		}
	default:
		c.shareMap("home.reentry_placement_shares", rp.Maps[0], true, "")
	}

	// Factors and history.
	fnames := namesOf(s.Factors, func(f Factor) string { return f.Name })
	c.names("factor", fnames)
	for i, f := range s.Factors {
		path := fmt.Sprintf("factor.%d.", i)
		if !f.Prevalence.IsSet() {
			c.add(fmt.Sprintf("factor.%d", i), "missing prevalence")
		} else {
			c.bands(path+"prevalence", f.Prevalence, nb, prop)
		}
		c.ratios(path, f.Ratios)
	}
	for _, r := range []struct {
		n string
		r Ratios
	}{{"older", s.History.Older}, {"many_placements", s.History.ManyPlacements},
		{"short_care", s.History.ShortCare}, {"prior_failure", s.History.PriorFailure}} {
		c.ratios("history."+r.n+".", r.r)
	}

	// Costs and tiers.
	co := s.Costs
	c.num("costs.social_work_per_month", co.SocialWorkPerMonth, nonneg)
	c.num("costs.entry", co.Entry, nonneg)
	c.num("costs.reentry", co.Reentry, nonneg)
	c.num("costs.return", co.Return, nonneg)
	c.num("costs.discount_rate", co.DiscountRate, rule{lo: 0, hi: 1, hiOpen: true, what: "must be a yearly rate in [0, 1)"})
	if c.num("costs.price_year", co.PriceYear, rule{lo: 0, hi: 3000, plain: true, integer: true, what: "must be a year (0 if unstated)"}) &&
		co.PriceYear.Num != 0 && co.PriceYear.Num < 1900 {
		c.add("costs.price_year", "%s: want a year such as 2024 (0 if unstated)", formatNum(co.PriceYear.Num))
	}
	okA := c.num("tiers.amber", s.Tiers.Amber, nonneg.plainOnly())
	okR := c.num("tiers.red", s.Tiers.Red, nonneg.plainOnly())
	if okA && okR && s.Tiers.Amber.Num > 0 && s.Tiers.Red.Num > 0 && s.Tiers.Red.Num < s.Tiers.Amber.Num {
		c.add("tiers.red", "red threshold %s is below the amber threshold %s", formatNum(s.Tiers.Red.Num), formatNum(s.Tiers.Amber.Num))
	}

	// Packages and arms.
	pnames := namesOf(s.Packages, func(p Package) string { return p.Name })
	c.names("package", pnames)
	for i, p := range s.Packages {
		c.pkg(fmt.Sprintf("package.%d.", i), p, nb, fnames)
	}
	if len(s.Arms) == 0 {
		c.add("arm", "missing: need at least one [[arm]] (the first is the baseline)")
	}
	c.names("arm", namesOf(s.Arms, func(a Arm) string { return a.Name }))
	for i, a := range s.Arms {
		seen := map[string]bool{}
		for j, k := range a.Packages {
			path := fmt.Sprintf("arm.%d.packages.%d", i, j)
			c.known(path, "package", k, pnames)
			if seen[k] {
				c.add(path, "package %q is listed twice", k)
			}
			seen[k] = true
		}
	}
	for i, cr := range s.Correlations {
		path := fmt.Sprintf("correlation.%d.", i)
		switch {
		case len(cr.Params) != 2:
			c.add(path+"params", "want two parameter paths, e.g. [\"placement.childrens_home.weekly_cost\", \"placement.agency_foster.weekly_cost\"], got %d", len(cr.Params))
		case cr.Params[0] == cr.Params[1]:
			c.add(path+"params.1", "%q is correlated with itself: name two different parameters", cr.Params[1])
		}
		c.num(path+"rho", cr.Rho, rule{lo: -1, hi: 1, loOpen: true, hiOpen: true, plain: true, required: true, what: "must be above -1 and below 1"})
	}
	return c.ps
}

// known checks that name is one of names.
func (c *checker) known(path, what, name string, names []string) bool {
	if slices.Contains(names, name) {
		return true
	}
	msg := fmt.Sprintf("unknown %s %q", what, name)
	if sg := suggest(name, names); sg != "" {
		msg += fmt.Sprintf("; did you mean %q?", sg)
	} else if len(names) > 0 {
		msg += fmt.Sprintf(" (%ss: %s)", what, strings.Join(names, ", "))
	} else {
		msg += fmt.Sprintf(" (the scenario defines no %s)", what)
	}
	c.add(path, "%s", msg)
	return false
}

func (c *checker) ratios(path string, r Ratios) {
	c.num(path+"hr_return", r.HRReturn, positive)
	c.num(path+"hr_reentry", r.HRReentry, positive)
	c.num(path+"hr_maltreatment", r.HRMaltreatment, positive)
}

func (c *checker) bands(path string, b Bands, nb int, r rule) {
	if b.err != "" {
		c.add(path, "%s", b.err)
		return
	}
	if b.Scalar {
		c.num(path, b.Values[0], r)
		return
	}
	if len(b.Values) != nb {
		c.add(path, "%d values, want %d (one per age band) or a single number", len(b.Values), nb)
		return
	}
	c.nums(path, b.Values, r)
}

func (c *checker) matrix(path string, m Matrix, nb, nd int) {
	switch {
	case m.err != "":
		c.add(path, "%s", m.err)
		return
	case !m.IsSet():
		c.add(path, "missing: need yearly return-home rates, one per duration segment (or one row per age band)")
		return
	case !m.Single && len(m.Rows) != nb:
		c.add(path, "%d rows, want %d (one per age band) or a single row for all bands", len(m.Rows), nb)
		return
	}
	for i, row := range m.Rows {
		rp := path
		if !m.Single {
			rp = path + "." + strconv.Itoa(i)
		}
		if len(row) != nd {
			c.add(rp, "%d rates, want %d (one per duration segment of care.duration_breaks_months)", len(row), nd)
			continue
		}
		c.nums(rp, row, nonneg)
	}
}

func (c *checker) hazard(path string, h Hazard, required bool) {
	cum := h.Months != nil || h.Cumulative != nil
	pw := h.StartsMonths != nil || h.PerYear != nil
	switch {
	case cum && pw:
		c.add(path, "give either months and cumulative, or starts_months and per_year, not both")
		return
	case !cum && !pw:
		if required {
			c.add(path, "missing: give { months = [...], cumulative = [...] } or { starts_months = [...], per_year = [...] }")
		}
		return
	case cum:
		if h.Months == nil || h.Cumulative == nil {
			c.add(path, "the cumulative form needs both months and cumulative")
			return
		}
		months, ok1 := c.increasing(path+".months", h.Months, rule{lo: 0, hi: inf, loOpen: true, what: "must be > 0 months"}, math.NaN())
		shares, ok2 := c.nums(path+".cumulative", h.Cumulative, rule{lo: 0, hi: 1, hiOpen: true, what: "must be a proportion in [0, 1)"})
		if !ok1 || !ok2 {
			return
		}
		if len(months) != len(shares) {
			c.add(path, "%d months but %d cumulative shares", len(months), len(shares))
			return
		}
		for i := 1; i < len(shares); i++ {
			if shares[i] < shares[i-1] {
				c.add(fmt.Sprintf("%s.cumulative.%d", path, i), "cumulative share %s is below the one before it (%s): shares cannot decrease", formatNum(shares[i]), formatNum(shares[i-1]))
				return
			}
		}
		if _, err := sim.CumulativeToPiecewise(months, shares); err != nil {
			c.add(path, "%v", err)
		}
	default:
		if h.StartsMonths == nil || h.PerYear == nil {
			c.add(path, "the piecewise form needs both starts_months and per_year")
			return
		}
		starts, ok1 := c.increasing(path+".starts_months", h.StartsMonths, nonneg, 0)
		_, ok2 := c.nums(path+".per_year", h.PerYear, nonneg)
		if ok1 && ok2 && len(starts) != len(h.PerYear) {
			c.add(path, "%d starts but %d yearly rates", len(starts), len(h.PerYear))
		}
	}
}

func (c *checker) pkg(path string, p Package, nb int, factors []string) {
	if cp := p.Capacity; cp != nil {
		cpath := path + "capacity."
		switch {
		case cp.Places != nil && (cp.Team != nil || cp.Caseload != nil):
			c.add(cpath+"places", "give places, or team and caseload, not both")
		case cp.Places == nil && (cp.Team == nil || cp.Caseload == nil):
			c.add(path+"capacity", "needs places (families at once), or team and caseload (workers and families per worker)")
		}
		for key, v := range map[string]*int{"places": cp.Places, "team": cp.Team, "caseload": cp.Caseload} {
			if v != nil && (*v < 0 || *v > MaxCount) {
				c.add(cpath+key, "%d must be a whole number from 0 to %d", *v, MaxCount)
			}
		}
		if cp.WhenFull != "" {
			c.known(cpath+"when_full", "choice", cp.WhenFull, WhenFullChoices)
		}
		if cp.Queue != "" {
			c.known(cpath+"queue", "choice", cp.Queue, QueueChoices)
		}
		if !(cp.StartMonth >= 0) || cp.StartMonth > 12*MaxHorizonYears {
			c.add(cpath+"start_month", "%v must be a month from 0", cp.StartMonth)
		}
	}
	c.num(path+"uptake", p.Uptake, prop)
	c.num(path+"fixed_per_year", p.FixedPerYear, nonneg)
	el := p.Eligible
	ep := path + "eligible."
	empty := func(key string, n int, isNil bool) bool {
		if !isNil && n == 0 {
			c.add(ep+key, "empty list: leave the key out to mean everyone")
			return true
		}
		return isNil
	}
	if !empty("tiers", len(el.Tiers), el.Tiers == nil) {
		for j, t := range el.Tiers {
			c.known(fmt.Sprintf("%stiers.%d", ep, j), "tier", t, sim.TierNames[:])
		}
		if c.s.Tiers.Amber.Num == 0 && c.s.Tiers.Red.Num == 0 {
			c.add(ep+"tiers", "eligibility by tier, but [tiers] sets no amber or red threshold: every child is green")
		}
	}
	if !empty("age_bands", len(el.AgeBands), el.AgeBands == nil) {
		for j, b := range el.AgeBands {
			if b < 0 || b >= nb {
				c.add(fmt.Sprintf("%sage_bands.%d", ep, j), "age band %d: want an index from 0 to %d", b, nb-1)
			}
		}
	}
	if !empty("placements", len(el.Placements), el.Placements == nil) {
		for j, n := range el.Placements {
			c.known(fmt.Sprintf("%splacements.%d", ep, j), "placement", n, c.placements)
		}
	}
	if !empty("factors", len(el.Factors), el.Factors == nil) {
		for j, n := range el.Factors {
			c.known(fmt.Sprintf("%sfactors.%d", ep, j), "factor", n, factors)
		}
	}
	c.num(path+"pre.months", p.Pre.Months, nonneg.plainOnly())
	c.num(path+"pre.cost_per_month", p.Pre.CostPerMonth, nonneg)
	c.num(path+"pre.cost_at_start", p.Pre.CostAtStart, nonneg)
	c.num(path+"pre.hr_return", p.Pre.HRReturn, positive)
	c.num(path+"pre.persist_months", p.Pre.PersistMonths, nonneg.plainOnly())
	c.num(path+"post.months", p.Post.Months, nonneg.plainOnly())
	c.num(path+"post.cost_per_month", p.Post.CostPerMonth, nonneg)
	c.num(path+"post.cost_at_start", p.Post.CostAtStart, nonneg)
	c.num(path+"post.hr_reentry", p.Post.HRReentry, positive)
	c.num(path+"post.hr_maltreatment", p.Post.HRMaltreatment, positive)
	c.num(path+"post.persist_months", p.Post.PersistMonths, nonneg.plainOnly())
}
