package scenario

import (
	"strconv"
	"strings"
)

// elements returns the names of the elements of an array of tables, as
// paths name them (by name; a correlation, which has none, by index).
func (s *Scenario) elements(array string) []string {
	switch array {
	case "placement":
		return namesOf(s.Placements, func(p Placement) string { return p.Name })
	case "factor":
		return namesOf(s.Factors, func(f Factor) string { return f.Name })
	case "package":
		return namesOf(s.Packages, func(p Package) string { return p.Name })
	case "arm":
		return namesOf(s.Arms, func(a Arm) string { return a.Name })
	case "correlation":
		ns := make([]string, len(s.Correlations))
		for i := range ns {
			ns[i] = strconv.Itoa(i)
		}
		return ns
	}
	panic("scenario: no array of tables " + array)
}

// each calls f for every instance of row r in the scenario: its path with
// indices (ipath, as problems name it), its path with names (npath, as
// parameters and explain name them) and its element (0 outside arrays).
func (s *Scenario) each(r *param, f func(ipath, npath string, i int)) {
	array, _, inArray := strings.Cut(r.path, ".*")
	if !inArray {
		f(r.path, r.path, 0)
		return
	}
	for i, name := range s.elements(array) {
		f(instance(r.path, strconv.Itoa(i)), instance(r.path, name), i)
	}
}

// num returns the number at a path with indices.
func (s *Scenario) num(ipath string) Value { return s.nums[ipath] }

// band returns the per-band list at a path with indices.
func (s *Scenario) band(ipath string) Bands { return s.bandOf[ipath] }

// decodeNumbers reads every number and bands row from the decoded TOML
// document. A table of the table that is not a table in the file (costs =
// 5) is a problem, reported like the decoder's type errors.
func (s *Scenario) decodeNumbers(doc map[string]any) Problems {
	s.nums, s.bandOf = map[string]Value{}, map[string]Bands{}
	var ps Problems
	reported := map[string]bool{}
	for i := range paramTable {
		r := &paramTable[i]
		if r.kind != isNumber && r.kind != isBands {
			continue
		}
		segs := strings.Split(r.path, ".")
		var walk func(cur any, k int, done []string)
		walk = func(cur any, k int, done []string) {
			if k == len(segs) {
				path := strings.Join(done, ".")
				if r.kind == isBands {
					var b Bands
					b.UnmarshalTOML(cur)
					s.bandOf[path] = b
				} else {
					var v Value
					v.UnmarshalTOML(cur)
					s.nums[path] = v
				}
				return
			}
			if segs[k] == "*" {
				for j, el := range arrayOfTables(cur) {
					walk(el, k+1, append(done, strconv.Itoa(j)))
				}
				return
			}
			t, ok := cur.(map[string]any)
			if !ok {
				path := strings.Join(done, ".")
				if !reported[path] {
					reported[path] = true
					got := tomlType(cur)
					if _, isInt := cur.(int64); isInt {
						got = "an integer" // as the decoder's type errors say
					}
					ps = append(ps, s.problem(path, "wrong type: want a table, got "+got))
				}
				return
			}
			if next, ok := t[segs[k]]; ok {
				walk(next, k+1, append(done, segs[k]))
			}
		}
		walk(doc, 0, nil)
	}
	return ps
}

// arrayOfTables returns the elements of an array of tables as decoded.
func arrayOfTables(v any) []any {
	switch x := v.(type) {
	case []map[string]any:
		out := make([]any, len(x))
		for i, t := range x {
			out[i] = t
		}
		return out
	case []any:
		return x
	}
	return nil
}

// fillNumbers fills the default of every number and bands row not given.
func (s *Scenario) fillNumbers() {
	if s.nums == nil {
		s.nums, s.bandOf = map[string]Value{}, map[string]Bands{}
	}
	for i := range paramTable {
		r := &paramTable[i]
		switch {
		case r.kind == isNumber && !r.required:
			s.each(r, func(ipath, _ string, _ int) {
				if !s.nums[ipath].set {
					s.nums[ipath] = Value{Num: r.dflt, set: true, def: true}
				}
			})
		case r.kind == isBands && !r.required:
			// The default is one number for every band. A required list
			// (a factor's prevalence) is reported missing by its table's
			// check.
			s.each(r, func(ipath, _ string, _ int) {
				if !s.bandOf[ipath].IsSet() {
					s.bandOf[ipath] = Bands{Values: []Value{{Num: r.dflt, set: true, def: true}}, Scalar: true}
				}
			})
		}
	}
}

// known says what the table knows of a key written in the file, given
// without indices (as the decoder names it): a row (ok), a key below a
// row that decodes its own contents (ok and below), or neither, when
// parent is the table whose keys it should be one of.
func known(key []string) (ok, below bool, parent string) {
	for i := range key {
		r := rowByKey[strings.Join(key[:i+1], ".")]
		if r == nil {
			return false, false, strings.Join(key[:i], ".")
		}
		if i < len(key)-1 && r.kind.opaque() {
			return true, true, ""
		}
	}
	return true, false, ""
}
