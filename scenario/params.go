package scenario

import (
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
)

// The parameter table: every key a scenario file may hold, in the order
// in which the resolved scenario and explain write them. A number (a row
// of kind number or bands) is described here once, and its row drives
// everything done with it: the default filled in, the range checked (with
// the message), whether a distribution is allowed, the conversion to the
// engine's units and where the engine reads it (set), the unit explain
// prints, the resolved scenario and --set. Adding a parameter is one row
// here plus the engine's use of it (see CONTRIBUTING.md).
//
// Keys of other kinds (names, lists, shares, tables) are listed too, so
// that the table is the whole list of keys (the valid keys a typo is
// matched against, in this order); their shape and checks are code of
// their own, in the Go types of schema.go.

// kind is what a key holds.
type kind uint8

const (
	// isNumber: one number or distribution, a row that drives everything.
	isNumber kind = iota
	// isBands: a number per age band, or one number for all bands, each
	// element a number as above.
	isBands
	// isList: numbers, shares or names in a shape of its own (a list, a
	// matrix, shares by placement), decoded and checked by its own type.
	isList
	// isText: a string, or a list of strings or of whole numbers.
	isText
	// isTable: a table of keys, each a row below it.
	isTable
	// isTables: an array of tables, each element a table of the rows
	// below.
	isTables
)

// opaque reports whether the key's value decodes its own contents, so
// that keys written below it (a distribution's dist, mean and sd; shares
// by placement name) are its own to check, not unknown keys.
func (k kind) opaque() bool { return k == isNumber || k == isBands || k == isList }

// conv is how a number in the file's units becomes the engine's.
type conv uint8

const (
	inFileUnits conv = iota // the same in the file and the engine
	inPerYear               // a yearly rate in the file, monthly in the engine
	inYears                 // years in the file, months in the engine
)

func (c conv) apply(x float64) float64 {
	switch c {
	case inPerYear:
		return x / 12
	case inYears:
		return 12 * x
	}
	return x
}

// param is a row of the table.
type param struct {
	// path is the key's path, with * for the element of an array of
	// tables: "package.*.post.hr_reentry".
	path string
	kind kind
	// unit is explain's note on the number ("pounds per week").
	unit string
	// dflt is the default of a number that is not required, and source
	// where the default comes from.
	dflt     float64
	required bool
	source   string
	// rule is the range a number must lie in (and whether a distribution
	// is allowed); conv converts it to the engine's units.
	rule rule
	conv conv
	// set writes a number, in the engine's units, into the model; i is
	// the element of the array of tables (placement, factor, package).
	// nil for a number the scenario itself reads (a correlation's rho).
	set func(m *sim.Model, i int, x float64)
	// get returns the per-band slice of a bands row in the model, and
	// broadcast says whether a single number fills every band (else it
	// stays a single entry, which the engine applies to every band).
	get       func(m *sim.Model, i int) *[]float64
	broadcast bool
}

// Limits of the schema.
const (
	MaxHorizonYears = 100
	MaxCount        = 10_000_000
	// MaxPlacements is the most [[placement]] tables a scenario may have:
	// the model holds a move share from each placement to each other, a
	// matrix of 8 MB at this size (a list of 100,000 placements, 2 MB of
	// text, would need 80 GB).
	MaxPlacements = 1000
)

// Bounds that keep every number a scenario may hold inside what the
// engine computes exactly: draws and sums finite, its clock moving on.
const (
	// MaxPounds is the most any one cost may be. A secure placement costs
	// about £8,000 a week; a billion keeps the sum over a billion children,
	// 1,200 months and every iteration far from overflowing.
	MaxPounds = 1e9
	// MaxRatePerYear is the most any event rate may be, alone or times
	// every hazard ratio a child can have (one event every three seconds):
	// at this rate the engine's clock, up to 1,200 months, still moves on
	// at each event.
	MaxRatePerYear = 1e7
	// MaxRatio is the largest hazard ratio (published ones are below 20).
	MaxRatio = 1000
	// MaxMonths is the longest span in months a key may give: the
	// longest horizon.
	MaxMonths = 12 * MaxHorizonYears
)

