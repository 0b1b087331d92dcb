package scenario

import (
	"bytes"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/reunify/reunify/sim"
)

// TestProblems loads one broken file per error class and checks that the
// problem names the key path and the right line (and column where the
// position is exact).
func TestProblems(t *testing.T) {
	tests := []struct {
		file      string
		key       string
		line, col int // col 0: not checked
		msg       string
	}{
		{"parse_error", "horizon_years", 2, 17, "expected value"},
		{"type_error", "arm.1.name", 39, 1, "want a string, got an integer"},
		{"unknown_key", "horizon_yeras", 2, 1, `did you mean "horizon_years"?`},
		{"unknown_key", "placement.1.wieght", 11, 1, `unknown key "wieght"`},
		{"proportion", "factor.0.prevalence", 28, 1, "must be a proportion in [0, 1]"},
		{"shares_sum", "cohort.age_shares", 16, 1, "shares sum to 0.9, want 1"},
		{"negative_cost", "placement.1.weekly_cost", 10, 1, "must be >= 0"},
		{"negative_rate", "care.return_home_per_year.0", 20, 25, "must be >= 0"},
		{"hazard_ratio", "factor.0.hr_reentry", 29, 1, "must be > 0"},
		{"horizon", "horizon_years", 2, 1, "between 1 and 100 years"},
		{"count", "cohort.count", 15, 1, "count from 0 to 10,000,000"},
		{"no_arm", "arm", 0, 0, "at least one [[arm]]"},
		{"unknown_placement", "cohort.placement_shares.fostr", 17, 22, `unknown placement "fostr"; did you mean "foster"?`},
		{"unknown_package", "arm.1.packages.0", 40, 13, `unknown package "suport"; did you mean "support"?`},
		{"unknown_factor", "package.0.eligible.factors.0", 33, 25, `unknown factor "drugs"`},
		{"unknown_tier", "package.0.eligible.tiers.0", 36, 23, `unknown tier "amberr"; did you mean "amber"?`},
		{"dist_not_allowed", "horizon_years", 2, 1, "must be a plain number, not a distribution"},
		{"bad_dist", "factor.0.hr_reentry", 29, 1, "sd must be > 0 and below"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.key, func(t *testing.T) {
			path := "testdata/" + tt.file + ".toml"
			_, err := Load(path, nil)
			ps, ok := AsProblems(err)
			if !ok {
				t.Fatalf("want Problems, got %v", err)
			}
			for _, p := range ps {
				if p.Key != tt.key {
					continue
				}
				if p.File != path || p.Line != tt.line || (tt.col != 0 && p.Col != tt.col) || !strings.Contains(p.Msg, tt.msg) {
					t.Errorf("got %s\nwant %s:%d:%d: %s: ...%s...", p, path, tt.line, tt.col, tt.key, tt.msg)
				}
				want := path
				if tt.line > 0 {
					want += ":"
				}
				if !strings.HasPrefix(p.String(), want) || !strings.Contains(p.String(), ": "+tt.key+": ") {
					t.Errorf("formatted as %q", p)
				}
				return
			}
			t.Errorf("no problem at key %s in:\n%v", tt.key, err)
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	_, err := Load("testdata/three_problems.toml", nil)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	if len(ps) != 3 {
		t.Fatalf("want 3 problems, got %d:\n%v", len(ps), err)
	}
	wantKeys := []string{"horizon_years", "placement.0.weekly_cost", "package.0.post.hr_reentry"}
	wantLines := []int{2, 6, 33}
	for i, p := range ps {
		if p.Key != wantKeys[i] || p.Line != wantLines[i] {
			t.Errorf("problem %d: got %s, want key %s on line %d", i, p, wantKeys[i], wantLines[i])
		}
	}
	if n := strings.Count(err.Error(), "\n"); n != 2 {
		t.Errorf("Error() has %d lines, want 3", n+1)
	}
}

func TestMinimalLoads(t *testing.T) {
	s, err := Load("testdata/minimal.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Build(); err != nil {
		t.Fatal(err)
	}
}

func TestCumulativeToHazards(t *testing.T) {
	months := []float64{3, 12, 72}
	shares := []float64{0.12, 0.20, 0.35}
	src := strings.Replace(string(mustRead(t, "testdata/minimal.toml")),
		"reentry = { months = [12, 60], cumulative = [0.2, 0.3] }",
		"reentry = { months = [3, 12, 72], cumulative = [0.12, 0.20, 0.35] }", 1)
	s, err := LoadBytes("cum.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := m.Home.Reentry
	if want := []float64{0, 3, 12}; !reflect.DeepEqual(p.Starts, want) {
		t.Errorf("starts %v, want %v", p.Starts, want)
	}
	for i, mo := range months {
		if got := p.Cumulative(mo); math.Abs(got-shares[i]) > 1e-12 {
			t.Errorf("Cumulative(%v) = %v, want %v", mo, got, shares[i])
		}
	}
}

func TestYearlyToMonthly(t *testing.T) {
	src := string(mustRead(t, "testdata/minimal.toml")) + `
[entries]
per_year = 240
age_shares = [0.2, 0.2, 0.2, 0.2, 0.2]
placement_shares = { foster = 1 }
`
	src = strings.Replace(src, "[care]\n", "[care]\npermanence_per_year = [0.12, 0.24, 0, 0, 0]\nduration_breaks_months = [0, 6]\n", 1)
	src = strings.Replace(src, "return_home_per_year = [0.5]", "return_home_per_year = [0.6, 0.36]", 1)
	src = strings.Replace(src, "[home]\n", "[home]\nmaltreatment = { starts_months = [0, 12], per_year = [0.3, 0.06] }\n", 1)
	s, err := LoadBytes("yearly.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("Horizon", m.Horizon, 60)
	if want := []float64{0, 12, 60, 120, 192}; !reflect.DeepEqual(m.AgeBands, want) {
		t.Errorf("AgeBands %v, want %v", m.AgeBands, want)
	}
	near("Entries.PerMonth", m.Entries.PerMonth, 20)
	near("MoveRate", m.Placements[1].MoveRate, 0.5/12)
	near("WeeklyCost", m.Placements[1].WeeklyCost, 4000)
	for a := range m.Care.ReturnHome { // one row broadcast to every band
		near("ReturnHome[a][0]", m.Care.ReturnHome[a][0], 0.05)
		near("ReturnHome[a][1]", m.Care.ReturnHome[a][1], 0.03)
	}
	near("Permanence[0]", m.Care.Permanence[0], 0.01)
	near("Permanence[1]", m.Care.Permanence[1], 0.02)
	near("Maltreatment.Rates[0]", m.Home.Maltreatment.Rates[0], 0.025)
	near("Maltreatment.Rates[1]", m.Home.Maltreatment.Rates[1], 0.005)
	near("DiscountRate (default)", m.Costs.DiscountRate, 0.035)
	if !reflect.DeepEqual(m.Placements[1].MoveTo, []float64{1, 0}) {
		t.Errorf("MoveTo %v", m.Placements[1].MoveTo)
	}
	if !reflect.DeepEqual(m.Arms[1].Packages, []int{0}) {
		t.Errorf("arm packages %v", m.Arms[1].Packages)
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		set   string
		check func(m *sim.Model) bool
	}{
		{"home.maltreatment_reentry_probability=0.5", func(m *sim.Model) bool { return m.Home.MaltreatmentReentry == 0.5 }},
		{"package.0.post.hr_reentry=0.6", func(m *sim.Model) bool { return m.Packages[0].Post.HR.Reentry == 0.6 }},
		{"package.support.post.hr_reentry=0.5", func(m *sim.Model) bool { return m.Packages[0].Post.HR.Reentry == 0.5 }},
		{"placement.residential.weekly_cost = 5000", func(m *sim.Model) bool { return m.Placements[1].WeeklyCost == 5000 }},
		{"horizon_years=10", func(m *sim.Model) bool { return m.Horizon == 120 }},
		{"care.return_home_per_year.0=1.2", func(m *sim.Model) bool { return math.Abs(m.Care.ReturnHome[3][0]-0.1) < 1e-15 }},
		{"home.reentry.cumulative.1=0.4", func(m *sim.Model) bool { return math.Abs(m.Home.Reentry.Cumulative(60)-0.4) < 1e-12 }},
		{"cohort.placement_shares.foster=1", func(m *sim.Model) bool { return m.Cohort.PlacementShares[0] == 1 }},
		{`factor.substance.hr_reentry="lognormal(mean=2, sd=0.5)"`, func(m *sim.Model) bool { return math.Abs(m.Factors[0].HR.Reentry-2) < 1e-12 }},
		{"arm.support.packages=[]", func(m *sim.Model) bool { return len(m.Arms[1].Packages) == 0 }},
		{"name=other", func(m *sim.Model) bool { return m.Name == "other" }},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			s, err := Load("testdata/minimal.toml", []string{tt.set})
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := s.Build()
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(m) {
				t.Errorf("override not applied")
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct{ set, key, msg string }{
		{"horizon_yeras=3", "horizon_yeras", `no key "horizon_yeras" in the top level; did you mean "horizon_years"?`},
		{"package.suport.post.hr_reentry=1", "package.suport.post.hr_reentry", `package has no element named "suport"; did you mean "support"?`},
		{"package.3.post.hr_reentry=1", "package.3.post.hr_reentry", "package has 1 elements: index 3 is out of range"},
		{"home.maltreatment_reentry_probability.x=1", "home.maltreatment_reentry_probability.x", "is a single value"},
		{"horizon_years", "horizon_years", "want key.path=value"},
		{"name=[1, 2]", "name", "want a string, got an array"},
		// A value of the right type but out of range is found by validation.
		{"home.maltreatment_reentry_probability=1.5", "home.maltreatment_reentry_probability", "must be a proportion in [0, 1] (from --set"},
		{"package.support.post.hr_reentry=0", "package.0.post.hr_reentry", "must be > 0 (from --set"},
		// A table given whole: every key it holds is known, whatever the
		// table decodes into (these were silently dropped).
		{`package.support.eligible={tierss=["red"]}`, "package.support.eligible", `no key "tierss" in package.0.eligible; did you mean "tiers"?`},
		{"package.0.capacity={placs=3}", "package.0.capacity", `no key "placs" in package.0.capacity; did you mean "places"?`},
		{`arm=[{name="baseline", packagez=[]}]`, "arm", `no key "packagez" in arm.0; did you mean "packages"?`},
		{`arm.1={name="b", x={y=1}}`, "arm.1", `no key "x" in arm.1`},
		{"home.reentry={months=[12], cumulative=[0.2], cumulativ=1}", "home.reentry", `no key "cumulativ" in home.reentry; did you mean "cumulative"?`},
		{`home={stable_months=1, reentri={months=[12]}}`, "home", `no key "reentri" in home; did you mean "reentry"?`},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			_, err := Load("testdata/minimal.toml", []string{tt.set})
			ps, ok := AsProblems(err)
			if !ok || len(ps) != 1 {
				t.Fatalf("want one problem, got %v", err)
			}
			p := ps[0]
			if p.File != "--set" || p.Key != tt.key || !strings.Contains(p.Msg, tt.msg) {
				t.Errorf("got %s\nwant --set: %s: ...%s...", p, tt.key, tt.msg)
			}
		})
	}
}

func TestDistributionForms(t *testing.T) {
	pairs := []struct{ str, table string }{
		{`"beta(mean=0.3, sd=0.05)"`, `{dist="beta", mean=0.3, sd=0.05}`},
		{`"beta(alpha=2, beta=5)"`, `{dist="beta", beta=5, alpha=2}`},
		{`"gamma(mean=2, sd=0.5)"`, `{dist="gamma", mean=2, sd=0.5}`},
		{`"gamma(shape=4, rate=2)"`, `{dist="gamma", shape=4, rate=2}`},
		{`"lognormal(mean=1.2, sd=0.3)"`, `{dist="lognormal", mean=1.2, sd=0.3}`},
		{`"lognormal(mu=0.1, sigma=0.2)"`, `{dist="lognormal", mu=0.1, sigma=0.2}`},
		{`"normal(mean=1, sd=0.1)"`, `{dist="normal", mean=1, sd=0.1}`},
		{`"uniform(0.5, 1.5)"`, `{dist="uniform", min=0.5, max=1.5}`},
		{`"triangular(min=0.5, mode=1, max=2)"`, `{dist="triangular", min=0.5, mode=1, max=2}`},
		{`"fixed(value=3)"`, `{dist="fixed", value=3}`},
		{`"lognormal(mean=1.2, sd=0.3, low=0.8, high=1.6)"`, `{dist="lognormal", mean=1.2, sd=0.3, low=0.8, high=1.6}`},
	}
	decode := func(text string) Value {
		t.Helper()
		var s Scenario
		if err := s.Set("horizon_years=" + text); err != nil {
			t.Fatal(err)
		}
		if s.num("horizon_years").err != "" {
			t.Fatalf("%s: %s", text, s.num("horizon_years").err)
		}
		return s.num("horizon_years")
	}
	for _, p := range pairs {
		a, b := decode(p.str), decode(p.table)
		if a.Dist == nil || b.Dist == nil {
			t.Fatalf("%s: not a distribution", p.str)
		}
		if a.Dist.String() != b.Dist.String() {
			t.Errorf("%s and %s differ: %s vs %s", p.str, p.table, a.Dist, b.Dist)
		}
		d := a.Dist
		if med := d.Quantile(0.5); !(d.Quantile(0.025) <= med && med <= d.Quantile(0.975)) {
			t.Errorf("%s: quantiles not increasing", d)
		}
		if !(d.Mean() >= d.Quantile(0) && d.Mean() <= d.Quantile(1)) {
			t.Errorf("%s: mean %v outside support", d, d.Mean())
		}
		for _, q := range []float64{0.01, 0.5, 0.99} {
			if a.Dist.Quantile(q) != b.Dist.Quantile(q) {
				t.Errorf("%s: quantile %v differs between forms", d, q)
			}
		}
		// The string form round-trips.
		again, err := ParseDist(d.String())
		if err != nil || again.String() != d.String() || again.Quantile(0.3) != d.Quantile(0.3) {
			t.Errorf("%s does not round-trip: %v %v", d, again, err)
		}
	}
	// Means are the natural-scale means given.
	for _, c := range []struct {
		text string
		mean float64
	}{
		{`"beta(mean=0.3, sd=0.05)"`, 0.3}, {`"gamma(mean=2, sd=0.5)"`, 2}, {`"lognormal(mean=1.2, sd=0.3)"`, 1.2},
		{`"normal(mean=1, sd=0.1)"`, 1}, {`"uniform(0.5, 1.5)"`, 1}, {`"triangular(0.5, 1, 2)"`, 3.5 / 3}, {`"fixed(3)"`, 3},
	} {
		if got := decode(c.text).Mean(); math.Abs(got-c.mean) > 1e-9 {
			t.Errorf("%s: mean %v, want %v", c.text, got, c.mean)
		}
	}
	// Beta sd: check by quantiles of a normal-ish beta that sd is about right.
	d := decode(`"beta(mean=0.5, sd=0.01)"`).Dist
	if q := d.Quantile(0.8413447460685429) - 0.5; math.Abs(q-0.01) > 2e-4 {
		t.Errorf("beta sd: mean+1sd quantile off by %v", q-0.01)
	}
	// Bad distributions.
	for _, bad := range []string{`"beta(mean=1.2, sd=0.1)"`, `"gama(mean=1, sd=1)"`, `"lognormal(mean=1)"`,
		`"uniform(min=2, max=1)"`, `{dist="beta", mean=0.3}`, `"3"`, `true`, `{mean=1}`} {
		var s Scenario
		if err := s.Set("horizon_years=" + bad); err != nil {
			t.Fatal(err)
		}
		if s.num("horizon_years").err == "" {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestParamSet(t *testing.T) {
	sets := []string{
		`package.support.post.hr_reentry="lognormal(mean=0.7, sd=0.1)"`,
		`placement.residential.moves_per_year={dist="gamma", mean=0.6, sd=0.2}`,
		`home.reentry.cumulative.0="beta(mean=0.2, sd=0.03)"`,
		`home.reentry.cumulative.1="beta(mean=0.3, sd=0.03)"`,
		`care.return_home_per_year.0="uniform(0.4, 0.6)"`,
	}
	s, err := Load("testdata/minimal.toml", sets)
	if err != nil {
		t.Fatal(err)
	}
	m, params, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]sim.Param{}
	for _, p := range params {
		byPath[p.Path] = p
	}
	want := []string{"package.support.post.hr_reentry", "placement.residential.moves_per_year",
		"home.reentry.cumulative.0", "home.reentry.cumulative.1", "care.return_home_per_year.0"}
	if len(params) != len(want) {
		t.Errorf("got %d params, want %d", len(params), len(want))
	}
	for _, w := range want {
		if _, ok := byPath[w]; !ok {
			t.Errorf("no param %s", w)
		}
	}
	// The base model holds the means.
	if math.Abs(m.Packages[0].Post.HR.Reentry-0.7) > 1e-12 || math.Abs(m.Placements[1].MoveRate-0.05) > 1e-12 {
		t.Errorf("base model does not hold the means")
	}
	c := m.Clone()
	byPath["package.support.post.hr_reentry"].Set(c, 0.55)
	byPath["placement.residential.moves_per_year"].Set(c, 1.2)
	byPath["care.return_home_per_year.0"].Set(c, 0.6)
	byPath["home.reentry.cumulative.1"].Set(c, 0.4)
	byPath["home.reentry.cumulative.0"].Set(c, 0.25)
	if c.Packages[0].Post.HR.Reentry != 0.55 {
		t.Errorf("hr_reentry not set")
	}
	if math.Abs(c.Placements[1].MoveRate-0.1) > 1e-12 {
		t.Errorf("moves_per_year: MoveRate %v, want 1.2/12", c.Placements[1].MoveRate)
	}
	for a := range c.Care.ReturnHome {
		if math.Abs(c.Care.ReturnHome[a][0]-0.05) > 1e-12 {
			t.Errorf("return home band %d: %v, want 0.6/12", a, c.Care.ReturnHome[a][0])
		}
	}
	if math.Abs(c.Home.Reentry.Cumulative(12)-0.25) > 1e-12 || math.Abs(c.Home.Reentry.Cumulative(60)-0.4) > 1e-12 {
		t.Errorf("re-entry curve: %v %v, want 0.25 0.4", c.Home.Reentry.Cumulative(12), c.Home.Reentry.Cumulative(60))
	}
	// A draw that crosses the next point gives a flat (zero-hazard) segment.
	byPath["home.reentry.cumulative.0"].Set(c, 0.5)
	if c.Home.Reentry.Rates[1] != 0 || math.Abs(c.Home.Reentry.Cumulative(60)-0.5) > 1e-12 {
		t.Errorf("crossing draw: %+v", c.Home.Reentry)
	}
	if m.Packages[0].Post.HR.Reentry != 0.7 {
		t.Errorf("Set changed the base model")
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestResolvedRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		src  []byte
		sets []string
	}{
		{"minimal", mustRead(t, "testdata/minimal.toml"), []string{"package.support.uptake=\"beta(mean=0.8, sd=0.1)\"", "home.maltreatment_reentry_probability=0.25"}},
		{"starter", Starter(), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := LoadBytes(c.name, c.src, c.sets)
			if err != nil {
				t.Fatal(err)
			}
			m1, p1, err := s.Build()
			if err != nil {
				t.Fatal(err)
			}
			res := s.Resolved()
			s2, err := LoadBytes("resolved.toml", res, nil)
			if err != nil {
				t.Fatalf("%v\n%s", err, res)
			}
			m2, p2, err := s2.Build()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m1, m2) {
				t.Errorf("models differ:\n%+v\n%+v", m1, m2)
			}
			if len(p1) != len(p2) {
				t.Fatalf("params: %d vs %d", len(p1), len(p2))
			}
			for i := range p1 {
				if p1[i].Path != p2[i].Path || p1[i].Dist.(*Dist).String() != p2[i].Dist.(*Dist).String() {
					t.Errorf("param %d: %s %v vs %s %v", i, p1[i].Path, p1[i].Dist, p2[i].Path, p2[i].Dist)
				}
			}
			if !bytes.Equal(res, s2.Resolved()) {
				t.Errorf("Resolved is not a fixed point")
			}
		})
	}
}

func TestStarterLoads(t *testing.T) {
	s, err := LoadBytes("starter.toml", Starter(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, params, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Arms) != 2 || len(params) == 0 {
		t.Errorf("starter: %d arms, %d params", len(m.Arms), len(params))
	}
	// The starter's curve reproduces the national figures.
	if math.Abs(m.Home.Reentry.Cumulative(60)-0.30) > 1e-12 || math.Abs(m.Home.Reentry.Cumulative(72)-0.35) > 1e-12 {
		t.Errorf("starter re-entry curve: %v at 60, %v at 72", m.Home.Reentry.Cumulative(60), m.Home.Reentry.Cumulative(72))
	}
}

func TestExplain(t *testing.T) {
	s, err := LoadBytes("starter.toml", Starter(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.Explain(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"placement.kinship.weekly_cost", "derived hazard months 0-12", "implied cumulative share",
		"12m 0.1800", "lognormal(mean=0.7, sd=0.1)", "(default)", "= 0.0416667 per month",
		"package.post_return_support.post.hr_reentry",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Explain output lacks %q", want)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"horizon_yeras", "horizon_years", 2}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"same", "same", 0}} {
		if got := levenshtein(c.a, c.b); got != c.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	if s := suggest("xyz", []string{"name", "count"}); s != "" {
		t.Errorf("suggest gave %q for a far-off key", s)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSetArrayOfTables: --set can give an array of tables whole, inline
// (correlation=[{params=[...], rho=0.7}]). Its elements replace the
// file's: their numbers as given, the rest their defaults, none of the
// file's old elements' numbers kept. (The numbers were dropped: on a
// scenario with no correlation, rho was "missing"; --set package=[...]
// kept the file's uptake and phases without a word.)
func TestSetArrayOfTables(t *testing.T) {
	pair := `params = ["placement.foster.weekly_cost", "placement.residential.weekly_cost"]`
	tests := []struct {
		name, set string
		want      map[string]float64 // numbers by path, after Load
		wantN     map[string]int     // elements by array
	}{
		{"correlation where there was none", "correlation=[{" + pair + ", rho=0.7}]",
			map[string]float64{"correlation.0.rho": 0.7}, map[string]int{"correlation": 1}},
		{"two correlations", `correlation=[{` + pair + `, rho=0.7}, {params=["placement.foster.weekly_cost", "package.support.post.cost_per_month"], rho=-0.2}]`,
			map[string]float64{"correlation.0.rho": 0.7, "correlation.1.rho": -0.2}, map[string]int{"correlation": 2}},
		{"a package", `package=[{name="support", uptake=0.5, post={months=3, cost_per_month=100}}]`,
			map[string]float64{"package.support.uptake": 0.5, "package.support.post.months": 3, "package.support.post.cost_per_month": 100,
				"package.support.post.hr_reentry": 1, "package.support.fixed_per_year": 0},
			map[string]int{"package": 1}},
		{"placements", `placement=[{name="foster", weekly_cost=600}, {name="residential", weekly_cost="gamma(mean=4100, sd=100)", move_to={foster=1}}]`,
			map[string]float64{"placement.foster.weekly_cost": 600, "placement.residential.weekly_cost": 4100, "placement.residential.moves_per_year": 0},
			map[string]int{"placement": 2}},
		{"no factors", "factor=[]", nil, map[string]int{"factor": 0}},
		// One element given whole is a table: the keys it names are set,
		// the file's others kept.
		{"one element", "package.support={uptake=0.5, post={months=3}}",
			map[string]float64{"package.support.uptake": 0.5, "package.support.post.months": 3, "package.support.post.cost_per_month": 469},
			map[string]int{"package": 1}},
		{"one element by index", "placement.0={weekly_cost=600}",
			map[string]float64{"placement.foster.weekly_cost": 600, "placement.residential.weekly_cost": 4000}, map[string]int{"placement": 2}},
		{"more factors than the file's", `factor=[{name="a", prevalence=0.1}, {name="b", prevalence=[0.1, 0.2, 0.3, 0.4, 0.5], hr_reentry=2}]`,
			map[string]float64{"factor.a.hr_reentry": 1, "factor.b.hr_reentry": 2, "factor.b.prevalence.4": 0.5}, map[string]int{"factor": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("corr.toml", corrScenario(t, ""), []string{tt.set})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Build(); err != nil {
				t.Fatal(err)
			}
			for path, x := range tt.want {
				v, err := s.Lookup(path)
				if err != nil || v.Mean() != x {
					t.Errorf("%s = %v (%v), want %v", path, v, err, x)
				}
			}
			for array, n := range tt.wantN {
				if got := len(s.elements(array)); got != n {
					t.Errorf("%d elements of %s, want %d", got, array, n)
				}
			}
			// The resolved scenario says the same.
			if _, err := LoadBytes("resolved.toml", s.Resolved(), nil); err != nil {
				t.Errorf("the resolved scenario does not load: %v", err)
			}
		})
	}
	problems := []struct{ name, set, key, msg string }{
		{"a misspelt key", `package=[{name="support", uptak=0.5}]`, "package", `no key "uptak" in package.0; did you mean "uptake"?`},
		{"a misspelt key in a phase", `package=[{name="support", post={month=3}}]`, "package", `no key "month" in package.0.post; did you mean "months"?`},
		{"rho out of range", "correlation=[{" + pair + ", rho=2}]", "correlation.0.rho", "must be above -1 and below 1 (from --set"},
		{"rho missing", "correlation=[{" + pair + "}]", "correlation.0.rho", "missing: this key is required (from --set"},
		{"not tables", "correlation=[1, 2]", "correlation", "want a table"},
	}
	for _, tt := range problems {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadBytes("corr.toml", corrScenario(t, ""), []string{tt.set})
			ps, ok := AsProblems(err)
			if !ok || len(ps) != 1 || ps[0].File != "--set" || ps[0].Key != tt.key || !strings.Contains(ps[0].Msg, tt.msg) {
				t.Errorf("got %v\nwant --set: %s: ...%s...", err, tt.key, tt.msg)
			}
		})
	}
}

// TestValueTableMisspelt: a misspelt key of a number or a distribution in
// table form gets a did-you-mean like any other unknown key (a misspelt
// dist said only that a distribution table needs dist).
func TestValueTableMisspelt(t *testing.T) {
	b, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ value, msg string }{
		{`{ dxist = "gamma", mean = 500, sd = 50 }`, `unknown key "dxist"; did you mean "dist"?`},
		{`{ vxalue = 500, source = "x" }`, `unknown key "vxalue"; did you mean "value"?`},
		{`{ value = 500, sourse = "x" }`, `unknown key "sourse"; did you mean "source"?`},
		{`{ dist = "gamma", maen = 500, sd = 50 }`, `unknown key "maen"; did you mean "mean"?`},
		{`{ dist = "gamma", mean = 500, sd = 50, hihg = 600 }`, `unknown key "hihg"; did you mean "high"?`},
		{`{ dist = "gamma", mean = 500, sd = 50, sourse = "x" }`, `unknown key "sourse"; did you mean "source"?`},
		{`{ dist = "gamma", mean = 500, sd = 50, zzz = 1 }`, "gamma needs parameters (mean, sd) or (shape, rate), got (mean, sd, zzz)"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			src := strings.Replace(string(b), "weekly_cost = 500", "weekly_cost = "+tt.value, 1)
			_, err := LoadBytes("v.toml", []byte(src), nil)
			ps, ok := AsProblems(err)
			if !ok || len(ps) != 1 || ps[0].Key != "placement.0.weekly_cost" || ps[0].Line == 0 || !strings.Contains(ps[0].Msg, tt.msg) {
				t.Errorf("got %v, want placement.0.weekly_cost with its line: ...%s...", err, tt.msg)
			}
		})
	}
}
