package summary

import (
	"errors"
	"testing"

	"github.com/reunify/reunify/sim"
)

// HasVOI needs an uncertain parameter, two arms and MinIterations
// iterations, each on its own; ResultsVOI is VOI on the results' own
// re-entries, costs and parameters.
func TestHasVOI(t *testing.T) {
	savings := normalSavings(MinIterations, 100, 10, 9)
	for _, c := range []struct {
		name string
		res  *sim.Results
		want bool
	}{
		{"enough", savingResults(savings, 2), true},
		{"no parameter", savingResults(savings, 0), false},
		{"one too few iterations", savingResults(savings[1:], 2), false},
		{"one arm", func() *sim.Results {
			r := savingResults(savings, 2)
			r.Arms, r.Outcomes = r.Arms[:1], r.Outcomes[:1]
			return r
		}(), false},
	} {
		if got := HasVOI(c.res); got != c.want {
			t.Errorf("%s: HasVOI %v, want %v", c.name, got, c.want)
		}
		if Uncertain(c.res) != (len(c.res.ParamNames) > 0) {
			t.Errorf("%s: Uncertain disagrees with the parameters", c.name)
		}
	}
	res := savingResults(savings, 1)
	for i := range res.Params {
		res.Params[i][0] = savings[i] // the net saving is a function of the parameter
	}
	got, err := ResultsVOI(res, []float64{0})
	if err != nil {
		t.Fatal(err)
	}
	re, costs, _ := DecisionInputs(res)
	want, err := VOI([]float64{0}, re, costs, res.Params, res.ParamNames)
	if err != nil || len(got) != 2 || got[1] != want[1] || got[0] != want[0] {
		t.Errorf("ResultsVOI %+v, VOI %+v (%v)", got, want, err)
	}
	bad := savingResults(savings, 1)
	bad.Metrics[1] = "something_else"
	if _, err := ResultsVOI(bad, []float64{0}); err == nil {
		t.Error("results without a cost gave a value of information")
	}
	if _, _, err := DecisionInputs(nil); err == nil || errors.Is(err, ErrShape) {
		t.Errorf("nil results: %v", err)
	}
}
