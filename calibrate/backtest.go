package calibrate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/ssda903"
	"github.com/reunify/reunify/summary"
)

// The counts a backtest compares, in each period of the later years.
const (
	BacktestEntries   = "entries"      // new periods of care that are entries (ssda903.Period.Entry)
	BacktestReturns   = "returns_home" // periods ending with a return home
	BacktestReentries = "reentries"    // periods after a return home seen
	BacktestInCare    = "in_care_end"  // children in care at the end of the period
)

// BacktestMetrics lists the counts compared, in the order of the rows.
var BacktestMetrics = []string{BacktestEntries, BacktestReturns, BacktestReentries, BacktestInCare}

// BacktestOptions control Backtest.
type BacktestOptions struct {
	// Options are the simulation's: its iterations (the prediction's
	// draws; at least 2), seed, workers and progress (incremented once
	// per simulated iteration). Backtest sets the drawn parameters and
	// the event log itself.
	sim.Options
	// Split is the first day of the later years, the ones predicted; 0
	// takes DefaultSplit.
	Split ssda903.Date
	// PeriodMonths is the length of each compared period; 0 is 12 (3 if
	// the predicted years are shorter than a year).
	PeriodMonths int
}

// BacktestRow compares one count in one period with its prediction.
type BacktestRow struct {
	From, To ssda903.Date // the period, first and last day
	Metric   string
	Observed float64
	// The simulated count across iterations: mean, standard deviation
	// and the 95% prediction interval (2.5th to 97.5th percentile).
	Mean, SD, P2_5, P97_5 float64
	// Z is (Observed - Mean) / SD; Inside says Observed is within the
	// 95% prediction interval.
	Z      float64
	Inside bool
}

// BacktestResult is a backtest: the window, the earlier years the rates
// were fitted on, the comparison and the scenario fitted.
type BacktestResult struct {
	Window, Fit Window
	Rows        []BacktestRow
	Scenario    string
}

