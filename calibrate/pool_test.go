package calibrate_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/sim"
)

// TestEmptyCellBorrows calibrates a synthetic return in which a cell
// (infants 6-12 months in care) has time at risk but no return home. On
// its own the cell would get a Jeffreys rate of 0.5 / years at risk
// (above 0.5 a year here); pooled, it gets the rate its neighbours imply,
// and the true rate is inside its posterior interval.
func TestEmptyCellBorrows(t *testing.T) {
	m := loadModel(t, "testdata/pool.toml")
	const band, seg = 0, 1
	truth := 12 * m.Care.ReturnHome[band][seg]
	found := 0
	for seed := uint64(1); seed <= 40 && found < 3; seed++ {
		eps, head := synthModel(t, m, seed)
		d, _ := readBack(t, eps, head)
		e := calibrate.Estimate(d, calibrate.DefaultWindow(d))
		own := e.Return[band][seg]
		if own.Events != 0 || own.Exposure < 0.1 || own.Exposure > 1 {
			continue
		}
		found++
		p := calibrate.PoolAll([]*calibrate.Estimates{e})[0].Return[band][seg]
		jeffreys := 0.5 / own.Exposure
		t.Logf("seed %d: %.2f years at risk, no event: Jeffreys %.3f, pooled %.3f (sd %.3f), pattern %.3f, true %.3f",
			seed, own.Exposure, jeffreys, p.Mean(), p.SD(), p.PriorMean, truth)
		// Near its pooled neighbours: the pattern's rate for the cell,
		// less the little its own zero takes off.
		if p.Mean() > p.PriorMean || p.Mean() < 0.75*p.PriorMean {
			t.Errorf("seed %d: pooled %.3f, want within 25%% below the pattern's %.3f", seed, p.Mean(), p.PriorMean)
		}
		// The neighbours are this cell's row and column: the pattern is
		// their age effect times their months-in-care effect.
		if d := math.Abs(p.Mean() - truth); d > 4*p.SD() {
			t.Errorf("seed %d: pooled %.3f (sd %.3f), true %.3f: off by %.1f sds", seed, p.Mean(), p.SD(), truth, d/p.SD())
		}
		if p.Mean() > jeffreys/2 {
			t.Errorf("seed %d: pooled %.3f is not well below the Jeffreys %.3f a cell alone would get", seed, p.Mean(), jeffreys)
		}
	}
	if found == 0 {
		t.Fatal("no seed gave the cell an empty year: make infants rarer in testdata/pool.toml")
	}
}

// TestPoolKeepsCellsWithMuchEvidence: cells whose many events disagree
// keep their own rates; cells with little evidence that agree are pulled
// together.
func TestPoolKeepsCellsWithMuchEvidence(t *testing.T) {
	p := calibrate.Pool(calibrate.Table{Cells: []calibrate.Rate{{Events: 1000, Exposure: 1000}, {Events: 100, Exposure: 1000}, {Events: 400, Exposure: 1000}}, Levels: make([][]int, 3)})
	for i, want := range []float64{1, 0.1, 0.4} {
		if got := p.Cells[i].Mean(); math.Abs(got-want) > 0.03*want {
			t.Errorf("cell %d: pooled %.4f, own %.4f: a cell with hundreds of events keeps its rate", i, got, want)
		}
	}
	// Ten cells of the same true rate, 0.3, with 3 events each in 10
	// years but one with 0 and one with 6: the two are pulled at least
	// half-way toward the overall rate, the others stay near it.
	cells := []calibrate.Rate{{Events: 0, Exposure: 10}, {Events: 6, Exposure: 10}}
	for range 8 {
		cells = append(cells, calibrate.Rate{Events: 3, Exposure: 10})
	}
	q := calibrate.Pool(calibrate.Table{Cells: cells, Levels: make([][]int, len(cells))})
	for i, c := range q.Cells {
		own := c.Own().PerYear()
		if moved := math.Abs(c.Mean() - own); math.Abs(own-0.3) > 0.01 && moved < 0.5*math.Abs(own-0.3) {
			t.Errorf("cell %d (%d events): pooled %.3f, own %.3f: want it at least half-way to the overall 0.3", i, c.Events, c.Mean(), own)
		}
		if math.Abs(c.Mean()-0.3) > 0.12 {
			t.Errorf("cell %d (%d events): pooled %.3f, want near 0.3", i, c.Events, c.Mean())
		}
	}
}

