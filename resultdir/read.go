package resultdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Folder is a result folder as read back from its files: what the report
// and its charts are made from. It is read from the CSV files (not from
// sim.Results), so any result folder can be reported, including one
// written by an older version. Every number is the value written in the
// file, parsed with strconv.ParseFloat: NA reads as NaN, Inf and -Inf as
// infinities, and a finite number beyond MaxReportable as NaN.
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
	// Yearly is yearly.csv, in file order; the statistics the file does
	// not hold (sd, mcse and the inner percentiles) are NaN.
	Yearly []summary.YearStats
	// Survival is survival.csv, in file order.
	Survival []summary.SurvivalPoint
	// PerIteration holds what the report draws of iterations.csv: for each
	// arm (Arms) and iteration (in the file's order of the baseline's
	// rows) the metrics IterationMetrics, as the engine's results, so
	// that summary.NetSavings gives the net savings comparison.csv
	// summarises. It has no yearly values, re-entry curves or
	// parameters.
	PerIteration *sim.Results
	// Tornado and Acceptability are nil when their files are absent.
	Tornado       []TornadoRow
	Acceptability []summary.AcceptabilityPoint
	// Parameters are the uncertain parameters of the run, the
	// param.<path> columns of iterations.csv (without the prefix), in
	// order. With none, every interval and probability across iterations
	// is chance alone (summary.Uncertain says the same of results).
	Parameters []string
	// VOI is voi.csv in file order, nil when the folder has none; the
	// file holds neither SE nor Naive, which are NaN. Parameter is
	// summary.AllParameters or a parameter's path, as in Parameters.
	VOI []summary.VOIPoint
	// The appraisal's files (reunify appraise), nil when absent:
	// basecase.csv and breakeven.csv.
	BaseCase  []summary.Comparison
	Breakeven []BreakevenRow
}

// ArmMetric keys a row of summary.csv.
type ArmMetric struct{ Arm, Metric string }

// IterationMetrics are the columns of iterations.csv that LoadFolder
// reads into Folder.Iterations.
var IterationMetrics = []string{sim.MCostTotalDiscounted}

// LoadFolder reads the result folder dir. It needs summary.csv,
// comparison.csv, yearly.csv, survival.csv and iterations.csv;
// scenario.toml, manifest.json, tornado.csv, acceptability.csv,
// voi.csv and the appraisal's files are read when present.
func LoadFolder(dir string) (*Folder, error) {
	f := &Folder{Dir: dir, Summary: map[ArmMetric]summary.Stats{}}
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
		{TornadoFile, true, tornadoHeader, f.tornadoRow},
		{AcceptabilityFile, true, acceptabilityHeader, f.acceptabilityRow},
		{VOIFile, true, voiHeader, f.voiRow},
		{BaseCaseFile, true, comparisonHeader, f.baseCaseRow},
		{BreakevenFile, true, breakevenHeader, f.breakevenRow},
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

// unread is the Stats of a row whose file holds only some of them: the
// others are NaN.
func unread() summary.Stats {
	nan := math.NaN()
	return summary.Stats{Mean: nan, SD: nan, MCSE: nan, P2_5: nan, P5: nan, P25: nan, P50: nan, P75: nan, P95: nan, P97_5: nan}
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
	y := summary.YearStats{Arm: r.str("arm"), Metric: r.str("metric"), Stats: unread()}
	year, err := strconv.Atoi(r.str("year"))
	if err == nil && (year < 1 || year > maxYear) {
		return fmt.Errorf("report: %s:%d: year %d is out of range (1 to %d)", r.file, r.line, year, maxYear)
	}
	if err != nil {
		return fmt.Errorf("report: %s:%d: year %q is not a whole number", r.file, r.line, r.str("year"))
	}
	y.Year = year
	if err := r.nums(yearlyHeader[3:], &y.Mean, &y.P2_5, &y.P50, &y.P97_5); err != nil {
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

func (f *Folder) acceptabilityRow(r csvRow) error {
	a := summary.AcceptabilityPoint{Arm: r.str("arm"), Baseline: r.str("baseline")}
	if err := r.nums(acceptabilityHeader[2:], &a.Value, &a.ProbWorthIt); err != nil {
		return err
	}
	f.Acceptability = append(f.Acceptability, a)
	return nil
}

// loadIterations reads IterationMetrics of every arm, iteration by
// iteration, from iterations.csv, in the order of the baseline's rows.
func (f *Folder) loadIterations() error {
	path := filepath.Join(f.Dir, IterationsFile)
	base := f.Arms[0]
	values := map[string]map[int][]float64{} // arm -> iteration -> metrics
	var order []int                          // the baseline's iterations, in file order
	want := append([]string{"iteration", "arm"}, IterationMetrics...)
	err := readCSV(path, false, want, func(r csvRow) error {
		if r.line == 2 {
			f.Parameters = paramColumns(r.col)
		}
		arm := r.str("arm")
		it, err := strconv.Atoi(r.str("iteration"))
		if err != nil {
			return fmt.Errorf("report: %s:%d: iteration %q is not a whole number", r.file, r.line, r.str("iteration"))
		}
		vs := make([]float64, len(IterationMetrics))
		for k, m := range IterationMetrics {
			if vs[k], err = r.num(m); err != nil {
				return err
			}
		}
		m := values[arm]
		if m == nil {
			m = map[int][]float64{}
			values[arm] = m
		}
		if _, dup := m[it]; dup {
			return fmt.Errorf("report: %s:%d: iteration %d of arm %s appears twice", r.file, r.line, it, arm)
		}
		m[it] = vs
		if arm == base {
			order = append(order, it)
		}
		return nil
	})
	if err != nil {
		return err
	}
	res := &sim.Results{Arms: f.Arms, Metrics: IterationMetrics, Iterations: order, TotalIterations: len(order),
		Outcomes: make([][]sim.Outcome, len(f.Arms))}
	for a, arm := range f.Arms {
		res.Outcomes[a] = make([]sim.Outcome, len(order))
		for i, it := range order {
			vs, ok := values[arm][it]
			if !ok {
				return fmt.Errorf("report: %s: arm %s lacks iteration %d", path, arm, it)
			}
			res.Outcomes[a][i].Metrics = vs
		}
	}
	f.PerIteration = res
	return nil
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

// Comparison returns the comparison row of arm and metric, if any.
func (f *Folder) ComparisonOf(arm, metric string) (summary.Comparison, bool) {
	for _, c := range f.Comparison {
		if c.Arm == arm && c.Metric == metric {
			return c, true
		}
	}
	return summary.Comparison{}, false
}

// paramColumns lists the parameters of a header's param.<path> columns,
// in the header's order.
func paramColumns(col map[string]int) []string {
	byIndex := map[int]string{}
	for name, i := range col {
		if p, ok := strings.CutPrefix(name, ParamPrefix); ok {
			byIndex[i] = p
		}
	}
	out := []string{}
	for _, i := range slices.Sorted(maps.Keys(byIndex)) {
		out = append(out, byIndex[i])
	}
	return out
}

func (f *Folder) voiRow(r csvRow) error {
	p := summary.VOIPoint{Parameter: strings.TrimPrefix(r.str("parameter"), ParamPrefix), SE: math.NaN(), Naive: math.NaN()}
	if err := r.nums([]string{voiHeader[0], voiHeader[2]}, &p.Value, &p.EVPI); err != nil {
		return err
	}
	f.VOI = append(f.VOI, p)
	return nil
}
