package summary

import (
	"github.com/reunify/reunify/sim"
)

// SurvivalPoint is one row of survival.csv: the Kaplan-Meier re-entry
// curve of an arm at one month since return, aggregated across
// iterations.
type SurvivalPoint struct {
	Arm   string
	Month int // months since return, 0..Results.SurvivalMonths
	// AtRisk is the mean over iterations of the number of returns still
	// at home and observed at Month.
	AtRisk float64
	// CumReentry is the mean over iterations of the Kaplan-Meier share
	// of returns that re-entered care by Month (iterations where it is
	// undefined are skipped; NaN if it is undefined in all of them).
	CumReentry float64
	// CumReentryP2_5 and CumReentryP97_5 are the type-7 2.5th and 97.5th
	// percentiles of that share across iterations.
	CumReentryP2_5, CumReentryP97_5 float64
}

// Survival aggregates the per-iteration re-entry curves of every arm: one
// point per arm (in order) and month 0..Results.SurvivalMonths.
func Survival(res *sim.Results) ([]SurvivalPoint, error) {
	if err := Check(res); err != nil {
		return nil, err
	}
	n := len(res.Iterations)
	risk := make([]float64, n)
	cum := make([]float64, n)
	out := make([]SurvivalPoint, 0, len(res.Arms)*(res.SurvivalMonths+1))
	for a, arm := range res.Arms {
		for m := 0; m <= res.SurvivalMonths; m++ {
			for i, o := range res.Outcomes[a] {
				risk[i] = o.AtRisk[m]
				cum[i] = o.CumReentry[m]
			}
			c := Summarize(cum)
			out = append(out, SurvivalPoint{
				Arm: arm, Month: m,
				AtRisk:         Summarize(risk).Mean,
				CumReentry:     c.Mean,
				CumReentryP2_5: c.P2_5, CumReentryP97_5: c.P97_5,
			})
		}
	}
	return out, nil
}
