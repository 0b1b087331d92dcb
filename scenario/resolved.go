package scenario

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Resolved returns the scenario as TOML with every default filled in and
// every override applied: the scenario as run. Load reads it back to a
// scenario that builds the same model.
func (s *Scenario) Resolved() []byte {
	r := &resolver{s: s}
	b := &r.b
	kv := r.kv
	pop := func(name string, p Population) func() {
		return func() {
			fmt.Fprintf(b, "\n[%s]\n", name)
			r.walk(name, 0, map[string]func(){
				"age_shares": func() {
					if p.AgeShares != nil {
						kv("age_shares", list(p.AgeShares))
					}
				},
				"placement_shares": func() {
					if p.PlacementShares != nil {
						kv("placement_shares", inlineMap(p.PlacementShares))
					}
				},
			})
		}
	}
	h := s.Home
	r.walk("", 0, map[string]func(){
		"name": func() { kv("name", tomlString(s.Name)) },
		"description": func() {
			if s.Description != "" {
				kv("description", tomlString(s.Description))
			}
		},
		"age_bands": func() { kv("age_bands", list(s.AgeBands)) },
		"placement": func() {
			for i, p := range s.Placements {
				b.WriteString("\n[[placement]]\n")
				r.walk("placement", i, map[string]func(){
					"name": func() { kv("name", tomlString(p.Name)) },
					"move_to": func() {
						if p.MoveTo != nil {
							kv("move_to", inlineMap(p.MoveTo))
						}
					},
				})
			}
		},
		"stock":   pop("stock", s.Stock),
		"entries": pop("entries", s.Entries),
		"cohort":  pop("cohort", s.Cohort),
		"care": func() {
			b.WriteString("\n[care]\n")
			r.walk("care", 0, map[string]func(){
				"duration_breaks_months": func() { kv("duration_breaks_months", list(s.Care.DurationBreaksMonths)) },
				"return_home_per_year": func() {
					rh := s.Care.ReturnHomePerYear
					if rh.Single {
						kv("return_home_per_year", list(rh.Rows[0]))
						return
					}
					rows := make([]string, len(rh.Rows))
					for i, r := range rh.Rows {
						rows[i] = "  " + list(r) + ","
					}
					kv("return_home_per_year", "[\n"+strings.Join(rows, "\n")+"\n]")
				},
			})
		},
		"home": func() {
			b.WriteString("\n[home]\n")
			r.walk("home", 0, map[string]func(){
				"reentry":      func() { kv("reentry", hazardText(h.Reentry)) },
				"maltreatment": func() { kv("maltreatment", hazardText(h.Maltreatment)) },
				"reentry_placement_shares": func() {
					rp := h.ReentryPlacementShares
					if rp.PerBand {
						rows := make([]string, len(rp.Maps))
						for i, m := range rp.Maps {
							rows[i] = "  " + inlineMap(m) + ","
						}
						kv("reentry_placement_shares", "[\n"+strings.Join(rows, "\n")+"\n]")
					} else if len(rp.Maps) == 1 {
						kv("reentry_placement_shares", inlineMap(rp.Maps[0]))
					}
				},
			})
		},
		"factor": func() {
			for i, f := range s.Factors {
				b.WriteString("\n[[factor]]\n")
				r.walk("factor", i, map[string]func(){"name": func() { kv("name", tomlString(f.Name)) }})
			}
		},
		"package": func() {
			for i, p := range s.Packages {
				b.WriteString("\n[[package]]\n")
				r.walk("package", i, map[string]func(){
					"name": func() { kv("name", tomlString(p.Name)) },
					"eligible": func() {
						var ek, ev []string
						if p.Eligible.Tiers != nil {
							ek, ev = append(ek, "tiers"), append(ev, strList(p.Eligible.Tiers))
						}
						if p.Eligible.AgeBands != nil {
							xs := make([]string, len(p.Eligible.AgeBands))
							for i, a := range p.Eligible.AgeBands {
								xs[i] = strconv.Itoa(a)
							}
							ek, ev = append(ek, "age_bands"), append(ev, "["+strings.Join(xs, ", ")+"]")
						}
						if p.Eligible.Placements != nil {
							ek, ev = append(ek, "placements"), append(ev, strList(p.Eligible.Placements))
						}
						if p.Eligible.Factors != nil {
							ek, ev = append(ek, "factors"), append(ev, strList(p.Eligible.Factors))
						}
						if ek != nil {
							kv("eligible", inline(ek, ev))
						}
					},
					"capacity": func() {
						if cp := p.Capacity; cp != nil {
							full, queue := cp.choices()
							kv("capacity", inline([]string{"places", "when_full", "queue", "start_month"},
								[]string{strconv.Itoa(cp.places()), tomlString(full), tomlString(queue), strconv.FormatFloat(cp.StartMonth, 'f', -1, 64)}))
						}
					},
				})
			}
		},
		"arm": func() {
			for _, a := range s.Arms {
				b.WriteString("\n[[arm]]\n")
				kv("name", tomlString(a.Name))
				kv("packages", strList(a.Packages))
			}
		},
		"correlation": func() {
			for i, cr := range s.Correlations {
				b.WriteString("\n[[correlation]]\n")
				r.walk("correlation", i, map[string]func(){"params": func() { kv("params", strList(cr.Params)) }})
			}
		},
	})
	return b.Bytes()
}

