package calibrate

import "testing"

// TestDroppedPath: the dropped rows go where asked, else beside --out,
// or inside the folder of --la all.
func TestDroppedPath(t *testing.T) {
	for _, tt := range []struct {
		out, dropped string
		folder       bool
		want         string
		inside       bool
	}{
		{"la.toml", "", false, "la_dropped.csv", false},
		{"out/la.toml", "mine.csv", false, "mine.csv", false},
		{"region", "", true, "region/dropped.csv", true},
		{"region", "region/./dropped.csv", true, "region/dropped.csv", true},
		{"region", "elsewhere.csv", true, "elsewhere.csv", false},
	} {
		got, inside := DroppedPath(tt.out, tt.dropped, tt.folder)
		if got != tt.want || inside != tt.inside {
			t.Errorf("DroppedPath(%q, %q, %v) = %q, %v; want %q, %v", tt.out, tt.dropped, tt.folder, got, inside, tt.want, tt.inside)
		}
	}
}
