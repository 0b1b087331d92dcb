package resultdir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Hooks for tests to inject failures; the defaults are the real thing.
var (
	// beforeFile is called before each file of a result folder is
	// written, with the file's name; an error aborts the write.
	beforeFile = func(name string) error { return nil }
)

// Write writes the result folder dir for res: summary.csv,
// iterations.csv, yearly.csv, comparison.csv, acceptability.csv (see
// summary.Acceptability; at summary.DefaultAcceptabilityValues), survival.csv,
// scenario.toml (the bytes scenarioTOML), the decision's files
// (dampack_*.csv, voi.csv, frontier.csv, expected_loss.csv: see
// decisionFiles) and, last, manifest.json, listing every other file
// with its size and sha256.
//
// The write is atomic, through a safefile.Plan: the files go to a stage beside
// dir, are synced to disk, and the folder is renamed to dir only when
// complete. If dir exists and is not empty, Write refuses unless force
// is true and dir is a folder reunify wrote (see Owned); with force the
// old folder is moved aside, the new one renamed in, and only then the
// old one removed (if the rename in fails, the old folder is put back).
// On any error the stage is removed and an earlier dir is left as it
// was.
func Write(dir string, res *sim.Results, man Manifest, scenarioTOML []byte, force bool) error {
	return writeAtomicFolder(dir, force, func(staged string) error {
		return WriteFolder(staged, res, man, scenarioTOML, false)
	})
}

// writeAtomicFolder writes the folder dir through a Plan of its own.
func writeAtomicFolder(dir string, force bool, write func(staged string) error) error {
	p, err := safefile.NewPlan(force)
	if err != nil {
		return err
	}
	staged, err := p.Folder(dir, Owned)
	if err != nil {
		return err
	}
	if err := write(staged); err != nil {
		p.Abort()
		return err
	}
	return p.Commit(nil)
}

// folderFile is one file of a result folder and the function writing it.
type folderFile struct {
	name  string
	write func(io.Writer) error
}

// WriteFolder writes the files of a result folder (as Write does) into
// dir, which must be empty or not exist yet (it is made, but not its
// parents). It is not atomic by itself: call it on the path a Plan's
// Folder returned. Files already in dir (an event log written there
// during the run) are listed in the manifest too. With shard it adds
// shard.csv, for Merge; man.Shard must then be "K/N".
func WriteFolder(dir string, res *sim.Results, man Manifest, scenarioTOML []byte, shard bool) error {
	var extra []folderFile
	if shard {
		if _, err := ParseShard(man.Shard); err != nil {
			return err
		}
		extra = []folderFile{{ShardFile, func(w io.Writer) error { return writeShardFile(w, res) }}}
	}
	return writeFolder(dir, res, man, scenarioTOML, extra)
}

