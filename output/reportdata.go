package output

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Names of the optional files that the sensitivity analyses add to a
// result folder; the report draws their charts when they are present.
const (
	TornadoFile       = "tornado.csv"
	AcceptabilityFile = "acceptability.csv"
)

// Folder is a result folder as read back from its files: what the report
// and its charts are made from. It is read from the CSV files (not from
// sim.Results), so any result folder can be reported, including one
// written by an older version. Every number is the value written in the
// file, parsed with strconv.ParseFloat: NA reads as NaN, Inf and -Inf as
// infinities.
type Folder struct {
	Dir      string
	Scenario ScenarioInfo
	// Manifest is nil when the folder has no manifest.json.
	Manifest *Manifest
	// Arms in the scenario's order (the order of summary.csv); the
	// first is the baseline.
	Arms []string
	// Summary holds the rows of summary.csv by arm and metric. Stats.N
	// is not in the file and is left 0.
	Summary map[ArmMetric]summary.Stats
	// Comparison is comparison.csv, in file order.
	Comparison []summary.Comparison
	// Yearly is yearly.csv, in file order.
	Yearly []YearlyRow
	// Survival is survival.csv, in file order.
	Survival []summary.SurvivalPoint
	// Iterations is the number of iterations in iterations.csv (rows of
	// the baseline arm).
	Iterations int
	// NetSaving holds, for every policy arm, the net saving of each
	// iteration in the order of iterations.csv: the baseline's
	// cost_total_discounted minus the policy's in the same iteration,
	// exactly as comparison.csv's net_saving is computed.
	NetSaving map[string][]float64
	// Tornado and Acceptability are nil when their files are absent.
	Tornado       []TornadoRow
	Acceptability []AcceptabilityRow
}

// ArmMetric keys a row of summary.csv.
type ArmMetric struct{ Arm, Metric string }

// YearlyRow is one row of yearly.csv.
type YearlyRow struct {
	Arm                   string
	Year                  int
	Metric                string
	Mean, P2_5, P50, P975 float64
}

// TornadoRow is one row of tornado.csv: the result at a parameter's low
// and high value, all else at its base value.
type TornadoRow struct {
	Parameter                 string
	LowValue, HighValue       float64
	MetricAtLow, MetricAtHigh float64
	Swing                     float64
	Metric, Arm               string  // optional columns metric and arm; "" if absent
	Base                      float64 // optional column base (the result at base values); NaN if absent
}

// AcceptabilityRow is one row of acceptability.csv: the probability that
// the policy arm is worth it against the baseline if a re-entry averted
// is worth value_per_reentry_averted pounds.
type AcceptabilityRow struct {
	Arm, Baseline          string
	ValuePerReentryAverted float64
	ProbWorthIt            float64
}

// ScenarioInfo is what the report shows of the scenario as run, from the
// folder's scenario.toml. Numbers that are not plain numbers there (a
// distribution, say) are NaN.
type ScenarioInfo struct {
	Name, Description string
	HorizonYears      float64
	PriceYear         float64
	DiscountRate      float64
	// Packages of each arm, by arm name.
	Packages map[string][]string
}

// LoadFolder reads the result folder dir. It needs summary.csv,
// comparison.csv, yearly.csv, survival.csv and iterations.csv;
// scenario.toml, manifest.json, tornado.csv and acceptability.csv are
// read when present.
func LoadFolder(dir string) (*Folder, error) {
	f := &Folder{Dir: dir, Summary: map[ArmMetric]summary.Stats{}, NetSaving: map[string][]float64{}}
	if err := f.loadScenario(); err != nil {
		return nil, err
	}
	if err := f.loadManifest(); err != nil {
		return nil, err
	}
	steps := []struct {
		name     string
		optional bool
		want     []string
		row      func(r csvRow) error
	}{
		{SummaryFile, false, summaryHeader, f.summaryRow},
		{ComparisonFile, false, comparisonHeader, f.comparisonRow},
		{YearlyFile, false, yearlyHeader, f.yearlyRow},
		{SurvivalFile, false, survivalHeader, f.survivalRow},
		{TornadoFile, true, []string{"parameter", "low_value", "high_value", "metric_at_low", "metric_at_high", "swing"}, f.tornadoRow},
		{AcceptabilityFile, true, acceptabilityHeader, f.acceptabilityRow},
	}
	for _, s := range steps {
		if err := readCSV(filepath.Join(dir, s.name), s.optional, s.want, s.row); err != nil {
			return nil, err
		}
	}
	if len(f.Arms) == 0 {
		return nil, fmt.Errorf("report: %s has no rows", filepath.Join(dir, SummaryFile))
	}
	if err := f.loadIterations(); err != nil {
		return nil, err
	}
	return f, nil
}

// csvRow is a row of a CSV file with its header, for reading columns by
// name (files may gain columns; none is renamed).
type csvRow struct {
	file string
	line int
	col  map[string]int
	rec  []string
}

func (r csvRow) has(name string) bool { _, ok := r.col[name]; return ok }

