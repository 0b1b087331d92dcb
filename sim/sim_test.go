package sim

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"sync/atomic"
	"testing"
)

// cohortModel is a minimal model: a cohort of n infants returning home at
// month 0, one placement type, nothing else happening unless a test sets
// it. Infants cannot reach 18 within the horizon, so only the horizon
// censors.
func cohortModel(n int, horizon float64) *Model {
	return &Model{
		Name:       "test",
		Horizon:    horizon,
		AgeBands:   []float64{0, 12},
		Placements: []Placement{{Name: "foster", WeeklyCost: 700}},
		Cohort: Population{
			Count: n, AgeShares: []float64{1, 0}, PlacementShares: []float64{1},
		},
		Care: Care{
			DurationBreaks: []float64{0},
			ReturnHome:     [][]float64{{0}, {0}},
			Permanence:     []float64{0, 0},
		},
		Home: Home{
			Reentry:          Piecewise{Starts: []float64{0}, Rates: []float64{0}},
			Maltreatment:     Piecewise{Starts: []float64{0}, Rates: []float64{0}},
			StableMonths:     24,
			CaseCloseMonths:  12,
			ReentryPlacement: [][]float64{{1}, {1}},
		},
		History: History{One, One, One, One},
		Arms:    []Arm{{Name: "baseline"}},
	}
}

