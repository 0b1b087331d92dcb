package validation

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/reunify/reunify/resultdir"
)

// File is the name of the file validate-model writes, and Header its
// header row.
const File = "validation.csv"

// Header is the header row of validation.csv (File).
var Header = []string{"figure", "role", "source", "population", "scenario", "metric", "published",
	"pass_low", "pass_high", "tolerance", "simulated_mean", "simulated_p2_5", "simulated_p97_5", "mcse", "pass"}

// WriteCSV writes the rows as validation.csv.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write(Header)
	for _, r := range rows {
		cw.Write([]string{r.Figure, string(r.Role), r.Source, r.Population, r.Scenario, r.Metric, r.Published,
			resultdir.FormatNumber(r.Lo), resultdir.FormatNumber(r.Hi), r.Tolerance,
			resultdir.FormatNumber(r.Mean), resultdir.FormatNumber(r.P2_5), resultdir.FormatNumber(r.P97_5),
			resultdir.FormatNumber(r.MCSE), strconv.FormatBool(r.Pass)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable prints the rows for a person: figure, published value, the
// simulated mean with its 95% interval across iterations, and the verdict.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\trole\tpublished\tsimulated (95% interval)\tpass band\tresult")
	for _, r := range rows {
		verdict := "pass"
		if !r.Pass {
			verdict = "FAIL"
		}
		band := r.show(r.Lo) + " to " + r.show(r.Hi)
		if r.Direction {
			band = "below 0"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s (%s to %s)\t%s\t%s\n", r.Figure, r.Role, r.Published,
			r.show(r.Mean), r.show(r.P2_5), r.show(r.P97_5), band, verdict)
	}
	return tw.Flush()
}

func (r Row) show(x float64) string {
	switch r.Unit {
	case Pounds:
		return "£" + strconv.FormatFloat(x/1e6, 'f', 1, 64) + "m"
	case Difference:
		return strconv.FormatFloat(100*x, 'f', 1, 64) + " pts"
	}
	return pct(x)
}

// Failed counts the rows of a role that did not pass ("" counts every
// role).
func Failed(rows []Row, role Role) int {
	n := 0
	for _, r := range rows {
		if !r.Pass && (role == "" || r.Role == role) {
			n++
		}
	}
	return n
}

// Count counts the rows of a role.
func Count(rows []Row, role Role) int {
	n := 0
	for _, r := range rows {
		if r.Role == role {
			n++
		}
	}
	return n
}

// WriteSummary says how many calibrated and predicted rows pass, of runs
// of iterations with seed, written to path, and what a failed predicted
// row means.
func WriteSummary(w io.Writer, rows []Row, iterations int, seed uint64, path string) error {
	nc, np := Count(rows, Calibrated), Count(rows, Predicted)
	fc, fp := Failed(rows, Calibrated), Failed(rows, Predicted)
	_, err := fmt.Fprintf(w, "\ncalibrated: %d of %d rows pass; predicted: %d of %d pass (%d iterations each, seed %d); written to %s\n",
		nc-fc, nc, np-fp, np, iterations, seed, path)
	if err == nil && fp > 0 {
		_, err = fmt.Fprintf(w, "a predicted row that fails is a finding about the model, not a figure to tune a scenario to: see docs/validation.md\n")
	}
	return err
}

// Verdict is a validation's outcome: an error if a calibrated row fails
// (the calibration no longer holds), or, with strict, a predicted one;
// path is where the rows were written.
func Verdict(rows []Row, strict bool, path string) error {
	nc, np := Count(rows, Calibrated), Count(rows, Predicted)
	fc, fp := Failed(rows, Calibrated), Failed(rows, Predicted)
	if fc > 0 {
		return fmt.Errorf("%d of %d calibrated figures are no longer reproduced: see %s", fc, nc, path)
	}
	if strict && fp > 0 {
		return fmt.Errorf("--strict: %d of %d predicted figures are not reproduced: see %s", fp, np, path)
	}
	return nil
}
