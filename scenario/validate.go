package scenario

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reunify/reunify/sim"
)

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

// MaxNameLength is the most characters a name may have.
const MaxNameLength = 64

// unsafeName says why a name made of safe characters (letters, digits,
// '.', '_', '-') is still not safe as a file or folder name, or "".
func unsafeName(n string) string {
	switch base, _, _ := strings.Cut(strings.ToLower(n), "."); {
	case !unicode.IsLetter(rune(n[0])) && !unicode.IsDigit(rune(n[0])):
		// "." and ".." would name this folder and the one above, a leading
		// dot hides a file, and a leading dash reads as an option.
		return "start with a letter or a digit"
	case len(n) > MaxNameLength:
		return fmt.Sprintf("%d characters, at most %d", len(n), MaxNameLength)
	case slices.Contains(reserved, base):
		return "a device name reserved by Windows: choose another"
	}
	return ""
}

// reserved are the device names Windows reserves, with any extension.
var reserved = []string{"con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
	"lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"}

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
		case unsafeName(n) != "":
			c.add(path, "name %q: %s (names become file and column names)", n, unsafeName(n))
		default:
			if j, dup := seen[n]; dup {
				c.add(path, "name %q is already used by %s.%d", n, table, j)
			}
			seen[n] = i
		}
	}
}

// walk checks the rows of the table at path (without indices; element i
// of an array of tables), in the table's order: each number and per-band
// list against its row's rule, each table of numbers row by row, and at a
// row with a hook, the hook instead.
func (c *checker) walk(path string, i int, hooks map[string]func()) {
	walkRows(path, i, "", hooks, func(r *param, ipath, _ string) {
		switch {
		case r.kind == isNumber:
			c.num(ipath, c.s.num(ipath), r.rule)
		case r.kind == isBands:
			c.bands(ipath, c.s.band(ipath), len(c.s.AgeBands), r.rule)
		case r.kind == isTable:
			c.walk(unstar(r.path), i, nil)
		}
	})
}

// check validates the whole scenario (after defaults).
func (s *Scenario) check() Problems {
	c := &checker{s: s, placements: s.elements("placement"), factors: s.elements("factor")}
	nb := len(s.AgeBands)
	rowRule := func(path string) rule { return rowByPath[path].rule }
	c.walk("", 0, map[string]func(){
		"name": func() {
			switch {
			case s.Name == "":
				c.add("name", "missing: this key is required (it names the result folders)")
			case !reScenary.MatchString(s.Name):
				c.add("name", "%q: use only letters, digits, '.', '_' and '-' (it names the result folders)", s.Name)
			case unsafeName(s.Name) != "":
				c.add("name", "%q: %s (it names the result folders)", s.Name, unsafeName(s.Name))
			}
		},
		"description": func() {
			if i := strings.IndexFunc(s.Description, unicode.IsControl); i >= 0 {
				r, _ := utf8.DecodeRuneInString(s.Description[i:])
				c.add("description", "contains a control character (%U): write one line of plain text (it is printed to the terminal and into reports)", r)
			}
		},
		"age_bands": func() { c.increasing("age_bands", s.AgeBands, rowRule("age_bands"), 0) },
		"placement": func() {
			switch {
			case len(s.Placements) == 0:
				c.add("placement", "missing: need at least one [[placement]]")
			case len(s.Placements) > MaxPlacements:
				c.add("placement", "%d placement types: at most %d (the model holds a move share from each to each other)", len(s.Placements), MaxPlacements)
				return
			}
			c.names("placement", c.placements)
			for i, p := range s.Placements {
				c.walk("placement", i, map[string]func(){
					"name": func() {},
					"move_to": func() {
						mv := s.num(fmt.Sprintf("placement.%d.moves_per_year", i))
						c.shareMap(fmt.Sprintf("placement.%d.move_to", i), p.MoveTo, mv.Dist != nil || mv.Num > 0, p.Name)
					},
				})
			}
		},
		// Stock and cohort, then entries: the order problems without a
		// place in the file are listed in.
		"stock": func() {
			c.population("stock", s.Stock, "count", nb)
			c.population("cohort", s.Cohort, "count", nb)
		},
		"cohort":  func() {},
		"entries": func() { c.population("entries", s.Entries, "per_year", nb) },
		"care": func() {
			var breaks []float64
			c.walk("care", 0, map[string]func(){
				"duration_breaks_months": func() {
					breaks, _ = c.increasing("care.duration_breaks_months", s.Care.DurationBreaksMonths, rowRule("care.duration_breaks_months"), 0)
				},
				"return_home_per_year": func() {
					c.matrix("care.return_home_per_year", s.Care.ReturnHomePerYear, nb, len(breaks))
				},
			})
		},
		"home": func() {
			h := s.Home
			c.walk("home", 0, map[string]func(){
				"reentry":      func() { c.hazard("home.reentry", h.Reentry, true) },
				"maltreatment": func() { c.hazard("home.maltreatment", h.Maltreatment, false) },
				"reentry_placement_shares": func() {
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
				},
			})
		},
		"factor": func() {
			c.names("factor", c.factors)
			for i := range s.Factors {
				c.walk("factor", i, map[string]func(){
					"name": func() {},
					"prevalence": func() {
						path := fmt.Sprintf("factor.%d.prevalence", i)
						if b := s.band(path); !b.IsSet() {
							c.add(fmt.Sprintf("factor.%d", i), "missing prevalence")
						} else {
							c.bands(path, b, nb, rowRule("factor.*.prevalence"))
						}
					},
				})
			}
		},
		"costs": func() {
			c.walk("costs", 0, map[string]func(){
				"price_year": func() {
					py := s.num("costs.price_year")
					if c.num("costs.price_year", py, rowRule("costs.price_year")) && py.Num != 0 && py.Num < 1900 {
						c.add("costs.price_year", "%s: want a year such as 2024 (0 if unstated)", readNum(py.Num))
					}
				},
			})
		},
		"tiers": func() {
			amber, red := s.num("tiers.amber"), s.num("tiers.red")
			okA := c.num("tiers.amber", amber, rowRule("tiers.amber"))
			okR := c.num("tiers.red", red, rowRule("tiers.red"))
			if okA && okR && amber.Num > 0 && red.Num > 0 && red.Num < amber.Num {
				c.add("tiers.red", "red threshold %s is below the amber threshold %s", readNum(red.Num), readNum(amber.Num))
			}
		},
		"package": func() {
			pnames := namesOf(s.Packages, func(p Package) string { return p.Name })
			c.names("package", pnames)
			for i, p := range s.Packages {
				path := fmt.Sprintf("package.%d.", i)
				c.capacity(path, p.Capacity)
				c.walk("package", i, map[string]func(){
					"name":     func() {},
					"eligible": func() { c.eligible(path+"eligible.", p.Eligible, nb) },
					"capacity": func() {},
				})
			}
		},
		"arm": func() {
			if len(s.Arms) == 0 {
				c.add("arm", "missing: need at least one [[arm]] (the first is the baseline)")
			}
			pnames := namesOf(s.Packages, func(p Package) string { return p.Name })
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
		},
		"correlation": func() {
			for i, cr := range s.Correlations {
				c.walk("correlation", i, map[string]func(){
					"params": func() {
						path := fmt.Sprintf("correlation.%d.params", i)
						switch {
						case len(cr.Params) != 2:
							c.add(path, "want two parameter paths, e.g. [\"placement.childrens_home.weekly_cost\", \"placement.agency_foster.weekly_cost\"], got %d", len(cr.Params))
						case cr.Params[0] == cr.Params[1]:
							c.add(path+".1", "%q is correlated with itself: name two different parameters", cr.Params[1])
						}
					},
				})
			}
		},
	})
	if len(c.ps) == 0 {
		c.bounds()
	}
	return c.ps
}