// The domains of numbers: what a number of each kind may be.
var (
	cost   = nonneg.upTo(MaxPounds, "must be at most "+readNum(MaxPounds)+" pounds (larger sums over millions of children and a century would not stay finite)")
	rate   = nonneg.upTo(MaxRatePerYear, "must be at most "+readNum(MaxRatePerYear)+" a year (one event every three seconds: faster, the engine's clock could not move on between events)")
	ratio  = positive.upTo(MaxRatio, "must be at most 1000 (hazard ratios multiply, and their product must stay finite)")
	months = nonneg.upTo(MaxMonths, "must be at most 1200 months (the longest horizon)")
	count  = rule{lo: 0, hi: MaxCount, integer: true, what: "must be a count from 0 to " + readNum(MaxCount)}
	// cumulative: a share below 1; the build keeps drawn shares below 1,
	// so a distribution may reach it.
	cumulative = rule{lo: 0, hi: 1, hiOpen: true, clamped: true, what: "must be a proportion in [0, 1)"}
)

// num starts a row for a number: its path and the unit explain prints.
// The methods add its other columns; a number is plain (no distribution)
// and required unless they say otherwise.
func num(path, unit string) param {
	return param{path: path, kind: isNumber, unit: unit, required: true, rule: rule{plain: true, required: true}}
}

// def gives the default and its source; the number is then optional.
func (p param) def(x float64, source string) param {
	p.dflt, p.source, p.required, p.rule.required = x, source, false, false
	return p
}

// in sets the number's domain, keeping whether it is plain and required.
func (p param) in(r rule) param {
	r.plain, r.required = p.rule.plain, p.rule.required
	p.rule = r
	return p
}

// dist allows a distribution in place of the number.
func (p param) dist() param { p.rule.plain = false; return p }

// yearly: a rate per year in the file, per month in the engine. inYears:
// years in the file, months in the engine.
func (p param) yearly() param  { p.conv = inPerYear; return p }
func (p param) inYears() param { p.conv = inYears; return p }

// to says where the engine reads the number: set writes it, converted
// to the engine's units, into element i of the model's array (placement,
// factor or package; 0 elsewhere).
func (p param) to(set func(m *sim.Model, i int, x float64)) param { p.set = set; return p }

// band is a row for a per-band list (one number for all bands, or one per
// band), required unless def says otherwise: get returns the model's
// slice; broadcast says whether one number is repeated for every band
// (else it stays one entry, which the engine applies to every band).
func band(path, unit string, get func(m *sim.Model, i int) *[]float64, broadcast bool) param {
	return param{path: path, kind: isBands, unit: unit, get: get, broadcast: broadcast, required: true}
}

// key is a row for a key of another kind.
func key(path string, k kind) param { return param{path: path, kind: k} }

// keyIn is a row for a list of numbers in a shape of its own, with the
// domain (and conversion) of each number.
func keyIn(path, unit string, r rule, c conv) param {
	return param{path: path, kind: isList, unit: unit, rule: r, conv: c}
}

// ratios are the three hazard ratios of a factor or a history factor.
func ratios(prefix, unit string, get func(m *sim.Model, i int) *sim.Ratios) []param {
	return []param{
		num(prefix+"hr_return", unit).def(1, noEffect).in(ratio).dist().to(func(m *sim.Model, i int, x float64) { get(m, i).Return = x }),
		num(prefix+"hr_reentry", unit).def(1, noEffect).in(ratio).dist().to(func(m *sim.Model, i int, x float64) { get(m, i).Reentry = x }),
		num(prefix+"hr_maltreatment", unit).def(1, noEffect).in(ratio).dist().to(func(m *sim.Model, i int, x float64) { get(m, i).Maltreatment = x }),
	}
}

// population is [stock] or [cohort].
func population(name string, get func(m *sim.Model) *sim.Population) []param {
	return []param{
		key(name, isTable),
		num(name+".count", "children at month 0").def(0, "none").in(count).to(func(m *sim.Model, _ int, x float64) { get(m).Count = int(x) }),
		key(name+".age_shares", isList),
		key(name+".placement_shares", isList),
		num(name+".mean_months_in_care", "months").def(24, "assumption: DfE 2024, the median time in care is about 2 years").in(months).dist().
			to(func(m *sim.Model, _ int, x float64) { get(m).MeanMonthsInCare = x }),
		num(name+".prior_failed_returns", "proportion").def(0, "none").in(prop).dist().
			to(func(m *sim.Model, _ int, x float64) { get(m).PriorFailedReturns = x }),
	}
}

