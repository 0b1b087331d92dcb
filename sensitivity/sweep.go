package sensitivity

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// DefaultSweepMetrics are the metrics a sweep reports unless told
// otherwise.
var DefaultSweepMetrics = []string{"net_saving", "reentries_averted", "incremental_cost"}

// MaxGridPoints bounds the size of a sweep's grid (each point is a full
// simulation run).
const MaxGridPoints = 10000

// Axis is one swept parameter: its scenario path (as --set takes it) and
// the values to try, in scenario (file) units.
type Axis struct {
	Path   string
	Values []float64
}

// ParseValues reads a list of values, "a,b,c".
func ParseValues(s string) ([]float64, error) {
	var vs []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, inputf("--values %q: %q is not a number; give numbers separated by commas, e.g. --values 0.5,0.7,0.9", s, f)
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// ParseRange reads "from:to:steps": steps equal steps from from to to,
// so steps+1 values including both ends ("0.4:1:6" is 0.4, 0.5, ..., 1).
// Values are rounded to 12 significant digits, so that they print as
// written (0.7, not 0.7000000000000001).
func ParseRange(s string) ([]float64, error) {
	parts := strings.Split(s, ":")
	bad := func() ([]float64, error) {
		return nil, inputf("--range %q: want from:to:steps with steps a whole number from 1 to %d, e.g. --range 0.4:1:6 for 0.4, 0.5, ..., 1", s, MaxGridPoints-1)
	}
	if len(parts) != 3 {
		return bad()
	}
	from, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	to, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	steps, err3 := strconv.Atoi(strings.TrimSpace(parts[2]))
	if err1 != nil || err2 != nil || err3 != nil || steps < 1 || steps >= MaxGridPoints ||
		math.IsNaN(from) || math.IsNaN(to) || math.IsInf(from, 0) || math.IsInf(to, 0) {
		return bad()
	}
	vs := make([]float64, steps+1)
	for k := range vs {
		v := (from*float64(steps-k) + to*float64(k)) / float64(steps)
		vs[k], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	}
	return vs, nil
}

// SweepRow is one grid point's summary of one metric for one arm.
type SweepRow struct {
	Point  []float64 // the value of each axis
	Arm    string
	Metric string
	Summary
}

// Sweep is the result of a one- or two-way sweep.
type Sweep struct {
	Axes    []Axis
	Metrics []string   // the metrics asked for
	Arm     string     // the arm asked for; "" for every arm
	Rows    []SweepRow // by grid point (first axis slowest), arm, then metric
}

// Settings are what the sweep's manifest records of how it was made:
// its metrics, arm and grid of values by parameter path.
func (sw *Sweep) Settings() map[string]any {
	grid := map[string][]float64{}
	for _, a := range sw.Axes {
		grid[a.Path] = a.Values
	}
	return map[string]any{"metrics": sw.Metrics, "arm": sw.Arm, "grid": grid}
}

// RunSweep evaluates the metrics named at every point of the grid of
// axes (one or two; the first varies slowest). At each point the model is
// built by build with each axis's path set to the point's value, and run
// with opt's seed (common random numbers across points); parameters still
// given as distributions are drawn per iteration as in a run.
//
// arm selects one arm; if empty, comparison metrics are reported for every
// policy arm and per-arm metrics for every arm. Every point is built (and
// so checked) before any is simulated.
func RunSweep(ctx context.Context, build BuildFunc, axes []Axis, metrics []string, arm string, opt sim.Options) (*Sweep, error) {
	if len(axes) == 0 || len(axes) > 2 {
		return nil, inputf("a sweep needs one or two --param, each with --values or --range; got %d", len(axes))
	}
	points := [][]float64{{}}
	for _, ax := range axes {
		if len(ax.Values) == 0 {
			return nil, inputf("--param %s has no values: follow it with --values a,b,c or --range from:to:steps", ax.Path)
		}
		var next [][]float64
		for _, p := range points {
			for _, v := range ax.Values {
				next = append(next, append(slices.Clone(p), v))
			}
		}
		points = next
	}
	if len(points) > MaxGridPoints {
		return nil, inputf("the grid has %d points (each a full simulation): use at most %d", len(points), MaxGridPoints)
	}
	if len(axes) == 2 && axes[0].Path == axes[1].Path {
		return nil, inputf("--param %s is given twice: a two-way sweep needs two different parameters", axes[0].Path)
	}

	type built struct {
		m      *sim.Model
		params []sim.Param
	}
	var models []built
	var pick []Metric
	for _, pt := range points {
		sets := make([]string, len(axes))
		for i, ax := range axes {
			sets[i] = ax.Path + "=" + strconv.FormatFloat(pt[i], 'g', -1, 64)
		}
		m, params, err := build(sets)
		if err != nil {
			return nil, err
		}
		if pick == nil {
			if pick, err = sweepMetrics(m, metrics, arm); err != nil {
				return nil, err
			}
		}
		if arm != "" {
			m = keepArms(m, m.Arms[0].Name, arm) // the baseline, for comparisons
		}
		models = append(models, built{m, params})
	}

	sw := &Sweep{Axes: axes, Metrics: metrics, Arm: arm}
	for i, b := range models {
		res, err := run(ctx, b.m, b.params, opt)
		if err != nil {
			return nil, err
		}
		cmp, err := compare(res)
		if err != nil {
			return nil, err
		}
		for _, mt := range pick {
			s, err := evaluate(res, cmp, mt)
			if err != nil {
				return nil, err
			}
			sw.Rows = append(sw.Rows, SweepRow{Point: points[i], Arm: mt.Arm, Metric: mt.Name, Summary: s})
		}
	}
	return sw, nil
}

// sweepMetrics expands metric names to (metric, arm) pairs in output
// order: by arm, then metric.
func sweepMetrics(m *sim.Model, names []string, arm string) ([]Metric, error) {
	if len(names) == 0 {
		names = DefaultSweepMetrics
	}
	for _, n := range names {
		if err := CheckMetricName(m, n); err != nil {
			return nil, err
		}
	}
	if arm != "" {
		var out []Metric
		for _, n := range names {
			mt, err := Metric{Name: n, Arm: arm}.Resolve(m)
			if err != nil {
				return nil, err
			}
			out = append(out, mt)
		}
		return out, nil
	}
	var out []Metric
	for a, ar := range m.Arms {
		for _, n := range names {
			if a == 0 && IsComparison(n) {
				continue
			}
			out = append(out, Metric{Name: n, Arm: ar.Name})
		}
	}
	if len(out) == 0 {
		_, err := Metric{Name: names[0]}.Resolve(m) // explains why
		return nil, err
	}
	return out, nil
}

// WriteCSV writes sweep.csv: one column per axis (named by its path),
// then arm, metric, mean, sd, p2_5, p50, p97_5, prob_positive (NA for
// per-arm metrics).
func (s *Sweep) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	var header []string
	for _, ax := range s.Axes {
		header = append(header, ax.Path)
	}
	cw.Write(append(header, "arm", "metric", "mean", "sd", "p2_5", "p50", "p97_5", "prob_positive"))
	for _, r := range s.Rows {
		var row []string
		for _, v := range r.Point {
			row = append(row, num(v))
		}
		cw.Write(append(row, r.Arm, r.Metric, num(r.Mean), num(r.SD), num(r.P2_5), num(r.P50), num(r.P97_5), num(r.ProbPositive)))
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable prints the sweep's means and 95% intervals for a person at a
// terminal.
func (s *Sweep) WriteTable(w io.Writer) error {
	var b strings.Builder
	for _, ax := range s.Axes {
		b.WriteString(ax.Path + "\t")
	}
	tw := newTable(w)
	fmt.Fprintf(tw, "%sarm\tmetric\tmean\t95%% interval\tP(>0)\n", b.String())
	for _, r := range s.Rows {
		for _, v := range r.Point {
			fmt.Fprintf(tw, "%s\t", short(v))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s to %s\t%s\n", r.Arm, r.Metric, short(r.Mean), short(r.P2_5), short(r.P97_5), short(r.ProbPositive))
	}
	return tw.Flush()
}

// FromBytes returns a BuildFunc that loads the scenario raw, read once
// from the file name, with the overrides sets (the user's --set), then
// the analysis's own. Every run of an analysis builds from the same bytes,
// those its manifest records, even if the file changes meanwhile.
func FromBytes(name string, raw []byte, sets []string) BuildFunc {
	return func(more []string) (*sim.Model, []sim.Param, error) {
		sc, err := scenario.LoadBytes(name, raw, append(slices.Clone(sets), more...))
		if err != nil {
			return nil, nil, err
		}
		return sc.Build()
	}
}
