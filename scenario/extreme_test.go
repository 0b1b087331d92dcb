package scenario

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reunify/reunify/sim"
)

// within runs f, failing the test if f panics or has not returned after
// d (a spin), so that a hostile input fails its test instead of hanging
// the test binary.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		f()
	}()
	select {
	case p := <-done:
		if p != nil {
			t.Fatalf("%s: panic: %v", what, p)
		}
	case <-time.After(d):
		t.Fatalf("%s: still running after %v (a spin)", what, d)
	}
}

// TestExtremeNumbersAreRefused: numbers and distributions that once
// validated and then panicked, spun or failed at run time without naming
// the key (or ran to results that were all NA) are refused when the
// scenario is loaded, at the --set that gave them, with a message that
// says why.
func TestExtremeNumbersAreRefused(t *testing.T) {
	tests := []struct{ set, key, msg string }{
		// Found independently: a panic in the gamma quantile, a spin, NaN
		// and -Inf draws, and every cost metric NA.
		{`costs.return="gamma(mean=1, sd=1e200)"`, "costs.return", "shape"},
		{`costs.return="gamma(mean=1e-200, sd=1e-200)"`, "", ""}, // shape 1, rate 1e200: runs
		{`costs.return="beta(alpha=1e300, beta=1e300)"`, "costs.return", "alpha"},
		{`costs.return="triangular(min=0, mode=1e30, max=1e308)"`, "costs.return", "not a finite number"},
		{`costs.return="triangular(min=0, mode=1e30, max=1e31)"`, "costs.return", "at most 1,000,000,000"},
		{`costs.return=1e305`, "costs.return", "at most 1,000,000,000"},
		// The same class on other keys and families.
		{`placement.foster.weekly_cost="lognormal(mu=700, sigma=1)"`, "placement.0.weekly_cost", "at most 1,000,000,000"},
		{`placement.foster.weekly_cost="gamma(shape=1, rate=1e-300)"`, "placement.0.weekly_cost", ""},
		{`placement.foster.weekly_cost="uniform(0, 1e308)"`, "placement.0.weekly_cost", "at most 1,000,000,000"},
		{`factor.substance.hr_reentry="lognormal(mu=0, sigma=100)"`, "factor.0.hr_reentry", "not a finite number"},
		{`factor.substance.hr_reentry="lognormal(mu=0, sigma=2)"`, "factor.0.hr_reentry", "at its 0.999999999999 quantile"},
		{`factor.substance.hr_reentry="gamma(mean=1, sd=30)"`, "factor.0.hr_reentry", "must be > 0"},
		{`factor.substance.hr_reentry=1e300`, "factor.0.hr_reentry", "at most 1000"},
		{`package.support.post.hr_reentry="lognormal(mean=1e-300, sd=1e-300)"`, "", ""}, // tiny, positive: runs
		{`package.support.uptake="beta(alpha=1e-300, beta=1e300)"`, "package.0.uptake", "alpha"},
		{`package.support.uptake="beta(mean=0.5, sd=1e-12)"`, "package.0.uptake", "alpha"},
		{`home.reentry.cumulative.1="beta(alpha=1e-20, beta=1e-20)"`, "home.reentry.cumulative.1", "alpha"},
		{`care.return_home_per_year.0=1e300`, "care.return_home_per_year.0", "at most 10,000,000"},
		{`placement.residential.moves_per_year=1e300`, "placement.1.moves_per_year", "at most 10,000,000"},
		{`placement.residential.moves_per_year="gamma(mean=1, sd=1e6)"`, "placement.1.moves_per_year", ""},
		{`costs.discount_rate="beta(alpha=1e-3, beta=1e-3)"`, "", ""}, // draws are kept below 1
		{`entries.trend=1e300`, "entries.trend", "above the limit of 10,000,000 a year"},
		{`entries.trend=1`, "", ""}, // doubling each year: 320 a year after 5 years
		{`factor.substance.hr_reentry=1000`, "", ""},
		{`factor.substance.hr_return=1000`, "", ""},
		{`care.return_home_per_year.0=1e5`, "", ""},
		{`package.support.post.months=1e308`, "package.0.post.months", "at most 1200"},
		{`home.stable_months=1e308`, "home.stable_months", "at most 1200"},
		{`stock.mean_months_in_care=1e308`, "stock.mean_months_in_care", "at most 1200"},
		{`package.support.fixed_per_year=1e308`, "package.0.fixed_per_year", "at most 1,000,000,000"},
		{`package.support.post.hr_reentry="normal(mean=1e308, sd=1e308)"`, "package.0.post.hr_reentry", ""},
		{`home.reentry.cumulative.0=1e-320`, "", ""}, // a subnormal share is fine
	}
	src := string(mustRead(t, "testdata/minimal.toml")) + "\n[entries]\nper_year = 10\nage_shares = [0.2, 0.2, 0.2, 0.2, 0.2]\nplacement_shares = { foster = 1 }\n"
	// Numbers that pass alone but not together: hazard ratios multiply.
	_, err := LoadBytes("minimal.toml", []byte(src), []string{"factor.substance.hr_return=1000", "care.return_home_per_year.0=1e5"})
	if ps, _ := AsProblems(err); len(ps) != 1 || ps[0].Key != "care.return_home_per_year" || !strings.Contains(ps[0].Msg, "hazard reaches 100,000,000 a year") {
		t.Errorf("hazard ratio 1000 times a rate of 1e5 a year: want a problem at care.return_home_per_year, got %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			var err error
			within(t, 10*time.Second, "load", func() { _, err = LoadBytes("minimal.toml", []byte(src), []string{tt.set}) })
			if tt.key == "" {
				if err != nil {
					t.Errorf("want it accepted, got %v", err)
				}
				return
			}
			ps, _ := AsProblems(err)
			for _, p := range ps {
				if p.Key == tt.key && p.File == "--set" && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("want a problem at --set %s saying %q, got %v", tt.key, tt.msg, err)
		})
	}
}

