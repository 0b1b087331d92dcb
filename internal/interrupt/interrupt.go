package interrupt

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/reunify/reunify/internal/progress"
	"github.com/reunify/reunify/internal/safefile"
)

// exit ends the process; a variable for tests.
var exit = osExit

var osExit = os.Exit

// quitWithin bounds how long a second signal waits for the temporary
// files to be removed (a commit under way is finished first, which takes
// milliseconds).
const quitWithin = 500 * time.Millisecond

// Context returns a context that the first SIGINT or SIGTERM cancels:
// the simulation's workers stop after the iteration each is in, and the
// command returns an error saying how far it got. A second signal quits
// at once: temporary files of writes under way are removed, a rename of
// results into place is finished or never started, and the process
// exits with 128 plus the signal's number, saying how far the work under
// way (progress.Current) got. Messages go to stderr. stop restores the
// default handling.
func Context(stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var sig os.Signal
		select {
		case sig = <-ch:
		case <-done:
			return
		}
		fmt.Fprintf(stderr, "\nreunify: %s: stopping (press Ctrl-C again to quit at once)\n", name(sig))
		cancel()
		select {
		case sig = <-ch:
		case <-done:
			return
		}
		// Remove the temporary files, but quit at once even if the disk is
		// slow to do it: whatever is left, the next reunify there removes.
		var removed []string
		gone := make(chan []string, 1)
		go func() { gone <- safefile.RemoveTemporary() }()
		tail := "; nothing half-written is left and earlier results are untouched"
		select {
		case removed = <-gone:
		case <-time.After(quitWithin):
			tail = "; the disk was slow to remove the temporary files: the next reunify writing there finishes the job, and earlier results are untouched"
		}
		msg := fmt.Sprintf("reunify: %s again: quitting at once", name(sig))
		if n, total := progress.Current(); total > 0 {
			msg += fmt.Sprintf(" after %d of %d iterations", n, total)
		}
		if len(removed) > 0 {
			msg += fmt.Sprintf(" (%d temporary files removed)", len(removed))
		}
		fmt.Fprintln(stderr, msg+tail)
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		exit(code)
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel()
		})
	}
}

func name(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "interrupt (SIGINT)"
	case syscall.SIGTERM:
		return "terminate (SIGTERM)"
	}
	return s.String()
}
