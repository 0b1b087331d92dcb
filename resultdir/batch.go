package resultdir

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// BatchRow is one scenario of a batch run: its name (the scenario
// column of the batch summary) and its results.
type BatchRow struct {
	Scenario string
	Results  *sim.Results
}

// writeBatchSummary writes the summary.csv of a batch of scenarios: the
// columns of a result folder's summary.csv with a scenario column in
// front (scenario, arm, metric, mean, sd, mcse, p2_5, p5, p25, p50, p75,
// p95, p97_5), scenarios in the order of rows.
func writeBatchSummary(w io.Writer, rows []BatchRow) error {
	header := append([]string{"scenario"}, summaryHeader...)
	return writeCSV(w, header, func(emit func([]string) error) error {
		for _, r := range rows {
			if err := summaryRows(r.Results, []string{r.Scenario}, emit); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteBatch writes the batch's own files into its folder dir, whose
// scenario folders (one per row, named by CheckName-safe scenario names)
// are already written: summary.csv (every scenario's summary.csv, after
// a scenario column) and, last, manifest.json, naming the scenario
// folders in Batch and listing every file under dir in Files. It is not
// atomic by itself: call it on a folder in a safefile.Plan's stage.
func WriteBatch(dir string, rows []BatchRow, man Manifest) error {
	man.Batch = nil
	for _, r := range rows {
		if err := summary.Check(r.Results); err != nil {
			return fmt.Errorf("%w (scenario %q)", err, r.Scenario)
		}
		if err := CheckName(r.Scenario); err != nil {
			return fmt.Errorf("scenario folder: %w", err)
		}
		man.Batch = append(man.Batch, r.Scenario)
	}
	if err := safefile.Create(filepath.Join(dir, SummaryFile), func(w io.Writer) error { return writeBatchSummary(w, rows) }); err != nil {
		return err
	}
	return WriteManifest(dir, man)
}
