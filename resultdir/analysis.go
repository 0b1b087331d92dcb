package resultdir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
)

// AnalysisManifest records how a sensitivity analysis (tornado, sweep,
// breakeven) was produced, as Manifest does for a run: the same fields,
// then the analysis, the file it wrote, how many simulation runs of
// Iterations each it took, and its own settings (metric, arm, parameters,
// values, target). The analyses write it beside their CSV file, as
// tornado.json, sweep.json or breakeven.json.
type AnalysisManifest struct {
	Manifest
	Analysis string         // "tornado", "sweep" or "breakeven"
	File     string         // the CSV file it describes, e.g. "tornado.csv"
	Runs     int            // simulation runs, each of Iterations iterations
	Settings map[string]any // the analysis's own flags, by name
}

// MarshalJSON writes the fields of Manifest, in its order, followed by
// analysis, file, runs and settings (whose keys come out sorted).
func (a AnalysisManifest) MarshalJSON() ([]byte, error) {
	head, err := a.Manifest.MarshalJSON()
	if err != nil {
		return nil, err
	}
	tail, err := json.Marshal(struct {
		Analysis string         `json:"analysis"`
		File     string         `json:"file"`
		Runs     int            `json:"runs"`
		Settings map[string]any `json:"settings"`
	}{a.Analysis, a.File, a.Runs, a.Settings})
	if err != nil {
		return nil, err
	}
	// Join the two objects: {head...} and {tail...} -> {head..., tail...}.
	var b bytes.Buffer
	b.Write(head[:len(head)-1])
	b.WriteByte(',')
	b.Write(tail[1:])
	return b.Bytes(), nil
}

// Analysis is where an analysis writes: its CSV file and, beside it,
// the CSV file's manifest, reserved together in a plan before any work
// and committed with it.
type Analysis struct {
	Path      string // the CSV file, as it will be (for messages)
	csv, json string // where to write the two, in the plan's stages
}

// ReserveAnalysis reserves in plan the analysis's CSV file, named file,
// in the folder dir, and its manifest (AnalysisManifestPath): new files,
// or, with the plan's force, files reunify wrote for this analysis
// (OwnedAnalysis).
func ReserveAnalysis(plan *safefile.Plan, dir, file string) (*Analysis, error) {
	a := &Analysis{Path: filepath.Join(dir, file)}
	owned := OwnedAnalysis(a.Path, AnalysisManifestPath(a.Path))
	var err error
	if a.csv, err = plan.File(a.Path, owned); err != nil {
		return nil, err
	}
	if a.json, err = plan.File(AnalysisManifestPath(a.Path), owned); err != nil {
		return nil, err
	}
	return a, nil
}

// Write writes the CSV file with write, then its manifest, man, whose
// File it sets; the plan's commit puts both in place.
func (a *Analysis) Write(write func(io.Writer) error, man AnalysisManifest) error {
	if err := safefile.Create(a.csv, write); err != nil {
		return fmt.Errorf("writing %s: %w", a.Path, err)
	}
	man.File = filepath.Base(a.Path)
	sum, n, err := hashFile(a.csv, -1)
	if err != nil {
		return fmt.Errorf("writing %s: %w", a.Path, err)
	}
	man.Files = []FileSum{{Name: man.File, Bytes: n, SHA256: sum}}
	if err := safefile.Create(a.json, func(w io.Writer) error { return writeJSON(w, man) }); err != nil {
		return fmt.Errorf("writing %s: %w", AnalysisManifestPath(a.Path), err)
	}
	return nil
}

// AnalysisManifestPath is where the manifest of an analysis's CSV file
// goes: beside it, with the extension .json (tornado.csv, tornado.json).
func AnalysisManifestPath(csvPath string) string {
	return strings.TrimSuffix(csvPath, filepath.Ext(csvPath)) + ".json"
}

// OwnedAnalysis returns the check for --force over an analysis's CSV
// file (tornado.csv, sweep.csv, breakeven.csv) and its manifest: both
// are reunify's if the manifest beside the CSV file (manifestPath) was
// written by reunify for that file and records the CSV file's size and
// sha256, which it still has.
func OwnedAnalysis(csvPath, manifestPath string) func(string) error {
	return func(string) error {
		if _, err := os.Lstat(manifestPath); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("there is no %s beside it", filepath.Base(manifestPath))
		}
		csv, err := ownedAnalysisPair(manifestPath)
		if err != nil {
			return err
		}
		if csv != filepath.Base(csvPath) {
			return fmt.Errorf("%s is not reunify's manifest of %s", manifestPath, filepath.Base(csvPath))
		}
		return nil
	}
}

// ReserveCSV reserves in plan a CSV file that a command writes on its
// own at path (calibrate's dropped rows and backtest table), with its
// manifest beside it, as ReserveAnalysis does for an analysis: --force
// replaces them only while the manifest's sha256 holds.
func ReserveCSV(plan *safefile.Plan, path string) (*Analysis, error) {
	return ReserveAnalysis(plan, filepath.Dir(path), filepath.Base(path))
}

// WriteCSVFile writes the CSV file at path with write, and its manifest
// (what, by the command run as args), through a plan of its own (force,
// never over inputs): both land together or not at all.
func WriteCSVFile(path string, force bool, inputs []string, write func(io.Writer) error, args []string, what string) error {
	p, err := safefile.NewPlan(force, inputs...)
	if err != nil {
		return err
	}
	defer p.Abort()
	a, err := ReserveCSV(p, path)
	if err != nil {
		return err
	}
	if err := a.Write(write, FileManifest(args, what)); err != nil {
		return err
	}
	return p.Commit(nil)
}

// FileManifest is the manifest of a CSV file a command writes on its own
// (what: "calibrate dropped rows", say), by reunify run as args.
func FileManifest(args []string, what string) AnalysisManifest {
	return AnalysisManifest{Manifest: NewManifest(args, time.Now().UTC(), sim.Options{}), Analysis: what}
}
