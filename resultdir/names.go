package resultdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The files of a result folder: every name reunify writes there, here
// and nowhere else. Their columns (see csv.go) and metric names are a
// user contract: only ever added to, never renamed.
const (
	SummaryFile       = "summary.csv"       // per arm and metric: summary.ByArm
	IterationsFile    = "iterations.csv"    // one row per iteration and arm
	YearlyFile        = "yearly.csv"        // per arm, year and metric: summary.ByYear
	ComparisonFile    = "comparison.csv"    // each policy against the baseline: summary.Compare
	AcceptabilityFile = "acceptability.csv" // summary.Acceptability at DefaultAcceptabilityValues
	SurvivalFile      = "survival.csv"      // the re-entry curve: summary.Survival
	ScenarioFile      = "scenario.toml"     // the resolved scenario as run
	ManifestFile      = "manifest.json"     // how the folder was made, and its files' checksums
	ShardFile         = "shard.csv"         // a shard's results, exactly, for Merge
	ReportFile        = "report.html"       // with --report, or reunify report
	VOIFile           = "voi.csv"           // summary.VOI, when summary.HasVOI
	FrontierFile      = "frontier.csv"      // summary.Frontier, with three or more arms
	ExpectedLossFile  = "expected_loss.csv" // summary.ExpectedLoss, with three or more arms
	DampackCostFile   = "dampack_cost.csv"  // psa.Tables' cost table
	DampackEffectFile = "dampack_effectiveness.csv"
	DampackParamsFile = "dampack_parameters.csv" // when a parameter is uncertain
	ChartsDir         = "charts"                 // the report's charts as SVG and PNG files
)

// The files the analyses write into --out (a result folder or any
// other), each with its manifest beside it (AnalysisManifestPath);
// the report draws the tornado when it finds one in a result folder.
const (
	TornadoFile   = "tornado.csv"
	SweepFile     = "sweep.csv"
	BreakevenFile = "breakeven.csv"
)

// BaseCaseFile is the file reunify appraise adds to its result folder
// besides TornadoFile and BreakevenFile: comparison.csv's columns, every
// parameter at its mean (the report reads it when present).
const BaseCaseFile = "basecase.csv"

// ParamPrefix starts the name of a sampled parameter's column in
// iterations.csv and shard.csv: param.<scenario path>.
const ParamPrefix = "param."

// folderFiles are the files and folders reunify itself writes in a
// result folder; a folder of a version whose manifest listed no files
// may hold these and no others.
var folderFiles = []string{
	SummaryFile, IterationsFile, YearlyFile, ComparisonFile, SurvivalFile,
	AcceptabilityFile, ManifestFile, ScenarioFile, ShardFile, ReportFile, ChartsDir, TornadoFile,
	VOIFile, FrontierFile, ExpectedLossFile, DampackCostFile, DampackEffectFile, DampackParamsFile,
	BreakevenFile, BaseCaseFile,
}

// timestampFormat is the UTC time in DefaultDir's folder names.
const timestampFormat = "20060102T150405Z"

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

// DefaultRunDir is the folder a run of the scenarios named writes when
// none is given: DefaultDir of the scenario's name, or of "batch" for
// several.
func DefaultRunDir(names []string, t time.Time) string {
	if len(names) == 1 {
		return DefaultDir(names[0], t)
	}
	return DefaultDir("batch", t)
}

// Free returns dir if nothing is there yet, or else the first of dir-2,
// dir-3, ... that is free: a default result folder (DefaultDir, whose
// time is to the second) never names the folder of a run made the same
// second, which only --force could replace. Two runs that choose in the
// same instant may still choose the same name: the second then refuses
// at its end, replacing nothing.
func Free(dir string) string {
	for i := 1; ; i++ {
		d := dir
		if i > 1 {
			d = fmt.Sprintf("%s-%d", dir, i)
		}
		if _, err := os.Lstat(d); errors.Is(err, fs.ErrNotExist) || i >= 10000 {
			return d
		}
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
	for _, n := range folderFiles {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// Folders returns the result folders the folders dirs name: a result
// folder itself (it has a comparison.csv), or the scenario folders of a
// batch folder (one whose manifest names them). Its errors are
// *FolderError.
func Folders(dirs ...string) ([]string, error) {
	var out []string
	for _, dir := range dirs {
		ds, err := folders(dir)
		if err != nil {
			return nil, &FolderError{err}
		}
		out = append(out, ds...)
	}
	return out, nil
}

func folders(dir string) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, ComparisonFile)); !errors.Is(err, fs.ErrNotExist) {
		return []string{dir}, nil
	}
	man, err := ReadManifest(filepath.Join(dir, ManifestFile))
	if err != nil || len(man.Batch) == 0 {
		return nil, fmt.Errorf("%s is not a result folder (it has no %s) nor a batch folder of reunify's", dir, ComparisonFile)
	}
	var out []string
	for _, name := range man.Batch {
		if CheckName(name) != nil {
			return nil, fmt.Errorf("%s names a scenario folder %q that cannot be one", filepath.Join(dir, ManifestFile), name)
		}
		out = append(out, filepath.Join(dir, name))
	}
	return out, nil
}
