package resultdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
)

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
		for _, n := range folderFiles {
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
			if err := OwnedCharts(p); err != nil {
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

// OwnedCharts reports whether dir holds only chart files (SVG and PNG):
// the Owned check of a result folder's charts folder.
func OwnedCharts(dir string) error {
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