func (r csvRow) str(name string) string {
	if i, ok := r.col[name]; ok && i < len(r.rec) {
		return r.rec[i]
	}
	return ""
}

// num reads a number as the CSV files write it: a decimal, NA, Inf or
// -Inf (strconv.ParseFloat reads the last two).
func (r csvRow) num(name string) (float64, error) {
	s := r.str(name)
	switch s {
	case "NA", "":
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("report: %s:%d: column %s: %q is not a number", r.file, r.line, name, s)
	}
	if !math.IsInf(v, 0) && math.Abs(v) > MaxReportable {
		return math.NaN(), nil // shown as not available, never drawn
	}
	return v, nil
}

// MaxReportable is the largest magnitude the report shows or draws: a
// finite number beyond it (no count or sum of money reunify computes
// comes near) is taken as not available. Charts of numbers near the
// largest floats cannot be drawn (their axes overflow).
const MaxReportable = 1e15

// Bounds on the whole numbers of yearly.csv and survival.csv (a horizon
// is at most 100 years).
const (
	maxYear  = 1000
	maxMonth = 12 * maxYear
)

// nums reads several number columns into the pointers.
func (r csvRow) nums(names []string, dst ...*float64) error {
	for i, n := range names {
		v, err := r.num(n)
		if err != nil {
			return err
		}
		*dst[i] = v
	}
	return nil
}

// readCSV calls row for every row of the CSV file path, after checking
// that its header has the columns want. A missing optional file is not an
// error.
func readCSV(path string, optional bool, want []string, row func(csvRow) error) error {
	fh, err := safefile.OpenRegular(path)
	if optional && errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer fh.Close()
	cr := csv.NewReader(&lineLimit{r: fh, max: maxLine})
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("report: %s: reading the header: %w", path, err)
	}
	r := csvRow{file: path, line: 1, col: make(map[string]int, len(header))}
	for i, h := range header {
		r.col[h] = i
	}
	var missing []string
	for _, w := range want {
		if !r.has(w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("report: %s lacks the column(s) %s", path, strings.Join(missing, ", "))
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
		r.line++
		r.rec = rec
		if err := row(r); err != nil {
			return err
		}
	}
}

func (f *Folder) summaryRow(r csvRow) error {
	var s summary.Stats
	if err := r.nums(summaryHeader[2:], &s.Mean, &s.SD, &s.MCSE, &s.P2_5, &s.P5, &s.P25, &s.P50, &s.P75, &s.P95, &s.P97_5); err != nil {
		return err
	}
	arm := r.str("arm")
	if len(f.Arms) == 0 || f.Arms[len(f.Arms)-1] != arm {
		f.Arms = append(f.Arms, arm)
	}
	f.Summary[ArmMetric{arm, r.str("metric")}] = s
	return nil
}

func (f *Folder) comparisonRow(r csvRow) error {
	c := summary.Comparison{Arm: r.str("arm"), Baseline: r.str("baseline"), Metric: r.str("metric")}
	if err := r.nums(comparisonHeader[3:],
		&c.Mean, &c.SD, &c.P2_5, &c.P50, &c.P97_5, &c.ProbPositive); err != nil {
		return err
	}
	f.Comparison = append(f.Comparison, c)
	return nil
}

func (f *Folder) yearlyRow(r csvRow) error {
	y := YearlyRow{Arm: r.str("arm"), Metric: r.str("metric")}
	year, err := strconv.Atoi(r.str("year"))
	if err == nil && (year < 1 || year > maxYear) {
		return fmt.Errorf("report: %s:%d: year %d is out of range (1 to %d)", r.file, r.line, year, maxYear)
	}
	if err != nil {
		return fmt.Errorf("report: %s:%d: year %q is not a whole number", r.file, r.line, r.str("year"))
	}
	y.Year = year
	if err := r.nums(yearlyHeader[3:], &y.Mean, &y.P2_5, &y.P50, &y.P975); err != nil {
		return err
	}
	f.Yearly = append(f.Yearly, y)
	return nil
}

func (f *Folder) survivalRow(r csvRow) error {
	p := summary.SurvivalPoint{Arm: r.str("arm")}
	m, err := strconv.Atoi(r.str("month"))
	if err == nil && (m < 0 || m > maxMonth) {
		return fmt.Errorf("report: %s:%d: month %d is out of range (0 to %d)", r.file, r.line, m, maxMonth)
	}
	if err != nil {
		return fmt.Errorf("report: %s:%d: month %q is not a whole number", r.file, r.line, r.str("month"))
	}
	p.Month = m
	if err := r.nums(survivalHeader[2:],
		&p.AtRisk, &p.CumReentry, &p.CumReentryP2_5, &p.CumReentryP97_5); err != nil {
		return err
	}
	f.Survival = append(f.Survival, p)
	return nil
}

