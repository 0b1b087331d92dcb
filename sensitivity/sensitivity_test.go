package sensitivity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

const cohortFile = "testdata/cohort.toml"

// The closed forms of testdata/cohort.toml (see its header). A child's
// time at home before the horizon is Y = min(T, H) with T exponential at
// monthly hazard x: E[Y] = (1-exp(-xH))/x, E[Y^2] = 2(1-exp(-xH)(1+xH))/x^2.
const (
	cohortN       = 100
	cohortH       = 60.0
	cohortHazard  = 0.3 / 12 // baseline re-entry hazard per month
	cohortHR      = 0.6      // support's hazard ratio on re-entry
	cohortCost    = 150.0    // support per family-month
	cohortWeekly  = 700.0    // foster care per week
	cohortMonthly = cohortWeekly * sim.WeeksPerMonth
)

func homeMonths(x float64) float64 { return -math.Expm1(-x*cohortH) / x }

func homeMonthsSq(x float64) float64 {
	return 2 * (1 - math.Exp(-x*cohortH)*(1+x*cohortH)) / (x * x)
}

// homeMonthsCross is E[Yb*Yp] when both times come from the same
// exponential draw E (common random numbers): Tb = E/h, Tp = E/(r h).
func homeMonthsCross(h, r float64) float64 {
	a, b := r*h*cohortH, h*cohortH // E at which Yp, then Yb, is censored
	both := (2 - math.Exp(-a)*(a*a+2*a+2)) / (h * r * h)
	onlyB := cohortH / h * (math.Exp(-a)*(a+1) - math.Exp(-b)*(b+1))
	return both + onlyB + cohortH*cohortH*math.Exp(-b)
}

// fromFile is FromBytes on the file at path.
func fromFile(t testing.TB, path string, sets []string) BuildFunc {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return FromBytes(path, raw, sets)
}

func build(t testing.TB, path string, sets ...string) (*sim.Model, []sim.Param) {
	t.Helper()
	m, params, err := fromFile(t, path, sets)(nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, params
}

// same compares values deeply, NaN equal to NaN.
func same(a, b any) bool { return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b) }

func opts(iterations, workers int) sim.Options {
	return sim.Options{Iterations: iterations, Seed: 11, Workers: workers}
}

