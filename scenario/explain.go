package scenario

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/reunify/reunify/sim"
)

// Explain writes the resolved scenario for a reader: every parameter with
// its value or distribution (mean and 95% interval), defaults marked, the
// engine's monthly rates next to yearly ones, and the piecewise monthly
// hazards derived from the cumulative form with the cumulative shares they
// imply at 12, 24 and 60 months.
func (s *Scenario) Explain(w io.Writer) error {
	b, err := s.build()
	if err != nil {
		return err
	}
	m, params := b.m, b.params
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	e := &explainer{s: s, tw: tw}
	section := e.section
	line := e.line
	vals := e.vals

	fmt.Fprintf(tw, "scenario %s\n", s.Name)
	if s.Description != "" {
		fmt.Fprintf(tw, "%s\n", s.Description)
	}
	section("general")
	population := map[string]func(name string, p Population) func(){
		"age_shares": func(name string, p Population) func() {
			return func() {
				if p.AgeShares != nil {
					line(name+".age_shares", list(p.AgeShares), "shares by age band")
				}
			}
		},
		"placement_shares": func(name string, p Population) func() {
			return func() {
				if p.PlacementShares != nil {
					e.shares(name+".placement_shares", p.PlacementShares)
				}
			}
		},
	}
	pop := func(name string, p Population) func() {
		return func() {
			section("[" + name + "]")
			e.walk(name, 0, "", map[string]func(){
				"age_shares":       population["age_shares"](name, p),
				"placement_shares": population["placement_shares"](name, p),
			})
		}
	}
	h := s.Home
	hazard := func(name string, h Hazard, p sim.Piecewise) func() {
		return func() {
			path := "home." + name
			if h.IsCumulative() {
				line(path, "cumulative form", "share with the event by each month since return")
				vals(path+".months", h.Months, rowByPath[path+".months"], false)
				vals(path+".cumulative", h.Cumulative, rowByPath[path+".cumulative"], false)
			} else {
				line(path, "piecewise form", "")
				vals(path+".starts_months", h.StartsMonths, rowByPath[path+".starts_months"], false)
				vals(path+".per_year", h.PerYear, rowByPath[path+".per_year"], true)
			}
			for k := range p.Starts {
				seg := fmt.Sprintf("from month %s", g(p.Starts[k]))
				if k+1 < len(p.Starts) {
					seg = fmt.Sprintf("months %s-%s", g(p.Starts[k]), g(p.Starts[k+1]))
				}
				line("  derived hazard "+seg, g(p.Rates[k]), "per month")
			}
			line("  implied cumulative share", fmt.Sprintf("12m %.4f, 24m %.4f, 60m %.4f", p.Cumulative(12), p.Cumulative(24), p.Cumulative(60)), "")
		}
	}
	e.walk("", 0, "", map[string]func(){
		"name": func() {}, "description": func() {},
		"age_bands": func() {
			var bands []string
			for i, a := range s.AgeBands {
				hi := "18"
				if i+1 < len(s.AgeBands) {
					hi = formatNum(s.AgeBands[i+1].Num)
				}
				bands = append(bands, fmt.Sprintf("%d: %s-%s", i, formatNum(a.Num), hi))
			}
			note := rowByPath["age_bands"].unit
			if s.AgeBands[0].def {
				note += " (default)"
			}
			line("age_bands", strings.Join(bands, ", "), note)
		},
		"placement": func() {
			for i, p := range s.Placements {
				section("[[placement]] " + p.Name)
				e.walk("placement", i, p.Name, map[string]func(){
					"name": func() {},
					"move_to": func() {
						if p.MoveTo != nil {
							e.shares("placement."+p.Name+".move_to", p.MoveTo)
						}
					},
				})
			}
		},
		"stock":   pop("stock", s.Stock),
		"entries": pop("entries", s.Entries),
		"cohort":  pop("cohort", s.Cohort),
		"care": func() {
			section("[care]")
			e.walk("care", 0, "", map[string]func(){
				"duration_breaks_months": func() {
					line("care.duration_breaks_months", list(s.Care.DurationBreaksMonths), rowByPath["care.duration_breaks_months"].unit)
				},
				"return_home_per_year": func() {
					rh := s.Care.ReturnHomePerYear
					for r, row := range rh.Rows {
						path := fmt.Sprintf("care.return_home_per_year.%d", r)
						if rh.Single {
							path = "care.return_home_per_year"
						}
						vals(path, row, rowByPath["care.return_home_per_year"], true)
					}
				},
			})
		},
		"home": func() {
			section("[home]")
			e.walk("home", 0, "", map[string]func(){
				"reentry":      hazard("reentry", h.Reentry, m.Home.Reentry),
				"maltreatment": hazard("maltreatment", h.Maltreatment, m.Home.Maltreatment),
				"reentry_placement_shares": func() {
					if h.ReentryPlacementShares.PerBand {
						for i, mp := range h.ReentryPlacementShares.Maps {
							e.shares(fmt.Sprintf("home.reentry_placement_shares.%d", i), mp)
						}
					} else {
						e.shares("home.reentry_placement_shares", h.ReentryPlacementShares.Maps[0])
					}
				},
			})
		},
		"factor": func() {
			for i, f := range s.Factors {
				section("[[factor]] " + f.Name)
				e.walk("factor", i, f.Name, map[string]func(){"name": func() {}})
			}
		},
		"package": func() {
			for i, p := range s.Packages {
				path := "package." + p.Name + "."
				section("[[package]] " + p.Name)
				e.walk("package", i, p.Name, map[string]func(){
					"name": func() {},
					"eligible": func() {
						el := p.Eligible
						var who []string
						if el.Tiers != nil {
							who = append(who, "tiers "+strings.Join(el.Tiers, "/"))
						}
						if el.AgeBands != nil {
							who = append(who, "age bands "+strings.Trim(fmt.Sprint(el.AgeBands), "[]"))
						}
						if el.Placements != nil {
							who = append(who, "placements "+strings.Join(el.Placements, "/"))
						}
						if el.Factors != nil {
							who = append(who, "any of factors "+strings.Join(el.Factors, "/"))
						}
						if who == nil {
							who = []string{"everyone"}
						}
						line(path+"eligible", strings.Join(who, "; "), "")
					},
					"capacity": func() {
						if cp := p.Capacity; cp != nil {
							full, queue := cp.choices()
							line(path+"capacity", fmt.Sprintf("%d families at once; when full: %s; queue: %s; team starts at month %v", cp.places(), full, queue, cp.StartMonth), "")
						} else {
							line(path+"capacity", "unlimited: every eligible family that takes up the offer is supported", "")
						}
					},
				})
			}
		},
		"arm": func() {
			section("arms")
			for i, a := range s.Arms {
				note := ""
				if i == 0 {
					note = "baseline"
				}
				pk := strings.Join(a.Packages, ", ")
				if pk == "" {
					pk = "(no packages)"
				}
				line("arm."+a.Name, pk, note)
			}
		},
		"correlation": func() {
			section(fmt.Sprintf("uncertain parameters (%d, drawn once per iteration)", len(params)))
			// Both ends of every correlation: the first parameter of a
			// correlated group has an empty Mix (its Cholesky row is its
			// own score alone), but it is correlated all the same.
			correlated := make([]bool, len(params))
			for i, p := range params {
				for _, m := range p.Mix {
					if m.Param != i && m.W != 0 {
						correlated[i], correlated[m.Param] = true, true
					}
				}
			}
			for i, p := range params {
				var notes []string
				if correlated[i] {
					notes = append(notes, "correlated (Gaussian copula)")
				}
				if src := b.sources[i]; src != "" {
					notes = append(notes, "source: "+src)
				}
				line(p.Path, p.Dist.(*Dist).String(), strings.Join(notes, "; "))
			}
			if len(s.Correlations) > 0 {
				section("correlations (of the parameters' normal scores)")
				dist := map[string]bool{}
				for _, p := range params {
					dist[p.Path] = true
				}
				for i, cr := range s.Correlations {
					note := ""
					for _, path := range cr.Params {
						if !dist[path] {
							note = "ignored: " + path + " is a fixed number, not a distribution"
						}
					}
					line(strings.Join(cr.Params, " ~ "), "rho "+s.num(fmt.Sprintf("correlation.%d.rho", i)).String(), note)
				}
			}
		},
	})
	return tw.Flush()
}