// resolver writes the resolved scenario.
type resolver struct {
	s *Scenario
	b bytes.Buffer
}

func (r *resolver) kv(k, v string) { fmt.Fprintf(&r.b, "%s = %s\n", k, v) }

// walk writes the rows of the table at path (element i of an array of
// tables) in the table's order: each number as a key, a table at the top
// as a [section], a table below it as an inline table of its numbers,
// and at a row with a hook, the hook instead.
func (r *resolver) walk(path string, i int, hooks map[string]func()) {
	walkRows(path, i, "", hooks, func(row *param, ipath, _ string) {
		switch {
		case row.kind == isNumber:
			r.kv(row.key(), r.s.num(ipath).String())
		case row.kind == isBands:
			r.kv(row.key(), bandsText(r.s.band(ipath)))
		case row.kind == isTable && path == "":
			fmt.Fprintf(&r.b, "\n[%s]\n", row.key())
			r.walk(row.key(), i, nil)
		case row.kind == isTable:
			var keys, vals []string
			for _, c := range row.children() {
				keys = append(keys, c.key())
				vals = append(vals, r.s.num(instance(c.path, strconv.Itoa(i))).String())
			}
			r.kv(row.key(), inline(keys, vals))
		}
	})
}

func list(vs []Value) string {
	xs := make([]string, len(vs))
	for i, v := range vs {
		xs[i] = v.String()
	}
	return "[" + strings.Join(xs, ", ") + "]"
}

func strList(ss []string) string {
	xs := make([]string, len(ss))
	for i, s := range ss {
		xs[i] = tomlString(s)
	}
	return "[" + strings.Join(xs, ", ") + "]"
}

func inline(keys, vals []string) string {
	xs := make([]string, len(keys))
	for i := range keys {
		xs[i] = keys[i] + " = " + vals[i]
	}
	return "{ " + strings.Join(xs, ", ") + " }"
}

func inlineMap(m map[string]Value) string {
	keys := slices.Sorted(maps.Keys(m))
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = m[k].String()
	}
	for i, k := range keys {
		if !reName.MatchString(k) {
			keys[i] = tomlString(k)
		}
	}
	if len(keys) == 0 {
		return "{}"
	}
	return inline(keys, vals)
}

func bandsText(b Bands) string {
	if b.Scalar {
		return b.Values[0].String()
	}
	return list(b.Values)
}

func hazardText(h Hazard) string {
	if h.IsCumulative() {
		return inline([]string{"months", "cumulative"}, []string{list(h.Months), list(h.Cumulative)})
	}
	return inline([]string{"starts_months", "per_year"}, []string{list(h.StartsMonths), list(h.PerYear)})
}
