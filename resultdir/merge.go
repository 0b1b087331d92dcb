package resultdir

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
)

// ShardFolder is a shard's result folder read back for merging.
type ShardFolder struct {
	Dir      string
	Manifest Manifest
	Shard    Shard
	Scenario []byte // scenario.toml, the resolved scenario as run
	Results  *sim.Results
	header   []string
}

// Limits on what merge reads, so that a damaged or hostile shard folder
// is refused, never read without end.
const (
	// maxIterations is the most iterations a manifest may claim: more
	// than any run could simulate (10^12 iterations of one child each
	// take days on a thousand cores).
	maxIterations = 1_000_000_000_000
	// maxWorkers is the most workers a manifest may claim.
	maxWorkers = 1 << 20
	// maxLine is the longest line of a shard file: about 25 bytes for
	// each of its columns (a 100-year horizon has about 3,500).
	maxLine = 16 << 20
	// maxLabel is the longest version, commit or Go version string.
	maxLabel = 256
)

// ReadShard reads the manifest, the resolved scenario and the shard file
// of a shard folder. It refuses, with a message naming the file, a
// manifest that reunify did not write or whose fields are out of range,
// and any file the manifest lists that is not a regular file of the
// size and sha256 recorded when it was written (an edited, truncated or
// replaced file). Its errors are *FolderError.
func ReadShard(dir string) (*ShardFolder, error) {
	s, err := readShard(dir)
	if err != nil {
		return nil, &FolderError{err}
	}
	return s, nil
}

// ReadShards reads the shard folders dirs (ReadShard), in order.
func ReadShards(dirs []string) ([]*ShardFolder, error) {
	var shards []*ShardFolder
	for _, d := range dirs {
		s, err := ReadShard(d)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		shards = append(shards, s)
	}
	return shards, nil
}

func readShard(dir string) (*ShardFolder, error) {
	s := &ShardFolder{Dir: dir}
	mpath := filepath.Join(dir, ManifestFile)
	m, err := ReadManifest(mpath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: not a result folder: it has no %s", dir, ManifestFile)
	}
	if err != nil {
		return nil, err
	}
	s.Manifest = *m
	if s.Shard, err = ParseShard(m.Shard); err != nil {
		return nil, fmt.Errorf("%s: %w", mpath, err)
	}
	if err := checkManifest(m, s.Shard.N); err != nil {
		return nil, fmt.Errorf("%s: %w", mpath, err)
	}
	listed := map[string]FileSum{}
	for _, f := range m.Files {
		listed[f.Name] = f
	}
	if _, ok := listed[ShardFile]; !ok {
		if _, err := os.Lstat(filepath.Join(dir, ShardFile)); err == nil {
			return nil, fmt.Errorf("%s does not list %s: the folder was written by a version of reunify that recorded no checksums, or edited; run the shard again", mpath, ShardFile)
		}
		return nil, fmt.Errorf("%s has no %s: it is not a shard folder (run each shard with --shard K/N)", dir, ShardFile)
	}
	if _, ok := listed[ScenarioFile]; !ok {
		return nil, fmt.Errorf("%s does not list %s: the folder was edited; run the shard again", mpath, ScenarioFile)
	}
	for _, f := range m.Files {
		if err := verifyFile(dir, f); err != nil {
			return nil, err
		}
	}
	if s.Scenario, err = safefile.ReadSmall(filepath.Join(dir, ScenarioFile), listed[ScenarioFile].Bytes); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, ShardFile)
	f, err := safefile.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := s.read(&lineLimit{r: io.LimitReader(f, listed[ShardFile].Bytes), max: maxLine}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// verifyFile checks a file a manifest lists: a plain path inside dir, a
// regular file, of the size and sha256 recorded.
func verifyFile(dir string, f FileSum) error {
	name := filepath.FromSlash(f.Name)
	if !filepath.IsLocal(name) || f.Name != filepath.ToSlash(filepath.Clean(name)) {
		return fmt.Errorf("%s lists %q, which is not a file inside the folder", filepath.Join(dir, ManifestFile), f.Name)
	}
	path := filepath.Join(dir, name)
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("%s: listed in its manifest but missing: %w", path, err)
	}
	changed := fmt.Sprintf("%s has changed since it was written (the manifest recorded %d bytes and sha256 %.12s...)", path, f.Bytes, f.SHA256)
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link, device or folder in its place): %s", path, changed)
	}
	if fi.Size() != f.Bytes {
		return fmt.Errorf("%s: it is %d bytes; edited, truncated or damaged in copying? Run that shard again", changed, fi.Size())
	}
	sum, _, err := hashFile(path, f.Bytes)
	if err != nil {
		return err
	}
	if sum != f.SHA256 {
		return fmt.Errorf("%s: its content differs; edited or damaged in copying? Run that shard again", changed)
	}
	return nil
}