func run(t testing.TB, m *Model, opt Options) *Results {
	t.Helper()
	res, err := Run(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// meanMCSE returns the mean across iterations of a metric and its Monte
// Carlo standard error.
func meanMCSE(t *testing.T, res *Results, arm int, metric string) (mean, mcse float64) {
	t.Helper()
	xs := res.Column(arm, metric)
	if xs == nil {
		t.Fatalf("no metric %q", metric)
	}
	n := float64(len(xs))
	for _, x := range xs {
		mean += x
	}
	mean /= n
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss/(n-1)) / math.Sqrt(n)
}

// within4SE checks that the simulated mean matches the closed form within
// four Monte Carlo standard errors (and that the error is not degenerate).
func within4SE(t *testing.T, name string, got, se, want float64) {
	t.Helper()
	if se <= 0 || math.IsNaN(se) {
		t.Errorf("%s: degenerate standard error %v", name, se)
		return
	}
	if math.Abs(got-want) > 4*se {
		t.Errorf("%s = %.5f, want %.5f (closed form) within 4 x %.5f", name, got, want, se)
	}
}

func TestConstantHazardMatchesExponential(t *testing.T) {
	const h = 0.02 // per month
	m := cohortModel(2000, 72)
	m.Home.Reentry.Rates[0] = h
	res := run(t, m, Options{Iterations: 40, Seed: 1, Workers: 2})
	for _, tc := range []struct {
		metric string
		month  float64
	}{{MReentryRate3, 3}, {MReentryRate12, 12}, {MReentryRate24, 24}, {MReentryRate60, 60}, {MReentryRate72, 72}} {
		got, se := meanMCSE(t, res, 0, tc.metric)
		within4SE(t, tc.metric, got, se, 1-math.Exp(-h*tc.month))
	}
}

func TestPiecewiseHazard(t *testing.T) {
	m := cohortModel(2000, 72)
	m.Home.Reentry = Piecewise{Starts: []float64{0, 6, 24}, Rates: []float64{0.04, 0.01, 0.002}}
	res := run(t, m, Options{Iterations: 40, Seed: 2, Workers: 2})
	for _, tc := range []struct {
		metric string
		month  float64
	}{{MReentryRate3, 3}, {MReentryRate12, 12}, {MReentryRate24, 24}, {MReentryRate60, 60}} {
		got, se := meanMCSE(t, res, 0, tc.metric)
		within4SE(t, tc.metric, got, se, m.Home.Reentry.Cumulative(tc.month))
	}
}

func TestCensoringByLaterReturns(t *testing.T) {
	// Children enter care over the horizon and return home with a
	// constant hazard, so follow-up after a return is censored at
	// different times: the Kaplan-Meier curve must still recover the
	// re-entry hazard.
	const h = 0.03
	m := cohortModel(0, 60)
	m.Entries = Entries{PerMonth: 40, AgeShares: []float64{1, 0}, PlacementShares: []float64{1}}
	m.Care.ReturnHome = [][]float64{{0.1}, {0.1}}
	m.Home.Reentry.Rates[0] = h
	res := run(t, m, Options{Iterations: 40, Seed: 3, Workers: 2})
	for _, tc := range []struct {
		metric string
		month  float64
	}{{MReentryRate12, 12}, {MReentryRate24, 24}} {
		got, se := meanMCSE(t, res, 0, tc.metric)
		within4SE(t, tc.metric, got, se, 1-math.Exp(-h*tc.month))
	}
}

func TestCompetingExitsShareByCause(t *testing.T) {
	// In care, return home (a) competes with permanence (b): the share of
	// exits that are returns is a/(a+b).
	const a, b = 0.03, 0.01
	m := cohortModel(0, 120)
	m.Stock = Population{Count: 1000, AgeShares: []float64{1, 0}, PlacementShares: []float64{1}}
	m.Care.ReturnHome = [][]float64{{a}, {a}}
	m.Care.Permanence = []float64{b, b}
	res := run(t, m, Options{Iterations: 40, Seed: 4, Workers: 2})
	got, se := meanMCSE(t, res, 0, MReturnShareOfExits)
	within4SE(t, "return share of exits", got, se, a/(a+b))
	// And the share still in care at the horizon is exp(-(a+b) H).
	inCare, se := meanMCSE(t, res, 0, MInCareEnd)
	within4SE(t, "in care at the end", inCare/1000, se/1000, math.Exp(-(a+b)*120))
}

func TestHazardRatioScalesHazard(t *testing.T) {
	const h = 0.01
	m := cohortModel(2000, 60)
	m.Home.Reentry.Rates[0] = h
	m.Factors = []Factor{{Name: "risk", Prevalence: []float64{1}, HR: Ratios{1, 2, 1}}}
	res := run(t, m, Options{Iterations: 40, Seed: 5, Workers: 2})
	got, se := meanMCSE(t, res, 0, MReentryRate24)
	within4SE(t, "HR 2", got, se, 1-math.Exp(-2*h*24))
}

func TestPublishedFormRoundTrip(t *testing.T) {
	p, err := CumulativeToPiecewise([]float64{12, 60}, []float64{0.2, 0.3})
	if err != nil {
		t.Fatal(err)
	}
	m := cohortModel(2000, 60)
	m.Home.Reentry = p
	res := run(t, m, Options{Iterations: 40, Seed: 6, Workers: 2})
	got, se := meanMCSE(t, res, 0, MReentryRate60)
	within4SE(t, "30% by month 60", got, se, 0.30)
	got, se = meanMCSE(t, res, 0, MReentryRate12)
	within4SE(t, "20% by month 12", got, se, 0.20)
}

func TestMaltreatmentTriggersReentry(t *testing.T) {
	// Maltreatment at rate g ends the return with probability q; no other
	// re-entry. Re-entry is then exponential with rate g q.
	const g, q = 0.04, 0.25
	m := cohortModel(2000, 60)
	m.Home.Maltreatment.Rates[0] = g
	m.Home.MaltreatmentReentry = q
	res := run(t, m, Options{Iterations: 40, Seed: 7, Workers: 2})
	got, se := meanMCSE(t, res, 0, MReentryRate24)
	within4SE(t, "re-entry through maltreatment", got, se, 1-math.Exp(-g*q*24))
	// The share maltreated within 24 months: first event by 24 months,
	// before any re-entry (which here only maltreatment causes).
	got, se = meanMCSE(t, res, 0, MMaltreatmentRate24)
	within4SE(t, "maltreated by 24 months", got, se, 1-math.Exp(-g*24))
}

func TestPlacementCostExact(t *testing.T) {
	// Children who stay in one placement for the whole horizon cost
	// weekly cost x weeks, and discounting follows the closed form.
	const n, weekly, horizon = 10, 700.0, 60.0
	m := cohortModel(0, horizon)
	m.Stock = Population{Count: n, AgeShares: []float64{1, 0}, PlacementShares: []float64{1}}
	m.Placements[0].WeeklyCost = weekly
	m.Costs.DiscountRate = 0.035
	res := run(t, m, Options{Iterations: 2, Seed: 8})
	weeks := horizon * 12 * 365.25 / 12 / 7 / 12
	got := res.Outcomes[0][0].Metrics[res.Metric(MCostPlacements)]
	if want := n * weekly * weeks; math.Abs(got-want) > 1e-6*want {
		t.Errorf("placement cost %v, want %v", got, want)
	}
	delta := math.Log(1.035) / 12
	wantDisc := n * weekly * WeeksPerMonth * (1 - math.Exp(-delta*horizon)) / delta
	gotDisc := res.Outcomes[0][0].Metrics[res.Metric(MCostTotalDiscounted)]
	if math.Abs(gotDisc-wantDisc) > 1e-6*wantDisc {
		t.Errorf("discounted cost %v, want %v", gotDisc, wantDisc)
	}
	// Yearly costs add up to the total, and each year's discounted cost
	// is the year's share of the closed form.
	yc := res.Outcomes[0][0].Yearly
	sum := 0.0
	for y := range res.Years {
		sum += yc[y*numYearly+yCost]
		wantY := n * weekly * WeeksPerMonth * (math.Exp(-delta*12*float64(y)) - math.Exp(-delta*12*float64(y+1))) / delta
		if gotY := yc[y*numYearly+yCostDisc]; math.Abs(gotY-wantY) > 1e-6*wantY {
			t.Errorf("year %d discounted cost %v, want %v", y+1, gotY, wantY)
		}
	}
	if math.Abs(sum-got) > 1e-6*got {
		t.Errorf("yearly costs sum to %v, total %v", sum, got)
	}
	if ic := res.Outcomes[0][0].Metrics[res.Metric(MInCareEnd)]; ic != n {
		t.Errorf("in care at the end %v, want %d", ic, n)
	}
}

func TestOneOffCostsDiscounted(t *testing.T) {
	// Every cohort child costs the return one-off at month 0 and, under a
	// certain immediate re-entry, nothing else is random.
	m := cohortModel(5, 24)
	m.Costs = Costs{Return: 1000, DiscountRate: 0.035}
	res := run(t, m, Options{Iterations: 1, Seed: 9})
	if got := res.Outcomes[0][0].Metrics[res.Metric(MCostOneOff)]; got != 5000 {
		t.Errorf("one-off costs %v, want 5000", got)
	}
}

// sameBits reports whether two results are identical bit for bit.
func sameBits(a, b *Results) bool {
	if len(a.Outcomes) != len(b.Outcomes) {
		return false
	}
	eq := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	for a2 := range a.Outcomes {
		for i := range a.Outcomes[a2] {
			o, p := a.Outcomes[a2][i], b.Outcomes[a2][i]
			if !eq(o.Metrics, p.Metrics) || !eq(o.Yearly, p.Yearly) || !eq(o.AtRisk, p.AtRisk) || !eq(o.CumReentry, p.CumReentry) {
				return false
			}
		}
	}
	for i := range a.Params {
		if !eq(a.Params[i], b.Params[i]) {
			return false
		}
	}
	return true
}

// richModel switches on most of the engine: stock, entries, moves, ages,
// factors, history, maltreatment and a post-return support policy.
func richModel() *Model {
	m := cohortModel(20, 60)
	m.AgeBands = []float64{0, 60, 144}
	m.Placements = []Placement{
		{Name: "kinship", WeeklyCost: 300, MoveRate: 0.01, MoveTo: []float64{0, 0.7, 0.3}},
		{Name: "foster", WeeklyCost: 700, MoveRate: 0.02, MoveTo: []float64{0.2, 0, 0.8}},
		{Name: "home", WeeklyCost: 4500, MoveRate: 0.03, MoveTo: []float64{0.1, 0.9, 0}},
	}
	m.Stock = Population{Count: 60, AgeShares: []float64{0.3, 0.3, 0.4}, PlacementShares: []float64{0.3, 0.5, 0.2}, MeanMonthsInCare: 20, PriorFailedReturns: 0.1}
	m.Cohort = Population{Count: 20, AgeShares: []float64{0.3, 0.3, 0.4}, PlacementShares: []float64{0.3, 0.5, 0.2}, MeanMonthsInCare: 10}
	m.Entries = Entries{PerMonth: 3, Trend: 0.05, AgeShares: []float64{0.4, 0.3, 0.3}, PlacementShares: []float64{0.2, 0.7, 0.1}}
	m.Care = Care{
		DurationBreaks: []float64{0, 6, 24},
		ReturnHome:     [][]float64{{0.05, 0.03, 0.01}, {0.04, 0.02, 0.01}, {0.03, 0.02, 0.005}},
		Permanence:     []float64{0.02, 0.005, 0.002},
	}
	m.Home.Reentry = Piecewise{Starts: []float64{0, 12}, Rates: []float64{0.02, 0.005}}
	m.Home.Maltreatment = Piecewise{Starts: []float64{0}, Rates: []float64{0.02}}
	m.Home.MaltreatmentReentry = 0.3
	m.Home.ReentryPlacement = [][]float64{{0.3, 0.7, 0}, {0.2, 0.7, 0.1}, {0.1, 0.5, 0.4}}
	m.Factors = []Factor{
		{Name: "substance", Prevalence: []float64{0.3}, HR: Ratios{0.8, 1.6, 2.5}},
		{Name: "deprivation", Prevalence: []float64{0.2, 0.3, 0.4}, HR: Ratios{0.9, 1.3, 1.2}},
	}
	m.History = History{
		Older:          Ratios{1, 1.3, 1},
		ManyPlacements: Ratios{0.9, 1.2, 1},
		ShortCare:      Ratios{1, 1.2, 1},
		PriorFailure:   Ratios{0.9, 1.5, 1},
	}
	m.Costs = Costs{SocialWorkMonthly: 500, Entry: 2000, Reentry: 3000, Return: 1000, DiscountRate: 0.035}
	m.Tiers = Tiers{Amber: 1.5, Red: 2.5}
	m.Packages = []Package{{
		Name: "support", Uptake: 0.8,
		Pre:  Phase{Months: 3, MonthlyCost: 300, HR: Ratios{1.3, 1, 1}},
		Post: Phase{Months: 12, MonthlyCost: 469, HR: Ratios{1, 0.6, 0.7}, PersistMonths: 6},
	}}
	m.Arms = []Arm{{Name: "baseline"}, {Name: "support", Packages: []int{0}}}
	return m
}

func TestSameResultsWhateverWorkers(t *testing.T) {
	m := richModel()
	ref := run(t, m, Options{Iterations: 13, Seed: 42, Workers: 1})
	for _, w := range []int{2, 7} {
		if got := run(t, m, Options{Iterations: 13, Seed: 42, Workers: w}); !sameBits(ref, got) {
			t.Errorf("workers %d: results differ from workers 1", w)
		}
	}
	if got := run(t, m, Options{Iterations: 13, Seed: 42, Workers: 1}); !sameBits(ref, got) {
		t.Error("run to run: results differ")
	}
	if got := run(t, m, Options{Iterations: 13, Seed: 43, Workers: 1}); sameBits(ref, got) {
		t.Error("another seed gave the same results")
	}
}

func TestShardsAreSlicesOfASingleRun(t *testing.T) {
	m := richModel()
	all := run(t, m, Options{Iterations: 10, Seed: 5, Workers: 2})
	for k := range 3 {
		sh := run(t, m, Options{Iterations: 10, Seed: 5, Workers: 2, Shard: k, Shards: 3})
		for i, it := range sh.Iterations {
			for a := range sh.Outcomes {
				one := &Results{Outcomes: [][]Outcome{{sh.Outcomes[a][i]}}}
				ref := &Results{Outcomes: [][]Outcome{{all.Outcomes[a][it]}}}
				if !sameBits(one, ref) {
					t.Fatalf("shard %d/3 iteration %d arm %d differs from the single run", k, it, a)
				}
			}
		}
	}
}

func TestNeutralPolicyEqualsBaseline(t *testing.T) {
	// A policy whose support has ratio 1 and costs nothing must reproduce
	// the baseline exactly, iteration by iteration, apart from the count
	// of supported families.
	m := richModel()
	m.Packages[0].Pre = Phase{Months: 3, HR: One}
	m.Packages[0].Post = Phase{Months: 12, HR: One, PersistMonths: 6}
	res := run(t, m, Options{Iterations: 10, Seed: 11, Workers: 2})
	skip := res.Metric(MSupportFamilies)
	for i := range res.Iterations {
		b, p := res.Outcomes[0][i].Metrics, res.Outcomes[1][i].Metrics
		for k := range b {
			if k != skip && math.Float64bits(b[k]) != math.Float64bits(p[k]) {
				t.Fatalf("iteration %d metric %s: baseline %v, neutral policy %v", i, res.Metrics[k], b[k], p[k])
			}
		}
	}
}

// TestArmsTogetherEqualArmsAlone checks the sharing of runShared: arms
// simulated together give, bit for bit, each arm's results and event rows
// when it is simulated alone. The arms part at different offers: support
// before a return (arm "pre"), after it ("support"), both alike ("twin",
// the same packages as "support") and none ("baseline").
func TestArmsTogetherEqualArmsAlone(t *testing.T) {
	m := richModel()
	m.Packages = append(m.Packages, Package{
		Name: "pre_only", Uptake: 0.6,
		Pre: Phase{Months: 6, MonthlyCost: 250, HR: Ratios{1.5, 1, 1}},
	})
	m.Arms = append(m.Arms, Arm{Name: "pre", Packages: []int{1}}, Arm{Name: "twin", Packages: []int{0}})
	opt := Options{Iterations: 6, Seed: 9, Workers: 2}
	var all bytes.Buffer
	opt.Events = &all
	together := run(t, m, opt)
	for a, arm := range m.Arms {
		alone := *m
		alone.Arms = []Arm{arm}
		var log bytes.Buffer
		opt.Events = &log
		res := run(t, &alone, opt)
		if !sameBits(&Results{Outcomes: [][]Outcome{together.Outcomes[a]}}, res) {
			t.Errorf("arm %s: results differ when simulated with the other arms", arm.Name)
		}
		var rows []string
		for _, l := range strings.Split(all.String(), "\n")[1:] {
			if f := strings.Split(l, ","); len(f) > 1 && f[1] == arm.Name {
				rows = append(rows, l)
			}
		}
		if want := strings.Join(rows, "\n") + "\n"; EventLogHeader+want != log.String() {
			t.Errorf("arm %s: event rows differ when simulated with the other arms", arm.Name)
		}
	}
}

func TestLowerReentryHazardNeverMoreReentries(t *testing.T) {
	// One child per iteration, so each iteration compares the same child
	// with the same luck in both arms. Hazards depend on durations only
	// (one age band), so a later re-entry shifts the rest of the path.
	m := cohortModel(1, 120)
	m.Care.ReturnHome = [][]float64{{0.2}, {0.2}}
	m.Home.Reentry = Piecewise{Starts: []float64{0, 6}, Rates: []float64{0.1, 0.03}}
	m.Packages = []Package{{Name: "support", Uptake: 1, Post: Phase{Months: 12, HR: Ratios{1, 0.5, 1}}}}
	m.Arms = []Arm{{Name: "baseline"}, {Name: "support", Packages: []int{0}}}
	res := run(t, m, Options{Iterations: 2000, Seed: 12, Workers: 2})
	k := res.Metric(MReentries)
	fewer := 0
	for i := range res.Iterations {
		b, p := res.Outcomes[0][i].Metrics[k], res.Outcomes[1][i].Metrics[k]
		if p > b {
			t.Fatalf("iteration %d: policy %v re-entries, baseline %v", i, p, b)
		}
		if p < b {
			fewer++
		}
	}
	if fewer == 0 {
		t.Error("the policy never averted a re-entry: the test cannot tell anything")
	}
}

func TestEventLogIsOrderedAndComplete(t *testing.T) {
	m := richModel()
	var one, two bytes.Buffer
	res := run(t, m, Options{Iterations: 4, Seed: 3, Workers: 1, Events: &one})
	run(t, m, Options{Iterations: 4, Seed: 3, Workers: 2, Events: &two})
	if !bytes.Equal(one.Bytes(), two.Bytes()) {
		t.Fatal("event log depends on the number of workers")
	}
	lines := strings.Split(strings.TrimSpace(one.String()), "\n")
	if lines[0]+"\n" != EventLogHeader {
		t.Fatalf("header %q", lines[0])
	}
	count := map[string]int{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != 8 {
			t.Fatalf("row %q: %d fields", l, len(f))
		}
		count[f[1]+"/"+f[4]]++
	}
	var reentries, returns float64
	for i := range res.Iterations {
		reentries += res.Outcomes[0][i].Metrics[res.Metric(MReentries)]
		returns += res.Outcomes[0][i].Metrics[res.Metric(MReturnsHome)]
	}
	// Cohort returns happen at month 0 without a return event.
	if float64(count["baseline/reentry"]) != reentries || float64(count["baseline/return"])+4*20 != returns {
		t.Errorf("event log counts %v do not match metrics: reentries %v, returns %v", count, reentries, returns)
	}
}

func TestCancelStopsRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, richModel(), Options{Iterations: 100, Workers: 2}); err == nil {
		t.Fatal("a cancelled run returned no error")
	}
}

