package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
)

// maxManifestBytes bounds the manifests reunify reads back: a real one
// is a few kilobytes, plus about 100 bytes per file it lists.
const maxManifestBytes = 16 << 20

// ReadManifest reads a manifest.json that reunify wrote, refusing
// anything else (not a regular file, over maxManifestBytes, not JSON,
// another program's) with a message naming the file.
func ReadManifest(path string) (*Manifest, error) {
	b, err := safefile.ReadSmall(path, maxManifestBytes)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Program != "reunify" {
		return nil, fmt.Errorf("%s: not a manifest reunify wrote (program %q)", path, m.Program)
	}
	return &m, nil
}

// legacyNames are the files a result folder of a version that listed no
// files in its manifest may hold.
var legacyNames = []string{
	SummaryFile, IterationsFile, YearlyFile, ComparisonFile, SurvivalFile,
	AcceptabilityFile, ManifestFile, ScenarioFile, ShardFile, ReportFile, ChartsDir, TornadoFile,
}

// Owned reports whether dir is a folder that reunify wrote and nothing
// else did, so that --force may replace it: it holds reunify's
// manifest.json, and every entry is a file that manifest lists (for a
// folder of a version that listed none, a name reunify writes), the
// report and its charts, or a stage of reunify's. Every folder the
// manifest lists is checked the same way (a batch's scenario folders).
// The error says why not.
func Owned(dir string) error {
	man, err := ReadManifest(filepath.Join(dir, ManifestFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("it has no %s", ManifestFile)
		}
		return err
	}
	allowed := map[string]bool{ManifestFile: true, ReportFile: true, ChartsDir: true}
	folders := map[string]bool{}
	if man.Files == nil {
		for _, n := range legacyNames {
			allowed[n] = true
		}
	}
	for _, b := range man.Batch {
		allowed[b], folders[b] = true, true
	}
	for _, f := range man.Files {
		first, rest, sub := strings.Cut(filepath.ToSlash(f.Name), "/")
		allowed[first] = true
		if sub && rest != "" {
			folders[first] = true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		if safefile.IsStage(p) {
			continue
		}
		if !allowed[name] {
			return fmt.Errorf("it holds %s, which reunify did not write there", p)
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link, which reunify never writes", p)
		case name == ChartsDir:
			if err := ownedCharts(p); err != nil {
				return err
			}
		case folders[name]:
			if !fi.IsDir() {
				return fmt.Errorf("%s should be a folder", p)
			}
			if err := Owned(p); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		case fi.IsDir():
			return fmt.Errorf("%s is a folder, where reunify writes a file", p)
		}
	}
	return nil
}

// ownedCharts reports whether dir holds only chart files (SVG and PNG).
func ownedCharts(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if safefile.IsStage(filepath.Join(dir, name)) {
			continue
		}
		ext := filepath.Ext(name)
		if !e.Type().IsRegular() || (ext != ".svg" && ext != ".png") {
			return fmt.Errorf("%s holds %s, which is not a chart reunify wrote", dir, name)
		}
	}
	return nil
}

// OwnedEventLog reports whether path is an event log reunify wrote (it
// begins with the event log's header), so that --force may replace it.
var OwnedEventLog = safefile.OwnedPrefix(sim.EventLogHeader)

// reportMarker is in the head of every report.html reunify writes.
const reportMarker = `<meta name="generator" content="reunify">`

// ownedReport reports whether path is a report.html reunify wrote.
func ownedReport(path string) error {
	b, err := safefile.ReadSmall(path, maxReportBytes)
	if err != nil {
		return err
	}
	if head := b[:min(len(b), 4096)]; !bytes.Contains(head, []byte(reportMarker)) {
		return errors.New("it is not a report reunify wrote")
	}
	return nil
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

// CheckName reports whether name can be the name of a file or folder
// reunify makes inside another (a batch's scenario folder, say): one
// plain path element that cannot escape its folder, hide, or take the
// place of a file reunify writes beside it.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case name == "." || name == "..":
		return fmt.Errorf("the name %q would write outside its folder", name)
	case strings.ContainsAny(name, `/\:`):
		return fmt.Errorf("the name %q holds a path separator (/, \\ or :)", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("the name %q starts with a dot (a hidden folder)", name)
	case len(name) > 200:
		return fmt.Errorf("the name is %d bytes long; at most 200 fit in a folder name", len(name))
	case strings.ContainsFunc(name, func(r rune) bool { return r < 32 || r == 127 || r == 0xFFFD }):
		return fmt.Errorf("the name %q holds control characters or invalid UTF-8", name)
	case strings.TrimRight(name, " ") != name:
		return fmt.Errorf("the name %q ends with a space", name)
	}
	for _, n := range []string{SummaryFile, ManifestFile, ReportFile, ChartsDir} {
		if strings.EqualFold(name, n) {
			return fmt.Errorf("the name %q is taken by the file reunify writes beside it", name)
		}
	}
	return nil
}

// IsFolderFile reports whether name is that of a file or folder reunify
// itself writes in a result folder (summary.csv, charts, ...), so that
// nothing else may take it there.
func IsFolderFile(name string) bool {
	for _, n := range legacyNames {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}
