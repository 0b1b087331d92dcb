package resultdir

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/reunify/reunify/internal/buildinfo"
	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
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

// NewManifest is the manifest of a command run as "reunify" followed by
// args, from start until now, by this build of reunify (its version,
// commit and Go version), simulating with opt (its seed, iterations,
// workers and shard; the zero Options for a command that simulates
// nothing). The caller adds the scenario it read (SetScenario).
func NewManifest(args []string, start time.Time, opt sim.Options) Manifest {
	end := time.Now().UTC()
	shard := Shard{0, 1}
	if opt.Shards > 1 {
		shard = Shard{opt.Shard, opt.Shards}
	}
	return Manifest{
		Program:     "reunify",
		Version:     buildinfo.Version(),
		Commit:      buildinfo.Commit(),
		GoVersion:   buildinfo.Go(),
		CommandLine: append([]string{"reunify"}, args...),
		Seed:        opt.Seed,
		Iterations:  opt.Iterations,
		Workers:     opt.Workers,
		Shard:       shard.String(),
		Start:       start,
		End:         end,
		WallSeconds: end.Sub(start).Seconds(),
	}
}

// SetScenario records the scenario file at path that the command read,
// raw being its bytes as read.
func (m *Manifest) SetScenario(path string, raw []byte) {
	sum := sha256.Sum256(raw)
	m.Scenario, m.ScenarioSHA256 = path, hex.EncodeToString(sum[:])
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
		return nil, err
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
