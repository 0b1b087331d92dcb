//go:build reunifytest

package safefile

import (
	"fmt"
	"os"
	"time"
)

// TestPhase exists only in a test build (-tags reunifytest). At the
// phase named by REUNIFY_TEST_PHASE it prints "reunify-test: at PHASE"
// on stderr and sleeps for REUNIFY_TEST_PAUSE (a Go duration; default
// 3s), so that a test can signal or kill the process there.
func TestPhase(name string) {
	if os.Getenv("REUNIFY_TEST_PHASE") != name {
		return
	}
	fmt.Fprintf(os.Stderr, "reunify-test: at %s\n", name)
	d, err := time.ParseDuration(os.Getenv("REUNIFY_TEST_PAUSE"))
	if err != nil {
		d = 3 * time.Second
	}
	time.Sleep(d)
}

func init() { phase = TestPhase }
