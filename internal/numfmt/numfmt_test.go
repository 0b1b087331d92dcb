package numfmt

import "testing"

func TestThousands(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {-0.4, "0"}, {0.5, "1"}, {999, "999"}, {1000, "1,000"}, {-1000, "-1,000"},
		{1234567.8, "1,234,568"}, {-1234567.8, "-1,234,568"}, {1e15, "1,000,000,000,000,000"},
	} {
		if got := Thousands(tt.v); got != tt.want {
			t.Errorf("Thousands(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"": "", "1": "1", "123": "123", "1234": "1,234", "-123456": "-123,456", "123456789": "123,456,789"} {
		if got := Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
}
