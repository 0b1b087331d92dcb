package progress

import (
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar counts the iterations done of a known total. Workers add to Count
// and never touch the terminal: one ticker copies the count to the bar
// every 150 ms.
type Bar struct {
	Count atomic.Int64
	total int64
	bar   *progressbar.ProgressBar
	stop  chan struct{}
	done  chan struct{}
}

// current is the bar of the work under way, if any.
var current atomic.Pointer[Bar]

// Current says how far the work under way has got, for a message on
// quitting: iterations done and the total (0 and 0 if there is none).
func Current() (done, total int64) {
	if b := current.Load(); b != nil {
		return b.Count.Load(), b.total
	}
	return 0, 0
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Start starts a bar for total iterations, described as desc, drawn on
// stderr if it is a terminal and quiet is false. Finish it when the work
// ends.
func Start(stderr io.Writer, total int64, desc string, quiet bool) *Bar {
	b := &Bar{stop: make(chan struct{}), done: make(chan struct{}), total: total}
	current.Store(b)
	if quiet || !IsTerminal(stderr) {
		close(b.done)
		return b
	}
	b.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("iterations"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	go func() {
		defer close(b.done)
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				b.bar.Set64(b.Count.Load())
			case <-b.stop:
				b.bar.Set64(b.Count.Load())
				b.bar.Finish()
				return
			}
		}
	}()
	return b
}

// Finish stops the ticker and clears the bar.
func (b *Bar) Finish() {
	if b.bar != nil {
		close(b.stop)
	}
	<-b.done
}
