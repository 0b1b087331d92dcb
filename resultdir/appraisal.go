package resultdir

import (
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/reunify/reunify/summary"
)

// BreakevenRow is one row of breakeven.csv (BreakevenFile): where a
// metric's mean, and its 2.5th and 97.5th percentiles across iterations,
// reach a target as one parameter moves (sensitivity.RunBreakeven).
// Current, Prob and ValueProb are optional columns, written when Prob is
// set (reunify appraise) and NaN when absent: the parameter's value in the
// scenario, and where the share of iterations with the metric above zero
// reaches Prob.
type BreakevenRow struct {
	Param, Metric, Arm                           string
	Target, Value, ValueP2_5, ValueP97_5, Lo, Hi float64
	Evaluations                                  int
	MeanAtValue, ReentriesAverted                float64
	DiffReturnsHome                              float64
	Current, Prob, ValueProb                     float64
}

// The columns of breakeven.csv, and the optional ones after them.
var (
	breakevenHeader = []string{"param", "metric", "target", "value", "value_p2_5", "value_p97_5", "evaluations",
		"arm", "lo", "hi", "mean_at_value", "reentries_averted", "diff_returns_home"}
	breakevenProb = []string{"current", "prob", "value_prob"}
)

// WriteBreakeven writes breakeven.csv: one row per search, with the
// optional columns when any row has Prob set.
func WriteBreakeven(w io.Writer, rows []BreakevenRow) error {
	withProb := slices.ContainsFunc(rows, func(r BreakevenRow) bool { return !math.IsNaN(r.Prob) && r.Prob != 0 })
	header := breakevenHeader
	if withProb {
		header = append(slices.Clone(header), breakevenProb...)
	}
	return writeCSV(w, header, func(emit func([]string) error) error {
		for _, b := range rows {
			rec := []string{b.Param, b.Metric, num(b.Target), num(b.Value), num(b.ValueP2_5), num(b.ValueP97_5),
				strconv.Itoa(b.Evaluations), b.Arm, num(b.Lo), num(b.Hi), num(b.MeanAtValue),
				num(b.ReentriesAverted), num(b.DiffReturnsHome)}
			if withProb {
				rec = append(rec, num(b.Current), num(b.Prob), num(b.ValueProb))
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func (f *Folder) breakevenRow(r csvRow) error {
	b := BreakevenRow{Param: r.str("param"), Metric: r.str("metric"), Arm: r.str("arm")}
	var ev float64
	if err := r.nums([]string{"target", "value", "value_p2_5", "value_p97_5", "evaluations", "lo", "hi", "mean_at_value", "reentries_averted", "diff_returns_home"},
		&b.Target, &b.Value, &b.ValueP2_5, &b.ValueP97_5, &ev, &b.Lo, &b.Hi, &b.MeanAtValue, &b.ReentriesAverted, &b.DiffReturnsHome); err != nil {
		return err
	}
	if ev >= 0 && ev < 1e9 {
		b.Evaluations = int(ev)
	}
	b.Current, b.Prob, b.ValueProb = math.NaN(), math.NaN(), math.NaN()
	for i, name := range breakevenProb {
		if r.has(name) {
			v, err := r.num(name)
			if err != nil {
				return err
			}
			*[]*float64{&b.Current, &b.Prob, &b.ValueProb}[i] = v
		}
	}
	f.Breakeven = append(f.Breakeven, b)
	return nil
}

func (f *Folder) baseCaseRow(r csvRow) error {
	c := summary.Comparison{Arm: r.str("arm"), Baseline: r.str("baseline"), Metric: r.str("metric")}
	if err := r.nums(comparisonHeader[3:], &c.Mean, &c.SD, &c.P2_5, &c.P50, &c.P97_5, &c.ProbPositive); err != nil {
		return err
	}
	f.BaseCase = append(f.BaseCase, c)
	return nil
}

// WriteComparison writes rows in comparison.csv's columns: basecase.csv
// (BaseCaseFile) is written by it.
func WriteComparison(w io.Writer, cmp []summary.Comparison) error { return writeComparison(w, cmp) }

// BaseCaseOf returns basecase.csv's row for the policy arm and metric.
func (f *Folder) BaseCaseOf(arm, metric string) (summary.Comparison, bool) {
	for _, c := range f.BaseCase {
		if c.Arm == arm && c.Metric == metric {
			return c, true
		}
	}
	return summary.Comparison{}, false
}