// checkManifest checks the range of every field of a shard's manifest.
func checkManifest(m *Manifest, shards int) error {
	label := func(name, v string) error {
		if v == "" || len(v) > maxLabel || strings.ContainsFunc(v, func(r rune) bool { return r < 32 || r == 127 }) {
			return fmt.Errorf("%s %.40q: want a short printable label", name, v)
		}
		return nil
	}
	for _, f := range []struct{ name, v string }{{"version", m.Version}, {"commit", m.Commit}, {"go_version", m.GoVersion}} {
		if err := label(f.name, f.v); err != nil {
			return err
		}
	}
	if len(m.ScenarioSHA256) != 64 || strings.Trim(m.ScenarioSHA256, "0123456789abcdef") != "" {
		return fmt.Errorf("scenario_sha256 %.80q: want 64 hexadecimal digits", m.ScenarioSHA256)
	}
	if m.Iterations < 1 || m.Iterations > maxIterations {
		return fmt.Errorf("iterations %d: want 1 to %d", m.Iterations, maxIterations)
	}
	if shards > m.Iterations {
		return fmt.Errorf("shard %s: more shards than the %d iterations (each shard needs at least one)", m.Shard, m.Iterations)
	}
	if m.Workers < 1 || m.Workers > maxWorkers {
		return fmt.Errorf("workers %d: want 1 to %d", m.Workers, maxWorkers)
	}
	if m.Start.IsZero() || m.End.IsZero() || m.End.Before(m.Start) || m.Start.Year() < 2000 || m.End.Year() > 9999 {
		return fmt.Errorf("start %s and end %s: want two times, the end not before the start", m.Start.Format(time.RFC3339), m.End.Format(time.RFC3339))
	}
	if !(m.WallSeconds >= 0) || m.WallSeconds > m.End.Sub(m.Start).Seconds()+2 {
		return fmt.Errorf("wall_seconds %v: want 0 to the time from start to end (%v s)", m.WallSeconds, m.End.Sub(m.Start).Seconds())
	}
	if len(m.Batch) > 0 {
		return errors.New("batch: a shard's manifest lists no batch")
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if seen[f.Name] {
			return fmt.Errorf("files: %q is listed twice", f.Name)
		}
		seen[f.Name] = true
		if f.Bytes < 0 || len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
			return fmt.Errorf("files: %q: want a size of 0 or more bytes and a sha256 of 64 hexadecimal digits", f.Name)
		}
	}
	return nil
}