// extremes are numbers to build distribution parameters from: tiny and
// huge, negative and subnormal.
var extremes = []float64{-1e308, -1, -0.0, 0, 4.9e-324, 1e-320, 1e-200, 1e-20, 1e-6, 0.001, 0.01, 0.1, 0.3, 0.5, 0.9, 0.999, 1, 1.5, 7, 100, 1e4, 1e6, 1e9, 1e12, 1e20, 1e100, 1e200, 1e300, 1e308}

// TestWhatValidatesDraws: for every family, with parameters built from
// extreme numbers, on keys of every domain, whatever validation accepts
// has finite quantiles inside the key's range across every draw the
// engine can make (its uniforms run from 2^-54 to 1), and a model built
// with the extreme draws is valid: so it runs.
func TestWhatValidatesDraws(t *testing.T) {
	keys := []string{"costs.return", "factor.substance.hr_reentry", "package.support.uptake",
		"home.reentry.cumulative.0", "placement.residential.moves_per_year", "costs.discount_rate", "entries.trend"}
	forms := map[string][]string{
		"beta": {"mean=%s, sd=%s", "alpha=%s, beta=%s"}, "gamma": {"mean=%s, sd=%s", "shape=%s, rate=%s"},
		"lognormal": {"mean=%s, sd=%s", "mu=%s, sigma=%s"}, "normal": {"mean=%s, sd=%s"},
		"uniform": {"min=%s, max=%s"}, "triangular": {"min=%s, mode=%[2]s, max=%[2]s", "min=%[1]s, mode=%[1]s, max=%s", "min=0, mode=%s, max=%s"},
		"fixed": {"value=%s"},
	}
	src := string(mustRead(t, "testdata/minimal.toml")) + "\n[entries]\nper_year = 10\nage_shares = [0.2, 0.2, 0.2, 0.2, 0.2]\nplacement_shares = { foster = 1 }\n"
	ps := []float64{0, 1.0 / (1 << 54), 1e-300, 1e-12, 0.025, 0.5, 0.975, 1 - 1e-12, 1 - 1.0/(1<<53), 1}
	// A deterministic eighth of the combinations by default (about 10 s
	// under the race detector); all of them with REUNIFY_FUZZ set (make
	// mutate).
	step := 8
	if os.Getenv("REUNIFY_FUZZ") != "" {
		step = 1
	}
	accepted, tried := 0, 0
	for _, key := range keys {
		r := rowOf(key)
		if r == nil {
			t.Fatalf("no row %s", key)
		}
		for kind, fs := range forms {
			for _, f := range fs {
				for _, a := range extremes {
					for _, b := range extremes {
						if kind == "fixed" && b != 0 {
							continue
						}
						args := fmt.Sprintf(f, formatNum(a), formatNum(b))
						if kind == "fixed" {
							args = fmt.Sprintf(f, formatNum(a))
						}
						set := fmt.Sprintf("%s=\"%s(%s)\"", key, kind, args)
						if tried++; tried%step != 0 {
							continue
						}
						// Most are refused as distributions whatever the
						// key (TestExtremeNumbersAreRefused checks that
						// Load reports these): only the rest are loaded.
						var d *Dist
						var err error
						within(t, 5*time.Second, set, func() { d, err = ParseDist(kind + "(" + args + ")") })
						if err != nil || d == nil {
							continue
						}
						var s *Scenario
						within(t, 5*time.Second, set, func() { s, err = LoadBytes("minimal.toml", []byte(src), []string{set}) })
						if err != nil {
							if _, ok := AsProblems(err); !ok {
								t.Fatalf("%s: not Problems: %v", set, err)
							}
							continue
						}
						accepted++
						m, params, err := s.Build()
						if err != nil || len(params) != 1 {
							t.Fatalf("%s: build: %v (%d params)", set, err, len(params))
						}
						p := params[0]
						for _, u := range ps {
							x := p.Dist.Quantile(u)
							if math.IsNaN(x) || math.IsInf(x, 0) || !drawable(key, r.rule, x) {
								t.Fatalf("%s: quantile(%g) = %v, outside %s", set, u, x, r.rule.what)
							}
							c := m.Clone()
							p.Set(c, x)
							if err := c.Validate(); err != nil {
								t.Fatalf("%s: a draw of %v gives an invalid model: %v", set, x, err)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d of %d distributions accepted", accepted, tried/step)
	if accepted < 200/step {
		t.Errorf("only %d accepted: the test no longer tries ordinary distributions", accepted)
	}
}

// drawable reports whether a drawn x is one the key may take: inside its
// rule, where a cumulative share may reach 1 (the build keeps it below).
func drawable(key string, r rule, x float64) bool {
	if strings.Contains(key, ".cumulative.") {
		r.hiOpen = false
	}
	return r.contains(x)
}

// TestRunsWhatValidates runs, end to end with the engine, scenarios at
// the edges of what validation accepts: the largest costs, rates and
// hazard ratios, and the widest distributions. Each must run, and give
// finite costs.
func TestRunsWhatValidates(t *testing.T) {
	src := string(mustRead(t, "testdata/minimal.toml"))
	for _, sets := range [][]string{
		{"costs.return=1e9", "placement.residential.weekly_cost=1e9", "package.support.post.cost_per_month=1e9", "package.support.fixed_per_year=1e9"},
		{`costs.return="gamma(mean=3e7, sd=3e7)"`, `placement.foster.weekly_cost="lognormal(mean=1e6, sd=1e6)"`},
		{"factor.substance.hr_reentry=1000", "factor.substance.prevalence=1"},
		{"care.return_home_per_year.0=1e6", "home.reentry.cumulative.1=0.999999"},
	} {
		t.Run(strings.Join(sets, " "), func(t *testing.T) {
			s, err := LoadBytes("minimal.toml", []byte(src), sets)
			if err != nil {
				t.Fatal(err)
			}
			m, params, err := s.Build()
			if err != nil {
				t.Fatal(err)
			}
			within(t, 60*time.Second, "run", func() {
				res, err := sim.Run(context.Background(), m, sim.Options{Iterations: 2, Seed: 1, Params: params})
				if err != nil {
					t.Errorf("run: %v", err)
					return
				}
				for a := range res.Arms {
					for _, it := range res.Column(a, sim.MCostTotalDiscounted) {
						if math.IsNaN(it) || math.IsInf(it, 0) {
							t.Errorf("arm %d: total discounted cost %v", a, it)
						}
					}
				}
			})
		})
	}
}

// TestQuantileEnvelope: over the range of shape parameters NewDist allows
// for beta and gamma (minShape to maxShape), on its edges and across it,
// the quantile is a finite number in the distribution's support at every
// probability the engine can draw, and each is computed at once. Outside
// that range the library returns NaN (beta near 10^15), or once panicked
// or never returned (gamma at a shape of 0 or NaN).
func TestQuantileEnvelope(t *testing.T) {
	var shapes []float64
	for e := math.Log10(minShape); e <= math.Log10(maxShape)+1e-9; e++ {
		shapes = append(shapes, math.Pow(10, e))
	}
	shapes = append(shapes, minShape, maxShape)
	var ps []float64
	for e := -16.0; e < -1; e++ {
		ps = append(ps, math.Pow(10, e), 1-math.Pow(10, e))
	}
	for p := 0.1; p < 1; p += 0.1 {
		ps = append(ps, p)
	}
	ps = append(ps, 0, 1, 0x1p-54, 1-0x1p-53)
	check := func(d *Dist, lo, hi float64) {
		within(t, 5*time.Second, d.String(), func() {
			for _, p := range ps {
				if x := d.Quantile(p); math.IsNaN(x) || math.IsInf(x, 0) || x < lo || x > hi {
					t.Errorf("%s: quantile(%g) = %v", d, p, x)
					return
				}
			}
		})
	}
	for _, a := range shapes {
		d, err := NewDist("gamma", []string{"shape", "rate"}, []float64{a, 1})
		if err != nil {
			t.Fatalf("gamma shape %g: %v", a, err)
		}
		check(d, 0, inf)
		for _, b := range shapes {
			d, err := NewDist("beta", []string{"alpha", "beta"}, []float64{a, b})
			if err != nil {
				t.Fatalf("beta(%g, %g): %v", a, b, err)
			}
			check(d, 0, 1)
		}
	}
	for _, bad := range [][2]float64{{minShape / 2, 1}, {1, maxShape * 2}, {1e300, 1e300}} {
		if _, err := NewDist("beta", []string{"alpha", "beta"}, bad[:]); err == nil {
			t.Errorf("beta(%g, %g) accepted", bad[0], bad[1])
		}
	}
}

// TestNamesAreSafe: names become folder, file and column names (a batch's
// scenario folders, chart files by arm, param.<path> columns), so each
// must be a safe name: no path separator, not "." or "..", no leading dot
// or dash, no control character, no device name Windows reserves, and at
// most 64 characters.
func TestNamesAreSafe(t *testing.T) {
	src := string(mustRead(t, "testdata/minimal.toml"))
	long := strings.Repeat("a", 65)
	for _, tt := range []struct{ set, key, msg string }{
		{`name=".."`, "name", "start with a letter or a digit"},
		{`name="."`, "name", "start with a letter or a digit"},
		{`name=".hidden"`, "name", "start with a letter or a digit"},
		{`name="-rf"`, "name", "start with a letter or a digit"},
		{`name="a/b"`, "name", "use only letters"},
		{`name="a\\b"`, "name", "use only letters"},
		{`name="a\u0000b"`, "name", "use only letters"},
		{`name="` + long + `"`, "name", "at most 64"},
		{`name="CON"`, "name", "reserved"},
		{`name="lpt1.x"`, "name", "reserved"},
		{`name="a.b-c_9"`, "", ""},
		{`name="` + long[1:] + `"`, "", ""},
		{`arm.support.name=".."`, "arm.1.name", "use only lower-case"},
		{`arm.support.name="_x"`, "arm.1.name", "start with a letter or a digit"},
		{`arm.support.name="` + long + `"`, "arm.1.name", "at most 64"},
		{`arm.support.name="nul"`, "arm.1.name", "reserved"},
		{`placement.residential.name="-x"`, "placement.1.name", "start with a letter or a digit"},
		{`factor.substance.name="aux"`, "factor.0.name", "reserved"},
		{`package.support.name="a/b"`, "package.0.name", "use only lower-case"},
		{`description="red \u001b[31m text"`, "description", "control character"},
		{`description="two\nlines"`, "description", "control character"},
		{`description="Ünïcode is fine: £5,627"`, "", ""},
	} {
		t.Run(tt.set, func(t *testing.T) {
			_, err := LoadBytes("minimal.toml", []byte(src), []string{tt.set})
			if tt.key == "" {
				if err != nil {
					t.Errorf("want it accepted, got %v", err)
				}
				return
			}
			ps, _ := AsProblems(err)
			for _, p := range ps {
				if p.Key == tt.key && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("want a problem at %s saying %q, got %v", tt.key, tt.msg, err)
		})
	}
}
