package report

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/summary"
)

// moneyText is what the table's money may look like: an optional minus,
// £, a whole number grouped by commas in threes, an optional decimal
// part, and m or bn.
var moneyText = regexp.MustCompile(`^-?£(0|[1-9][0-9]{0,2}(,[0-9]{3})*)(\.[0-9]+)?(m|bn)?$`)

// Money in the terminal table, from 1e-12 to 1e15 pounds either way:
// never an exponent, thousands grouped the same way in a single figure
// and in an interval's ends (£96,279bn, never £96279bn beside
// £101,097bn), no "-£0", and the value it shows within rounding of the
// true one.
func TestMoneyFormatsEveryMagnitude(t *testing.T) {
	value := func(s string) float64 {
		s = strings.ReplaceAll(strings.TrimPrefix(s, "-"), ",", "")
		s = strings.TrimPrefix(s, "£")
		mult := 1.0
		switch {
		case strings.HasSuffix(s, "bn"):
			s, mult = strings.TrimSuffix(s, "bn"), 1e9
		case strings.HasSuffix(s, "m"):
			s, mult = strings.TrimSuffix(s, "m"), 1e6
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v * mult
	}
	for e := -12; e <= 15; e++ {
		for _, m := range []float64{1, 1.2345678, 9.87654321, 0.4999} {
			for _, sign := range []float64{1, -1} {
				x := sign * m * math.Pow(10, float64(e))
				got := money(x)
				if !moneyText.MatchString(got) || got == "-£0" {
					t.Errorf("money(%v) = %q", x, got)
					continue
				}
				// Three significant figures at least, or within £0.5.
				if d := math.Abs(value(got) - math.Abs(x)); d > math.Max(0.5, 5e-3*math.Abs(x)) {
					t.Errorf("money(%v) = %q, off by %v", x, got, d)
				}
				for _, other := range []float64{x / 1.05, x * 0.3, -x} {
					iv := moneyInterval(summary.Stats{P2_5: math.Min(x, other), P97_5: math.Max(x, other)})
					ends := strings.Split(iv, " to ")
					if len(ends) != 2 {
						t.Fatalf("moneyInterval %q", iv)
					}
					for _, end := range ends {
						if !moneyText.MatchString(end) || end == "-£0" || end == "-£0m" || end == "-£0bn" {
							t.Errorf("moneyInterval(%v, %v) = %q", math.Min(x, other), math.Max(x, other), iv)
						}
					}
				}
			}
		}
	}
	for x, want := range map[float64]string{1.01097e14: "£101,097bn", -1e-7: "£0", -0.4: "£0", -0.6: "-£1", 1e15: "£1,000,000bn"} {
		if got := money(x); got != want {
			t.Errorf("money(%v) = %q, want %q", x, got, want)
		}
	}
	if got := moneyInterval(summary.Stats{P2_5: 9.6279e13, P97_5: 1.06342e14}); got != "£96,279bn to £106,342bn" {
		t.Errorf("interval %q, want £96,279bn to £106,342bn", got)
	}
}

// TestNoNegativeZero: every number formatter of the report, given a value
// that rounds to zero from below, writes zero without a minus sign:
// "95% interval -0.0 to 2.0" was written for a count of -0.04.
func TestNoNegativeZero(t *testing.T) {
	formatters := map[string]func(float64) string{
		"count": count, "percent": percent, "percent0": percent0, "money": money,
		"thousands": thousands, "trimFloat": trimFloat, "roiValue": roiValue, "round3": round3,
		"fixed1":        func(v float64) string { return fixed(v, 1) },
		"fixed0":        func(v float64) string { return fixed(v, 0) },
		"moneyInterval": func(v float64) string { return moneyInterval(summary.Stats{P2_5: v, P97_5: 2.5e6}) },
		"interval":      func(v float64) string { return interval(summary.Stats{P2_5: v, P97_5: 2}, count) },
	}
	for name, f := range formatters {
		for _, v := range []float64{math.Copysign(0, -1), -1e-9, -0.0004, -0.004, -0.04, -0.4, -0.0049} {
			if got := f(v); negativeZero.MatchString(got) {
				t.Errorf("%s(%g) = %q, a negative zero", name, v, got)
			}
		}
	}
}

// negativeZero matches a minus sign before a number that is all zeros.
var negativeZero = regexp.MustCompile(`-£?0+(\.0+)?(%|m|bn)?(\s|$| to)`)
