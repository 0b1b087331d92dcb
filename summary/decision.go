package summary

import (
	"fmt"

	"github.com/reunify/reunify/sim"
)

// Uncertain reports whether res drew any parameter per iteration. Only
// then do the iterations of a run differ by more than the children's
// luck: without an uncertain parameter every interval and probability
// across iterations is chance alone (which children are simulated and
// what happens to them), not a probabilistic sensitivity analysis, and
// there is no value of information to estimate.
func Uncertain(res *sim.Results) bool { return len(res.ParamNames) > 0 }

// DecisionInputs returns what VOI, Frontier and ExpectedLoss take from
// res: the re-entries and the discounted total cost of every arm in
// every iteration (reentries[a][i], costs[a][i]; arm 0 the baseline).
func DecisionInputs(res *sim.Results) (reentries, costs [][]float64, err error) {
	if err := Check(res); err != nil {
		return nil, nil, err
	}
	for _, name := range []string{sim.MReentries, sim.MCostTotalDiscounted} {
		if res.Metric(name) < 0 {
			return nil, nil, fmt.Errorf("summary: the results lack metric %q", name)
		}
	}
	for a := range res.Arms {
		reentries = append(reentries, res.Column(a, sim.MReentries))
		costs = append(costs, res.Column(a, sim.MCostTotalDiscounted))
	}
	return reentries, costs, nil
}

// HasVOI reports whether VOI can be estimated from res, so that a
// result folder holds voi.csv: at least one uncertain parameter, two
// arms and MinIterations iterations.
func HasVOI(res *sim.Results) bool {
	return NoVOIReason(len(res.ParamNames), len(res.Arms), len(res.Iterations)) == ""
}

// ResultsVOI is VOI for the results of a run, at the values given.
func ResultsVOI(res *sim.Results, values []float64) ([]VOIPoint, error) {
	re, costs, err := DecisionInputs(res)
	if err != nil {
		return nil, err
	}
	return VOI(values, re, costs, res.Params, res.ParamNames)
}
