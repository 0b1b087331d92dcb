package output

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Names of the files in a result folder.
const (
	SummaryFile     = "summary.csv"
	IterationsFile  = "iterations.csv"
	YearlyFile      = "yearly.csv"
	ComparisonFile  = "comparison.csv"
	SurvivalFile    = "survival.csv"
	ManifestFile    = "manifest.json"
	ScenarioFile    = "scenario.toml"
	ParamPrefix     = "param." // prefix of parameter columns in iterations.csv
	timestampFormat = "20060102T150405Z"
)

// Manifest records how a result folder was produced. It is written as
// manifest.json with snake_case names; times are RFC 3339 in UTC, to the
// second.
type Manifest struct {
	Program        string    `json:"program"`
	Version        string    `json:"version"`
	Commit         string    `json:"commit"`
	GoVersion      string    `json:"go_version"`
	CommandLine    []string  `json:"command_line"`
	Scenario       string    `json:"scenario"` // path of the scenario file
	ScenarioSHA256 string    `json:"scenario_sha256"`
	Seed           uint64    `json:"seed"`
	Iterations     int       `json:"iterations"`
	Workers        int       `json:"workers"`
	Shard          string    `json:"shard"` // "K/N", e.g. "0/1" for a whole run
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	WallSeconds    float64   `json:"wall_seconds"`
	// Batch names the scenario folders of a batch's folder, whose
	// manifest this is; empty for a result folder.
	Batch []string `json:"batch,omitempty"`
	// Files lists every file of the folder but manifests, with its
	// size and sha256, as written (WriteManifest fills it in).
	Files []FileSum `json:"files,omitempty"`
}

// MarshalJSON writes the manifest with its times in UTC, in RFC 3339 to
// the second, keeping the field order of Manifest.
func (m Manifest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Program        string    `json:"program"`
		Version        string    `json:"version"`
		Commit         string    `json:"commit"`
		GoVersion      string    `json:"go_version"`
		CommandLine    []string  `json:"command_line"`
		Scenario       string    `json:"scenario"`
		ScenarioSHA256 string    `json:"scenario_sha256"`
		Seed           uint64    `json:"seed"`
		Iterations     int       `json:"iterations"`
		Workers        int       `json:"workers"`
		Shard          string    `json:"shard"`
		Start          string    `json:"start"`
		End            string    `json:"end"`
		WallSeconds    float64   `json:"wall_seconds"`
		Batch          []string  `json:"batch,omitempty"`
		Files          []FileSum `json:"files,omitempty"`
	}{
		m.Program, m.Version, m.Commit, m.GoVersion, m.CommandLine,
		m.Scenario, m.ScenarioSHA256, m.Seed, m.Iterations, m.Workers, m.Shard,
		m.Start.UTC().Format(time.RFC3339), m.End.UTC().Format(time.RFC3339),
		m.WallSeconds, m.Batch, m.Files,
	})
}

// DefaultDir is the result folder used when none is given:
// results/<scenario-name>-<UTC timestamp>, for example
// results/family-support-20261122T183000Z. Characters of the name that are
// unsafe in a file name (path separators, spaces, control characters and
// the like) become '-'; an empty name becomes "scenario".
func DefaultDir(scenarioName string, t time.Time) string {
	var b strings.Builder
	for _, r := range scenarioName {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '_', r == '.', r > 127 && r != 0xFFFD:
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.TrimLeft(b.String(), ".") // no hidden folders
	if name == "" {
		name = "scenario"
	}
	return filepath.Join("results", name+"-"+t.UTC().Format(timestampFormat))
}

// Hooks for tests to inject failures; the defaults are the real thing.
var (
	// beforeFile is called before each file of a result folder is
	// written, with the file's name; an error aborts the write.
	beforeFile = func(name string) error { return nil }
)

// Write writes the result folder dir for res: summary.csv,
// iterations.csv, yearly.csv, comparison.csv, acceptability.csv (see
// Acceptability; at DefaultAcceptabilityValues), survival.csv,
// scenario.toml (the bytes scenarioTOML) and, last, manifest.json,
// listing every other file with its size and sha256.
//
// The write is atomic, through a Plan: the files go to a stage beside
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
		return fmt.Errorf("output: %w", err)
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
		if _, _, err := ParseShard(man.Shard); err != nil {
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
		return fmt.Errorf("output: %w", err)
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
	files = append(files, extra...)
	for _, f := range files {
		if err := beforeFile(f.name); err != nil {
			return fmt.Errorf("output: writing %s: %w", f.name, err)
		}
		if err := safefile.Create(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	if err := beforeFile(ManifestFile); err != nil {
		return fmt.Errorf("output: writing %s: %w", ManifestFile, err)
	}
	return WriteManifest(dir, man)
}

// FileSum is a file of a folder as its manifest lists it: the path
// inside the folder (with /), its size in bytes and its SHA-256.
type FileSum struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// WriteManifest writes dir/manifest.json for man, with Files listing
// every file under dir (but manifests) with its size and
// sha256, in path order: what merge verifies and --force recognises.
func WriteManifest(dir string, man Manifest) error {
	files, err := sumFiles(dir)
	if err != nil {
		return err
	}
	man.Files = files
	return safefile.Create(filepath.Join(dir, ManifestFile), func(w io.Writer) error { return writeManifest(w, man) })
}

// sumFiles lists every regular file under dir but the manifests (its
// own, and those of a batch's scenario folders, which hold their run's
// times and so are left to list their own files).
func sumFiles(dir string) ([]FileSum, error) {
	files := []FileSum{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if d.Name() == ManifestFile {
			return nil // itself, or a scenario folder's own record
		}
		sum, n, err := hashFile(p, -1)
		if err != nil {
			return err
		}
		files = append(files, FileSum{Name: filepath.ToSlash(rel), Bytes: n, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return files, nil
}

// hashFile returns the sha256 (hex) and size of the regular file path,
// reading at most limit bytes (-1: all of it).
func hashFile(path string, limit int64) (string, int64, error) {
	f, err := safefile.OpenRegular(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	var r io.Reader = f
	if limit >= 0 {
		r = io.LimitReader(f, limit+1)
	}
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// writeCSV writes a header and rows as CSV.
func writeCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// The headers of the CSV files, as written and as read back for the
// report (summaryHeader after any leading columns).
var (
	summaryHeader       = []string{"arm", "metric", "mean", "sd", "mcse", "p2_5", "p5", "p25", "p50", "p75", "p95", "p97_5"}
	comparisonHeader    = []string{"arm", "baseline", "metric", "mean", "sd", "p2_5", "p50", "p97_5", "prob_positive"}
	yearlyHeader        = []string{"arm", "year", "metric", "mean", "p2_5", "p50", "p97_5"}
	survivalHeader      = []string{"arm", "month", "at_risk", "cum_reentry", "cum_reentry_p2_5", "cum_reentry_p97_5"}
	acceptabilityHeader = []string{"arm", "baseline", "value_per_reentry_averted", "prob_worth_it"}
)

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

func writeManifest(w io.Writer, man Manifest) error { return writeJSON(w, man) }

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
