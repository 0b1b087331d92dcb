package sensitivity

import (
	"strings"
	"testing"
)

// The tables of tornado, sweep and breakeven show money (a net saving
// of £1,165,810 and up): never in exponent notation, at any size.
func TestShortNeverExponent(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{1165810.4, "1165810"}, {-1e6, "-1000000"}, {1.2345678e12, "1234570000000"},
		{0.7, "0.7"}, {1e-7, "0.0000001"}, {0, "0"},
	} {
		if got := short(c.v); got != c.want {
			t.Errorf("short(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	for v := 1e6; v <= 1e12; v *= 3.7 {
		for _, x := range []float64{v, -v} {
			if s := short(x); strings.ContainsAny(s, "eE") {
				t.Errorf("short(%v) = %q", x, s)
			}
		}
	}
}
