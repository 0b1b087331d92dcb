package progress

import (
	"bytes"
	"testing"
)

// TestHiddenOffTerminal: off a terminal (a script, CI) the bar draws
// nothing, yet counts, and Current says how far the work got.
func TestHiddenOffTerminal(t *testing.T) {
	var stderr bytes.Buffer
	b := Start(&stderr, 10, "simulating", false)
	b.Count.Add(4)
	if done, total := Current(); done != 4 || total != 10 {
		t.Errorf("Current() = %d, %d; want 4, 10", done, total)
	}
	b.Finish()
	if stderr.Len() != 0 {
		t.Errorf("drew %q off a terminal", stderr.String())
	}
}
