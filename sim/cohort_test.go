package sim

import (
	"math/rand/v2"
	"testing"
)

// randomCohortModel returns a random model of the cohort kernel's shape
// (cohort.go): a returning cohort whose re-entry is absorbing, with
// random ages (some turning 18 within the horizon), factors, history
// ratios, costs, discounting, re-entry hazards and placements, and arms
// of up to four post-return packages that every family takes up or none
// does. With mixed set, the model also has a stock and entries, which the
// general path simulates beside the kernel's cohort.
func randomCohortModel(r *rand.Rand, mixed bool) *Model {
	m := cohortModel(1+r.IntN(300), float64(6+r.IntN(150)))
	if r.IntN(3) == 0 {
		m.Horizon += r.Float64() // a horizon between whole months
	}
	pick := func(xs ...float64) float64 { return xs[r.IntN(len(xs))] }
	nb := 1 + r.IntN(4)
	m.AgeBands = []float64{0}
	for len(m.AgeBands) < nb {
		m.AgeBands = append(m.AgeBands, m.AgeBands[len(m.AgeBands)-1]+float64(1+r.IntN(60)))
	}
	shares := func(n int) []float64 {
		s := make([]float64, n)
		sum := 0.0
		for i := range s {
			if r.IntN(4) > 0 {
				s[i] = r.Float64()
			}
			sum += s[i]
		}
		if sum == 0 {
			s[r.IntN(n)], sum = 1, 1
		}
		for i := range s {
			s[i] /= sum
		}
		return s
	}
	np := 1 + r.IntN(3)
	m.Placements = nil
	for p := range np {
		m.Placements = append(m.Placements, Placement{Name: string(rune('a' + p)), WeeklyCost: pick(0, 300, 1180.8337), MoveTo: make([]float64, np)})
	}
	m.Cohort = Population{
		Count: m.Cohort.Count, AgeShares: shares(nb), PlacementShares: shares(np),
		MeanMonthsInCare: pick(0, 12, 24), PriorFailedReturns: pick(0, 0, 0.3),
	}
	m.Care = Care{DurationBreaks: []float64{0}, ReturnHome: make([][]float64, nb), Permanence: make([]float64, nb)}
	m.Home.ReentryPlacement = nil
	for b := range nb {
		m.Care.ReturnHome[b] = []float64{0}
		if r.IntN(2) == 0 || b == 0 {
			m.Home.ReentryPlacement = append(m.Home.ReentryPlacement, shares(np))
		} else {
			m.Home.ReentryPlacement = append(m.Home.ReentryPlacement, m.Home.ReentryPlacement[0])
		}
	}
	pieces := 1 + r.IntN(6)
	m.Home.Reentry = Piecewise{}
	for k := range pieces {
		start := 0.0
		if k > 0 {
			start = m.Home.Reentry.Starts[k-1] + float64(1+r.IntN(12))
		}
		m.Home.Reentry.Starts = append(m.Home.Reentry.Starts, start)
		m.Home.Reentry.Rates = append(m.Home.Reentry.Rates, pick(0, 0.003, 0.01, 0.04, 0.2))
	}
	m.Home.StableMonths = pick(6, 24, 200)
	m.Home.CaseCloseMonths = pick(0, 6, 12, 500)
	m.Factors = nil
	for f := range r.IntN(5) {
		prev := []float64{r.Float64()}
		if r.IntN(3) == 0 {
			prev = shares(nb) // by band (shares are proportions)
		}
		m.Factors = append(m.Factors, Factor{Name: string(rune('p' + f)), Prevalence: prev, HR: Ratios{1, pick(0.7, 1.3, 2), pick(1, 1.5)}})
	}
	m.History = History{
		Older:          Ratios{1, pick(1, 1.4), 1},
		ManyPlacements: Ratios{1, pick(1, 1.2), 1},
		ShortCare:      Ratios{1, pick(1, 1.3), 1},
		PriorFailure:   Ratios{1, pick(1, 1.6), 1},
	}
	m.Costs = Costs{
		SocialWorkMonthly: pick(0, 0, 500), Entry: pick(0, 2000), Reentry: pick(0, 61614), Return: pick(0, 1000),
		DiscountRate: pick(0, 0.035, 0.06),
	}
	m.Tiers = Tiers{Amber: pick(0, 1.5), Red: pick(0, 2.5)}
	m.Packages = nil
	for k := range 1 + r.IntN(5) {
		m.Packages = append(m.Packages, Package{
			Name: string(rune('s' + k)), Uptake: pick(0, 1, 1, 1),
			Post: Phase{
				Months: pick(1, 6, 12, 36), MonthlyCost: pick(0, 469), StartCost: pick(0, 5627),
				HR: Ratios{1, pick(1, 0.6, 0.8), pick(1, 0.7)}, PersistMonths: pick(0, 0, 6),
			},
			FixedYearly: pick(0, 0, 100000),
		})
	}
	m.Arms = []Arm{{Name: "baseline"}}
	for a := range 1 + r.IntN(3) {
		arm := Arm{Name: string(rune('A' + a))}
		for k := range m.Packages {
			if len(arm.Packages) < maxWindows && r.IntN(2) == 0 {
				arm.Packages = append(arm.Packages, k)
			}
		}
		m.Arms = append(m.Arms, arm)
	}
	if mixed {
		m.Stock = Population{Count: 1 + r.IntN(50), AgeShares: shares(nb), PlacementShares: shares(np), MeanMonthsInCare: 10}
		m.Entries = Entries{PerMonth: pick(0, 2), AgeShares: shares(nb), PlacementShares: shares(np)}
	}
	return m
}

