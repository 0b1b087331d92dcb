package resultdir

import (
	"fmt"
	"io"
	"math"

	"github.com/reunify/reunify/psa"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// dampackFiles are the files of psa.Tables' tables, by kind.
var dampackFiles = map[psa.Kind]string{psa.Cost: DampackCostFile, psa.Effect: DampackEffectFile, psa.Parameters: DampackParamsFile}

// decisionFiles are the files of a result folder for the decision: the
// dampack tables always, voi.csv when summary.HasVOI, and frontier.csv
// and expected_loss.csv with three or more arms (with two, the frontier
// is acceptability.csv's curve and the arm chosen by the mean). Each
// is computed from res alone, so a merged run writes the same bytes as
// a single one.
func decisionFiles(res *sim.Results) ([]folderFile, error) {
	tables, err := psa.Tables(res)
	if err != nil {
		return nil, err
	}
	var files []folderFile
	for _, t := range tables {
		files = append(files, folderFile{dampackFiles[t.Kind], func(w io.Writer) error { return writeDampack(w, t) }})
	}
	values := summary.DefaultAcceptabilityValues()
	if summary.HasVOI(res) {
		voi, err := summary.ResultsVOI(res, values)
		if err != nil {
			return nil, fmt.Errorf("value of information: %w", err)
		}
		files = append(files, folderFile{VOIFile, func(w io.Writer) error { return writeVOI(w, voi) }})
	}
	if len(res.Arms) < 3 {
		return files, nil
	}
	re, costs, err := summary.DecisionInputs(res)
	if err != nil {
		return nil, err
	}
	frontier, err := summary.Frontier(values, re, costs)
	if err != nil {
		return nil, fmt.Errorf("acceptability frontier: %w", err)
	}
	loss, err := summary.ExpectedLoss(values, re, costs)
	if err != nil {
		return nil, fmt.Errorf("expected loss: %w", err)
	}
	return append(files,
		folderFile{FrontierFile, func(w io.Writer) error {
			return writeByArm(w, frontierHeader, res.Arms, len(frontier), func(k int) (float64, []float64, int) {
				return frontier[k].Value, frontier[k].ProbBest, frontier[k].Best
			})
		}},
		folderFile{ExpectedLossFile, func(w io.Writer) error {
			return writeByArm(w, expectedLossHeader, res.Arms, len(loss), func(k int) (float64, []float64, int) {
				return loss[k].Value, loss[k].Loss, loss[k].Best
			})
		}},
	), nil
}

// writeDampack writes one of psa's wide tables: its header, then one row
// per iteration, every number to psa.Digits significant digits.
func writeDampack(w io.Writer, t psa.Table) error {
	return writeCSV(w, t.Header, func(emit func([]string) error) error {
		row := make([]string, len(t.Header))
		for _, r := range t.Rows {
			for j, v := range r {
				row[j] = FormatSignificant(v, psa.Digits)
			}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeVOI(w io.Writer, pts []summary.VOIPoint) error {
	return writeCSV(w, voiHeader, func(emit func([]string) error) error {
		for _, p := range pts {
			name := p.Parameter
			if name != summary.AllParameters {
				name = ParamPrefix + name
			}
			// To the penny: the regressions leave noise of 1e-10 where
			// a parameter is worth nothing.
			if err := emit([]string{num(p.Value), name, num(math.Round(p.EVPI*100) / 100)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeByArm writes frontier.csv or expected_loss.csv: for each of
// points values on the grid, one row per arm with its number and
// on_frontier, 1 for the arm chosen at that value (the highest expected
// net benefit), else 0.
func writeByArm(w io.Writer, header, arms []string, points int, point func(k int) (value float64, byArm []float64, best int)) error {
	return writeCSV(w, header, func(emit func([]string) error) error {
		for k := range points {
			v, xs, best := point(k)
			for a, arm := range arms {
				on := "0"
				if a == best {
					on = "1"
				}
				if err := emit([]string{num(v), arm, num(xs[a]), on}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
