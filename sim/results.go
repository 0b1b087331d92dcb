package sim

import "math"

// vectors that the output package summarises. Nothing per child is kept.
type Results struct {
	Arms    []string // Arms[0] is the baseline
	Metrics []string // per-iteration metric names
	Yearly  []string // per-year metric names
	Years   int      // number of (possibly partial) years in the horizon
	// SurvivalMonths is the last month since return in the re-entry
	// curves (the horizon, in whole months).
	SurvivalMonths int
	// ParamNames are the paths of the parameters drawn per iteration.
	ParamNames []string
	// Iterations are the global iteration indices this run simulated, in
	// increasing order (all of 0..N-1, or one shard's share of them).
	Iterations []int
	// TotalIterations is the iteration count of the whole run (all shards).
	TotalIterations int
	// Params[i][p] is the value of parameter p in Iterations[i].
	Params [][]float64
	// Outcomes[a][i] is arm a in Iterations[i].
	Outcomes [][]Outcome
	// Events counts the events simulated over all arms and iterations
	// (the rows an event log would have: starts, entries, moves, returns,
	// re-entries, maltreatment, exits), for measuring the engine's speed.
	Events int64
}

// Outcome is what one arm produced in one iteration.
type Outcome struct {
	Metrics []float64 // by Results.Metrics; NaN where undefined (no returns)
	// Yearly[y*len(Results.Yearly)+k] is yearly metric k in year y.
	Yearly []float64
	// AtRisk[m] is the number of returns still at home and observed at
	// m months since return, for m = 0..SurvivalMonths.
	AtRisk []float64
	// CumReentry[m] is the Kaplan-Meier estimate of the share of returns
	// that re-entered care by m months since return (censored at the
	// horizon and at 18); NaN where nobody was at risk.
	CumReentry []float64
}

// Metric returns the index of a metric name in r.Metrics, or -1.
func (r *Results) Metric(name string) int {
	for i, n := range r.Metrics {
		if n == name {
			return i
		}
	}
	return -1
}

// Column returns metric name of arm a across iterations; nil if unknown.
func (r *Results) Column(a int, name string) []float64 {
	k := r.Metric(name)
	if k < 0 {
		return nil
	}
	out := make([]float64, len(r.Outcomes[a]))
	for i, o := range r.Outcomes[a] {
		out[i] = o.Metrics[k]
	}
	return out
}

// nan is the value of a metric that is undefined in an iteration.
var nan = math.NaN()
