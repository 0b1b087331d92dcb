package scenario

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// withSources is minimal.toml with sources on a distribution, a plain
// number and a list element, in table form.
func withSources(t *testing.T) []byte {
	t.Helper()
	src := string(mustRead(t, "testdata/minimal.toml"))
	for _, r := range []struct{ old, new string }{
		{"hr_reentry = 0.7 }", `hr_reentry = { dist = "lognormal", mean = 0.7, sd = 0.1, source = "assumption" } }`},
		{"weekly_cost = 4000", `weekly_cost = { value = 4000, source = "NSPCC 2024: children's homes £4,000-£5,000 a week" }`},
		{"cumulative = [0.2, 0.3]", `cumulative = [0.2, { dist = "beta", mean = 0.3, sd = 0.03, low = 0.25, source = "DfE 2024" }]`},
		{"prevalence = 0.3", `prevalence = { value = 0.3, source = "UEA 2020" }`},
	} {
		if !strings.Contains(src, r.old) {
			t.Fatalf("minimal.toml lacks %q", r.old)
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	return []byte(src)
}

// TestSources: a number or a distribution in table form may carry its
// source; the resolved scenario keeps it (and reloads to the same), explain
// prints it, and Uncertain lists every distribution with its path and
// source.
func TestSources(t *testing.T) {
	s, err := LoadBytes("sources.toml", withSources(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	res := s.Resolved()
	for _, want := range []string{
		`post = { months = 12, cost_per_month = 469, cost_at_start = 0, hr_reentry = { dist = "lognormal", mean = 0.7, sd = 0.1, source = "assumption" },`,
		`weekly_cost = { value = 4000, source = "NSPCC 2024: children's homes £4,000-£5,000 a week" }`,
		`cumulative = [0.2, { dist = "beta", mean = 0.3, sd = 0.03, low = 0.25, source = "DfE 2024" }]`,
		`prevalence = { value = 0.3, source = "UEA 2020" }`,
	} {
		if !bytes.Contains(res, []byte(want)) {
			t.Errorf("resolved scenario lacks %s:\n%s", want, res)
		}
	}
	again, err := LoadBytes("resolved.toml", res, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, res)
	}
	if !bytes.Equal(again.Resolved(), res) {
		t.Errorf("the resolved scenario with sources is not a fixed point")
	}
	m1, _, _ := s.Build()
	m2, _, _ := again.Build()
	if !reflect.DeepEqual(m1, m2) {
		t.Errorf("sources changed the model")
	}
	if v, err := s.Lookup("placement.residential.weekly_cost"); err != nil || v.Num != 4000 || v.Source == "" {
		t.Errorf("Lookup of a number in table form: %v, %v", v, err)
	}

	var b bytes.Buffer
	if err := s.Explain(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"source: assumption", "source: NSPCC 2024", "source: DfE 2024", "source: UEA 2020"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("explain lacks %q:\n%s", want, b.String())
		}
	}

	us, err := s.Uncertain()
	if err != nil {
		t.Fatal(err)
	}
	want := []Uncertain{
		{Path: "home.reentry.cumulative.1", Source: "DfE 2024"},
		{Path: "package.support.post.hr_reentry", Source: "assumption"},
	}
	if len(us) != len(want) {
		t.Fatalf("Uncertain: %+v", us)
	}
	for i, u := range us {
		if u.Path != want[i].Path || u.Source != want[i].Source || u.Dist == nil {
			t.Errorf("Uncertain[%d] = %+v, want %+v", i, u, want[i])
		}
	}
	_, params, _ := s.Build()
	for i, p := range params {
		if p.Path != us[i].Path || p.Dist.(*Dist).String() != us[i].Dist.String() {
			t.Errorf("Uncertain[%d] %s does not match Build's parameter %s", i, us[i].Path, p.Path)
		}
	}
}

func TestSourceProblems(t *testing.T) {
	src := string(mustRead(t, "testdata/minimal.toml"))
	for _, tt := range []struct{ set, msg string }{
		{`placement.foster.weekly_cost={ value = 600, source = 3 }`, "source must be a string"},
		{`placement.foster.weekly_cost={ value = 600, sauce = "x" }`, `unknown key "sauce"`},
		{`placement.foster.weekly_cost={ value = "600" }`, "value must be a number"},
		{`placement.foster.weekly_cost={ source = "x" }`, `needs dist = "<name>"`},
		{`placement.foster.weekly_cost={ value = 600, source = "a\u001bb" }`, "control character"},
		{`placement.foster.weekly_cost={ dist = "gamma", mean = 600, sd = 60, source = true }`, "source must be a string"},
	} {
		_, err := LoadBytes("m.toml", []byte(src), []string{tt.set})
		if ps, _ := AsProblems(err); len(ps) != 1 || !strings.Contains(ps[0].Msg, tt.msg) {
			t.Errorf("--set %s: want a problem saying %q, got %v", tt.set, tt.msg, err)
		}
	}
}

// TestBaseCase: the deterministic base case is the scenario with every
// distribution replaced by its mean: it builds with no parameter to draw,
// each number at its distribution's mean (the model Build returns), and
// keeps its source.
func TestBaseCase(t *testing.T) {
	s, err := LoadBytes("everything.toml", mustRead(t, "testdata/golden/everything.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, params, err := s.Build()
	if err != nil || len(params) < 20 {
		t.Fatalf("%v, %d params", err, len(params))
	}
	before := s.Resolved()
	base := s.BaseCase()
	bm, bparams, err := base.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(bparams) != 0 {
		t.Errorf("the base case has %d parameters to draw", len(bparams))
	}
	if !approxEqual(reflect.ValueOf(bm), reflect.ValueOf(m)) {
		t.Errorf("the base case's model differs from the model at the means")
	}
	for _, p := range params {
		c := bm.Clone()
		p.Set(c, p.Dist.Mean())
		if !approxEqual(reflect.ValueOf(c), reflect.ValueOf(bm.Clone())) {
			t.Errorf("%s is not at its distribution's mean %v in the base case", p.Path, p.Dist.Mean())
		}
		v, err := base.Lookup(p.Path)
		if err != nil || v.Dist != nil || math.Abs(v.Num-p.Dist.Mean()) > 1e-12*math.Abs(p.Dist.Mean()) {
			t.Errorf("base case %s = %v, %v; want %v", p.Path, v, err, p.Dist.Mean())
		}
	}
	if bytes.Contains(base.Resolved(), []byte("(")) {
		t.Errorf("the base case's resolved scenario has a distribution:\n%s", base.Resolved())
	}
	// The scenario itself is unchanged, also when the copy is changed,
	// and a source survives.
	for _, set := range []string{"placement.foster.move_to.residential=0.5", "stock.age_shares.0=0.1", "care.return_home_per_year.1.1=0.9",
		"home.reentry.months.0=7", "home.reentry_placement_shares.1.foster=0.7", "package.post_support.capacity.team=9",
		"package.pre_support.eligible.age_bands=[0]", "arm.both.packages.0=x", "correlation.0.params.0=x", "factor.substance.prevalence.0=0.2"} {
		if err := base.Set(set); err != nil {
			t.Fatalf("%s: %v", set, err)
		}
	}
	if !bytes.Equal(s.Resolved(), before) {
		t.Errorf("BaseCase, or changing the base case, changed the scenario")
	}
	ss, err := LoadBytes("sources.toml", withSources(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := ss.BaseCase().Lookup("package.support.post.hr_reentry"); v.Dist != nil || v.Num != 0.7 || v.Source != "assumption" {
		t.Errorf("base case of a sourced distribution: %+v", v)
	}
}

// approxEqual compares two values deeply, floats within 1e-12 relative:
// a cumulative share set again is derived back from the hazards.
func approxEqual(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || math.Abs(x-y) <= 1e-12*math.Max(math.Abs(x), math.Abs(y))
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return approxEqual(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !approxEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !approxEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !approxEqual(a.MapIndex(k), b.MapIndex(k)) {
				return false
			}
		}
		return true
	case reflect.Func:
		return true
	case reflect.Int, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.String:
		return a.String() == b.String()
	}
	panic("approxEqual: " + a.Kind().String())
}
