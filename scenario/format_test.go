package scenario

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// magnitudes are the numbers every printer is tried on: each power of ten
// from 1e-12 to 1e15 and an awkward value beside it, both signs.
func magnitudes() []float64 {
	var xs []float64
	for e := -12; e <= 15; e++ {
		p := math.Pow(10, float64(e))
		xs = append(xs, p, -p, 1.2345678*p, 9.87654321*p)
	}
	return xs
}

// exponent is a number in exponent form: a digit, e or E, an exponent.
var exponent = regexp.MustCompile(`[0-9.][eE][-+]?[0-9]`)

func hasExponent(s string) bool { return exponent.MatchString(s) }

// Every number printer of the package writes 1e-12 to 1e15 in plain
// decimal: formatNum exactly (it reads back as the same float, TOML and
// distribution strings depend on it), readNum grouped by thousands for
// messages (reading back without the commas), sig to its significant
// digits, and a distribution's String.
func TestNumbersNeverInExponentForm(t *testing.T) {
	for _, x := range magnitudes() {
		s := formatNum(x)
		if hasExponent(s) {
			t.Errorf("formatNum(%v) = %q", x, s)
		}
		if back, err := strconv.ParseFloat(s, 64); err != nil || back != x {
			t.Errorf("formatNum(%v) = %q reads back as %v (%v)", x, s, back, err)
		}
		r := readNum(x)
		if hasExponent(r) {
			t.Errorf("readNum(%v) = %q", x, r)
		}
		if back, err := strconv.ParseFloat(strings.ReplaceAll(r, ",", ""), 64); err != nil || back != x {
			t.Errorf("readNum(%v) = %q reads back as %v (%v)", x, r, back, err)
		}
		whole := strings.TrimPrefix(strings.SplitN(r, ".", 2)[0], "-")
		for i, g := range strings.Split(whole, ",") {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				t.Errorf("readNum(%v) = %q: groups of thousands wrong", x, r)
			}
		}
		if strings.Contains(strings.SplitN(r, ".", 2)[min(1, len(strings.SplitN(r, ".", 2))-1)], ",") && strings.Contains(r, ".") {
			t.Errorf("readNum(%v) = %q: commas in the fraction", x, r)
		}
		g := sig(x, 6)
		if hasExponent(g) {
			t.Errorf("sig(%v, 6) = %q", x, g)
		}
		if back, _ := strconv.ParseFloat(g, 64); math.Abs(back-x) > 5e-6*math.Abs(x) {
			t.Errorf("sig(%v, 6) = %q, off by more than 6 digits allow", x, g)
		}
		if x > 0 {
			d, err := ParseDist("gamma(mean=" + formatNum(x) + ", sd=" + formatNum(x/10) + ")")
			if err != nil {
				t.Fatalf("gamma at %v: %v", x, err)
			}
			if s := d.String(); hasExponent(s) {
				t.Errorf("gamma at %v prints %q", x, s)
			} else if again, err := ParseDist(s); err != nil || again.String() != s {
				t.Errorf("gamma at %v: %q does not read back (%v)", x, s, err)
			}
		}
	}
	for x, want := range map[float64]string{1e15: "1,000,000,000,000,000", 1e9: "1,000,000,000", -1234567.5: "-1,234,567.5", 999: "999", 1000: "1,000", 1e-12: "0.000000000001"} {
		if got := readNum(x); got != want {
			t.Errorf("readNum(%v) = %q, want %q", x, got, want)
		}
	}
}

// What a user sees: explain's notes for a cost from 1e-12 to 1e15 a week
// and the message refusing a weekly cost of 1e15, in plain decimal.
func TestExplainAndMessagesNeverInExponentForm(t *testing.T) {
	for _, x := range magnitudes() {
		if x <= 0 || x > MaxPounds/2 {
			continue
		}
		set := "placement.kinship.weekly_cost=gamma(mean=" + formatNum(x) + ",sd=" + formatNum(x/10) + ")"
		s, err := Load("../scenarios/local-authority.toml", []string{set})
		if err != nil {
			t.Fatalf("%s: %v", set, err)
		}
		var b strings.Builder
		if err := s.Explain(&b); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.Contains(l, "placement.kinship.weekly_cost") && hasExponent(l) {
				t.Errorf("%s: explain prints %q", set, l)
			}
		}
	}
	_, err := Load("../scenarios/local-authority.toml", []string{"placement.in_house_foster.weekly_cost=1e15"})
	if err == nil || !strings.Contains(err.Error(), "1,000,000,000,000,000 must be at most 1,000,000,000 pounds") {
		t.Errorf("a weekly cost of 1e15: %v", err)
	}
}
