package sim

import (
	"io"
	"math"
	"sync/atomic"
)

// Metric names reported for each arm and iteration, in the order of
// Results.Metrics. Names that depend on the model (one per placement type,
// one per risk tier) are built by MetricNames.
const (
	MChildren             = "children"
	MEntries              = "entries"
	MReturnsHome          = "returns_home"
	MReentries            = "reentries"
	MReentryRate3         = "reentry_rate_3m"
	MReentryRate12        = "reentry_rate_12m"
	MReentryRate24        = "reentry_rate_24m"
	MReentryRate60        = "reentry_rate_60m"
	MReentryRate72        = "reentry_rate_72m"
	MStableReturns        = "stable_returns"
	MStableRate24         = "stable_rate_24m"
	MMaltreatmentEvents   = "maltreatment_events"
	MChildrenMaltreated   = "children_maltreated"
	MMaltreatmentRate24   = "maltreatment_rate_24m"
	MExitsPermanence      = "exits_permanence"
	MExitsAge18           = "exits_age18"
	MReturnShareOfExits   = "return_share_of_exits"
	MInCareEnd            = "in_care_end"
	MCostTotal            = "cost_total"
	MCostTotalDiscounted  = "cost_total_discounted"
	MCostPlacements       = "cost_placements"
	MCostSocialWork       = "cost_social_work"
	MCostSupport          = "cost_support"
	MCostSupportDisc      = "cost_support_discounted"
	MCostOneOff           = "cost_one_off"
	MSupportFamilies      = "support_families"
	MSupportWaitMonths    = "support_wait_months"
	MSupportTurnedAway    = "support_turned_away"
	MSupportUtilisation   = "support_utilisation"
	childMonthsPrefix     = "child_months_"
	returnsHomeTierPrefix = "returns_home_"
	reentriesTierPrefix   = "reentries_"
)

// Yearly metric names, in the order of Results.Yearly.
var yearlyNames = []string{
	MEntries, MReturnsHome, MReentries, MMaltreatmentEvents, MInCareEnd,
	MCostTotal, MCostTotalDiscounted, MCostPlacements, MCostSupport,
	returnsHomeTierPrefix + TierNames[Green], returnsHomeTierPrefix + TierNames[Amber], returnsHomeTierPrefix + TierNames[Red],
	reentriesTierPrefix + TierNames[Green], reentriesTierPrefix + TierNames[Amber], reentriesTierPrefix + TierNames[Red],
}

// Results holds, for every arm and every simulated iteration, the metric
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

// MetricNames lists the per-iteration metrics for m, in output order.
func MetricNames(m *Model) []string {
	names := []string{
		MChildren, MEntries, MReturnsHome, MReentries,
		MReentryRate3, MReentryRate12, MReentryRate24, MReentryRate60, MReentryRate72,
		MStableReturns, MStableRate24, MMaltreatmentEvents, MChildrenMaltreated, MMaltreatmentRate24,
		MExitsPermanence, MExitsAge18, MReturnShareOfExits, MInCareEnd,
	}
	for _, p := range m.Placements {
		names = append(names, childMonthsPrefix+p.Name)
	}
	names = append(names,
		MCostTotal, MCostTotalDiscounted, MCostPlacements, MCostSocialWork,
		MCostSupport, MCostSupportDisc, MCostOneOff,
		MSupportFamilies, MSupportWaitMonths, MSupportTurnedAway, MSupportUtilisation,
	)
	for _, t := range TierNames {
		names = append(names, returnsHomeTierPrefix+t)
	}
	for _, t := range TierNames {
		names = append(names, reentriesTierPrefix+t)
	}
	return names
}

// YearlyNames lists the per-year metrics, in output order.
func YearlyNames() []string { return append([]string(nil), yearlyNames...) }

// Distribution is a parameter's uncertainty: the engine draws each
// parameter by inverse transform from its own uniform random number, so
// adding a parameter never changes the draws of the others.
type Distribution interface {
	Quantile(p float64) float64
	Mean() float64
}

// Param is a model parameter drawn once per iteration and shared by all
// arms (probabilistic sensitivity analysis).
type Param struct {
	Path string // the scenario key path, reported as param.<Path>
	Dist Distribution
	// Set writes a drawn value into a copy of the model.
	Set func(m *Model, v float64)
	// Mix, if not empty, correlates the parameter's draw with others' (a
	// Gaussian copula): its uniform is Phi(sum of W * Phi^-1(u) over Mix),
	// where u is the independent uniform of parameter Mix[k].Param (an
	// index in Options.Params) and Phi the standard normal distribution
	// function. The weights are the parameter's row of the Cholesky
	// factor of the correlation matrix, its own weight included. Empty: the
	// parameter's own uniform, unchanged.
	Mix []Weight
}

// Weight is one term of a correlated parameter's mix: the weight W of
// the normal score of parameter Param.
type Weight struct {
	Param int
	W     float64
}

// draw returns the uniform of parameter p, given every parameter's
// independent uniform u.
func (prm *Param) draw(p int, u []float64) float64 {
	if len(prm.Mix) == 0 {
		return u[p]
	}
	z := 0.0
	for _, m := range prm.Mix {
		z += m.W * -math.Sqrt2 * math.Erfcinv(2*u[m.Param])
	}
	// Keep it inside (0, 1): Phi rounds to 1 above about 8.3.
	const tiny = 1.0 / (1 << 53)
	return min(max(0.5*math.Erfc(-z/math.Sqrt2), tiny), 1-tiny)
}

// Options controls a run.
type Options struct {
	Iterations int    // iterations in the whole run (all shards)
	Seed       uint64 // the run's seed
	Workers    int    // concurrent workers; < 1 means 1
	// Shard and Shards select iterations i with i%Shards == Shard; Shards
	// < 2 runs them all. A shard draws exactly the random numbers its
	// iterations would have in a single run.
	Shard, Shards int
	// Params are drawn per iteration; nil runs the model as given.
	Params []Param
	// Progress, if set, is incremented once per finished iteration.
	Progress *atomic.Int64
	// Events, if set, receives an event log CSV (one row per event), in
	// iteration, arm and child order whatever the number of workers.
	Events io.Writer
}

// nan is the value of a metric that is undefined in an iteration.
var nan = math.NaN()