// writeFolder is WriteFolder with extra files after the standard ones.
func writeFolder(dir string, res *sim.Results, man Manifest, scenarioTOML []byte, extra []folderFile) error {
	if err := summary.Check(res); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	cmp, err := summary.Compare(res)
	if err != nil {
		return err
	}
	surv, err := summary.Survival(res)
	if err != nil {
		return err
	}
	ceac, err := summary.Acceptability(res, summary.DefaultAcceptabilityValues())
	if err != nil {
		return err
	}
	files := []folderFile{
		{SummaryFile, func(w io.Writer) error { return writeSummary(w, res) }},
		{IterationsFile, func(w io.Writer) error { return writeIterations(w, res) }},
		{YearlyFile, func(w io.Writer) error { return writeYearly(w, res) }},
		{ComparisonFile, func(w io.Writer) error { return writeComparison(w, cmp) }},
		{AcceptabilityFile, func(w io.Writer) error { return writeAcceptability(w, ceac) }},
		{SurvivalFile, func(w io.Writer) error { return writeSurvival(w, surv) }},
		{ScenarioFile, func(w io.Writer) error { _, err := w.Write(scenarioTOML); return err }},
	}
	decision, err := decisionFiles(res)
	if err != nil {
		return err
	}
	files = append(append(files, decision...), extra...)
	for _, f := range files {
		if err := beforeFile(f.name); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
		if err := safefile.Create(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	if err := beforeFile(ManifestFile); err != nil {
		return fmt.Errorf("writing %s: %w", ManifestFile, err)
	}
	return WriteManifest(dir, man)
}

// writeSummary writes summary.csv for res.
func writeSummary(w io.Writer, res *sim.Results) error {
	return writeCSV(w, summaryHeader, func(emit func([]string) error) error {
		return summaryRows(res, nil, emit)
	})
}

// summaryRows emits one summary row per arm and metric, after lead.
func summaryRows(res *sim.Results, lead []string, emit func([]string) error) error {
	rows, err := summary.ByArm(res)
	if err != nil {
		return err
	}
	for _, r := range rows {
		s := r.Stats
		row := append(append([]string(nil), lead...), r.Arm, r.Metric,
			num(s.Mean), num(s.SD), num(s.MCSE), num(s.P2_5), num(s.P5),
			num(s.P25), num(s.P50), num(s.P75), num(s.P95), num(s.P97_5))
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

func writeIterations(w io.Writer, res *sim.Results) error {
	header := append([]string{"iteration", "arm"}, res.Metrics...)
	for _, p := range res.ParamNames {
		header = append(header, ParamPrefix+p)
	}
	return writeIterationRows(w, header, res, num, func(o *sim.Outcome) [][]float64 { return [][]float64{o.Metrics} })
}

// writeIterationRows writes one row per iteration and arm: the iteration,
// the arm, the vectors vectors picks from the outcome, then the drawn
// parameters, every number formatted by format. iterations.csv and a
// shard's shard.csv are both written by it.
func writeIterationRows(w io.Writer, header []string, res *sim.Results, format func(float64) string, vectors func(o *sim.Outcome) [][]float64) error {
	return writeCSV(w, header, func(emit func([]string) error) error {
		row := make([]string, 0, len(header))
		for i, it := range res.Iterations {
			for a, arm := range res.Arms {
				row = append(row[:0], strconv.Itoa(it), arm)
				for _, vs := range vectors(&res.Outcomes[a][i]) {
					for _, v := range vs {
						row = append(row, format(v))
					}
				}
				if len(res.ParamNames) > 0 {
					for _, v := range res.Params[i] {
						row = append(row, format(v))
					}
				}
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func writeYearly(w io.Writer, res *sim.Results) error {
	rows, err := summary.ByYear(res)
	if err != nil {
		return err
	}
	return writeCSV(w, yearlyHeader, func(emit func([]string) error) error {
		for _, r := range rows {
			s := r.Stats
			if err := emit([]string{r.Arm, strconv.Itoa(r.Year), r.Metric,
				num(s.Mean), num(s.P2_5), num(s.P50), num(s.P97_5)}); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeAcceptability(w io.Writer, pts []summary.AcceptabilityPoint) error {
	return writeCSV(w, acceptabilityHeader, func(emit func([]string) error) error {
		for _, p := range pts {
			if err := emit([]string{p.Arm, p.Baseline, num(p.Value), num(p.ProbWorthIt)}); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeComparison(w io.Writer, cmp []summary.Comparison) error {
	return writeCSV(w, comparisonHeader, func(emit func([]string) error) error {
		for _, c := range cmp {
			if err := emit([]string{c.Arm, c.Baseline, c.Metric, num(c.Mean), num(c.SD),
				num(c.P2_5), num(c.P50), num(c.P97_5), num(c.ProbPositive)}); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeSurvival(w io.Writer, surv []summary.SurvivalPoint) error {
	return writeCSV(w, survivalHeader, func(emit func([]string) error) error {
		for _, s := range surv {
			if err := emit([]string{s.Arm, strconv.Itoa(s.Month), num(s.AtRisk),
				num(s.CumReentry), num(s.CumReentryP2_5), num(s.CumReentryP97_5)}); err != nil {
				return err
			}
		}
		return nil
	})
}