// hazard is a hazard after return, in the cumulative or piecewise form.
func hazard(path string) []param {
	return []param{
		key(path, isTable),
		keyIn(path+".months", "months", rule{lo: 0, hi: inf, loOpen: true, plain: true, what: "must be > 0 months"}, inFileUnits),
		keyIn(path+".cumulative", "cumulative share", cumulative, inFileUnits),
		keyIn(path+".starts_months", "months", months.plainOnly(), inFileUnits),
		keyIn(path+".per_year", "per year", rate, inPerYear),
	}
}

// phase is a package's pre- or post-return phase; effects are its hazard
// ratios.
func phase(name string, get func(m *sim.Model, i int) *sim.Phase, effects ...param) []param {
	p := "package.*." + name + "."
	rows := []param{
		key("package.*."+name, isTable),
		num(p+"months", "months").def(0, "none: no phase").in(months).to(func(m *sim.Model, i int, x float64) { get(m, i).Months = x }),
		num(p+"cost_per_month", "pounds per family per month").def(0, "none").in(cost).dist().
			to(func(m *sim.Model, i int, x float64) { get(m, i).MonthlyCost = x }),
		num(p+"cost_at_start", "pounds per family, once when support starts").def(0, "none").in(cost).dist().
			to(func(m *sim.Model, i int, x float64) { get(m, i).StartCost = x }),
	}
	rows = append(rows, effects...)
	return append(rows, num(p+"persist_months", "months").def(0, "none").in(months).
		to(func(m *sim.Model, i int, x float64) { get(m, i).PersistMonths = x }))
}

func pre(m *sim.Model, i int) *sim.Phase  { return &m.Packages[i].Pre }
func post(m *sim.Model, i int) *sim.Phase { return &m.Packages[i].Post }

const noEffect = "none: no effect"