// population checks the shares of [stock], [cohort] or [entries], which
// are required when its size key (count or per_year) is above 0.
func (c *checker) population(name string, p Population, size string, nb int) {
	c.walk(name, 0, map[string]func(){
		"age_shares": func() {
			v := c.s.num(name + "." + size)
			c.shareList(name+".age_shares", p.AgeShares, nb, v.Dist != nil || v.Num > 0)
		},
		"placement_shares": func() {
			v := c.s.num(name + "." + size)
			c.shareMap(name+".placement_shares", p.PlacementShares, v.Dist != nil || v.Num > 0, "")
		},
	})
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
		c.nums(rp, row, rowByPath["care.return_home_per_year"].rule)
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
		months, ok1 := c.increasing(path+".months", h.Months, rowByPath[path+".months"].rule, math.NaN())
		shares, ok2 := c.nums(path+".cumulative", h.Cumulative, rowByPath[path+".cumulative"].rule)
		if !ok1 || !ok2 {
			return
		}
		if len(months) != len(shares) {
			c.add(path, "%d months but %d cumulative shares", len(months), len(shares))
			return
		}
		for i := 1; i < len(shares); i++ {
			if shares[i] < shares[i-1] {
				c.add(fmt.Sprintf("%s.cumulative.%d", path, i), "cumulative share %s is below the one before it (%s): shares cannot decrease", readNum(shares[i]), readNum(shares[i-1]))
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
		starts, ok1 := c.increasing(path+".starts_months", h.StartsMonths, rowByPath[path+".starts_months"].rule, 0)
		_, ok2 := c.nums(path+".per_year", h.PerYear, rowByPath[path+".per_year"].rule)
		if ok1 && ok2 && len(starts) != len(h.PerYear) {
			c.add(path, "%d starts but %d yearly rates", len(starts), len(h.PerYear))
		}
	}
}

// capacity checks a package's capacity table, if it has one.
func (c *checker) capacity(path string, cp *Capacity) {
	if cp != nil {
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
}

// eligible checks a package's eligibility; ep is its path with a dot.
func (c *checker) eligible(ep string, el Eligible, nb int) {
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
		if c.s.num("tiers.amber").Num == 0 && c.s.num("tiers.red").Num == 0 {
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
			c.known(fmt.Sprintf("%sfactors.%d", ep, j), "factor", n, c.factors)
		}
	}
}
