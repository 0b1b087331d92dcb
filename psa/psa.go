package psa

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/reunify/reunify/sim"
)

// The file names of the tables, relative to the export's folder.
const (
	CostFile       = "cost.csv"
	EffectFile     = "effectiveness.csv"
	ParametersFile = "parameters.csv"
	OutcomePrefix  = "outcome_" // then the metric's name and ".csv"
	costMetric     = sim.MCostTotalDiscounted
)

// Table is one wide table: a header and one row per iteration.
type Table struct {
	// File is the table's file name (CostFile, EffectFile,
	// ParametersFile or OutcomePrefix + metric + ".csv").
	File string
	// What says in words what a cell holds, for documentation and
	// messages.
	What   string
	Header []string
	// Rows[i][j] is column j in the run's i-th iteration. A value may be
	// NaN (undefined in that iteration, written NA); no column is NaN in
	// every row.
	Rows [][]float64
}

// ErrNoResults is returned for results without arms or iterations.
var ErrNoResults = errors.New("psa: no arms or no iterations to export")

// Tables returns the export of res: CostFile (each arm's total cost over
// the horizon, discounted), EffectFile (each arm's re-entries averted
// against the baseline), ParametersFile (each sampled parameter, named
// by its scenario path; left out when no parameter is uncertain) and one
// table per other per-arm metric observed in at least one iteration, in
// the order of res.Metrics.
func Tables(res *sim.Results) ([]Table, error) {
	if res == nil || len(res.Arms) == 0 || len(res.Outcomes) != len(res.Arms) || len(res.Outcomes[0]) == 0 {
		return nil, ErrNoResults
	}
	n := len(res.Outcomes[0])
	for a := range res.Outcomes {
		if len(res.Outcomes[a]) != n {
			return nil, fmt.Errorf("psa: arm %s has %d iterations, the baseline %d", res.Arms[a], len(res.Outcomes[a]), n)
		}
	}
	cost := res.Metric(costMetric)
	re := res.Metric(sim.MReentries)
	if cost < 0 || re < 0 {
		return nil, fmt.Errorf("psa: the results lack %s or %s", costMetric, sim.MReentries)
	}
	perArm := func(k int, f func(a, i int, x float64) float64) [][]float64 {
		rows := make([][]float64, n)
		for i := range rows {
			rows[i] = make([]float64, len(res.Arms))
			for a := range res.Arms {
				rows[i][a] = f(a, i, res.Outcomes[a][i].Metrics[k])
			}
		}
		return rows
	}
	same := func(_, _ int, x float64) float64 { return x }
	out := []Table{
		{File: CostFile, What: "total cost over the horizon, discounted, in pounds", Header: slices.Clone(res.Arms), Rows: perArm(cost, same)},
		{File: EffectFile, What: "re-entries to care averted against " + res.Arms[0], Header: slices.Clone(res.Arms), Rows: perArm(re, func(_, i int, x float64) float64 {
			return res.Outcomes[0][i].Metrics[re] - x
		})},
	}
	if len(res.ParamNames) > 0 {
		if len(res.Params) != n {
			return nil, fmt.Errorf("psa: %d rows of parameters for %d iterations", len(res.Params), n)
		}
		rows := make([][]float64, n)
		for i := range rows {
			if len(res.Params[i]) != len(res.ParamNames) {
				return nil, fmt.Errorf("psa: iteration %d has %d parameters, want %d", i, len(res.Params[i]), len(res.ParamNames))
			}
			rows[i] = slices.Clone(res.Params[i])
		}
		out = append(out, Table{File: ParametersFile, What: "the sampled value of each uncertain parameter", Header: slices.Clone(res.ParamNames), Rows: rows})
	}
	for k, name := range res.Metrics {
		if k == cost {
			continue
		}
		rows := perArm(k, same)
		if !observed(rows) {
			continue
		}
		out = append(out, Table{File: OutcomePrefix + name + ".csv", What: name + " of each arm", Header: slices.Clone(res.Arms), Rows: rows})
	}
	return out, nil
}

// observed reports whether any cell of rows is a number.
func observed(rows [][]float64) bool {
	for _, r := range rows {
		for _, x := range r {
			if !math.IsNaN(x) {
				return true
			}
		}
	}
	return false
}
