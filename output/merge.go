package output

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reunify/reunify/sim"
)

// ShardFile is the machine-readable file of a shard folder: every
// per-iteration vector of the engine's results, with floats written so that
// they read back bit for bit (strconv 'g' with the shortest exact
// precision; NaN, +Inf and -Inf by name). Merge rebuilds a whole run from
// the shard files of all its shards.
//
// One row per iteration and arm, in iteration then arm order. Columns:
// iteration, arm, then metric.<name> for every per-iteration metric,
// yearly.<year>.<name> for every yearly metric (year 1 first),
// at_risk.<month> and cum_reentry.<month> for the re-entry curve (month 0
// first), and param.<path> for every sampled parameter.
const ShardFile = "shard.csv"

// Column prefixes of the shard file.
const (
	shardMetric = "metric."
	shardYearly = "yearly."
	shardRisk   = "at_risk."
	shardCum    = "cum_reentry."
)

// WriteShard writes a result folder like Write, plus the shard file that
// Merge needs. man.Shard must be "K/N".
func WriteShard(dir string, res *sim.Results, man Manifest, scenarioTOML []byte, force bool) error {
	if _, _, err := ParseShard(man.Shard); err != nil {
		return err
	}
	return writeAtomicFolder(dir, force, func(staged string) error {
		return WriteFolder(staged, res, man, scenarioTOML, true)
	})
}

// ParseShard reads a shard label "K/N" (0 <= K < N).
func ParseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		k, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("output: shard %q: want K/N with N >= 1 and K from 0 to N-1", s)
	}
	return k, n, nil
}

// exact formats v so that strconv.ParseFloat returns the same bits (up to
// the payload of a NaN, which the engine never uses).
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func shardHeader(res *sim.Results) []string {
	h := []string{"iteration", "arm"}
	for _, m := range res.Metrics {
		h = append(h, shardMetric+m)
	}
	for y := range res.Years {
		for _, m := range res.Yearly {
			h = append(h, shardYearly+strconv.Itoa(y+1)+"."+m)
		}
	}
	for m := 0; m <= res.SurvivalMonths; m++ {
		h = append(h, shardRisk+strconv.Itoa(m))
	}
	for m := 0; m <= res.SurvivalMonths; m++ {
		h = append(h, shardCum+strconv.Itoa(m))
	}
	for _, p := range res.ParamNames {
		h = append(h, ParamPrefix+p)
	}
	return h
}

func writeShardFile(w io.Writer, res *sim.Results) error {
	return writeIterationRows(w, shardHeader(res), res, exact, func(o *sim.Outcome) [][]float64 {
		return [][]float64{o.Metrics, o.Yearly, o.AtRisk, o.CumReentry}
	})
}

// Shard is a shard folder read back for merging.
type Shard struct {
	Dir      string
	Manifest Manifest
	K, N     int
	Scenario []byte // scenario.toml, the resolved scenario as run
	Results  *sim.Results
	header   []string
}

// ReadShard reads the manifest, the resolved scenario and the shard file
// of a shard folder.
func ReadShard(dir string) (*Shard, error) {
	s := &Shard{Dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("%s: not a result folder: %w", dir, err)
	}
	if err := json.Unmarshal(b, &s.Manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if s.K, s.N, err = ParseShard(s.Manifest.Shard); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if s.Scenario, err = os.ReadFile(filepath.Join(dir, ScenarioFile)); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	f, err := os.Open(filepath.Join(dir, ShardFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: it is not a shard folder (run each shard with --shard K/N)", dir, ShardFile)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := s.read(f); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ShardFile), err)
	}
	return s, nil
}

// read parses the shard file into s.Results.
func (s *Shard) read(r io.Reader) error {
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

// MergeError is a reason shards cannot be merged: bad input, not a failure
// of the program.
type MergeError struct{ Msg string }

func (e *MergeError) Error() string { return e.Msg }

func mergeErr(format string, a ...any) error {
	return &MergeError{fmt.Sprintf(format, a...)}
}

// Merge joins the shards of one run into the results of the single run:
// every CSV written from them is byte-identical to a single run's. It
// refuses (with a *MergeError) shards of different programs, scenarios,
// seeds, iteration counts or shard counts, and missing or duplicated
// shards. The returned manifest describes the whole run: shard "0/1",
// the earliest start, the latest end, the shards' wall seconds and
// workers added up; the caller sets the command line.
func Merge(shards []*Shard) (*sim.Results, Manifest, []byte, error) {
	if len(shards) == 0 {
		return nil, Manifest{}, nil, mergeErr("merge: no shard folders given")
	}
	first := shards[0]
	fm := first.Manifest
	differ := func(s *Shard, what, a, b string) error {
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
		case s.N != first.N:
			return nil, Manifest{}, nil, differ(s, "shard counts", fm.Shard, m.Shard)
		case !slices.Equal(s.header, first.header):
			return nil, Manifest{}, nil, differ(s, "result layouts", "columns of "+ShardFile, "")
		case !slices.Equal(s.Results.Arms, first.Results.Arms):
			return nil, Manifest{}, nil, differ(s, "arms", strings.Join(first.Results.Arms, ","), strings.Join(s.Results.Arms, ","))
		}
	}
	n, total := first.N, fm.Iterations
	byK := make([]*Shard, n)
	for _, s := range shards {
		if d := byK[s.K]; d != nil {
			return nil, Manifest{}, nil, mergeErr("merge: shard %d/%d is given twice (%s and %s)", s.K, n, d.Dir, s.Dir)
		}
		byK[s.K] = s
	}
	var missing []string
	for k, s := range byK {
		if s == nil {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return nil, Manifest{}, nil, mergeErr("merge: shard %s missing (%d of %d shards given); a run with --shard K/N needs every K from 0 to %d", strings.Join(missing, ", "), len(shards), n, n-1)
	}
	for _, s := range byK {
		want := 0
		for i := s.K; i < total; i += n {
			want++
		}
		ok := len(s.Results.Iterations) == want
		for j, it := range s.Results.Iterations {
			ok = ok && it == s.K+j*n
		}
		if !ok {
			return nil, Manifest{}, nil, mergeErr("merge: %s: %s does not hold iterations %d, %d, ... below %d, as shard %s of %d iterations should (a truncated or edited file?)", s.Dir, ShardFile, s.K, s.K+n, total, s.Manifest.Shard, total)
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
	man.Shard = "0/1"
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