// paramTable is the parameter table.
var paramTable = concat(
	[]param{
		key("name", isText),
		key("description", isText),
		num("horizon_years", "years").in(rule{lo: 1, hi: MaxHorizonYears, what: "must be between 1 and 100 years"}).inYears().
			to(func(m *sim.Model, _ int, x float64) { m.Horizon = x }),
		keyIn("age_bands", "age bands in years", rule{lo: 0, hi: 18, hiOpen: true, plain: true, what: "must be an age in years in [0, 18)"}, inFileUnits),

		key("placement", isTables),
		key("placement.*.name", isText),
		num("placement.*.weekly_cost", "pounds per week").in(cost).dist().
			to(func(m *sim.Model, i int, x float64) { m.Placements[i].WeeklyCost = x }),
		num("placement.*.moves_per_year", "moves per year").def(0, "none").in(rate).dist().yearly().
			to(func(m *sim.Model, i int, x float64) { m.Placements[i].MoveRate = x }),
		key("placement.*.move_to", isList),
	},
	population("stock", func(m *sim.Model) *sim.Population { return &m.Stock }),
	[]param{
		key("entries", isTable),
		num("entries.per_year", "entries per year").def(0, "none").in(nonneg.upTo(MaxCount, "must be from 0 to 10000000 a year")).dist().yearly().
			to(func(m *sim.Model, _ int, x float64) { m.Entries.PerMonth = x }),
		num("entries.trend", "yearly proportional change").def(0, "assumption: flat").in(rule{lo: -1, loOpen: true, hi: inf, what: "must be a yearly proportional change > -1"}).dist().
			to(func(m *sim.Model, _ int, x float64) { m.Entries.Trend = x }),
		key("entries.age_shares", isList),
		key("entries.placement_shares", isList),
	},
	population("cohort", func(m *sim.Model) *sim.Population { return &m.Cohort }),
	[]param{
		key("care", isTable),
		keyIn("care.duration_breaks_months", "months in care at which segments start", months.plainOnly(), inFileUnits),
		keyIn("care.return_home_per_year", "per year", rate, inPerYear),
		band("care.permanence_per_year", "per year", func(m *sim.Model, _ int) *[]float64 { return &m.Care.Permanence }, true).def(0, "none").in(rate).dist().yearly(),

		key("home", isTable),
	},
	hazard("home.reentry"),
	hazard("home.maltreatment"),
	[]param{
		num("home.maltreatment_reentry_probability", "probability").def(0, "none").in(prop).dist().
			to(func(m *sim.Model, _ int, x float64) { m.Home.MaltreatmentReentry = x }),
		num("home.stable_months", "months").def(24, "UEA 2020: a return is stable after 24 months at home").in(months).
			to(func(m *sim.Model, _ int, x float64) { m.Home.StableMonths = x }),
		num("home.case_close_months", "months").def(12, "assumption: the case closes a year after the return").in(months).
			to(func(m *sim.Model, _ int, x float64) { m.Home.CaseCloseMonths = x }),
		key("home.reentry_placement_shares", isList),

		key("factor", isTables),
		key("factor.*.name", isText),
		band("factor.*.prevalence", "proportion", func(m *sim.Model, i int) *[]float64 { return &m.Factors[i].Prevalence }, false).in(prop).dist(),
	},
	ratios("factor.*.", "hazard ratio", func(m *sim.Model, i int) *sim.Ratios { return &m.Factors[i].HR }),
	[]param{key("history", isTable), key("history.older", isTable)},
	ratios("history.older.", "aged 12+ at return", func(m *sim.Model, _ int) *sim.Ratios { return &m.History.Older }),
	[]param{key("history.many_placements", isTable)},
	ratios("history.many_placements.", "3+ placements", func(m *sim.Model, _ int) *sim.Ratios { return &m.History.ManyPlacements }),
	[]param{key("history.short_care", isTable)},
	ratios("history.short_care.", "under 6 months in care", func(m *sim.Model, _ int) *sim.Ratios { return &m.History.ShortCare }),
	[]param{key("history.prior_failure", isTable)},
	ratios("history.prior_failure.", "1+ failed returns", func(m *sim.Model, _ int) *sim.Ratios { return &m.History.PriorFailure }),
	[]param{
		key("costs", isTable),
		num("costs.social_work_per_month", "pounds per month while a case is open").def(0, "none").in(cost).dist().
			to(func(m *sim.Model, _ int, x float64) { m.Costs.SocialWorkMonthly = x }),
		num("costs.entry", "pounds, one-off").def(0, "none").in(cost).dist().to(func(m *sim.Model, _ int, x float64) { m.Costs.Entry = x }),
		num("costs.reentry", "pounds, one-off").def(0, "none").in(cost).dist().to(func(m *sim.Model, _ int, x float64) { m.Costs.Reentry = x }),
		num("costs.return", "pounds, one-off").def(0, "none").in(cost).dist().to(func(m *sim.Model, _ int, x float64) { m.Costs.Return = x }),
		num("costs.discount_rate", "per year").def(0.035, "HM Treasury Green Book").in(rule{lo: 0, hi: 1, hiOpen: true, what: "must be a yearly rate in [0, 1)"}).dist().
			to(func(m *sim.Model, _ int, x float64) { m.Costs.DiscountRate = x }),
		num("costs.price_year", "0 = unstated").def(0, "unstated").in(rule{lo: 0, hi: 3000, integer: true, what: "must be a year (0 if unstated)"}).
			to(func(m *sim.Model, _ int, x float64) { m.Costs.PriceYear = int(x) }),

		key("tiers", isTable),
		num("tiers.amber", "risk score threshold (0 = none)").def(0, "none: no tiers").in(nonneg).to(func(m *sim.Model, _ int, x float64) { m.Tiers.Amber = x }),
		num("tiers.red", "risk score threshold (0 = none)").def(0, "none: no tiers").in(nonneg).to(func(m *sim.Model, _ int, x float64) { m.Tiers.Red = x }),

		key("package", isTables),
		key("package.*.name", isText),
		num("package.*.uptake", "probability").def(1, "assumption: every eligible family engages").in(prop).dist().
			to(func(m *sim.Model, i int, x float64) { m.Packages[i].Uptake = x }),
		num("package.*.fixed_per_year", "pounds per year").def(0, "none").in(cost).dist().
			to(func(m *sim.Model, i int, x float64) { m.Packages[i].FixedYearly = x }),
		key("package.*.eligible", isTable),
		key("package.*.eligible.tiers", isText),
		key("package.*.eligible.age_bands", isText),
		key("package.*.eligible.placements", isText),
		key("package.*.eligible.factors", isText),
	},
	phase("pre", pre,
		num("package.*.pre.hr_return", "hazard ratio").def(1, noEffect).in(ratio).dist().
			to(func(m *sim.Model, i int, x float64) { pre(m, i).HR.Return = x })),
	phase("post", post,
		num("package.*.post.hr_reentry", "hazard ratio").def(1, noEffect).in(ratio).dist().
			to(func(m *sim.Model, i int, x float64) { post(m, i).HR.Reentry = x }),
		num("package.*.post.hr_maltreatment", "hazard ratio").def(1, noEffect).in(ratio).dist().
			to(func(m *sim.Model, i int, x float64) { post(m, i).HR.Maltreatment = x })),
	[]param{
		key("package.*.capacity", isTable),
		key("package.*.capacity.places", isText),
		key("package.*.capacity.team", isText),
		key("package.*.capacity.caseload", isText),
		key("package.*.capacity.when_full", isText),
		key("package.*.capacity.queue", isText),
		key("package.*.capacity.start_month", isText),

		key("arm", isTables),
		key("arm.*.name", isText),
		key("arm.*.packages", isText),

		key("correlation", isTables),
		key("correlation.*.params", isText),
		// rho is the scenario's own: it is not in the model (set is nil).
		num("correlation.*.rho", "correlation of the normal scores").in(rule{lo: -1, hi: 1, loOpen: true, hiOpen: true, what: "must be above -1 and below 1"}),
	},
)