// withLA adds an LA column (first) to a CSV file.
func withLA(csv []byte, code string) []byte {
	lines := strings.SplitAfter(string(csv), "\n")
	var b strings.Builder
	for i, l := range lines {
		if l == "" {
			continue
		}
		if i == 0 {
			b.WriteString("LA," + l)
		} else {
			b.WriteString(code + "," + l)
		}
	}
	return []byte(b.String())
}

// TestTwoAuthorities calibrates a file holding two authorities (column
// LA) whose rates differ, with the same child identifiers in both: each
// authority's pooled rates, shrunk toward the region, hold its own true
// rates within their intervals.
func TestTwoAuthorities(t *testing.T) {
	a := loadModel(t, "testdata/roundtrip.toml")
	b := a.Clone()
	for i := range b.Care.ReturnHome {
		for j := range b.Care.ReturnHome[i] {
			b.Care.ReturnHome[i][j] *= 0.5
		}
		b.Care.Permanence[i] *= 1.5
	}
	for i := range b.Home.Reentry.Rates {
		b.Home.Reentry.Rates[i] *= 2
	}
	codes := []string{"E06000001", "E06000002"}
	var eps, head bytes.Buffer
	models := []*sim.Model{a, b}
	for k, m := range models {
		e, h := synthModel(t, m, uint64(21+k))
		e, h = withLA(e, codes[k]), withLA(h, codes[k])
		if k > 0 { // one header row for both files
			e, h = e[bytes.IndexByte(e, '\n')+1:], h[bytes.IndexByte(h, '\n')+1:]
		}
		eps.Write(e)
		head.Write(h)
	}
	d, rep := readBack(t, eps.Bytes(), head.Bytes())
	if rep.Skipped() != 0 {
		var s strings.Builder
		rep.WriteSummary(&s, 3)
		t.Fatalf("skipped rows:\n%s", s.String())
	}
	if len(d.LAs) != 3 || d.LAs[1] != codes[0] || d.LAs[2] != codes[1] {
		t.Fatalf("authorities %q", d.LAs)
	}
	w := calibrate.DefaultWindow(d)
	ests := []*calibrate.Estimates{calibrate.Estimate(d.Authority(1), w), calibrate.Estimate(d.Authority(2), w)}
	pooled := calibrate.PoolAll(ests)
	for k, m := range models {
		p := pooled[k]
		check := func(what string, post calibrate.Posterior, truth float64) {
			t.Helper()
			if post.Exposure == 0 {
				return
			}
			// The scale is the larger of the posterior sd and the cell's
			// own sampling error: pooling toward the pattern shrinks a
			// cell that breaks it (see TestRoundTrip).
			if dd := math.Abs(post.Mean() - truth); dd > 4*math.Max(post.SD(), math.Sqrt(truth*post.Exposure)/post.Exposure) {
				t.Errorf("%s %s: pooled %.4f (sd %.4f; own %d in %.1f years), true %.4f: off by %.1f sds",
					codes[k], what, post.Mean(), post.SD(), post.Events, post.Exposure, truth, dd/post.SD())
			}
		}
		for bd := range m.Care.ReturnHome {
			for s, truth := range m.Care.ReturnHome[bd] {
				check("return home "+itoa(bd)+","+itoa(s), p.Return[bd][s], 12*truth)
			}
			check("permanence "+itoa(bd), p.Permanence[bd], 12*m.Care.Permanence[bd])
		}
		for s, truth := range m.Home.Reentry.Rates {
			check("re-entry "+itoa(s), p.Reentry[s], 12*truth)
		}
		if p.Authorities != 2 {
			t.Errorf("pooled %d authorities, want 2", p.Authorities)
		}
	}
	// The authorities stay apart: B's returns home are about half A's.
	var ra, rb float64
	for bd := range pooled[0].Return {
		for s := range pooled[0].Return[bd] {
			ra += pooled[0].Return[bd][s].Mean() * pooled[0].Return[bd][s].Exposure
			rb += pooled[1].Return[bd][s].Mean() * pooled[0].Return[bd][s].Exposure
		}
	}
	if r := rb / ra; r < 0.42 || r > 0.58 {
		t.Errorf("B's return-home rates are %.2f of A's, want about 0.5", r)
	}
}