// DefaultSplit is the first day of the later years of w: with two or more
// whole collection years, the start of the year after the first half
// (rounded up: 4 of 8 years, 3 of 5); with less, the first of the month
// nearest the middle.
func DefaultSplit(w Window) ssda903.Date {
	first, last := ssda903.CollectionYear(w.From), ssda903.CollectionYear(w.To)
	if n := last - first + 1; n >= 2 && w.From == ssda903.YearStart(first) {
		return ssda903.YearStart(first + (n+1)/2)
	}
	mid := w.From + (w.To-w.From+1)/2
	y, m, d := mid.Civil()
	if d > 15 {
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	s, _ := ssda903.MakeDate(y, m, 1)
	return s
}

// Backtest fits the rates on the earlier years of authority target's
// data (ds holds every authority's, over the same window, pooled toward
// the region as calibrate pools them; one Data for one authority),
// simulates the scenario written from them over the whole window, and
// compares, in each period of the later years, the simulated entries,
// returns home, re-entries and children in care with those the files
// record. The simulation draws every uncertain rate from its posterior in
// each iteration, so the intervals are prediction intervals: parameter
// uncertainty and chance together.
func Backtest(ctx context.Context, ds []*ssda903.Data, target int, w Window, opt BacktestOptions) (*BacktestResult, error) {
	res, err := backtest(ctx, ds, target, w, opt)
	return res, input(err)
}

func backtest(ctx context.Context, ds []*ssda903.Data, target int, w Window, opt BacktestOptions) (*BacktestResult, error) {
	split := opt.Split
	if split == 0 {
		split = DefaultSplit(w)
	}
	if split <= w.From || split > w.To {
		return nil, fmt.Errorf("the split %s must fall after the window's start %s and on or before its end %s", split, w.From, w.To)
	}
	res := &BacktestResult{Window: w, Fit: Window{From: w.From, To: split - 1}}
	ests := make([]*Estimates, len(ds))
	for i, d := range ds {
		ests[i] = Estimate(d, res.Fit)
	}
	pooled := PoolAll(ests)
	months := float64(w.To+1-w.From) / ssda903.DaysPerMonth
	var buf bytes.Buffer
	if err := WriteScenario(&buf, ests[target], pooled[target], WriteOptions{Name: "backtest", HorizonYears: int(math.Ceil(months / 12))}); err != nil {
		return nil, err
	}
	res.Scenario = buf.String()
	sc, err := scenario.LoadBytes("backtest.toml", buf.Bytes(), nil)
	if err != nil {
		return nil, fmt.Errorf("the scenario fitted on %s to %s does not load (a bug: please report it): %w", res.Fit.From, res.Fit.To, err)
	}
	m, params, err := sc.Build()
	if err != nil {
		return nil, fmt.Errorf("the scenario fitted on %s to %s does not build (a bug: please report it): %w", res.Fit.From, res.Fit.To, err)
	}
	m.Arms = m.Arms[:1]
	m.Horizon = months

	// The periods of the later years.
	per := opt.PeriodMonths
	if per <= 0 {
		per = 12
		if float64(w.To+1-split) < 365 {
			per = 3
		}
	}
	var bounds []ssda903.Date // period starts, then the day after the last
	for t := split; t <= w.To; {
		bounds = append(bounds, t)
		y, mo, d := t.Civil()
		d = min(d, 28) // every month has a 28th
		mo += per
		y, mo = y+(mo-1)/12, (mo-1)%12+1
		next, ok := ssda903.MakeDate(y, mo, d)
		if !ok || next <= t {
			return nil, fmt.Errorf("cannot cut the period after %s into %d-month periods", t, per)
		}
		t = next
	}
	bounds = append(bounds, w.To+1)
	np := len(bounds) - 1
	monthOf := func(d ssda903.Date) float64 { return float64(d-w.From) / ssda903.DaysPerMonth }
	edges := make([]float64, len(bounds))
	for i, b := range bounds {
		edges[i] = monthOf(b)
	}

	observed := observe(ds[target], bounds)
	sims, err := simulateCounts(ctx, m, params, edges, opt)
	if err != nil {
		return nil, err
	}
	for p := range np {
		for k, metric := range BacktestMetrics {
			xs := make([]float64, len(sims))
			for i := range sims {
				xs[i] = sims[i][p][k]
			}
			s := summary.Summarize(xs)
			obs := observed[p][k]
			row := BacktestRow{From: bounds[p], To: bounds[p+1] - 1, Metric: metric, Observed: obs,
				Mean: s.Mean, SD: s.SD, P2_5: s.P2_5, P97_5: s.P97_5}
			row.Inside = obs >= s.P2_5 && obs <= s.P97_5
			switch {
			case s.SD > 0:
				row.Z = (obs - s.Mean) / s.SD
			case obs == s.Mean:
				row.Z = 0
			default:
				row.Z = math.Inf(1)
				if obs < s.Mean {
					row.Z = math.Inf(-1)
				}
			}
			res.Rows = append(res.Rows, row)
		}
	}
	return res, nil
}

// counts are one period's entries, returns, re-entries and children in
// care at its end, in the order of BacktestMetrics.
type counts [4]float64

// observe counts, in each period [bounds[p], bounds[p+1]), what the files
// record, as Estimate counts it: entries (ssda903.Period.Entry), returns home before the 18th birthday, re-entries, and
// children under 18 in care at the period's end.
func observe(d *ssda903.Data, bounds []ssda903.Date) []counts {
	np := len(bounds) - 1
	out := make([]counts, np)
	find := func(t ssda903.Date) int {
		for p := range np {
			if t >= bounds[p] && t < bounds[p+1] {
				return p
			}
		}
		return -1
	}
	for _, c := range d.Children {
		age18 := c.DOB.AddYears(18)
		for _, pd := range c.Periods {
			if p := find(pd.Start); p >= 0 {
				if pd.Reentry {
					out[p][2]++
				} else if pd.Entry() {
					out[p][0]++
				}
			}
			if pd.End != ssda903.Open && pd.Exit == ssda903.ReturnHome && pd.End < age18 {
				if p := find(pd.End); p >= 0 {
					out[p][1]++
				}
			}
			for p := range np {
				t := bounds[p+1]
				if pd.Start <= t && (pd.End == ssda903.Open || pd.End > t) && t < age18 {
					out[p][3]++
				}
			}
		}
	}
	return out
}

// simulateCounts runs the model with its parameters drawn per iteration
// and an event log, and counts the same four things in each period
// [edges[p], edges[p+1]) months, per iteration.
func simulateCounts(ctx context.Context, m *sim.Model, params []sim.Param, edges []float64, opt BacktestOptions) ([][]counts, error) {
	iters := max(opt.Iterations, 2)
	np := len(edges) - 1
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		o := opt.Options
		o.Iterations, o.Workers, o.Params, o.Events, o.Shards = iters, max(o.Workers, 1), params, pw, 0
		_, err := sim.Run(ctx, m, o)
		pw.CloseWithError(err)
		done <- err
	}()
	out := make([][]counts, iters)
	for i := range out {
		out[i] = make([]counts, np)
	}
	find := func(t float64) int {
		for p := range np {
			if t >= edges[p] && t < edges[p+1] {
				return p
			}
		}
		return -1
	}
	type state struct {
		in    bool
		since float64
	}
	kids := map[int]*state{}
	it := -1
	// leave counts a stay in care [since, at) at the period ends in it.
	leave := func(s *state, at float64) {
		for p := range np {
			if e := edges[p+1]; s.in && e >= s.since && e < at {
				out[it][p][3]++
			}
		}
		s.in = false
	}
	flush := func() {
		for _, s := range kids {
			leave(s, math.Inf(1))
		}
		clear(kids)
	}
	err := func() error {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		if !sc.Scan() || sc.Text()+"\n" != sim.EventLogHeader {
			return errors.Join(errors.New("the simulation wrote no event log header"), sc.Err())
		}
		for sc.Scan() {
			f := strings.Split(sc.Text(), ",")
			if len(f) != 8 {
				return fmt.Errorf("event log row %q", sc.Text())
			}
			i, err1 := strconv.Atoi(f[0])
			child, err2 := strconv.Atoi(f[2])
			month, err3 := strconv.ParseFloat(f[3], 64)
			if err := errors.Join(err1, err2, err3); err != nil {
				return err
			}
			if i != it {
				if it >= 0 {
					flush()
				}
				if i < 0 || i >= iters {
					return fmt.Errorf("event log iteration %d", i)
				}
				it = i
			}
			s := kids[child]
			if s == nil {
				s = &state{}
				kids[child] = s
			}
			p := find(month)
			switch ev := f[4]; ev {
			case "start":
				if f[6] != "home" {
					s.in, s.since = true, month
				}
			case "entry", "reentry":
				s.in, s.since = true, month
				if p >= 0 {
					if ev == "entry" {
						out[it][p][0]++
					} else {
						out[it][p][2]++
					}
				}
			case "return":
				leave(s, month)
				if p >= 0 {
					out[it][p][1]++
				}
			case "permanence":
				leave(s, month)
			case "age18":
				if s.in {
					leave(s, month)
				}
			}
		}
		if it >= 0 {
			flush()
		}
		return sc.Err()
	}()
	pr.CloseWithError(errors.New("backtest stopped reading"))
	if runErr := <-done; runErr != nil {
		return nil, runErr
	}
	if err != nil {
		return nil, fmt.Errorf("reading the simulated event log: %w", err)
	}
	return out, nil
}