func concat(parts ...[]param) []param {
	var out []param
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Indexes of the table, built once.
var (
	rowByPath = map[string]*param{}   // by path, with * for elements
	rowByKey  = map[string]*param{}   // by path without the *s
	rowsBelow = map[string][]*param{} // by parent path without *s: its rows, in order
)

func init() {
	for i := range paramTable {
		p := &paramTable[i]
		if _, dup := rowByPath[p.path]; dup {
			panic("scenario: the parameter table lists " + p.path + " twice")
		}
		rowByPath[p.path] = p
		rowByKey[unstar(p.path)] = p
		rowsBelow[p.parent()] = append(rowsBelow[p.parent()], p)
	}
}

// parent returns the path, without *s, of the table the row is in (""
// at the top).
func (p *param) parent() string {
	return unstar(p.path[:max(strings.LastIndexByte(p.path, '.'), 0)])
}

// unstar drops the *s of a row's path: "package.post.hr_reentry", the
// form in which the TOML decoder names keys.
func unstar(path string) string { return strings.ReplaceAll(path, ".*", "") }

// key returns the row's own key ("hr_reentry").
func (p *param) key() string { return p.path[strings.LastIndexByte(p.path, '.')+1:] }

// children returns the rows of a table or array of tables, in order.
func (p *param) children() []*param { return rowsBelow[unstar(p.path)] }

// numbersOnly reports whether a table row holds only numbers (a history
// factor, a package phase, [costs]), which are written the same way
// everywhere.
func (p *param) numbersOnly() bool {
	if p.kind != isTable {
		return false
	}
	for _, c := range p.children() {
		if c.kind != isNumber {
			return false
		}
	}
	return true
}

// walkRows calls, for every row of the table at path (without indices),
// in the table's order, the row's hook if hooks has one, else f with the
// row's path for element i of an array of tables: with the index (ipath)
// and with the element's name (npath). Explain, the resolved scenario,
// validation and Build each walk the table this way.
func walkRows(path string, i int, name string, hooks map[string]func(), f func(r *param, ipath, npath string)) {
	for _, r := range rowsBelow[path] {
		if h := hooks[r.key()]; h != nil {
			h()
			continue
		}
		f(r, instance(r.path, strconv.Itoa(i)), instance(r.path, name))
	}
}

// rowAt returns the row of a path given with indices or names
// ("package.support.post.hr_reentry" or "package.0.post.hr_reentry"),
// or nil.
func rowAt(path string) *param {
	return rowByPath[pattern(path)]
}

// rowOf returns the row of a number's path, which may end in the indices
// of a list ("home.reentry.cumulative.1", "care.return_home_per_year.0.2").
func rowOf(path string) *param {
	p := pattern(path)
	for rowByPath[p] == nil && endsInIndex(p) {
		p = p[:strings.LastIndexByte(p, '.')]
	}
	return rowByPath[p]
}

// pattern turns a path with array elements named or indexed into the
// table's form: the segment after the name of an array of tables is *.
func pattern(path string) string {
	segs := strings.Split(path, ".")
	var out []string
	for i := 0; i < len(segs); i++ {
		out = append(out, segs[i])
		if r := rowByPath[strings.Join(out, ".")]; r != nil && r.kind == isTables && i+1 < len(segs) {
			out = append(out, "*")
			i++
		}
	}
	return strings.Join(out, ".")
}

// instance returns the row path with the element i in place of *.
func instance(path string, elem string) string {
	return strings.Replace(path, "*", elem, 1)
}

// keysBelow lists the keys a table accepts, given its path without
// indices.
func keysBelow(path string) []string {
	var keys []string
	for _, r := range rowsBelow[path] {
		keys = append(keys, r.key())
	}
	return keys
}
