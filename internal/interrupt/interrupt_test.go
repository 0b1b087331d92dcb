//go:build unix

package interrupt

import (
	"bytes"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a buffer the signal goroutine and the test share.
type lockedBuffer struct {
	sync.Mutex
	b bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) { l.Lock(); defer l.Unlock(); return l.b.Write(p) }
func (l *lockedBuffer) String() string              { l.Lock(); defer l.Unlock(); return l.b.String() }

// TestSignals: the first SIGTERM cancels the context and says so; the
// second quits with 143 (the test stands in for the exit). The binary's
// own tests signal a real process at every step of every command.
func TestSignals(t *testing.T) {
	code := make(chan int, 1)
	exit = func(c int) { code <- c }
	defer func() { exit = osExit }()
	var stderr lockedBuffer
	ctx, stop := Context(&stderr)
	defer stop()
	syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	select {
	case c := <-code:
		if c != 143 {
			t.Errorf("exit %d, want 143", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not quit")
	}
	if s := stderr.String(); !strings.Contains(s, "terminate (SIGTERM): stopping") || !strings.Contains(s, "again: quitting at once") {
		t.Errorf("messages: %q", s)
	}
}
