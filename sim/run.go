package sim

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"
)

// Run simulates every arm of m for the iterations that opt selects and
// returns their metric vectors. The results are identical, bit for bit,
// whatever opt.Workers is, and a shard's results are exactly the matching
// iterations of a single run. Run stops early, returning ctx.Err(), when
// ctx is cancelled.
func Run(ctx context.Context, m *Model, opt Options) (*Results, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("invalid model: %w", err)
	}
	if opt.Iterations < 1 {
		return nil, fmt.Errorf("iterations %d: need at least 1", opt.Iterations)
	}
	for _, p := range opt.Params {
		for _, m := range p.Mix {
			if m.Param < 0 || m.Param >= len(opt.Params) || math.IsNaN(m.W) || math.IsInf(m.W, 0) {
				return nil, fmt.Errorf("parameter %s: correlation weight %v on parameter %d: need a finite weight on one of the %d parameters", p.Path, m.W, m.Param, len(opt.Params))
			}
		}
	}
	shards := max(opt.Shards, 1)
	if opt.Shard < 0 || opt.Shard >= shards {
		return nil, fmt.Errorf("shard %d/%d: the shard index must be from 0 to %d", opt.Shard, shards, shards-1)
	}
	var iters []int
	for i := opt.Shard; i < opt.Iterations; i += shards {
		iters = append(iters, i)
	}
	base := compile(m)
	res := &Results{
		Metrics:         MetricNames(m),
		Yearly:          YearlyNames(),
		Years:           base.years,
		SurvivalMonths:  base.survival,
		Iterations:      iters,
		TotalIterations: opt.Iterations,
		Params:          make([][]float64, len(iters)),
		Outcomes:        make([][]Outcome, len(m.Arms)),
	}
	for _, a := range m.Arms {
		res.Arms = append(res.Arms, a.Name)
	}
	for a := range res.Outcomes {
		res.Outcomes[a] = make([]Outcome, len(iters))
	}
	for _, p := range opt.Params {
		res.ParamNames = append(res.ParamNames, p.Path)
	}

	workers := min(max(opt.Workers, 1), len(iters))
	var (
		nextIdx atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		runErr  error
		events  atomic.Int64
	)
	log := newOrderedLog(opt.Events, eventWindow(workers))
	// A cancelled run wakes the workers that wait for the log's window.
	defer context.AfterFunc(ctx, log.abandon)()
	fail := func(err error) { errOnce.Do(func() { runErr = err }) }
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker()
			w.general = opt.general
			w.stop = func() bool { return ctx.Err() != nil || log.failed.Load() }
			defer func() { events.Add(w.events) }()
			var tallies []*tally
			for {
				i := int(nextIdx.Add(1) - 1)
				if i >= len(iters) || w.stop() || !log.admit(i) {
					return
				}
				if err := w.iteration(m, base, opt, iters[i], i, res, &tallies, log); err != nil {
					fail(err)
					log.abandon() // its rows will never come: nobody may wait for them
					return
				}
				if opt.Progress != nil {
					opt.Progress.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if runErr != nil {
		return nil, runErr
	}
	if err := log.err(); err != nil {
		return nil, fmt.Errorf("writing the event log: %w", err)
	}
	res.Events = events.Load()
	return res, nil
}

// eventWindow is how many iterations may be in flight, from the first
// whose event rows are not yet written, while an event log is kept:
// twice the workers, so that a slow iteration keeps the others busy for
// a while, and a worker waits before it starts one beyond the window.
// The rows held in memory are those of at most this many iterations
// (MemoryEstimate), not of the whole log.
func eventWindow(workers int) int {
	if workers <= 1 {
		return 1
	}
	return 2 * workers
}

// orderedLog writes per-iteration chunks of the event log in iteration
// order as they become ready. With a writer, at most window iterations
// (slots of Results, in order) are admitted beyond the last written.
type orderedLog struct {
	w       io.Writer
	mu      sync.Mutex
	wake    sync.Cond // next moved on, or the log was abandoned
	next    int       // the first slot not yet written
	window  int
	pending map[int][]byte
	werr    error
	failed  atomic.Bool // a write failed: the workers stop
	done    bool        // abandoned: nobody waits any more
	peak    int         // the most slots admitted and not yet written at once
}

func newOrderedLog(w io.Writer, window int) *orderedLog {
	l := &orderedLog{w: w, pending: map[int][]byte{}, window: max(window, 1)}
	l.wake.L = &l.mu
	if w != nil {
		if _, err := io.WriteString(w, EventLogHeader); err != nil {
			l.werr = err
			l.failed.Store(true)
		}
	}
	return l
}

// admit waits until slot i is within the window of the first slot not
// yet written, and reports whether the run goes on (false once the log is
// abandoned). Without an event log it never waits.
func (l *orderedLog) admit(i int) bool {
	if l.w == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i >= l.next+l.window && !l.done {
		l.wake.Wait()
	}
	l.peak = max(l.peak, i-l.next+1)
	return !l.done
}

// abandon wakes every worker waiting in admit, for good: the run is
// cancelled, an iteration failed, or the log cannot be written.
func (l *orderedLog) abandon() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	l.wake.Broadcast()
}

func (l *orderedLog) put(i int, b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending[i] = b
	moved := false
	for {
		chunk, ok := l.pending[l.next]
		if !ok {
			break
		}
		delete(l.pending, l.next)
		l.next++
		moved = true
		if l.werr == nil {
			if _, l.werr = l.w.Write(chunk); l.werr != nil {
				l.failed.Store(true)
				l.done = true
			}
		}
	}
	if moved {
		l.wake.Broadcast()
	}
}

func (l *orderedLog) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.werr
}
