package summary

import (
	"errors"
	"fmt"

	"github.com/reunify/reunify/sim"
)

// Check reports whether res is complete and consistent: one outcome per
// arm and iteration, each with every metric, yearly value and point of
// the re-entry curve the results name, and the sampled parameters of
// every iteration. The statistics here, and the writers of result files,
// check first, so that they never index out of range.
func Check(res *sim.Results) error {
	if res == nil {
		return errors.New("summary: nil results")
	}
	if len(res.Arms) == 0 {
		return errors.New("summary: results have no arms")
	}
	if len(res.Outcomes) != len(res.Arms) {
		return fmt.Errorf("summary: results have %d arms but outcomes for %d", len(res.Arms), len(res.Outcomes))
	}
	if res.Years < 0 || res.SurvivalMonths < 0 {
		return fmt.Errorf("summary: results have %d years and %d survival months", res.Years, res.SurvivalMonths)
	}
	n := len(res.Iterations)
	if len(res.ParamNames) > 0 || len(res.Params) > 0 {
		if len(res.Params) != n {
			return fmt.Errorf("summary: results have %d iterations but parameters for %d", n, len(res.Params))
		}
		for i, p := range res.Params {
			if len(p) != len(res.ParamNames) {
				return fmt.Errorf("summary: iteration %d has %d parameters, want %d", res.Iterations[i], len(p), len(res.ParamNames))
			}
		}
	}
	nm, ny, ns := len(res.Metrics), res.Years*len(res.Yearly), res.SurvivalMonths+1
	for a, arm := range res.Arms {
		if len(res.Outcomes[a]) != n {
			return fmt.Errorf("summary: arm %q has %d outcomes, want one per iteration (%d)", arm, len(res.Outcomes[a]), n)
		}
		for i, o := range res.Outcomes[a] {
			switch {
			case len(o.Metrics) != nm:
				return fmt.Errorf("summary: arm %q iteration %d has %d metrics, want %d", arm, res.Iterations[i], len(o.Metrics), nm)
			case len(o.Yearly) != ny:
				return fmt.Errorf("summary: arm %q iteration %d has %d yearly values, want %d", arm, res.Iterations[i], len(o.Yearly), ny)
			case len(o.AtRisk) != ns || len(o.CumReentry) != ns:
				return fmt.Errorf("summary: arm %q iteration %d has %d at-risk and %d re-entry values, want %d", arm, res.Iterations[i], len(o.AtRisk), len(o.CumReentry), ns)
			}
		}
	}
	return nil
}
