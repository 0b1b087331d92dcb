package summary_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// psa is a small synthetic PSA of a support policy against today's
// practice: the support's hazard ratio on re-entry (lognormal, mean 0.7)
// sets how many re-entries it averts, the children's luck adds noise to
// every iteration, and a second parameter (a unit cost) shifts both arms
// alike, so it does not matter to the decision.
func psa(n int) (reentries, costs, params [][]float64) {
	rng := rand.New(rand.NewPCG(2024, 14))
	reentries = [][]float64{make([]float64, n), make([]float64, n)}
	costs = [][]float64{make([]float64, n), make([]float64, n)}
	params = make([][]float64, n)
	for i := range n {
		hr := 0.7 * math.Exp(0.14*rng.NormFloat64()-0.0098)
		unit := 4500 + 300*rng.NormFloat64()
		params[i] = []float64{hr, unit}
		base := 60 + 8*rng.NormFloat64()                          // the baseline's re-entries
		averted := 60*(1-hr)*0.8 + 4*rng.NormFloat64()            // luck in who re-enters
		care := 1e7 + 1000*unit + 2e5*rng.NormFloat64()           // the baseline's costs
		support := 300000 - 20000*averted + 3e4*rng.NormFloat64() // support less care avoided
		reentries[0][i], reentries[1][i] = base, base-averted
		costs[0][i], costs[1][i] = care, care+support
	}
	return reentries, costs, params
}

// netSaving is the baseline's cost less the policy's in each iteration.
func netSaving(_, costs, _ [][]float64) []float64 {
	saving := make([]float64, len(costs[0]))
	for i := range saving {
		saving[i] = costs[0][i] - costs[1][i]
	}
	return saving
}

// The support's effect is worth researching; the unit cost, which moves
// both arms alike, is not. At £25,000 per re-entry averted the policy is
// almost surely worth it, so information is worth less. The value
// per re-entry averted counts what an averted re-entry is worth beyond
// the costs already in the model.
func ExampleVOI() {
	reentries, costs, params := psa(2000)
	rows, err := summary.VOI([]float64{0, 25000}, reentries, costs, params,
		[]string{"param.package.support.post.hr_reentry", "param.placement.childrens_home.weekly_cost"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("£%-6.0f %-42s £%3.0fk (naive £%3.0fk)\n", r.Value, r.Parameter, r.EVPI/1000, r.Naive/1000)
	}
	// Output:
	// £0      all                                        £ 30k (naive £ 44k)
	// £0      param.package.support.post.hr_reentry      £ 30k (naive £ 44k)
	// £0      param.placement.childrens_home.weekly_cost £  0k (naive £ 44k)
	// £25000  all                                        £  7k (naive £ 15k)
	// £25000  param.package.support.post.hr_reentry      £  7k (naive £ 15k)
	// £25000  param.placement.childrens_home.weekly_cost £  0k (naive £ 15k)
}

func ExampleEVPPI() {
	reentries, costs, params := psa(2000)
	nb, err := summary.NetBenefits(0, reentries, costs) // value 0: the net saving
	if err != nil {
		fmt.Println(err)
		return
	}
	hr := make([]float64, len(params))
	for i, p := range params {
		hr[i] = p[0]
	}
	est, err := summary.EVPPI(nb, hr)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("EVPPI £%.0fk, SE £%.0fk; the naive formula, counting luck, gives £%.0fk\n",
		est.EVPPI/1000, est.SE/1000, est.Naive/1000)
	// Output:
	// EVPPI £30k, SE £2k; the naive formula, counting luck, gives £44k
}

// Three arms: today's practice and two ways of supporting families.
func ExampleFrontier() {
	reentries := [][]float64{{2, 3, 1, 2}, {1, 2, 1, 1}, {0, 3, 0, 1}}
	costs := [][]float64{{1000, 1000, 1000, 1000}, {1500, 1200, 1100, 1400}, {2500, 2000, 900, 1800}}
	pts, err := summary.Frontier([]float64{0, 1000}, reentries, costs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pts {
		fmt.Printf("£%.0f: P(best) %v, choose arm %d (frontier %.2f)\n", p.Value, p.ProbBest, p.Best, p.Frontier)
	}
	// Output:
	// £0: P(best) [0.75 0 0.25], choose arm 0 (frontier 0.75)
	// £1000: P(best) [0 0.75 0.25], choose arm 1 (frontier 0.75)
}

func ExampleExpectedLoss() {
	reentries := [][]float64{{2, 3, 1, 2}, {1, 2, 1, 1}, {0, 3, 0, 1}}
	costs := [][]float64{{1000, 1000, 1000, 1000}, {1500, 1200, 1100, 1400}, {2500, 2000, 900, 1800}}
	pts, err := summary.ExpectedLoss([]float64{0, 1000}, reentries, costs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pts {
		fmt.Printf("£%.0f: expected loss £%v, least for arm %d\n", p.Value, p.Loss, p.Best)
	}
	// Output:
	// £0: expected loss £[25 325 825], least for arm 0
	// £1000: expected loss £[750 300 550], least for arm 1
}

func ExampleProbPrecision() {
	p, err := summary.ProbPrecision(netSaving(psa(500)), 0.01, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("probability of saving money %.1f%% ± %.1f points (MCSE %.1f)\n", 100*p.Estimate, 100*p.HalfWidth, 100*p.SE)
	if !p.Enough {
		fmt.Printf("%d iterations give ±%.0f point only with %d\n", p.Iterations, 100*p.Target, p.Needed)
	}
	// Output:
	// probability of saving money 44.4% ± 4.3 points (MCSE 2.2)
	// 500 iterations give ±1 point only with 9480
}

func ExampleMeanPrecision() {
	p, err := summary.MeanPrecision(netSaving(psa(500)), 5000, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean net saving £%.0fk, MCSE £%.1fk; enough for ±£5k: %v\n", p.Estimate/1000, p.SE/1000, p.Enough)
	// Output:
	// mean net saving £-16k, MCSE £5.6k; enough for ±£5k: false
}

// Compare sets a policy against the baseline iteration by iteration:
// here three iterations of two arms, the policy averting one or two
// re-entries at some extra cost.
func ExampleCompare() {
	outcome := func(reentries, cost, support float64) sim.Outcome {
		return sim.Outcome{Metrics: []float64{reentries, cost, support}, AtRisk: []float64{0}, CumReentry: []float64{math.NaN()}}
	}
	res := &sim.Results{
		Arms:       []string{"baseline", "support"},
		Metrics:    []string{sim.MReentries, sim.MCostTotalDiscounted, sim.MCostSupportDisc},
		Iterations: []int{0, 1, 2}, TotalIterations: 3,
		Outcomes: [][]sim.Outcome{
			{outcome(10, 1000, 0), outcome(12, 1200, 0), outcome(8, 900, 0)},
			{outcome(9, 950, 100), outcome(10, 1250, 150), outcome(7, 950, 100)},
		},
	}
	cmp, err := summary.Compare(res)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cmp[:6] {
		fmt.Printf("%s: mean %.4g\n", c.Metric, c.Mean)
	}
	// Output:
	// reentries_averted: mean 1.333
	// incremental_cost: mean 16.67
	// net_saving: mean -16.67
	// roi: mean -0.1111
	// cost_per_reentry_averted: mean 12.5
	// prob_cost_saving: mean 0.3333
}
