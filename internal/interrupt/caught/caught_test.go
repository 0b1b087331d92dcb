//go:build unix

package caught

import (
	"syscall"
	"testing"
	"time"
)

// TestCaughtFromInit: the package's init has already asked for SIGTERM,
// so one sent now waits in C instead of ending the process.
func TestCaughtFromInit(t *testing.T) {
	syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	select {
	case sig := <-C:
		if sig != syscall.SIGTERM {
			t.Errorf("got %v", sig)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not reach C")
	}
}
