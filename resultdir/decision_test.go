package resultdir

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// enoughForVOI is resultstest.Tiny's three iterations copied over, each copy
// with its own parameter value and a cost that depends on it: just
// enough iterations for the value of information (summary.MinIterations).
func enoughForVOI() *sim.Results {
	res := resultstest.Tiny()
	k := res.Metric(sim.MCostTotalDiscounted)
	n := len(res.Iterations)
	copies := (summary.MinIterations + n - 1) / n
	res.Iterations, res.Params = nil, nil
	for c := range copies {
		for i := range n {
			res.Iterations = append(res.Iterations, c*n+i)
			res.Params = append(res.Params, []float64{0.5 + 0.1*float64(c*n+i)})
		}
	}
	for a := range res.Outcomes {
		var outs []sim.Outcome
		for c := range copies {
			for i := range n {
				o := res.Outcomes[a][i]
				o.Metrics = slices.Clone(o.Metrics)
				o.Metrics[k] = 1000 + float64(a)*(300*res.Params[c*n+i][0]-200) + float64(i)
				outs = append(outs, o)
			}
		}
		res.Outcomes[a] = outs
	}
	res.TotalIterations = len(res.Iterations)
	return res
}

// A folder read back gives the run's parameters and its voi.csv, to the
// penny of summary.VOI's estimates; a folder of a run without uncertain
// parameters has neither.
func TestLoadFolderReadsVOI(t *testing.T) {
	res := enoughForVOI()
	dir := filepath.Join(t.TempDir(), "out")
	if err := Write(dir, res, fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	f, err := LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Parameters, res.ParamNames) {
		t.Errorf("Parameters %v, want %v", f.Parameters, res.ParamNames)
	}
	want, err := summary.ResultsVOI(res, summary.DefaultAcceptabilityValues())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.VOI) != len(want) {
		t.Fatalf("%d VOI rows read, want %d", len(f.VOI), len(want))
	}
	positive := false
	for i, w := range want {
		g := f.VOI[i]
		if g.Value != w.Value || g.Parameter != w.Parameter || math.Abs(g.EVPI-w.EVPI) > 0.005 {
			t.Errorf("row %d: %+v, want %+v", i, g, w)
		}
		positive = positive || g.EVPI > 0
	}
	if !positive {
		t.Error("every EVPI is 0: the fixture decides nothing")
	}

	fixed := enoughForVOI()
	fixed.ParamNames, fixed.Params = nil, nil
	dir = filepath.Join(t.TempDir(), "fixed")
	if err := Write(dir, fixed, fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	if f, err = LoadFolder(dir); err != nil {
		t.Fatal(err)
	}
	if len(f.Parameters) != 0 || f.VOI != nil {
		t.Errorf("a run without uncertain parameters read back with %v and %d VOI rows", f.Parameters, len(f.VOI))
	}
}