// read parses the shard file into s.Results.
func (s *ShardFolder) read(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("reading the header: %w", err)
	}
	s.header = slices.Clone(head)
	if len(head) < 2 || head[0] != "iteration" || head[1] != "arm" {
		return errors.New("the header does not start with iteration,arm")
	}
	res := &sim.Results{TotalIterations: s.Manifest.Iterations}
	var nm, ny, nr, nc int
	for _, h := range head[2:] {
		switch {
		case strings.HasPrefix(h, shardMetric):
			res.Metrics = append(res.Metrics, strings.TrimPrefix(h, shardMetric))
			nm++
		case strings.HasPrefix(h, shardYearly):
			ys, name, ok := strings.Cut(strings.TrimPrefix(h, shardYearly), ".")
			y, err := strconv.Atoi(ys)
			if !ok || err != nil || y < 1 {
				return fmt.Errorf("column %q: want yearly.<year>.<metric>", h)
			}
			if y == 1 {
				res.Yearly = append(res.Yearly, name)
			}
			res.Years = max(res.Years, y)
			ny++
		case strings.HasPrefix(h, shardRisk):
			nr++
		case strings.HasPrefix(h, shardCum):
			nc++
		case strings.HasPrefix(h, ParamPrefix):
			res.ParamNames = append(res.ParamNames, strings.TrimPrefix(h, ParamPrefix))
		default:
			return fmt.Errorf("unknown column %q", h)
		}
	}
	if ny != res.Years*len(res.Yearly) || nr != nc || nr < 1 {
		return errors.New("the yearly or re-entry curve columns are incomplete")
	}
	res.SurvivalMonths = nr - 1
	np := len(res.ParamNames)
	width := 2 + nm + ny + nr + nc + np
	armIndex := map[string]int{}
	lastIter, armPos := -1, 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(rec) != width {
			return fmt.Errorf("line %d: %d columns, want %d", line, len(rec), width)
		}
		it, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("line %d: iteration %q: %w", line, rec[0], err)
		}
		if it != lastIter {
			if lastIter >= 0 && armPos != len(res.Arms) {
				return fmt.Errorf("line %d: iteration %d has %d arms, want %d", line, lastIter, armPos, len(res.Arms))
			}
			if it <= lastIter {
				return fmt.Errorf("line %d: iteration %d after %d: rows out of order", line, it, lastIter)
			}
			res.Iterations = append(res.Iterations, it)
			lastIter, armPos = it, 0
		}
		a, ok := armIndex[rec[1]]
		if len(res.Iterations) == 1 && !ok {
			a = len(res.Arms)
			armIndex[rec[1]] = a
			res.Arms = append(res.Arms, rec[1])
			res.Outcomes = append(res.Outcomes, nil)
		} else if !ok || a != armPos {
			return fmt.Errorf("line %d: arm %q out of place in iteration %d", line, rec[1], it)
		}
		armPos++
		vals := make([]float64, width-2)
		for j, f := range rec[2:] {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return fmt.Errorf("line %d, column %s: %w", line, s.header[j+2], err)
			}
			vals[j] = v
		}
		o := sim.Outcome{}
		o.Metrics, vals = vals[:nm:nm], vals[nm:]
		o.Yearly, vals = vals[:ny:ny], vals[ny:]
		o.AtRisk, vals = vals[:nr:nr], vals[nr:]
		o.CumReentry, vals = vals[:nc:nc], vals[nc:]
		res.Outcomes[a] = append(res.Outcomes[a], o)
		if a == 0 && np > 0 {
			res.Params = append(res.Params, vals)
		}
	}
	if lastIter >= 0 && armPos != len(res.Arms) {
		return fmt.Errorf("iteration %d has %d arms, want %d", lastIter, armPos, len(res.Arms))
	}
	s.Results = res
	return nil
}

// FolderError is a folder the user gave that reunify cannot use: one that
// is not a result, batch or shard folder reunify wrote, or was damaged
// or edited since (ReadShard, Folders), or shards that do not make one
// run (Merge). It is bad input (exit status 2), not a failure of the
// program.
type FolderError struct{ Err error }

func (e *FolderError) Error() string { return e.Err.Error() }
func (e *FolderError) Unwrap() error { return e.Err }

// BadInput reports that the folder given, not the program, is at fault.
func (e *FolderError) BadInput() bool { return true }

func mergeErr(format string, a ...any) error {
	return &FolderError{fmt.Errorf(format, a...)}
}

