package resultdir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
)

// Owned reports whether dir is a folder that reunify wrote and nobody
// changed since, so that --force (or a report rendered again) may
// replace it. Ownership is proven by checksums, never by names:
//
//   - dir holds reunify's manifest.json, exactly as reunify writes it
//     (an edit that changes its form, a field added, a byte appended, is
//     found);
//   - every other file under dir is one the manifest lists, with the
//     size and sha256 it lists, or the report (report.html and charts/,
//     which report.html's seal lists the same way: OwnedReport), or an
//     analysis's CSV file vouched for by its manifest beside it (see
//     OwnedAnalysis), or a stage of reunify's;
//   - every folder under it holds only such files (a batch's scenario
//     folders are checked against their own manifests), and is neither
//     a symbolic link nor a mount point.
//
// A folder whose manifest lists no checksums (written by a version
// before they were recorded) is never proven reunify's. The error names
// the first file that is not reunify's, and why.
func Owned(dir string) error {
	man, err := readOwnManifest(filepath.Join(dir, ManifestFile))
	if err != nil {
		return err
	}
	if man.Files == nil {
		return fmt.Errorf("%s lists no checksums of its files (an older reunify wrote it), so reunify cannot tell them from files of yours", filepath.Join(dir, ManifestFile))
	}
	listed := map[string]FileSum{}
	for _, f := range man.Files {
		listed[f.Name] = f
	}
	batch := map[string]bool{}
	for _, b := range man.Batch {
		batch[b] = true
	}
	return ownedTree(dir, "", listed, batch)
}

