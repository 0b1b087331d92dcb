package sensitivity

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// InputError is an error in what the user asked for: an unknown metric,
// arm or parameter, a malformed grid, a bracket that does not straddle the
// target. Its message says what to do next.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// BadInput reports that the request, not the program, is at fault.
func (e *InputError) BadInput() bool { return true }

func inputf(format string, a ...any) error { return &InputError{fmt.Sprintf(format, a...)} }

// ComparisonMetrics are the comparison metrics (policy against baseline)
// an analysis can report, besides summary.DiffPrefix+<metric>.
var ComparisonMetrics = []string{
	summary.NetSaving, summary.ReentriesAverted, summary.IncrementalCost,
	summary.ROI, summary.CostPerReentryAverted, summary.ProbCostSaving,
}

// IsComparison reports whether name is a comparison metric (including
// diff_<metric>), as opposed to a per-arm metric.
func IsComparison(name string) bool {
	return slices.Contains(ComparisonMetrics, name) || strings.HasPrefix(name, summary.DiffPrefix)
}

// Metric names what an analysis reports.
type Metric struct {
	// Name is a comparison metric (see ComparisonMetrics) or a per-arm
	// metric (see sim.MetricNames).
	Name string
	// Arm is the policy arm of a comparison metric, or the arm of a
	// per-arm metric. Resolve fills it in when empty.
	Arm string
}

func (m Metric) String() string { return m.Name + " (" + m.Arm + ")" }

// Resolve checks the metric against the model and returns it with its arm
// filled in: by default the first policy arm (Arms[1]), or the baseline
// for a per-arm metric of a scenario without a policy.
func (m Metric) Resolve(model *sim.Model) (Metric, error) {
	if err := CheckMetricName(model, m.Name); err != nil {
		return m, err
	}
	var arms []string
	for _, a := range model.Arms {
		arms = append(arms, a.Name)
	}
	cmp := IsComparison(m.Name)
	if m.Arm == "" {
		switch {
		case len(arms) > 1:
			m.Arm = arms[1]
		case cmp:
			return m, inputf("metric %s compares a policy arm with the baseline, but scenario %q has only the baseline arm %q: add a policy arm, or choose a per-arm metric such as reentries", m.Name, model.Name, arms[0])
		default:
			m.Arm = arms[0]
		}
	}
	i := slices.Index(arms, m.Arm)
	if i < 0 {
		return m, inputf("unknown arm %q%s (arms: %s)", m.Arm, scenario.DidYouMean(m.Arm, arms), strings.Join(arms, ", "))
	}
	if cmp && i == 0 {
		return m, inputf("arm %q is the baseline: a comparison metric such as %s needs a policy arm (%s)", m.Arm, m.Name, strings.Join(arms[1:], ", "))
	}
	return m, nil
}

// CheckMetricName reports whether name is a metric the model produces.
func CheckMetricName(model *sim.Model, name string) error {
	per := sim.MetricNames(model)
	if IsComparison(name) {
		if d, ok := strings.CutPrefix(name, summary.DiffPrefix); ok && !slices.Contains(per, d) {
			return inputf("unknown metric %q: %q is not a per-arm metric%s", name, d, scenario.DidYouMean(d, per))
		}
		return nil
	}
	if slices.Contains(per, name) {
		return nil
	}
	all := append(append([]string(nil), ComparisonMetrics...), per...)
	return inputf("unknown metric %q%s; comparison metrics: %s, or diff_<metric>; per-arm metrics: %s",
		name, scenario.DidYouMean(name, all), strings.Join(ComparisonMetrics, ", "), strings.Join(per, ", "))
}

// Summary is a metric summarised across iterations, as in comparison.csv
// (for a comparison metric) or summary.csv (for a per-arm metric).
type Summary struct {
	Mean, SD, MCSE, P2_5, P50, P97_5 float64
	// ProbPositive is the share of iterations in which the value is above
	// zero; NaN for a per-arm metric.
	ProbPositive float64
}

// Evaluate summarises metric m (resolved) in res.
func Evaluate(res *sim.Results, m Metric) (Summary, error) {
	cmp, err := compare(res)
	if err != nil {
		return Summary{}, err
	}
	return evaluate(res, cmp, m)
}

func compare(res *sim.Results) ([]summary.Comparison, error) {
	if len(res.Arms) < 2 {
		return nil, nil
	}
	return summary.Compare(res)
}

// evaluate is Evaluate with the comparison rows already computed.
func evaluate(res *sim.Results, cmp []summary.Comparison, m Metric) (Summary, error) {
	nan := math.NaN()
	if IsComparison(m.Name) {
		for _, c := range cmp {
			if c.Arm == m.Arm && c.Metric == m.Name {
				mcse := c.SD / math.Sqrt(float64(len(res.Iterations)))
				return Summary{Mean: c.Mean, SD: c.SD, MCSE: mcse, P2_5: c.P2_5, P50: c.P50, P97_5: c.P97_5, ProbPositive: c.ProbPositive}, nil
			}
		}
		return Summary{}, fmt.Errorf("sensitivity: results lack comparison %s", m)
	}
	a := slices.Index(res.Arms, m.Arm)
	xs := []float64(nil)
	if a >= 0 {
		xs = res.Column(a, m.Name)
	}
	if xs == nil {
		return Summary{}, fmt.Errorf("sensitivity: results lack metric %s", m)
	}
	s := summary.Summarize(xs)
	return Summary{Mean: s.Mean, SD: s.SD, MCSE: s.MCSE, P2_5: s.P2_5, P50: s.P50, P97_5: s.P97_5, ProbPositive: nan}, nil
}

// run simulates m with the settings every run of an analysis shares:
// opt's Iterations (per run), Seed (the same for every run: common random
// numbers), Workers and Progress (incremented once per simulated
// iteration, over all runs). Each run draws params; it is never a shard
// and writes no event log, whatever opt says.
func run(ctx context.Context, m *sim.Model, params []sim.Param, opt sim.Options) (*sim.Results, error) {
	opt.Params, opt.Shard, opt.Shards, opt.Events = params, 0, 0, nil
	return sim.Run(ctx, m, opt)
}

// BuildFunc builds the model with the overrides sets ("key.path=value",
// as --set takes them) applied on top of the user's own, and returns the
// parameters still given as distributions. FromBytes makes one.
type BuildFunc func(sets []string) (*sim.Model, []sim.Param, error)

// keepArms returns a copy of m (sharing everything but Arms) with only the
// arms named, in the model's order. A model with fewer arms simulates the
// same children with the same random numbers in each remaining arm.
func keepArms(m *sim.Model, names ...string) *sim.Model {
	c := *m
	c.Arms = nil
	for _, a := range m.Arms {
		if slices.Contains(names, a.Name) {
			c.Arms = append(c.Arms, a)
		}
	}
	return &c
}

// needArms lists the arms a metric needs: the baseline and the policy for
// a comparison, the arm itself otherwise.
func needArms(m *sim.Model, metric Metric) []string {
	if IsComparison(metric.Name) {
		return []string{m.Arms[0].Name, metric.Arm}
	}
	return []string{metric.Arm}
}

// num formats a number exactly as every CSV file of a result folder does.
var num = resultdir.FormatNumber

// short formats a number for a terminal table: six significant digits,
// in plain decimal notation (1165810, never 1.16581e+06: tables show
// money).
func short(v float64) string { return resultdir.FormatSignificant(v, 6) }