// explainer writes explain's lines.
type explainer struct {
	s  *Scenario
	tw *tabwriter.Writer
}

func (e *explainer) section(title string) { fmt.Fprintf(e.tw, "\n%s\n", title) }

func (e *explainer) line(path, value, note string) {
	fmt.Fprintf(e.tw, "  %s\t%s\t%s\n", path, value, note)
}

// val writes one number: its value or distribution (with mean and 95%
// interval), its unit, its monthly rate for a yearly one, and whether it
// is a default.
func (e *explainer) val(path string, v Value, unit string, monthly bool) {
	text := formatNum(v.Num)
	var notes []string
	if v.Dist != nil {
		text = v.Dist.String()
		notes = append(notes, fmt.Sprintf("mean %s, 95%% interval %s to %s", g(v.Dist.Mean()), g(v.Dist.Quantile(0.025)), g(v.Dist.Quantile(0.975))))
	}
	if unit != "" {
		notes = append(notes, unit)
	}
	if monthly {
		notes = append(notes, fmt.Sprintf("= %s per month", g(v.Mean()/12)))
	}
	if v.def {
		notes = append(notes, "(default)")
	}
	if v.Source != "" {
		notes = append(notes, "source: "+v.Source)
	}
	e.line(path, text, strings.Join(notes, "; "))
}

