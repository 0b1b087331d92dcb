package calibrate_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/ssda903"
)

// backtest exports one simulated authority of m over its 8 years and
// backtests calibration on it: fit on the first 4 years, predict the last
// 4.
func backtest(t *testing.T, m *sim.Model, seed uint64) *calibrate.BacktestResult {
	t.Helper()
	eps, head := synthModel(t, m, seed)
	d, _ := readBack(t, eps, head)
	w := calibrate.DefaultWindow(d)
	res, err := calibrate.Backtest(context.Background(), []*ssda903.Data{d}, 0, w, calibrate.BacktestOptions{Options: sim.Options{Iterations: 100, Seed: 5, Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (calibrate.Window{From: w.From, To: date("2024-03-31")}); res.Fit != want {
		t.Errorf("fitted on %v, want the first 4 of 8 years %v", res.Fit, want)
	}
	if len(res.Rows) != 4*len(calibrate.BacktestMetrics) {
		t.Fatalf("%d rows, want 4 years x %d counts", len(res.Rows), len(calibrate.BacktestMetrics))
	}
	return res
}

// TestBacktestRecoversLaterYears: on a synthetic return whose rates are
// constant, the later years' entries, returns home, re-entries and
// children in care fall within their prediction intervals. Each count
// must be within 4 predictive standard deviations, and at least 12 of the
// 16 inside their 95% intervals (with calibrated intervals, 5 or more
// outside has probability under 0.1%).
func TestBacktestRecoversLaterYears(t *testing.T) {
	res := backtest(t, loadModel(t, "testdata/roundtrip.toml"), 11)
	inside := 0
	for _, r := range res.Rows {
		if r.Inside {
			inside++
		}
		if math.Abs(r.Z) > 4 {
			t.Errorf("%s to %s %s: observed %v, predicted %.1f (sd %.1f, 95%% %v to %v): z = %.1f",
				r.From, r.To, r.Metric, r.Observed, r.Mean, r.SD, r.P2_5, r.P97_5, r.Z)
		}
		if r.Observed <= 0 || r.SD <= 0 {
			t.Errorf("%s %s: observed %v, sd %v: every count should be seen and uncertain", r.From, r.Metric, r.Observed, r.SD)
		}
	}
	if inside < 12 {
		var b strings.Builder
		res.WriteTable(&b)
		t.Errorf("only %d of %d inside their 95%% intervals:\n%s", inside, len(res.Rows), b.String())
	}
}

// TestBacktestFindsATrend is the backtest's negative control: entries
// rise by 25% a year, which calibration (no trend) cannot know from the
// earlier years, so the later years' entries must fall outside their
// prediction intervals, far above them.
func TestBacktestFindsATrend(t *testing.T) {
	m := loadModel(t, "testdata/roundtrip.toml")
	m.Entries.Trend = 0.25
	res := backtest(t, m, 11)
	for _, r := range res.Rows {
		if r.Metric == calibrate.BacktestEntries && r.From >= date("2025-04-01") && (r.Inside || r.Z < 4) {
			t.Errorf("%s entries: observed %v, predicted %.1f (95%% %v to %v), z = %.1f: a 25%% yearly rise should be far above",
				r.From, r.Observed, r.Mean, r.P2_5, r.P97_5, r.Z)
		}
	}
}

// TestBacktestObservedCounts counts by hand what two children's files
// record in two half-year periods.
func TestBacktestObservedCounts(t *testing.T) {
	spell := func(a, b string, typ ssda903.PlacementType) []ssda903.Spell {
		end := ssda903.Open
		if b != "" {
			end = date(b)
		}
		return []ssda903.Spell{{Start: date(a), End: end, Type: typ}}
	}
	d := &ssda903.Data{Children: []ssda903.Child{
		// In care from before the window; home in October 2020; back in
		// care in February 2021 (a re-entry), still there at the end.
		{DOB: date("2010-01-01"), Periods: []ssda903.Period{
			{Start: date("2019-01-01"), End: date("2020-10-10"), Exit: ssda903.ReturnHome, Spells: spell("2019-01-01", "2020-10-10", ssda903.Kinship)},
			{Start: date("2021-02-01"), End: ssda903.Open, Exit: ssda903.NotEnded, Reentry: true, StartKnown: true, Spells: spell("2021-02-01", "", ssda903.Kinship)},
		}},
		// A new entry in May 2020 who turns 18 in December 2020, in care.
		{DOB: date("2002-12-15"), Periods: []ssda903.Period{
			{Start: date("2020-05-01"), StartKnown: true, End: ssda903.Open, Exit: ssda903.NotEnded, Spells: spell("2020-05-01", "", ssda903.InHouseFoster)},
		}},
	}}
	got := calibrate.ObserveForTest(d, []ssda903.Date{date("2020-04-01"), date("2020-10-01"), date("2021-04-01")})
	want := [][4]float64{
		{1, 0, 0, 2}, // the entry; both in care on 1 October
		{0, 1, 1, 1}, // the return and the re-entry; one in care on 1 April (the other is 18)
	}
	for p := range want {
		if got[p] != want[p] {
			t.Errorf("period %d: entries, returns, re-entries, in care = %v, want %v", p, got[p], want[p])
		}
	}
}

// TestBacktestPrintsHonestly: the table printed "8 (8 to 25) outside" for
// an interval whose lower end is 8.475, and the CSV held float noise such
// as 0.6199999999999998. Each end of an interval is printed with as many
// decimals as it takes to show on which side of it the observed count
// lies, and the CSV's numbers have at most 12 significant digits.
func TestBacktestPrintsHonestly(t *testing.T) {
	res := &calibrate.BacktestResult{
		Window: calibrate.Window{From: date("2017-04-01"), To: date("2018-03-31")},
		Fit:    calibrate.Window{From: date("2017-04-01"), To: date("2017-09-30")},
		Rows: []calibrate.BacktestRow{
			{From: date("2017-10-01"), To: date("2017-12-31"), Metric: "entries", Observed: 8, Mean: 15.62, SD: 4.1, P2_5: 8.475, P97_5: 24.6, Z: -0.6199999999999998},
			{From: date("2017-10-01"), To: date("2017-12-31"), Metric: "returns_home", Observed: 25, Mean: 15, SD: 4, P2_5: 7.6, P97_5: 24.52, Z: 2.5},
			{From: date("2017-10-01"), To: date("2017-12-31"), Metric: "reentries", Observed: 3, Mean: 3, SD: 1, P2_5: 1, P97_5: 5, Z: 0, Inside: true},
		},
	}
	var table, csv strings.Builder
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"15.6 (8.5 to 25)", "15.0 (8 to 24.5)", "3.0 (1 to 5)"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if err := res.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), ",-0.62,") || strings.Contains(csv.String(), "99999") {
		t.Errorf("CSV with float noise:\n%s", csv.String())
	}
}
