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

	"github.com/reunify/reunify/internal/safefile"
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

// WriteAnalysisManifest writes a as indented JSON, as manifest.json is.
func WriteAnalysisManifest(w io.Writer, a AnalysisManifest) error { return writeJSON(w, a) }

// AnalysisManifestPath is where the manifest of an analysis's CSV file
// goes: beside it, with the extension .json (tornado.csv, tornado.json).
func AnalysisManifestPath(csvPath string) string {
	return strings.TrimSuffix(csvPath, filepath.Ext(csvPath)) + ".json"
}

// OwnedAnalysis returns the check for --force over an analysis's CSV
// file (tornado.csv, sweep.csv, breakeven.csv) and its manifest: both
// are reunify's if the manifest beside the CSV file (manifestPath) was
// written by reunify for that file.
func OwnedAnalysis(csvPath, manifestPath string) func(string) error {
	return func(string) error {
		b, err := safefile.ReadSmall(manifestPath, maxManifestBytes)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("there is no %s beside it", filepath.Base(manifestPath))
			}
			return err
		}
		var m struct {
			Program string `json:"program"`
			File    string `json:"file"`
		}
		if json.Unmarshal(b, &m) != nil || m.Program != "reunify" || m.File != filepath.Base(csvPath) {
			return fmt.Errorf("%s is not reunify's manifest of %s", manifestPath, filepath.Base(csvPath))
		}
		return nil
	}
}
