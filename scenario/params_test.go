package scenario

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/reunify/reunify/sim"
)

// testValue returns a number inside rule r (and unlike any default), and
// one outside it.
func testValue(r rule) (good, bad float64) {
	good = 0.37
	switch {
	case r.lo >= 1:
		good = r.lo + 6 // horizon_years
	case r.integer && r.hi > 1900:
		good = 2019 // price_year
	case r.integer:
		good = 3
	case r.hi > 1:
		good = 1.37
	}
	bad = r.lo - 1
	if math.IsInf(r.lo, -1) {
		bad = math.NaN()
	}
	return good, bad
}

// TestEveryRow takes every number of the parameter table through --set,
// validation, the resolved scenario, Lookup, Build (plain and as a
// distribution) and explain, in a scenario with every kind of table: a
// row that one of them misses fails here.
func TestEveryRow(t *testing.T) {
	src := mustRead(t, "testdata/golden/everything.toml")
	base, err := LoadBytes("everything.toml", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	baseModel, baseParams, err := base.Build()
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for i := range paramTable {
		r := &paramTable[i]
		if r.kind != isNumber && r.kind != isBands {
			continue
		}
		base.each(r, func(ipath, npath string, _ int) {
			rows++
			t.Run(npath, func(t *testing.T) {
				good, bad := testValue(r.rule)
				if npath == "tiers.red" {
					good = 3.7 // above amber
				}
				text := formatNum(good)
				set := npath + "=" + text

				// --set and validation: the value is taken, and one
				// outside the rule is refused at the key.
				s, err := LoadBytes("everything.toml", src, []string{set})
				if err != nil {
					t.Fatalf("--set %s: %v", set, err)
				}
				_, err = LoadBytes("everything.toml", src, []string{npath + "=" + formatNum(bad)})
				ps, _ := AsProblems(err)
				if len(ps) != 1 || ps[0].Key != ipath || ps[0].File != "--set" {
					t.Errorf("--set %s=%s: want one problem at %s, got %v", npath, formatNum(bad), ipath, err)
				}

				// The resolved scenario and Lookup hold it, and reload.
				if v, err := s.Lookup(npath); err != nil || v.Num != good || v.Dist != nil {
					t.Errorf("Lookup(%s) = %v, %v; want %s", npath, v, err, text)
				}
				again, err := LoadBytes("resolved.toml", s.Resolved(), nil)
				if err != nil {
					t.Fatalf("resolved: %v", err)
				}
				if v, err := again.Lookup(npath); err != nil || v.Num != good {
					t.Errorf("resolved scenario: %s = %v, %v; want %s", npath, v, err, text)
				}

				// Build: the engine sees it.
				m, params, err := s.Build()
				if err != nil {
					t.Fatal(err)
				}
				if r.set == nil && r.get == nil {
					// correlation.N.rho: the scenario's own, it mixes the
					// parameters' draws.
					if reflect.DeepEqual(mixes(params), mixes(baseParams)) {
						t.Errorf("%s changed no parameter's mix", npath)
					}
				} else if reflect.DeepEqual(m, baseModel) {
					t.Errorf("%s=%s did not change the model", npath, text)
				}

				// Explain prints it.
				var b bytes.Buffer
				if err := s.Explain(&b); err != nil {
					t.Fatal(err)
				}
				want := npath
				if r.set == nil && r.get == nil {
					want = "rho " + text
				}
				if !strings.Contains(b.String(), want) || !strings.Contains(b.String(), text) {
					t.Errorf("explain lacks %s = %s", want, text)
				}

				// As a distribution, where one is allowed: a parameter of
				// that path whose draw of good builds the same model.
				if r.rule.plain {
					return
				}
				dist := fmt.Sprintf("%s=\"uniform(%s, %s)\"", npath, formatNum(good*0.9), formatNum(good*1.1))
				s, err = LoadBytes("everything.toml", src, []string{dist})
				if err != nil {
					t.Fatalf("--set %s: %v", dist, err)
				}
				dm, dparams, err := s.Build()
				if err != nil {
					t.Fatal(err)
				}
				var p *sim.Param
				for k := range dparams {
					if dparams[k].Path == npath {
						p = &dparams[k]
					}
				}
				if p == nil {
					t.Fatalf("no parameter %s among %d", npath, len(dparams))
				}
				c := dm.Clone()
				p.Set(c, good)
				if !reflect.DeepEqual(c, m.Clone()) {
					t.Errorf("%s drawn at %s does not give the model of %s", npath, text, set)
				}
			})
		})
	}
	if rows < 60 {
		t.Errorf("only %d numbers in the test scenario: it should have every table", rows)
	}
}

func mixes(ps []sim.Param) [][]sim.Weight {
	out := make([][]sim.Weight, len(ps))
	for i, p := range ps {
		out[i] = p.Mix
	}
	return out
}

// TestTableMatchesStructs: every key the Go types decode is a row of the
// table, and every row but the numbers (which the table decodes itself)
// is a key of the Go types, so that the table is the whole list of keys.
func TestTableMatchesStructs(t *testing.T) {
	fields := map[string]bool{}
	var walk func(t reflect.Type, prefix string)
	walk = func(typ reflect.Type, prefix string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ == valueType || typ == matrixType || typ == sharesType || typ == reflect.TypeFor[Bands]() {
			return
		}
		for _, f := range reflect.VisibleFields(typ) {
			tag := f.Tag.Get("toml")
			if tag == "" {
				continue
			}
			fields[prefix+tag] = true
			walk(f.Type, prefix+tag+".")
		}
	}
	walk(reflect.TypeFor[Scenario](), "")
	for k := range fields {
		r := rowByKey[k]
		if r == nil {
			t.Errorf("the Go types decode %s, which the parameter table does not list", k)
		} else if r.kind == isNumber || r.kind == isBands {
			t.Errorf("%s is a number of the table and a field of the Go types: the table decodes it", k)
		}
	}
	for k, r := range rowByKey {
		if r.kind != isNumber && r.kind != isBands && !fields[k] && !hasNumbers(r) {
			t.Errorf("the table lists %s, which no Go type decodes", k)
		}
		if r.kind == isNumber && r.set == nil && k != "correlation.rho" {
			t.Errorf("%s has no engine use (set)", k)
		}
		if r.kind == isNumber && !r.required && r.source == "" {
			t.Errorf("%s has a default but no source for it", k)
		}
	}
}
