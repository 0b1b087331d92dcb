package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// exponent matches a number in exponent notation (1e+06, 1.2E9).
var exponent = regexp.MustCompile(`\d[eE][-+]?\d`)

// No money in the terminal table is ever in exponent notation: costs,
// intervals, net savings and their standard errors from £1m to £1,000bn,
// gains and losses.
func TestWriteTableNeverPrintsExponents(t *testing.T) {
	k := resultstest.Tiny().Metric(sim.MCostTotalDiscounted)
	for scale := 1e6; scale <= 1e12; scale *= 1.7 {
		for _, sign := range []float64{1, -1} {
			res := resultstest.Tiny()
			for i := range res.Iterations {
				res.Outcomes[0][i].Metrics[k] = scale * (1 + float64(i))
				res.Outcomes[1][i].Metrics[k] = scale*(1+float64(i)) - sign*scale*(0.3+0.5*float64(i))
			}
			var b bytes.Buffer
			if err := WriteTable(&b, res); err != nil {
				t.Fatal(err)
			}
			if m := exponent.FindString(b.String()); m != "" {
				t.Fatalf("costs of about %g: the table prints %q:\n%s", scale, m, b.String())
			}
		}
	}
	for v := 1.0; v <= 1e15; v *= 1.37 {
		for _, x := range []float64{v, -v} {
			if s := money(x); exponent.MatchString(s) {
				t.Errorf("money(%v) = %q", x, s)
			}
			if s := moneyInterval(summary.Stats{P2_5: -x / 3, P97_5: x}); exponent.MatchString(s) {
				t.Errorf("moneyInterval(%v) = %q", x, s)
			}
		}
	}
}

// The table says what its intervals include: chance alone when no
// parameter is uncertain, the parameters and chance otherwise; and it
// gives the Monte Carlo standard errors of the net saving and of the
// probability of saving money.
func TestWriteTableSaysWhatTheIntervalsInclude(t *testing.T) {
	table := func(res *sim.Results) string {
		var b bytes.Buffer
		if err := WriteTable(&b, res); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	uncertain := table(resultstest.Tiny())
	if !strings.Contains(uncertain, "the one uncertain parameter (drawn anew in each iteration) and chance together") || strings.Contains(uncertain, "chance alone") {
		t.Errorf("a run with an uncertain parameter:\n%s", uncertain)
	}
	fixed := resultstest.Tiny()
	fixed.ParamNames, fixed.Params = nil, nil
	chance := table(fixed)
	if !strings.Contains(chance, "95% intervals: chance alone") || strings.Contains(chance, "uncertain parameter (") {
		t.Errorf("a run with no uncertain parameter:\n%s", chance)
	}
	res := resultstest.Tiny()
	saving, err := summary.NetSavings(res, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := summary.Summarize(saving)
	p := summary.ProbPositive(saving)
	for _, want := range []string{"Monte Carlo SE", money(s.MCSE), strconv.FormatFloat(100*summary.ProportionSE(p, s.N), 'f', 1, 64) + " points"} {
		if !strings.Contains(uncertain, want) {
			t.Errorf("the table lacks %q:\n%s", want, uncertain)
		}
	}
}