func TestDegenerateDistributionGivesDeterministicResult(t *testing.T) {
	// The same figures as plain numbers and as fixed distributions: the
	// runs must agree bit for bit, and the drawn value is the number.
	plain, none := build(t, cohortFile)
	if len(none) != 0 {
		t.Fatalf("plain scenario has parameters %v", none)
	}
	fixed, params := build(t, cohortFile,
		`package.support.post.hr_reentry="fixed(0.6)"`,
		`placement.foster.weekly_cost={dist="fixed", value=700}`)
	if len(params) != 2 {
		t.Fatalf("%d parameters, want 2", len(params))
	}
	ctx := context.Background()
	want, err := sim.Run(ctx, plain, sim.Options{Iterations: 6, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	got, err := sim.Run(ctx, fixed, sim.Options{Iterations: 6, Seed: 3, Workers: 2, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if !same(got.Outcomes, want.Outcomes) {
		t.Error("a fixed distribution changes the results")
	}
	for i, vals := range got.Params {
		if !slices.Equal(vals, []float64{700, 0.6}) {
			t.Errorf("iteration %d drew %v, want [700 0.6]", i, vals)
		}
	}
	// In a tornado, a fixed parameter has no swing and costs no run.
	mt, _ := Metric{Name: summary.NetSaving}.Resolve(fixed)
	tor, err := RunTornado(ctx, fixed, params, mt, opts(4, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range tor.Bars {
		if b.Swing != 0 || b.AtLow != tor.Base {
			t.Errorf("fixed %s: %+v, want no swing from base %v", b.Parameter, b, tor.Base)
		}
	}
	if tor.Runs != 1 {
		t.Errorf("%d runs, want 1 (fixed parameters need none)", tor.Runs)
	}
}

func TestTornadoRanksTheOnlyParameterThatMatters(t *testing.T) {
	// Of these, only the support's cost changes net saving: nobody is
	// placed in "unused", nobody has factor "nobody", and there is no
	// stock.
	m, params := build(t, cohortFile,
		`placement.unused.weekly_cost="gamma(mean=5000, sd=500)"`,
		`factor.nobody.hr_reentry="lognormal(mean=1.5, sd=0.3)"`,
		`package.support.post.cost_per_month="gamma(mean=150, sd=30, low=100, high=250)"`,
		`stock.mean_months_in_care="uniform(10, 40)"`,
	)
	mt, err := Metric{Name: summary.NetSaving}.Resolve(m)
	if err != nil {
		t.Fatal(err)
	}
	const iters = 50
	tor, err := RunTornado(context.Background(), m, params, mt, opts(iters, 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(tor.Bars) != 4 || tor.Bars[0].Parameter != "package.support.post.cost_per_month" {
		t.Fatalf("bars %+v: want the support cost first of 4", tor.Bars)
	}
	top := tor.Bars[0]
	if top.Low != 100 || top.High != 250 {
		t.Errorf("explicit bounds not used: %v to %v", top.Low, top.High)
	}
	for _, b := range tor.Bars[1:] {
		if b.Swing != 0 || b.AtLow != tor.Base || b.AtHigh != tor.Base {
			t.Errorf("%s: swing %v (at %v and %v, base %v), want exactly 0", b.Parameter, b.Swing, b.AtLow, b.AtHigh, tor.Base)
		}
	}
	// Net saving falls by (cost change) x (supported months), and the
	// supported months are the time at home under support: in closed
	// form N*E[Yp] per iteration, within 4 Monte Carlo standard errors.
	x := cohortHR * cohortHazard
	perChild := top.Swing / (top.High - top.Low) / cohortN
	se := math.Sqrt((homeMonthsSq(x) - homeMonths(x)*homeMonths(x)) / (cohortN * iters))
	if d := perChild - homeMonths(x); math.Abs(d) > 4*se {
		t.Errorf("swing per child per pound %v, closed form %v (4 SE = %v)", perChild, homeMonths(x), 4*se)
	}
	if top.AtLow <= top.AtHigh {
		t.Errorf("dearer support should save less: %v at low, %v at high", top.AtLow, top.AtHigh)
	}
}

// TestTornadoReuseMatchesFullRuns checks the shortcut of simulating only
// changed arms against full runs of the whole model.
func TestTornadoReuseMatchesFullRuns(t *testing.T) {
	m, params := build(t, "../cmd/reunify/testdata/small.toml",
		`package.support.post.cost_per_month="gamma(mean=469, sd=100)"`,
		`package.support.post.hr_reentry="lognormal(mean=0.7, sd=0.1)"`,
		`placement.residential.weekly_cost="gamma(mean=4500, sd=600)"`,
	)
	ctx := context.Background()
	for _, name := range []string{summary.NetSaving, sim.MReentries} {
		mt, err := Metric{Name: name}.Resolve(m)
		if err != nil {
			t.Fatal(err)
		}
		tor, err := RunTornado(ctx, m, params, mt, opts(3, 2))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range tor.Bars {
			p := params[slices.IndexFunc(params, func(p sim.Param) bool { return p.Path == b.Parameter })]
			for _, c := range []struct{ v, got float64 }{{b.Low, b.AtLow}, {b.High, b.AtHigh}} {
				mm := m.Clone()
				p.Set(mm, c.v)
				res, err := sim.Run(ctx, mm, sim.Options{Iterations: 3, Seed: 11, Workers: 1})
				if err != nil {
					t.Fatal(err)
				}
				want, err := Evaluate(res, mt)
				if err != nil {
					t.Fatal(err)
				}
				if c.got != want.Mean {
					t.Errorf("%s, %s at %v: tornado %v, full run %v", name, b.Parameter, c.v, c.got, want.Mean)
				}
			}
		}
	}
}

func TestBreakevenClosedForm(t *testing.T) {
	// Net saving is linear in the support's cost per month c:
	// N*(w*(E[Yp]-E[Yb]) - c*E[Yp]), zero at c* = w*(1 - E[Yb]/E[Yp]).
	h, r := cohortHazard, cohortHR
	eb, ep := homeMonths(h), homeMonths(r*h)
	want := cohortMonthly * (1 - eb/ep)
	const iters = 100
	n := float64(cohortN * iters)
	// Delta method for the simulated ratio Ybar_b/Ybar_p, whose times
	// share their exponential draws (common random numbers).
	vb, vp := homeMonthsSq(h)-eb*eb, homeMonthsSq(r*h)-ep*ep
	cov := homeMonthsCross(h, r) - eb*ep
	R := eb / ep
	se := cohortMonthly * math.Sqrt((vb-2*R*cov+R*R*vp)/(ep*ep)/n)

	cfg := BreakevenConfig{
		Path: "package.support.post.cost_per_month", Metric: Metric{Name: summary.NetSaving},
		Lo: 0, Hi: 3000,
	}
	b, err := RunBreakeven(context.Background(), fromFile(t, cohortFile, nil), cfg, opts(iters, 2))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cost %v want %v se %v evals %d", b.Value, want, se, b.Evaluations)
	if most := BreakevenRuns(cfg); b.Evaluations > most {
		t.Errorf("%d runs, more than BreakevenRuns' %d", b.Evaluations, most)
	}
	tol := 4*se + DefaultRelTol*3000
	if math.Abs(b.Value-want) > tol {
		t.Errorf("break-even cost %v, closed form %v (tolerance %v)", b.Value, want, tol)
	}
	if !(b.ValueP2_5 < b.Value && b.Value < b.ValueP97_5) {
		t.Errorf("interval %v to %v does not hold %v", b.ValueP2_5, b.ValueP97_5, b.Value)
	}
	// Linear in c with common random numbers: the mean at the
	// interpolated root is zero up to rounding.
	if math.Abs(b.MeanAtValue) > 1e-6*cohortMonthly*cohortN*cohortH {
		t.Errorf("mean net saving at the break-even value %v, want 0", b.MeanAtValue)
	}
	x := r * h
	averted := cohortN * (math.Exp(-x*cohortH) - math.Exp(-h*cohortH)) // P(re-entry) falls
	if se := math.Sqrt(float64(cohortN) / iters); math.Abs(b.ReentriesAverted-averted) > 4*se {
		t.Errorf("re-entries averted %v, closed form %v", b.ReentriesAverted, averted)
	}
	if b.DiffReturnsHome != 0 {
		t.Errorf("extra returns home %v: the cohort has none", b.DiffReturnsHome)
	}
	if b.Evaluations > 3*DefaultMaxSteps+3 || b.Evaluations < 3 {
		t.Errorf("%d evaluations", b.Evaluations)
	}
}

func TestBreakevenHazardRatioClosedForm(t *testing.T) {
	// At c = 150, net saving is zero where w*(E[Yp]-E[Yb]) = c*E[Yp],
	// E[Yp] a function of r; solved here by bisection on the closed form.
	h := cohortHazard
	f := func(r float64) float64 {
		return cohortMonthly*(homeMonths(r*h)-homeMonths(h)) - cohortCost*homeMonths(r*h)
	}
	lo, hi := 0.1, 1.0
	for range 100 {
		if mid := (lo + hi) / 2; f(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	want := lo
	cfg := BreakevenConfig{Path: "package.support.post.hr_reentry", Metric: Metric{Name: summary.NetSaving}, Lo: 0.3, Hi: 1.2}
	const iters = 50
	b, err := RunBreakeven(context.Background(), fromFile(t, cohortFile, nil), cfg, opts(iters, 2))
	if err != nil {
		t.Fatal(err)
	}
	// SE of the root: the SE of mean net saving per child at the root
	// over the slope of its mean in r (both closed form; the variance
	// bounded by treating the two arms' costs as independent).
	x := want * h
	vb := cohortMonthly * cohortMonthly * (homeMonthsSq(h) - homeMonths(h)*homeMonths(h))
	vp := (cohortMonthly - cohortCost) * (cohortMonthly - cohortCost) * (homeMonthsSq(x) - homeMonths(x)*homeMonths(x))
	slope := (f(want+1e-4) - f(want-1e-4)) / 2e-4
	se := math.Sqrt((vb+vp)/(cohortN*iters)) / math.Abs(slope)
	t.Logf("hr %v want %v se %v evals %d", b.Value, want, se, b.Evaluations)
	if d := math.Abs(b.Value - want); d > 4*se+DefaultRelTol*0.9 {
		t.Errorf("break-even hazard ratio %v, closed form %v (4 SE = %v)", b.Value, want, 4*se)
	}
}

func TestBreakevenBracketMustStraddle(t *testing.T) {
	cfg := BreakevenConfig{Path: "package.support.post.cost_per_month", Metric: Metric{Name: summary.NetSaving}, Lo: 0, Hi: 100}
	_, err := RunBreakeven(context.Background(), fromFile(t, cohortFile, nil), cfg, opts(5, 1))
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err %v, want an InputError", err)
	}
}

func TestAnalysesDoNotDependOnWorkers(t *testing.T) {
	ctx := context.Background()
	sets := []string{`package.support.post.hr_reentry="lognormal(mean=0.6, sd=0.1)"`, `placement.foster.weekly_cost="gamma(mean=700, sd=70)"`}
	m, params := build(t, cohortFile, sets...)
	mt, _ := Metric{Name: summary.NetSaving}.Resolve(m)
	bf := fromFile(t, cohortFile, sets)
	var ref []any
	for _, w := range []int{1, 2, 3} {
		tor, err := RunTornado(ctx, m, params, mt, opts(6, w))
		if err != nil {
			t.Fatal(err)
		}
		sw, err := RunSweep(ctx, bf, []Axis{{"package.support.post.cost_per_month", []float64{100, 400}}}, nil, "", opts(6, w))
		if err != nil {
			t.Fatal(err)
		}
		be, err := RunBreakeven(ctx, bf, BreakevenConfig{Path: "package.support.post.cost_per_month", Metric: mt, Lo: 0, Hi: 3000, RelTol: 0.01}, opts(6, w))
		if err != nil {
			t.Fatal(err)
		}
		got := []any{*tor, *sw, *be}
		if ref == nil {
			ref = got
		} else if !same(got, ref) {
			t.Errorf("workers %d: results differ from workers 1", w)
		}
	}
}

func TestSweepPointIsARunWithSet(t *testing.T) {
	ctx := context.Background()
	sets := []string{`placement.foster.weekly_cost="gamma(mean=700, sd=70)"`}
	sw, err := RunSweep(ctx, fromFile(t, cohortFile, sets),
		[]Axis{{"package.support.post.hr_reentry", []float64{0.5, 0.8}}, {"package.support.post.cost_per_month", []float64{0, 200}}},
		[]string{summary.NetSaving, sim.MReentries}, "", opts(5, 2))
	if err != nil {
		t.Fatal(err)
	}
	// 4 points x (net_saving of support, reentries of both arms).
	if len(sw.Rows) != 4*3 {
		t.Fatalf("%d rows, want 12", len(sw.Rows))
	}
	m, params := build(t, cohortFile, append(sets, "package.support.post.hr_reentry=0.8", "package.support.post.cost_per_month=0")...)
	res, err := sim.Run(ctx, m, sim.Options{Iterations: 5, Seed: 11, Workers: 1, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sw.Rows[6:9] {
		if !slices.Equal(r.Point, []float64{0.8, 0}) {
			t.Fatalf("row %+v: want point (0.8, 0)", r)
		}
		want, err := Evaluate(res, Metric{Name: r.Metric, Arm: r.Arm})
		if err != nil {
			t.Fatal(err)
		}
		if r.Summary != want && !(math.IsNaN(want.ProbPositive) && r.Mean == want.Mean && r.P97_5 == want.P97_5) {
			t.Errorf("%s %s: sweep %+v, run %+v", r.Arm, r.Metric, r.Summary, want)
		}
	}
	if got := []string{sw.Rows[0].Arm, sw.Rows[1].Arm, sw.Rows[2].Arm}; !slices.Equal(got, []string{"baseline", "support", "support"}) {
		t.Errorf("arms of a point %v", got)
	}
}

func TestParseRangeAndValues(t *testing.T) {
	tests := []struct {
		in      string
		rng     bool
		want    []float64
		wantErr bool
	}{
		{"0.4:1:6", true, []float64{0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}, false},
		{"0:100:1", true, []float64{0, 100}, false},
		{"1:0:2", true, []float64{1, 0.5, 0}, false},
		{"0:1", true, nil, true},
		{"0:1:0", true, nil, true},
		{"0:1:x", true, nil, true},
		{"a:1:2", true, nil, true},
		{"0.5, 0.7,0.9", false, []float64{0.5, 0.7, 0.9}, false},
		{"1e3", false, []float64{1000}, false},
		{"0.5,,0.7", false, nil, true},
		{"NaN", false, nil, true},
	}
	for _, tt := range tests {
		parse := ParseValues
		if tt.rng {
			parse = ParseRange
		}
		got, err := parse(tt.in)
		var ie *InputError
		if tt.wantErr != (err != nil) || (err != nil && !errors.As(err, &ie)) {
			t.Errorf("%q: error %v, want error %v (an InputError)", tt.in, err, tt.wantErr)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMetricResolve(t *testing.T) {
	m, _ := build(t, cohortFile)
	one, _ := build(t, cohortFile, `arm.1.name="other"`)
	one.Arms = one.Arms[:1]
	tests := []struct {
		model   *sim.Model
		in      Metric
		wantArm string
		wantErr bool
	}{
		{m, Metric{Name: "net_saving"}, "support", false},
		{m, Metric{Name: "diff_reentries"}, "support", false},
		{m, Metric{Name: "reentries"}, "support", false},
		{m, Metric{Name: "reentries", Arm: "baseline"}, "baseline", false},
		{m, Metric{Name: "child_months_unused"}, "support", false},
		{m, Metric{Name: "net_saving", Arm: "baseline"}, "", true},
		{m, Metric{Name: "net_savings"}, "", true},
		{m, Metric{Name: "diff_nothing"}, "", true},
		{m, Metric{Name: "net_saving", Arm: "suport"}, "", true},
		{one, Metric{Name: "net_saving"}, "", true},
		{one, Metric{Name: "reentries"}, "baseline", false},
	}
	for _, tt := range tests {
		got, err := tt.in.Resolve(tt.model)
		var ie *InputError
		if tt.wantErr != (err != nil) || (err != nil && !errors.As(err, &ie)) {
			t.Errorf("%+v: error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got.Arm != tt.wantArm {
			t.Errorf("%+v: arm %q, want %q", tt.in, got.Arm, tt.wantArm)
		}
	}
}

func TestBounds(t *testing.T) {
	dist := func(s string) *scenario.Dist {
		d, err := scenario.ParseDist(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	g := dist("gamma(mean=100, sd=20)")
	tests := []struct {
		d      *scenario.Dist
		lo, hi float64
	}{
		{g, g.Quantile(0.025), g.Quantile(0.975)},
		{dist("gamma(mean=100, sd=20, low=50)"), 50, g.Quantile(0.975)},
		{dist("gamma(mean=100, sd=20, low=50, high=180)"), 50, 180},
		{dist("uniform(0, 10)"), 0.25, 9.75},
		{dist("fixed(3)"), 3, 3},
	}
	for _, tt := range tests {
		lo, hi := Bounds(sim.Param{Path: "x", Dist: tt.d})
		if math.Abs(lo-tt.lo) > 1e-12 || math.Abs(hi-tt.hi) > 1e-12 {
			t.Errorf("%v: bounds %v, %v, want %v, %v", tt.d, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestCurrentValueAndDefaultBracket(t *testing.T) {
	sc, err := scenario.Load(cohortFile, []string{`package.support.post.hr_reentry="uniform(0.4, 0.8)"`})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		mean    float64
		lo, hi  float64
		wantErr bool
	}{
		{"package.support.post.cost_per_month", 150, 15, 1500, false},
		{"package.0.post.cost_per_month", 150, 15, 1500, false},
		{"package.support.post.hr_reentry", 0.6, 0.4, 0.8, false},
		{"home.reentry.per_year.0", 0.3, 0.03, 3, false},
		{"costs.discount_rate", 0, 0, 1, false},
		{"package.support.post", 0, 0, 0, true},
		{"package.nope.post.hr_reentry", 0, 0, 0, true},
		{"home.reentry.per_year.7", 0, 0, 0, true},
		{"nope", 0, 0, 0, true},
	}
	for _, tt := range tests {
		v, err := sc.Lookup(tt.path)
		if tt.wantErr != (err != nil) {
			t.Errorf("%s: error %v, want error %v", tt.path, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		lo, hi := DefaultBracket(v)
		if math.Abs(v.Mean()-tt.mean) > 1e-12 || math.Abs(lo-tt.lo) > 1e-12 || math.Abs(hi-tt.hi) > 1e-12 {
			t.Errorf("%s: value %v, bracket %v to %v; want %v, %v to %v", tt.path, v.Mean(), lo, hi, tt.mean, tt.lo, tt.hi)
		}
	}
}

// TestGrid: axes come in the order given, each with its values; values
// before any --param, twice for one --param, or missing are refused.
func TestGrid(t *testing.T) {
	var g Grid
	if err := g.Values("1,2"); err == nil {
		t.Error("values before any --param")
	}
	for _, step := range []func() error{
		func() error { return g.Param("a.b") }, func() error { return g.Values("1,2") },
		func() error { return g.Param("c.d") }, func() error { return g.Range("0:1:2") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Values("3"); err == nil {
		t.Error("a second --values for one --param")
	}
	axes, err := g.Axes()
	if err != nil || len(axes) != 2 || axes[0].Path != "a.b" || len(axes[1].Values) != 3 || axes[1].Values[2] != 1 {
		t.Errorf("axes %+v, %v", axes, err)
	}
	var h Grid
	h.Param("x")
	var ie *InputError
	if _, err := h.Axes(); !errors.As(err, &ie) {
		t.Errorf("an axis without values: %v", err)
	}
	if err := h.Param("x=1"); err == nil {
		t.Error("a --param with a value")
	}
}
