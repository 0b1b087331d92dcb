package summary

import "github.com/reunify/reunify/sim"

// ArmStats is one metric of one arm summarised across iterations: a row
// of summary.csv.
type ArmStats struct {
	Arm, Metric string
	Stats
}

// ByArm summarises every metric of every arm across iterations: for each
// arm in order, each metric of Results.Metrics in order.
func ByArm(res *sim.Results) ([]ArmStats, error) {
	if err := Check(res); err != nil {
		return nil, err
	}
	out := make([]ArmStats, 0, len(res.Arms)*len(res.Metrics))
	xs := make([]float64, len(res.Iterations))
	for a, arm := range res.Arms {
		for k, m := range res.Metrics {
			for i, o := range res.Outcomes[a] {
				xs[i] = o.Metrics[k]
			}
			out = append(out, ArmStats{Arm: arm, Metric: m, Stats: Summarize(xs)})
		}
	}
	return out, nil
}

// YearStats is one yearly metric of one arm in one year (1 is the first
// year of the horizon) summarised across iterations: a row of
// yearly.csv.
type YearStats struct {
	Arm    string
	Year   int
	Metric string
	Stats
}

// ByYear summarises every yearly metric of every arm across iterations:
// for each arm in order, each year, each metric of Results.Yearly in
// order.
func ByYear(res *sim.Results) ([]YearStats, error) {
	if err := Check(res); err != nil {
		return nil, err
	}
	out := make([]YearStats, 0, len(res.Arms)*res.Years*len(res.Yearly))
	xs := make([]float64, len(res.Iterations))
	nk := len(res.Yearly)
	for a, arm := range res.Arms {
		for y := range res.Years {
			for k, m := range res.Yearly {
				for i, o := range res.Outcomes[a] {
					xs[i] = o.Yearly[y*nk+k]
				}
				out = append(out, YearStats{Arm: arm, Year: y + 1, Metric: m, Stats: Summarize(xs)})
			}
		}
	}
	return out, nil
}
