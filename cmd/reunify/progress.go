package main

import (
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows a bar on stderr while workers add to a counter. Workers
// never touch the bar: one ticker copies the counter to it every 150 ms.
type progress struct {
	count atomic.Int64
	total int64
	bar   *progressbar.ProgressBar
	stop  chan struct{}
	done  chan struct{}
}

// isTerminal reports whether w is a terminal; progress is shown only there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// startProgress starts a bar for total iterations, visible only when
// stderr is a terminal and quiet is false.
func startProgress(stderr io.Writer, total int64, desc string, quiet bool) *progress {
	p := &progress{stop: make(chan struct{}), done: make(chan struct{}), total: total}
	activeProgress.Store(p) // for the message on a second interrupt
	if quiet || !isTerminal(stderr) {
		close(p.done)
		return p
	}
	p.bar = progressbar.NewOptions64(total,
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
		defer close(p.done)
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				p.bar.Set64(p.count.Load())
			case <-p.stop:
				p.bar.Set64(p.count.Load())
				p.bar.Finish()
				return
			}
		}
	}()
	return p
}

// finish stops the ticker and clears the bar.
func (p *progress) finish() {
	if p.bar != nil {
		close(p.stop)
	}
	<-p.done
}