// vals writes the elements of a list of row r.
func (e *explainer) vals(path string, vs []Value, r *param, monthly bool) {
	for i, v := range vs {
		e.val(fmt.Sprintf("%s.%d", path, i), v, r.unit, monthly)
	}
}

// shares writes shares by placement.
func (e *explainer) shares(path string, mp map[string]Value) {
	if mp == nil {
		e.line(path, "(none)", "")
		return
	}
	var xs []string
	for _, k := range slices.Sorted(maps.Keys(mp)) {
		xs = append(xs, k+"="+formatNum(mp[k].Num))
	}
	e.line(path, strings.Join(xs, ", "), "shares by placement")
}

// walk explains the rows of the table at path (element i, called name,
// of an array of tables) in the table's order, with the hooks' lines in
// place of their rows.
func (e *explainer) walk(path string, i int, name string, hooks map[string]func()) {
	walkRows(path, i, name, hooks, func(r *param, ipath, npath string) {
		switch {
		case r.kind == isNumber && r.set != nil:
			v, unit := e.s.num(ipath), r.unit
			if r.conv == inYears {
				unit += fmt.Sprintf(" = %s months", g(12*v.Mean()))
			}
			e.val(npath, v, unit, r.conv == inPerYear)
		case r.kind == isBands:
			b := e.s.band(ipath)
			if b.Scalar {
				e.val(npath, b.Values[0], r.unit+", all age bands", r.conv == inPerYear)
			} else {
				e.vals(npath, b.Values, r, r.conv == inPerYear)
			}
		case r.kind == isTable:
			if path == "" {
				e.section("[" + r.key() + "]")
			}
			e.walk(unstar(r.path), i, name, nil)
		}
	})
}

// g formats a derived number compactly.
func g(x float64) string { return sig(x, 6) }

// sig writes x rounded to n significant digits in plain decimal, never an
// exponent (formatNum's range): 81364000, not 8.1364e+07.
func sig(x float64, n int) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return formatNum(r)
}
