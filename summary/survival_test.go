package summary

import (
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
)

func TestSurvival(t *testing.T) {
	// tinyResults, per iteration:
	//   baseline at risk 40 30 20 | 0 0 0 | 38 30 25
	//            cum     0 .1 .3  | NA NA NA | 0 .15 .5
	//   support  at risk 42 35 30 | 1 0 0 | 39 33 28
	//            cum     0 .05 .2 | 0 1 1 | 0 .1 NA
	want := []SurvivalPoint{
		{"baseline", 0, 26, 0, 0, 0},
		{"baseline", 1, 20, 0.125, 0.975*0.1 + 0.025*0.15, 0.025*0.1 + 0.975*0.15},
		{"baseline", 2, 15, 0.4, 0.305, 0.495},
		{"support", 0, 82.0 / 3, 0, 0, 0},
		{"support", 1, 68.0 / 3, 1.15 / 3, 0.95*0.05 + 0.05*0.1, 0.05*0.1 + 0.95*1},
		{"support", 2, 58.0 / 3, 0.6, 0.22, 0.98},
	}
	got, err := Survival(resultstest.Tiny())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d points, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Arm != w.Arm || g.Month != w.Month || !resultstest.Near(g.AtRisk, w.AtRisk) ||
			!resultstest.Near(g.CumReentry, w.CumReentry) || !resultstest.Near(g.CumReentryP2_5, w.CumReentryP2_5) ||
			!resultstest.Near(g.CumReentryP97_5, w.CumReentryP97_5) {
			t.Errorf("point %d\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestSurvivalAllUndefined(t *testing.T) {
	res := resultstest.Tiny()
	for i := range res.Outcomes[0] {
		res.Outcomes[0][i].CumReentry[2] = resultstest.NaN
	}
	got, err := Survival(res)
	if err != nil {
		t.Fatal(err)
	}
	if g := got[2]; !resultstest.Near(g.CumReentry, resultstest.NaN) || !resultstest.Near(g.CumReentryP2_5, resultstest.NaN) || !resultstest.Near(g.CumReentryP97_5, resultstest.NaN) {
		t.Errorf("month with no one at risk: %+v, want NA re-entry", g)
	}
}