// TestCohortKernelEqualsGeneralPath runs random models of the cohort
// kernel's shape, and models with a stock and entries beside such a
// cohort, through the kernel and through the general path: every output
// (every metric, yearly figure, re-entry curve and the count of events)
// must be the same bit for bit, for every arm together and each arm
// alone.
func TestCohortKernelEqualsGeneralPath(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 2))
	models := 300
	if testing.Short() {
		models = 60
	}
	for i := range models {
		m := randomCohortModel(r, i%3 == 2)
		if err := m.Validate(); err != nil {
			t.Fatalf("model %d: %v", i, err)
		}
		c := compile(m)
		if c.kern == nil {
			t.Fatalf("model %d: the kernel does not take a model of its shape", i)
		}
		opt := Options{Iterations: 3, Seed: uint64(i), Workers: 1 + i%2}
		fast := run(t, m, opt)
		opt.general = true
		slow := run(t, m, opt)
		if !sameBits(fast, slow) || fast.Events != slow.Events {
			t.Fatalf("model %d (%+v): the kernel's results differ from the general path's", i, m)
		}
		a := r.IntN(len(m.Arms))
		alone := *m
		alone.Arms = []Arm{m.Arms[a]}
		opt.general = false
		one := run(t, &alone, opt)
		if !sameBits(&Results{Outcomes: [][]Outcome{slow.Outcomes[a]}}, one) {
			t.Fatalf("model %d arm %d: alone in the kernel, results differ from the general path's", i, a)
		}
	}
}

// TestCohortKernelShape checks which models the kernel takes: BM1's
// shape does; anything that gives a child another event (a way home from
// care, a move, permanence, maltreatment), support before a return,
// limited places or an uptake that differs between families does not,
// for the arms concerned.
func TestCohortKernelShape(t *testing.T) {
	base := func() *Model {
		m := cohortModel(10, 60)
		m.Home.Reentry = Piecewise{Starts: []float64{0, 3, 12}, Rates: []float64{0.043, 0.011, 0.0035}}
		m.Packages = []Package{{Name: "s", Uptake: 1, Post: Phase{Months: 12, MonthlyCost: 469, HR: Ratios{1, 0.6, 1}}}}
		m.Arms = []Arm{{Name: "baseline"}, {Name: "s", Packages: []int{0}}}
		return m
	}
	if k := compile(base()).kern; k == nil || !k.arms[0].ok || !k.arms[1].ok {
		t.Fatal("BM1's shape: no kernel")
	}
	for name, mod := range map[string]func(m *Model){
		"return home": func(m *Model) { m.Care.ReturnHome[0][0] = 0.01 },
		"permanence":  func(m *Model) { m.Care.Permanence[1] = 0.01 },
		"moves": func(m *Model) {
			m.Placements = append(m.Placements, Placement{Name: "b", MoveRate: 0.1, MoveTo: []float64{1, 0}})
			m.Placements[0].MoveTo = []float64{0, 0}
			m.Cohort.PlacementShares = []float64{1, 0}
			m.Home.ReentryPlacement = [][]float64{{1, 0}, {1, 0}}
		},
		"maltreatment": func(m *Model) { m.Home.Maltreatment.Rates[0] = 0.01 },
		"no cohort":    func(m *Model) { m.Cohort.Count = 0 },
	} {
		m := base()
		mod(m)
		if err := m.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if compile(m).kern != nil {
			t.Errorf("%s: the kernel took the model", name)
		}
	}
	for name, mod := range map[string]func(p *Package){
		"pre-return support": func(p *Package) { p.Pre = Phase{Months: 3, HR: Ratios{1.2, 1, 1}} },
		"limited places":     func(p *Package) { p.Capacity = Capacity{Limited: true, Places: 3} },
		"uptake":             func(p *Package) { p.Uptake = 0.5 },
		"eligibility":        func(p *Package) { p.Eligible.Tiers = []bool{true, false, true} },
	} {
		m := base()
		mod(&m.Packages[0])
		k := compile(m).kern
		if k == nil || !k.arms[0].ok || k.arms[1].ok {
			t.Errorf("%s: the kernel should take the baseline only", name)
		}
	}
}

// TestCohortKernelAllocatesNothing runs whole iterations of a model of
// the kernel's shape (two arms, a support window, factors, ages that
// turn 18 within the horizon for some, so that the general path takes
// those) and checks that the kernel allocates nothing once its scratch
// has grown.
func TestCohortKernelAllocatesNothing(t *testing.T) {
	m := cohortModel(3000, 60)
	m.AgeBands = []float64{0, 120}
	m.Cohort.AgeShares = []float64{0.5, 0.5}
	m.Care.ReturnHome = [][]float64{{0}, {0}}
	m.Care.Permanence = []float64{0, 0}
	m.Home.ReentryPlacement = [][]float64{{1}, {1}}
	m.Home.Reentry = Piecewise{Starts: []float64{0, 3, 12}, Rates: []float64{0.043, 0.011, 0.0035}}
	m.Factors = []Factor{{Name: "f", Prevalence: []float64{0.4}, HR: Ratios{1, 2, 1}}}
	m.Costs.DiscountRate = 0.035
	m.Packages = []Package{{Name: "s", Uptake: 1, Post: Phase{Months: 12, MonthlyCost: 469, HR: Ratios{1, 0.6, 1}}}}
	m.Arms = []Arm{{Name: "baseline"}, {Name: "s", Packages: []int{0}}}
	w := newWorker()
	w.use(compile(m))
	if w.c.kern == nil || !w.c.kern.checkEnd {
		t.Fatal("the model does not test the kernel with children who turn 18")
	}
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
		t.Errorf("an iteration through the kernel allocated %v times; want 0", allocs)
	}
	if tallies[0].children != 3000 {
		t.Errorf("%v children, want 3000", tallies[0].children)
	}
}
