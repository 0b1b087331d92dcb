package resultdir

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

// FormatSignificant keeps at most the digits asked for and never writes
// an exponent, whatever the magnitude.
func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{25.331999999999972, "25.332"},
		{1165810.4999999998, "1165810.5"},
		{1e12, "1000000000000"},
		{-123456789012345, "-123456789012000"},
		{1e-7, "0.0000001"},
		{0.1 + 0.2, "0.3"},
		{math.Copysign(0, -1), "0"},
		{math.NaN(), "NA"},
		{math.Inf(1), "Inf"},
		{math.Inf(-1), "-Inf"},
	} {
		if got := FormatSignificant(c.v, 12); got != c.want {
			t.Errorf("FormatSignificant(%v, 12) = %q, want %q", c.v, got, c.want)
		}
	}
	// Any finite number: no exponent, at most 12 significant digits, and
	// within a relative 5e-12 of the value.
	for _, v := range []float64{math.Pi * 1e15, math.E * 1e-9, 1 / 3.0, 2.0 / 3 * 1e6, -math.MaxFloat64 / 1e290} {
		s := FormatSignificant(v, 12)
		digits := 0
		started := false
		for _, c := range s {
			switch {
			case c == 'e' || c == 'E':
				t.Fatalf("FormatSignificant(%v, 12) = %q has an exponent", v, s)
			case c >= '1' && c <= '9', c == '0' && started:
				started = true
				digits++
			}
		}
		// Trailing zeros of a whole number are not significant.
		trail := 0
		for i := len(s) - 1; i >= 0 && s[i] == '0' && !slices.Contains([]byte(s), '.'); i-- {
			trail++
		}
		if digits-trail > 12 {
			t.Errorf("FormatSignificant(%v, 12) = %q: %d significant digits", v, s, digits-trail)
		}
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(back-v) > 5e-12*math.Abs(v) {
			t.Errorf("FormatSignificant(%v, 12) = %q reads back as %v", v, s, back)
		}
	}
}