func TestNoAllocationPerChild(t *testing.T) {
	m := richModel()
	w := newWorker()
	w.use(compile(m))
	w.t = newTally(w.c)
	w.ik = iterKey(1, 0)
	tallies := []*tally{newTally(w.c), newTally(w.c)}
	arms := []int{0, 1}
	allocs := testing.AllocsPerRun(20, func() {
		for _, t := range tallies {
			t.reset()
		}
		w.runShared(arms, tallies, &w.common)
	})
	if allocs != 0 {
		t.Errorf("simulating an arm allocated %v times; want 0", allocs)
	}
}

func TestValidateRejectsBrokenModels(t *testing.T) {
	for name, mod := range map[string]func(m *Model){
		"shares":   func(m *Model) { m.Stock.AgeShares = []float64{0.5, 0.4, 0.4} },
		"hr":       func(m *Model) { m.Factors[0].HR.Reentry = 0 },
		"horizon":  func(m *Model) { m.Horizon = -1 },
		"rate":     func(m *Model) { m.Care.Permanence[0] = -0.1 },
		"arm":      func(m *Model) { m.Arms[1].Packages = []int{3} },
		"uptake":   func(m *Model) { m.Packages[0].Uptake = 1.5 },
		"no arms":  func(m *Model) { m.Arms = nil },
		"discount": func(m *Model) { m.Costs.DiscountRate = 1 },
	} {
		m := richModel()
		mod(m)
		if err := m.Validate(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := richModel().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestCumulativeToPiecewise(t *testing.T) {
	months, shares := []float64{3, 12, 72}, []float64{0.12, 0.20, 0.35}
	p, err := CumulativeToPiecewise(months, shares)
	if err != nil {
		t.Fatal(err)
	}
	for i := range months {
		if got := p.Cumulative(months[i]); math.Abs(got-shares[i]) > 1e-12 {
			t.Errorf("F(%v) = %v, want %v", months[i], got, shares[i])
		}
	}
	for _, bad := range [][2][]float64{
		{{12, 6}, {0.1, 0.2}},
		{{12, 24}, {0.3, 0.2}},
		{{12}, {1}},
		{{}, {}},
	} {
		if _, err := CumulativeToPiecewise(bad[0], bad[1]); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestSupportStartCostBookedOncePerFamily(t *testing.T) {
	m := cohortModel(7, 24)
	m.Costs.DiscountRate = 0.035
	m.Packages = []Package{{Name: "s", Uptake: 1, Post: Phase{Months: 12, StartCost: 5627, HR: One}}}
	m.Arms = []Arm{{Name: "baseline"}, {Name: "s", Packages: []int{0}}}
	res := run(t, m, Options{Iterations: 1, Seed: 1})
	got := res.Outcomes[1][0].Metrics
	if v := got[res.Metric(MCostSupport)]; v != 7*5627 {
		t.Errorf("support cost %v, want %v", v, 7*5627)
	}
	// Paid at month 0, so discounting leaves it whole.
	if v := got[res.Metric(MCostSupportDisc)]; v != 7*5627 {
		t.Errorf("discounted support cost %v, want %v", v, 7*5627)
	}
	if v := res.Outcomes[1][0].Yearly[yCostSupport]; v != 7*5627 {
		t.Errorf("year 1 support cost %v, want %v", v, 7*5627)
	}
}

func TestHugeIterationStopsWithinAFewThousandChildren(t *testing.T) {
	// One iteration of 100,000 children, in both engines: once the run is
	// abandoned, a worker gives up within stopEvery children, so Ctrl-C
	// is prompt even when a single iteration takes many seconds.
	for _, coupled := range []bool{false, true} {
		m := cohortModel(100000, 12)
		if coupled {
			m.Packages = []Package{{Name: "team", Uptake: 1, Post: Phase{Months: 1, HR: One}, Capacity: Capacity{Limited: true, Places: 5, Wait: true}}}
			m.Arms = []Arm{{Name: "team", Packages: []int{0}}}
		}
		w := newWorker()
		w.use(compile(m))
		w.t = newTally(w.c)
		w.ik = iterKey(1, 0)
		w.stop = func() bool { return true }
		w.runArm(0)
		if w.t.children > stopEvery {
			t.Errorf("coupled %v: simulated %v children after the run was abandoned", coupled, w.t.children)
		}
	}
}

// failingWriter fails every write: a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestEventLogFailureStopsTheRun(t *testing.T) {
	var done atomic.Int64
	_, err := Run(context.Background(), richModel(), Options{Iterations: 2000, Seed: 1, Workers: 2, Events: failingWriter{}, Progress: &done})
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("error %v: want the write error", err)
	}
	if n := done.Load(); n > 10 {
		t.Errorf("%d of 2000 iterations simulated after the event log failed", n)
	}
}

// unitDist is the uniform distribution on (0, 1): its quantile is the
// probability itself, so a parameter's draw is its copula uniform.
type unitDist struct{}

func (unitDist) Quantile(p float64) float64 { return p }
func (unitDist) Mean() float64              { return 0.5 }

// TestCorrelatedParamsHaveTheirCorrelation draws two parameters through a
// Gaussian copula with correlation rho: their normal scores must be
// correlated rho, within 4 standard errors ((1-rho^2)/sqrt(n) for the
// Pearson correlation of normal pairs), and a third, uncorrelated,
// parameter must get exactly the draws it gets without any correlation.
func TestCorrelatedParamsHaveTheirCorrelation(t *testing.T) {
	const n, rho = 20000, 0.6
	m := cohortModel(1, 1)
	set := func(*Model, float64) {}
	params := []Param{
		{Path: "a", Dist: unitDist{}, Set: set},
		{Path: "b", Dist: unitDist{}, Set: set, Mix: []Weight{{0, rho}, {1, math.Sqrt(1 - rho*rho)}}},
		{Path: "c", Dist: unitDist{}, Set: set},
	}
	res := run(t, m, Options{Iterations: n, Seed: 21, Workers: 2, Params: params})
	plain := run(t, m, Options{Iterations: n, Seed: 21, Workers: 2, Params: []Param{params[0], {Path: "b", Dist: unitDist{}, Set: set}, params[2]}})
	var sx, sy, sxx, syy, sxy float64
	for i := range n {
		x := -math.Sqrt2 * math.Erfcinv(2*res.Params[i][0])
		y := -math.Sqrt2 * math.Erfcinv(2*res.Params[i][1])
		sx, sy, sxx, syy, sxy = sx+x, sy+y, sxx+x*x, syy+y*y, sxy+x*y
		if res.Params[i][0] != plain.Params[i][0] || res.Params[i][2] != plain.Params[i][2] {
			t.Fatalf("iteration %d: the uncorrelated draws changed", i)
		}
	}
	r := (sxy/n - sx/n*sy/n) / math.Sqrt((sxx/n-sx/n*sx/n)*(syy/n-sy/n*sy/n))
	within4SE(t, "correlation of the normal scores", r, (1-rho*rho)/math.Sqrt(n), rho)
	// Without the mix the same pair is uncorrelated: the test can fail.
	if res.Params[0][1] == plain.Params[0][1] {
		t.Error("the mix did not change the correlated draw")
	}
}

func TestRunRejectsBadCorrelationWeights(t *testing.T) {
	set := func(*Model, float64) {}
	for _, mix := range [][]Weight{{{2, 1}}, {{-1, 1}}, {{0, math.NaN()}}} {
		params := []Param{{Path: "a", Dist: unitDist{}, Set: set, Mix: mix}}
		if _, err := Run(context.Background(), cohortModel(1, 1), Options{Iterations: 1, Params: params}); err == nil {
			t.Errorf("mix %v: no error", mix)
		}
	}
}
