package calibrate_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/ssda903"
)

// synthFiles simulates a scenario file once and returns its SSDA903
// export as episodes and header files.
func synthFiles(t *testing.T, path string, seed uint64) (*sim.Model, []byte, []byte) {
	t.Helper()
	m := loadModel(t, path)
	eps, head := synthModel(t, m, seed)
	return m, eps, head
}

// loadModel loads and builds a scenario file.
func loadModel(t *testing.T, path string) *sim.Model {
	t.Helper()
	sc, err := scenario.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// synthModel simulates a model once and returns its SSDA903 export.
func synthModel(t *testing.T, m *sim.Model, seed uint64) ([]byte, []byte) {
	t.Helper()
	var eps, head bytes.Buffer
	n, err := calibrate.Synth(context.Background(), m, calibrate.SynthOptions{Options: sim.Options{Seed: seed, Workers: 1}},
		func(int) (io.Writer, io.Writer, error) { return &eps, &head, nil })
	if err != nil {
		t.Fatal(err)
	}
	if n.Iterations != 1 || n.Children == 0 {
		t.Fatalf("exported %+v", n)
	}
	return eps.Bytes(), head.Bytes()
}

func readBack(t *testing.T, eps, head []byte) (*ssda903.Data, *ssda903.Report) {
	t.Helper()
	d, rep, err := ssda903.Read([]ssda903.Source{{Name: "header.csv", R: bytes.NewReader(head)}},
		[]ssda903.Source{{Name: "episodes.csv", R: bytes.NewReader(eps)}})
	if err != nil {
		t.Fatal(err)
	}
	return d, rep
}

// within checks an estimated rate against the true yearly rate: within 4
// standard errors, the standard error being that of a Poisson count with
// the expected number of events, sqrt(true*exposure)/exposure. Cells with
// fewer than 10 expected events are not checked (the normal approximation
// is poor there); the caller checks enough cells were.
func within(t *testing.T, what string, r calibrate.Rate, truth float64) bool {
	t.Helper()
	expected := truth * r.Exposure
	if expected < 10 {
		return false
	}
	se := math.Sqrt(expected) / r.Exposure
	if d := math.Abs(r.PerYear() - truth); d > 4*se {
		t.Errorf("%s: estimated %.4f a year (%d events in %.1f years), true %.4f: off by %.1f standard errors",
			what, r.PerYear(), r.Events, r.Exposure, truth, d/se)
	}
	return true
}

// TestRoundTrip simulates a scenario, exports it as SSDA903, reads the
// export back and checks that calibration recovers the return-home,
// re-entry, permanence, move and entry rates the scenario was run with.
func TestRoundTrip(t *testing.T) {
	m, eps, head := synthFiles(t, "testdata/roundtrip.toml", 11)
	d, rep := readBack(t, eps, head)
	if n := rep.Skipped(); n != 0 {
		var b strings.Builder
		rep.WriteSummary(&b, 3)
		t.Fatalf("the export has %d bad rows:\n%s", n, b.String())
	}
	last := calibrate.DefaultStart + ssda903.Date(math.Floor(m.Horizon*ssda903.DaysPerMonth)) - 1
	w := calibrate.DefaultWindow(d)
	if want := (calibrate.Window{From: calibrate.DefaultStart, To: last}); w != want {
		t.Fatalf("default window %v, want %v", w, want)
	}
	e := calibrate.Estimate(d, w)

	checked := 0
	for b := range m.Care.ReturnHome {
		for s, truth := range m.Care.ReturnHome[b] {
			if within(t, "return home, band "+itoa(b)+" segment "+itoa(s), e.Return[b][s], 12*truth) {
				checked++
			}
		}
	}
	if checked < 14 {
		t.Errorf("only %d of 20 return-home cells had 10+ expected events: make the scenario bigger", checked)
	}
	for s, truth := range m.Home.Reentry.Rates {
		if !within(t, "re-entry segment "+itoa(s), e.Reentry[s], 12*truth) {
			t.Errorf("re-entry segment %d: too few events to check (%d)", s, e.Reentry[s].Events)
		}
	}
	for b, truth := range m.Care.Permanence {
		if !within(t, "permanence band "+itoa(b), e.Permanence[b], 12*truth) && b > 0 {
			t.Errorf("permanence band %d: too few events to check", b)
		}
	}
	for i, p := range m.Placements {
		typ, _ := ssda903.TypeByName(p.Name)
		if !within(t, "moves from "+p.Name, e.Moves[typ], 12*p.MoveRate) {
			t.Errorf("moves from %s: too few events to check", p.Name)
		}
		_ = i
	}
	if !within(t, "entries", e.Entries, 12*m.Entries.PerMonth) {
		t.Error("entries: too few to check")
	}
	if e.Stock < m.Stock.Count || e.Stock > m.Stock.Count+3 {
		t.Errorf("stock %d, want the scenario's %d (plus any entry on the first day)", e.Stock, m.Stock.Count)
	}

	// The pooled posteriors hold the true rates within their intervals
	// (4 standard deviations), cell by cell. Pooling toward the pattern of
	// age bands and segments shrinks a cell whose true rate breaks the
	// pattern (band 1, segment 3 here): over 24 seeds it sits 2.7
	// posterior sds low on average, with this engine's random numbers as
	// with the last one's, so the posterior sd alone fails about one seed
	// in four. The cell's own sampling error bounds how far pooling may
	// honestly move it, so the larger of the two is the scale.
	pooled := calibrate.PoolAll([]*calibrate.Estimates{e})[0]
	inside := func(what string, p calibrate.Posterior, truth float64) {
		t.Helper()
		if p.Exposure == 0 {
			return // a cell no child reaches (infants 12+ months in care): its rate never applies
		}
		if d := math.Abs(p.Mean() - truth); d > 4*math.Max(p.SD(), math.Sqrt(truth*p.Exposure)/p.Exposure) {
			t.Errorf("%s: posterior %.4f (sd %.4f, %d events in %.1f years), true %.4f: off by %.1f posterior sds",
				what, p.Mean(), p.SD(), p.Events, p.Exposure, truth, d/p.SD())
		}
	}
	for b := range m.Care.ReturnHome {
		for s, truth := range m.Care.ReturnHome[b] {
			inside("pooled return home, band "+itoa(b)+" segment "+itoa(s), pooled.Return[b][s], 12*truth)
		}
	}
	for s, truth := range m.Home.Reentry.Rates {
		inside("pooled re-entry segment "+itoa(s), pooled.Reentry[s], 12*truth)
	}
	for b, truth := range m.Care.Permanence {
		inside("pooled permanence band "+itoa(b), pooled.Permanence[b], 12*truth)
	}
	for _, p := range m.Placements {
		typ, _ := ssda903.TypeByName(p.Name)
		inside("pooled moves from "+p.Name, pooled.Moves[typ], 12*p.MoveRate)
	}

	// The scenario written from the estimates loads, builds and carries
	// the posterior means as the means of its distributions.
	var out bytes.Buffer
	if err := calibrate.WriteScenario(&out, e, pooled, calibrate.WriteOptions{Name: "rt", Sources: []string{"episodes.csv", "header.csv"}}); err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.LoadBytes("rt.toml", out.Bytes(), nil)
	if err != nil {
		t.Fatalf("written scenario does not load: %v\n%s", err, out.String())
	}
	m2, params, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	for s, p := range pooled.Reentry {
		if got, want := 12*m2.Home.Reentry.Rates[s], p.Mean(); math.Abs(got-want) > 1e-3*want {
			t.Errorf("written re-entry rate %d: %v, posterior mean %v", s, got, want)
		}
	}
	// The export's stock has no known start (RNE P on the first day) but
	// for a child who entered that day: its mean time in care is not
	// that one child's 0 months (the backtest found it: the simulated
	// stock went home at the rates of new entries).
	if got := m2.Stock.MeanMonthsInCare; got != 24 || e.StockKnown*2 >= e.Stock {
		t.Errorf("mean months in care %v, from %d of %d children with a known start: want the assumption, 24", got, e.StockKnown, e.Stock)
	}
	if len(params) < 20 {
		t.Errorf("only %d parameters carry uncertainty", len(params))
	}
	if _, err := sim.Run(context.Background(), m2, sim.Options{Iterations: 2, Seed: 1, Params: params}); err != nil {
		t.Fatalf("written scenario does not run: %v", err)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestMain(m *testing.M) { os.Exit(m.Run()) }