// ownedTree checks the folder dir/rel against the files listed.
func ownedTree(dir, rel string, listed map[string]FileSum, batch map[string]bool) error {
	here := filepath.Join(dir, filepath.FromSlash(rel))
	entries, err := os.ReadDir(here)
	if err != nil {
		return err
	}
	analyses := map[string]bool{} // CSV files an analysis manifest here vouches for
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && e.Name() != ManifestFile {
			if csv, err := ownedAnalysisPair(filepath.Join(here, e.Name())); err == nil {
				analyses[e.Name()], analyses[csv] = true, true
			}
		}
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(here, name)
		r := path.Join(rel, name)
		if safefile.IsStage(p) {
			continue
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link, which reunify never writes", p)
		case safefile.MountPoint(p): // a folder or a file mounted there
			return fmt.Errorf("%s is a mount point, which reunify never writes", p)
		case rel == "" && name == ManifestFile:
		case rel == "" && (name == ReportFile || name == ChartsDir):
			if err := OwnedReport(dir); err != nil {
				return err
			}
		case rel == "" && batch[name]:
			if !fi.IsDir() {
				return fmt.Errorf("%s should be a folder", p)
			}
			if err := Owned(p); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		case analyses[name]:
		case fi.IsDir():
			if !listsUnder(listed, r) {
				return fmt.Errorf("it holds %s, a folder reunify did not write there", p)
			}
			if err := ownedTree(dir, r, listed, batch); err != nil {
				return err
			}
		default:
			if err := checkSum(p, fi, listed, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSum reports whether the file p (named r in its folder) is one
// listed, with its size and sha256.
func checkSum(p string, fi os.FileInfo, listed map[string]FileSum, r string) error {
	f, ok := listed[r]
	switch {
	case !ok:
		return fmt.Errorf("it holds %s, which reunify did not write there", p)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file, which reunify never writes", p)
	case fi.Size() != f.Bytes:
		return fmt.Errorf("%s was changed since reunify wrote it (%d bytes, not %d)", p, fi.Size(), f.Bytes)
	}
	sum, _, err := hashFile(p, f.Bytes)
	if err != nil {
		return err
	}
	if sum != f.SHA256 {
		return fmt.Errorf("%s was changed since reunify wrote it (its sha256 is not the one its manifest records)", p)
	}
	return nil
}

// listsUnder reports whether a file listed is inside the folder rel.
func listsUnder(listed map[string]FileSum, rel string) bool {
	for n := range listed {
		if strings.HasPrefix(n, rel+"/") {
			return true
		}
	}
	return false
}

// readOwnManifest reads a manifest.json and checks that it is exactly
// as reunify writes it.
func readOwnManifest(p string) (*Manifest, error) {
	man, err := ReadManifest(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("it has no %s", ManifestFile)
		}
		return nil, err
	}
	b, err := safefile.ReadSmall(p, maxManifestBytes)
	if err != nil {
		return nil, err
	}
	var again bytes.Buffer
	if err := writeManifest(&again, *man); err != nil || !bytes.Equal(again.Bytes(), b) {
		return nil, fmt.Errorf("%s was changed since reunify wrote it", p)
	}
	return man, nil
}

// ownedAnalysisPair reports whether the file p is an analysis's
// manifest (tornado.json, say) that reunify wrote, and its CSV file
// beside it is the one it lists, unchanged; it returns the CSV file's
// name.
func ownedAnalysisPair(p string) (string, error) {
	b, err := safefile.ReadSmall(p, maxManifestBytes)
	if err != nil {
		return "", err
	}
	var m struct {
		Program string    `json:"program"`
		File    string    `json:"file"`
		Files   []FileSum `json:"files"`
	}
	if json.Unmarshal(b, &m) != nil || m.Program != "reunify" || m.File == "" || CheckName(m.File) != nil ||
		AnalysisManifestPath(m.File) != filepath.Base(p) {
		return "", fmt.Errorf("%s is not a manifest reunify wrote for an analysis", p)
	}
	csv := filepath.Join(filepath.Dir(p), m.File)
	for _, f := range m.Files {
		if f.Name == m.File {
			fi, err := os.Lstat(csv)
			if errors.Is(err, os.ErrNotExist) {
				return m.File, nil
			}
			if err != nil {
				return "", err
			}
			return m.File, checkSum(csv, fi, map[string]FileSum{f.Name: f}, f.Name)
		}
	}
	return "", fmt.Errorf("%s records no checksum of %s", p, m.File)
}

// OwnedEventLog returns the check for --force over an event log written
// outside its result folder, at path: it is reunify's only if the
// result folder root, which the same run replaces, is reunify's (Owned)
// and its manifest records that event log, by its path relative to root,
// its size and sha256, unchanged. An event log inside the result folder is one of
// the folder's files, checked with it.
func OwnedEventLog(root string) func(path string) error {
	return func(p string) error {
		man, err := readOwnManifest(filepath.Join(root, ManifestFile))
		if err != nil || man.EventLog == nil {
			return fmt.Errorf("no result folder this run replaces records it as its event log (only then is an existing event log replaced; it may be a file of yours)")
		}
		if err := Owned(root); err != nil {
			return fmt.Errorf("%s, which would record it as reunify's, is not reunify's: %w", root, err)
		}
		rel, err := eventLogName(root, p)
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if man.EventLog.Name != rel {
			return fmt.Errorf("the result folder %s records another file as its event log (%s)", root, man.EventLog.Name)
		}
		return checkSum(p, fi, map[string]FileSum{rel: *man.EventLog}, rel)
	}
}

// The seal of a report: report.html ends with an HTML comment, after
// </html>, recording the sha256 of the page before it and of each chart
// file in charts/. A report, or a chart, that is not as sealed is not
// reunify's.
const (
	sealStart = "\n<!-- reunify-seal "
	sealEnd   = " -->\n"
)

type seal struct {
	Page   string            `json:"page"`
	Charts map[string]string `json:"charts"`
}

// SealReport returns page with its seal appended, listing the chart
// files charts (name and content) written into charts/.
func SealReport(page []byte, charts map[string][]byte) ([]byte, error) {
	s := seal{Page: sha256Hex(page), Charts: map[string]string{}}
	for name, b := range charts {
		if CheckName(name) != nil || strings.Contains(name, "--") {
			return nil, fmt.Errorf("a chart cannot be named %q", name)
		}
		s.Charts[name] = sha256Hex(b)
	}
	j, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	out := append(append([]byte(nil), page...), sealStart...)
	out = append(out, j...)
	return append(out, sealEnd...), nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// maxReportBytes bounds the report.html read back to check its seal.
const maxReportBytes = 64 << 20

// OwnedReport reports whether the report in the result folder dir
// (report.html and charts/, either of which may be absent) is as
// reunify wrote it: report.html unchanged since it was sealed, and every
// file in charts/ one the seal lists, unchanged. The error names the
// file that is not.
func OwnedReport(dir string) error {
	page := filepath.Join(dir, ReportFile)
	s := seal{}
	b, err := safefile.ReadSmall(page, maxReportBytes)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		i := bytes.LastIndex(b, []byte(sealStart))
		if i < 0 || !bytes.HasSuffix(b, []byte(sealEnd)) ||
			json.Unmarshal(b[i+len(sealStart):len(b)-len(sealEnd)], &s) != nil || s.Page != sha256Hex(b[:i]) {
			return fmt.Errorf("%s was changed since reunify wrote it, or is not a report reunify wrote", page)
		}
	}
	charts := filepath.Join(dir, ChartsDir)
	fi, err := os.Lstat(charts)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() || safefile.MountPoint(charts) {
		return fmt.Errorf("%s is not a folder reunify wrote", charts)
	}
	entries, err := os.ReadDir(charts)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(charts, e.Name())
		if safefile.IsStage(p) {
			continue
		}
		sum, ok := s.Charts[e.Name()]
		if !ok {
			return fmt.Errorf("it holds %s, which no report reunify wrote there lists (a file of yours, or a chart whose report.html is gone or changed)", p)
		}
		cfi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !cfi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file, which reunify never writes", p)
		}
		if safefile.MountPoint(p) {
			return fmt.Errorf("%s is a mount point, which reunify never writes", p)
		}
		got, _, err := hashFile(p, maxReportBytes)
		if err != nil {
			return err
		}
		if got != sum {
			return fmt.Errorf("%s was changed since reunify wrote it", p)
		}
	}
	return nil
}