// Merge joins the shards of one run into the results of the single run:
// every CSV written from them is byte-identical to a single run's. It
// refuses (with a *FolderError) shards of different programs, scenarios,
// seeds, iteration counts or shard counts, and missing or duplicated
// shards. The returned manifest describes the whole run: shard "0/1",
// the earliest start, the latest end, the shards' wall seconds and
// workers added up; the caller sets the command line.
func Merge(shards []*ShardFolder) (*sim.Results, Manifest, []byte, error) {
	if len(shards) == 0 {
		return nil, Manifest{}, nil, mergeErr("merge: no shard folders given")
	}
	first := shards[0]
	fm := first.Manifest
	differ := func(s *ShardFolder, what, a, b string) error {
		return mergeErr("merge: %s and %s come from different %s (%s, %s): only shards of one run can be merged", first.Dir, s.Dir, what, a, b)
	}
	for _, s := range shards[1:] {
		m := s.Manifest
		switch {
		case m.Program != fm.Program || m.Version != fm.Version || m.Commit != fm.Commit || m.GoVersion != fm.GoVersion:
			return nil, Manifest{}, nil, differ(s, "program versions",
				fm.Program+" "+fm.Version+" "+fm.Commit+" "+fm.GoVersion, m.Program+" "+m.Version+" "+m.Commit+" "+m.GoVersion)
		case m.ScenarioSHA256 != fm.ScenarioSHA256:
			return nil, Manifest{}, nil, differ(s, "scenarios", "sha256 "+fm.ScenarioSHA256, "sha256 "+m.ScenarioSHA256)
		case !slices.Equal(s.Scenario, first.Scenario):
			return nil, Manifest{}, nil, differ(s, "resolved scenarios", ScenarioFile+" differs (other --set overrides?)", "")
		case m.Seed != fm.Seed:
			return nil, Manifest{}, nil, differ(s, "seeds", fmt.Sprint(fm.Seed), fmt.Sprint(m.Seed))
		case m.Iterations != fm.Iterations:
			return nil, Manifest{}, nil, differ(s, "iteration counts", fmt.Sprint(fm.Iterations), fmt.Sprint(m.Iterations))
		case s.Shard.N != first.Shard.N:
			return nil, Manifest{}, nil, differ(s, "shard counts", fm.Shard, m.Shard)
		case !slices.Equal(s.header, first.header):
			return nil, Manifest{}, nil, differ(s, "result layouts", "columns of "+ShardFile, "")
		case !slices.Equal(s.Results.Arms, first.Results.Arms):
			return nil, Manifest{}, nil, differ(s, "arms", strings.Join(first.Results.Arms, ","), strings.Join(s.Results.Arms, ","))
		}
	}
	n, total := first.Shard.N, fm.Iterations
	byK := make(map[int]*ShardFolder, len(shards))
	for _, s := range shards {
		if d := byK[s.Shard.K]; d != nil {
			return nil, Manifest{}, nil, mergeErr("merge: shard %s is given twice (%s and %s)", s.Shard, d.Dir, s.Dir)
		}
		byK[s.Shard.K] = s
	}
	if len(byK) < n {
		var missing []string
		for k := 0; k < n && len(missing) < 5; k++ {
			if byK[k] == nil {
				missing = append(missing, fmt.Sprintf("%d/%d", k, n))
			}
		}
		more := ""
		if n-len(byK) > len(missing) {
			more = fmt.Sprintf(" and %d more", n-len(byK)-len(missing))
		}
		return nil, Manifest{}, nil, mergeErr("merge: shard %s%s missing (%d of %d shards given); a run with --shard K/N needs every K from 0 to %d", strings.Join(missing, ", "), more, len(shards), n, n-1)
	}
	for _, s := range byK {
		k := s.Shard.K
		ok := len(s.Results.Iterations) == s.Shard.Iterations(total)
		for j, it := range s.Results.Iterations {
			ok = ok && it == k+j*n
		}
		if !ok {
			return nil, Manifest{}, nil, mergeErr("merge: %s: %s does not hold iterations %d, %d, ... below %d, as shard %s of %d iterations should (a truncated or edited file?)", s.Dir, ShardFile, k, k+n, total, s.Manifest.Shard, total)
		}
	}

	fr := first.Results
	res := &sim.Results{
		Arms: fr.Arms, Metrics: fr.Metrics, Yearly: fr.Yearly, Years: fr.Years,
		SurvivalMonths: fr.SurvivalMonths, ParamNames: fr.ParamNames,
		Iterations: make([]int, total), TotalIterations: total,
		Outcomes: make([][]sim.Outcome, len(fr.Arms)),
	}
	if len(fr.ParamNames) > 0 {
		res.Params = make([][]float64, total)
	}
	for a := range res.Outcomes {
		res.Outcomes[a] = make([]sim.Outcome, total)
	}
	for i := range total {
		res.Iterations[i] = i
		s, j := byK[i%n], i/n
		for a := range res.Outcomes {
			res.Outcomes[a][i] = s.Results.Outcomes[a][j]
		}
		if res.Params != nil {
			res.Params[i] = s.Results.Params[j]
		}
	}

	man := fm
	man.Files = nil
	man.Shard = Shard{0, 1}.String()
	man.Workers, man.WallSeconds = 0, 0
	man.CommandLine = nil
	for _, s := range shards {
		m := s.Manifest
		man.Workers += m.Workers
		man.WallSeconds += m.WallSeconds
		if m.Start.Before(man.Start) {
			man.Start = m.Start
		}
		if m.End.After(man.End) {
			man.End = m.End
		}
	}
	man.Start, man.End = man.Start.UTC().Truncate(time.Second), man.End.UTC().Truncate(time.Second)
	return res, man, first.Scenario, nil
}
