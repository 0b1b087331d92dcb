package interrupt

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/reunify/reunify/internal/interrupt/caught"
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

// Signals are caught from the start of the program (package caught) to
// its end, never handed back to the default handling: a
// signal that arrives before a command's work starts, between its steps
// or after it ends still gets reunify's message and exit status, never
// the shell's 143 with nothing said.
var state struct {
	sync.Mutex
	stderr  io.Writer
	cancel  context.CancelFunc // the Context under way, if any
	stopped int                // signals received by it
}

func init() {
	go func() {
		for sig := range caught.C {
			handle(sig)
		}
	}()
}

// handle is what a signal does.
func handle(sig os.Signal) {
	state.Lock()
	cancel, stderr := state.cancel, state.stderr
	if cancel != nil {
		state.stopped++
	}
	n := state.stopped
	state.Unlock()
	switch {
	case cancel != nil && n == 1:
		fmt.Fprintf(stderr, "\nreunify: %s: stopping (press Ctrl-C again to quit at once)\n", name(sig))
		cancel()
	case cancel != nil:
		quit(stderr, name(sig)+" again: quitting at once", "; nothing half-written is left and earlier results are untouched", exitStatus(sig))
	default:
		// No work under way that could stop cleanly: before a command's
		// work (loading, cleaning up after an earlier run) or after it.
		// Quit, removing what is half-written: exit status 1, as for a
		// first signal.
		if stderr == nil {
			stderr = os.Stderr
		}
		quit(stderr, name(sig)+": quitting", "; nothing half-written is left", 1)
	}
}

// quit removes the temporary files of writes under way (waiting for a
// commit under way to finish, and stopping a clean-up of an earlier
// run's files where it is, consistent, for the next run to finish) and
// exits with code.
func quit(stderr io.Writer, what, tail string, code int) {
	// Remove the temporary files, but quit at once even if the disk is
	// slow to do it: whatever is left, the next reunify there removes.
	var removed []string
	gone := make(chan []string, 1)
	go func() { gone <- safefile.RemoveTemporary() }()
	select {
	case removed = <-gone:
	case <-time.After(quitWithin):
		tail = "; the disk was slow to remove the temporary files: the next reunify writing there finishes the job, and earlier results are untouched"
	}
	msg := "reunify: " + what
	if n, total := progress.Current(); total > 0 {
		msg += fmt.Sprintf(" after %d of %d iterations", n, total)
	}
	if len(removed) > 0 {
		msg += fmt.Sprintf(" (%d temporary files removed)", len(removed))
	}
	fmt.Fprintln(stderr, msg+tail)
	exit(code)
}

func exitStatus(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return 143
	}
	return 130
}

// Context returns a context that the first SIGINT or SIGTERM cancels:
// the simulation's workers stop after the iteration each is in, and the
// command returns an error saying how far it got (exit status 1). A
// second signal quits at once: temporary files of writes under way are
// removed, a rename of results into place is finished or never started,
// and the process exits with 128 plus the signal's number, saying how
// far the work under way (progress.Current) got. Messages go to stderr.
// stop ends the context's handling: a signal after it (or before any
// Context) quits with exit status 1, removing what is half-written.
func Context(stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	state.Lock()
	state.stderr, state.cancel, state.stopped = stderr, cancel, 0
	state.Unlock()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			state.Lock()
			state.cancel = nil
			state.Unlock()
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
