package psa

import (
	"errors"
	"fmt"
	"slices"

	"github.com/reunify/reunify/sim"
)

// Kind names one of the tables of the export.
type Kind int

// The tables of the export, in the order Tables returns them.
const (
	Cost       Kind = iota // each arm's total cost over the horizon, discounted, in pounds
	Effect                 // each arm's re-entries to care averted against the baseline
	Parameters             // each uncertain parameter's sampled value
)

// costMetric is the cost dampack's tables hold.
const costMetric = sim.MCostTotalDiscounted

// Table is one wide table: a header and one row per iteration.
type Table struct {
	Kind Kind
	// What says in words what a cell holds, for documentation and
	// messages.
	What   string
	Header []string
	// Rows[i][j] is column j in the run's i-th iteration; every value is
	// a number (the cost, the re-entries and the parameters are defined
	// in every iteration).
	Rows [][]float64
}

// ErrNoResults is returned for results without arms or iterations.
var ErrNoResults = errors.New("psa: no arms or no iterations to export")

// Tables returns the export of res: the Cost table (each arm's total
// cost over the horizon, discounted), the Effect table (each arm's
// re-entries averted against the baseline) and the Parameters table
// (each sampled parameter, named by its scenario path; left out when no
// parameter is uncertain), in that order. Every other per-arm metric is
// in iterations.csv; none is exported as a table of its own, so no
// table holds a column undefined in every iteration (R would read such
// a column of NA as logical).
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
	perArm := func(f func(a, i int) float64) [][]float64 {
		rows := make([][]float64, n)
		for i := range rows {
			rows[i] = make([]float64, len(res.Arms))
			for a := range res.Arms {
				rows[i][a] = f(a, i)
			}
		}
		return rows
	}
	out := []Table{
		{Kind: Cost, What: "total cost over the horizon, discounted, in pounds", Header: slices.Clone(res.Arms),
			Rows: perArm(func(a, i int) float64 { return res.Outcomes[a][i].Metrics[cost] })},
		{Kind: Effect, What: "re-entries to care averted against " + res.Arms[0], Header: slices.Clone(res.Arms),
			Rows: perArm(func(a, i int) float64 { return res.Outcomes[0][i].Metrics[re] - res.Outcomes[a][i].Metrics[re] })},
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
		out = append(out, Table{Kind: Parameters, What: "the sampled value of each uncertain parameter", Header: slices.Clone(res.ParamNames), Rows: rows})
	}
	return out, nil
}

// Digits is the most significant digits a table's numbers carry when
// written (resultdir writes them with FormatSignificant), so that the
// noise of summing many doubles (25.331999999999972) does not show.
const Digits = 12