func (f *Folder) tornadoRow(r csvRow) error {
	t := TornadoRow{Parameter: r.str("parameter"), Metric: r.str("metric"), Arm: r.str("arm")}
	if err := r.nums([]string{"low_value", "high_value", "metric_at_low", "metric_at_high", "swing"},
		&t.LowValue, &t.HighValue, &t.MetricAtLow, &t.MetricAtHigh, &t.Swing); err != nil {
		return err
	}
	t.Base = math.NaN()
	if r.has("base") {
		v, err := r.num("base")
		if err != nil {
			return err
		}
		t.Base = v
	}
	f.Tornado = append(f.Tornado, t)
	return nil
}

func (f *Folder) acceptabilityRow(r csvRow) error {
	a := AcceptabilityRow{Arm: r.str("arm"), Baseline: r.str("baseline")}
	if err := r.nums(acceptabilityHeader[2:], &a.ValuePerReentryAverted, &a.ProbWorthIt); err != nil {
		return err
	}
	f.Acceptability = append(f.Acceptability, a)
	return nil
}

// loadIterations reads the net saving of every policy arm, iteration by
// iteration, from iterations.csv.
func (f *Folder) loadIterations() error {
	base := f.Arms[0]
	costs := map[string]map[string]float64{} // arm -> iteration -> cost
	var order []string                       // iterations in file order
	err := readCSV(filepath.Join(f.Dir, IterationsFile), false, []string{"iteration", "arm", sim.MCostTotalDiscounted}, func(r csvRow) error {
		arm, it := r.str("arm"), r.str("iteration")
		v, err := r.num(sim.MCostTotalDiscounted)
		if err != nil {
			return err
		}
		m := costs[arm]
		if m == nil {
			m = map[string]float64{}
			costs[arm] = m
		}
		if _, dup := m[it]; dup {
			return fmt.Errorf("report: %s:%d: iteration %s of arm %s appears twice", r.file, r.line, it, arm)
		}
		m[it] = v
		if arm == base {
			order = append(order, it)
		}
		return nil
	})
	if err != nil {
		return err
	}
	f.Iterations = len(order)
	for _, arm := range f.Arms[1:] {
		xs := make([]float64, 0, len(order))
		for _, it := range order {
			p, ok := costs[arm][it]
			if !ok {
				return fmt.Errorf("report: %s: arm %s lacks iteration %s", filepath.Join(f.Dir, IterationsFile), arm, it)
			}
			xs = append(xs, costs[base][it]-p) // as Compare: baseline minus policy
		}
		f.NetSaving[arm] = xs
	}
	return nil
}

// loadScenario reads the name, description, horizon, price year, discount
// rate and arms from scenario.toml, loosely: the report only shows them.
func (f *Folder) loadScenario() error {
	f.Scenario = ScenarioInfo{HorizonYears: math.NaN(), PriceYear: math.NaN(), DiscountRate: math.NaN(), Packages: map[string][]string{}}
	path := filepath.Join(f.Dir, ScenarioFile)
	var raw map[string]any
	b, err := safefile.ReadSmall(path, maxScenarioBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if d := nestingDepth(b); d > maxNesting {
		return fmt.Errorf("report: %s: arrays or tables nested %d deep (at most %d): is this the scenario reunify wrote?", path, d, maxNesting)
	}
	if _, err := toml.Decode(string(b), &raw); err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	s := &f.Scenario
	s.Name, _ = raw["name"].(string)
	s.Description, _ = raw["description"].(string)
	s.HorizonYears = tomlNumber(raw["horizon_years"])
	if c, ok := raw["costs"].(map[string]any); ok {
		s.PriceYear = tomlNumber(c["price_year"])
		s.DiscountRate = tomlNumber(c["discount_rate"])
	}
	if arms, ok := raw["arm"].([]map[string]any); ok {
		for _, a := range arms {
			name, _ := a["name"].(string)
			pk := []string{}
			if ps, ok := a["packages"].([]any); ok {
				for _, p := range ps {
					if s, ok := p.(string); ok {
						pk = append(pk, s)
					}
				}
			}
			s.Packages[name] = pk
		}
	}
	return nil
}

// tomlNumber is a TOML integer or float as a float64, or NaN.
func tomlNumber(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

// loadManifest reads manifest.json if there is one.
func (f *Folder) loadManifest() error {
	path := filepath.Join(f.Dir, ManifestFile)
	b, err := safefile.ReadSmall(path, maxManifestBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	f.Manifest = &m
	return nil
}

// comparison returns the comparison row of arm and metric, if any.
func (f *Folder) comparison(arm, metric string) (summary.Comparison, bool) {
	for _, c := range f.Comparison {
		if c.Arm == arm && c.Metric == metric {
			return c, true
		}
	}
	return summary.Comparison{}, false
}

// Bounds on the scenario.toml the report reads back (as the scenario
// loader's).
const (
	maxScenarioBytes = 4 << 20
	maxNesting       = 32
)

// nestingDepth is the deepest nesting of [ and { in a TOML text outside
// strings and comments (table headers count one): a cheap guard before
// decoding, which takes minutes on a file nested thousands deep.
func nestingDepth(b []byte) int {
	depth, deepest := 0, 0
	var quote byte
	comment := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case comment:
			comment = c != '\n'
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			comment = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
	}
	return deepest
}
