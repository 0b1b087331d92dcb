package calibrate

import (
	"regexp"
	"strings"
	"testing"
)

// The fit's table prints money targets and fits (a total cost of £120m,
// a weekly cost of £4,500, up to £1,000bn) in plain decimal, never in
// exponent notation.
func TestFitTableNeverPrintsExponents(t *testing.T) {
	exponent := regexp.MustCompile(`\d[eE][-+]?\d`)
	for v := 1e6; v <= 1e12; v *= 4.3 {
		r := &FitResult{
			Params: []string{"placement.childrens_home.weekly_cost"}, Start: []float64{4500}, Values: []float64{v / 1e3},
			Targets: []Target{{"cost_total", v}}, Achieved: []float64{v * 1.0001}, MCSE: []float64{v / 97}, Method: "bisection",
		}
		var b strings.Builder
		if err := r.WriteTable(&b, FitOptions{}); err != nil {
			t.Fatal(err)
		}
		if m := exponent.FindString(b.String()); m != "" {
			t.Errorf("a target of %v: the table prints %q:\n%s", v, m, b.String())
		}
	}
}