// BacktestColumns is the header of the backtest CSV file.
var BacktestColumns = []string{"period_from", "period_to", "metric", "observed", "simulated_mean", "simulated_sd", "simulated_p2_5", "simulated_p97_5", "z", "inside_95"}

// WriteCSV writes the comparison, one row per period and count.
func (b *BacktestResult) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(BacktestColumns)
	for _, r := range b.Rows {
		cw.Write([]string{r.From.String(), r.To.String(), r.Metric, sig12(r.Observed),
			sig12(r.Mean), sig12(r.SD), sig12(r.P2_5), sig12(r.P97_5),
			sig12(r.Z), strconv.FormatBool(r.Inside)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable prints the comparison for a person, with a count of the
// observed values inside their 95% prediction intervals.
func (b *BacktestResult) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "fitted on %s to %s; predicted %s to %s\n", b.Fit.From, b.Fit.To, b.Fit.To+1, b.Window.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "period\tcount\tobserved\tpredicted (95% interval)\tz\t")
	inside := 0
	for _, r := range b.Rows {
		mark := ""
		if !r.Inside {
			mark = "outside"
		} else {
			inside++
		}
		fmt.Fprintf(tw, "%s to %s\t%s\t%s\t%.1f (%s to %s)\t%+.1f\t%s\n", r.From, r.To, r.Metric, resultdir.FormatNumber(r.Observed), r.Mean,
			bound(r.P2_5, r.Observed, true), bound(r.P97_5, r.Observed, false), r.Z, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d of %d observed counts inside their 95%% prediction intervals (about %.0f expected by chance alone)\n",
		inside, len(b.Rows), 0.95*float64(len(b.Rows)))
	return err
}

// sig12 formats v for a CSV file with at most 12 significant digits, so
// that float noise (0.6199999999999998) is not written.
func sig12(v float64) string {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		r = v
	}
	return resultdir.FormatNumber(r)
}

// bound formats an end of a prediction interval (the lower end if lower)
// with the fewest decimals, up to 6, that show on which side of it obs
// lies: 8.475 is printed 8.5 when 8 is observed, not 8, which would read
// as inside.
func bound(v, obs float64, lower bool) string {
	inside := func(b float64) bool {
		if lower {
			return obs >= b
		}
		return obs <= b
	}
	for d := 0; ; d++ {
		s := strconv.FormatFloat(v, 'f', d, 64)
		p, err := strconv.ParseFloat(s, 64)
		if err != nil || inside(p) == inside(v) || d == 6 {
			return s
		}
	}
}
