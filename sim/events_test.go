package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestEventLogWindowBoundsHeldIterations holds the first iteration of an
// event log back, as a slow iteration would, while other workers race
// ahead: no worker may start an iteration beyond the window, so the rows
// held in memory are those of the window, not of every later iteration;
// once the first is written the others follow, in order.
func TestEventLogWindowBoundsHeldIterations(t *testing.T) {
	const workers, slots = 4, 40
	window := eventWindow(workers)
	var out bytes.Buffer
	l := newOrderedLog(&out, window)
	var next, admitted atomic.Int64
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= slots || !l.admit(i) {
					return
				}
				admitted.Add(1)
				if i == 0 {
					<-release
				}
				l.put(i, fmt.Appendf(nil, "%d\n", i))
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for admitted.Load() < int64(window) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d slots admitted while the first was held; want the window, %d", admitted.Load(), window)
		}
		time.Sleep(time.Millisecond)
	}
	// Were the window not enforced, the three free workers would admit
	// the other 36 slots in microseconds.
	time.Sleep(50 * time.Millisecond)
	if n := admitted.Load(); n != int64(window) {
		t.Fatalf("%d slots admitted while the first was held back: the window is %d", n, window)
	}
	close(release)
	wg.Wait()
	var want strings.Builder
	want.WriteString(EventLogHeader)
	for i := range slots {
		fmt.Fprintf(&want, "%d\n", i)
	}
	if out.String() != want.String() {
		t.Errorf("log out of order or incomplete:\n%s", out.String())
	}
	if l.peak > window {
		t.Errorf("%d slots held at once, window %d", l.peak, window)
	}
}

// TestEventLogWindowNeverHangs stops runs with an event log on several
// workers in the ways a run can stop early: an iteration whose drawn
// parameters are invalid (its rows never come), a cancelled context, and
// a log that cannot be written. Each must return its error, not leave
// workers waiting for the window.
func TestEventLogWindowNeverHangs(t *testing.T) {
	within := func(name string, f func() error) {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- f() }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: no error", name)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("%s: the run hung", name)
		}
	}
	// The first iteration to draw its parameters gets a negative
	// horizon, invalid: its rows never come, and the other workers go on
	// until the window is full.
	var first atomic.Bool
	bad := []Param{{Path: "horizon", Dist: unitDist{}, Set: func(m *Model, v float64) {
		if first.CompareAndSwap(false, true) {
			m.Horizon = -1
		}
	}}}
	within("an invalid iteration", func() error {
		var log bytes.Buffer
		_, err := Run(context.Background(), richModel(), Options{Iterations: 200, Seed: 1, Workers: 4, Params: bad, Events: &log})
		return err
	})
	within("a cancelled run", func() error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := &cancelWriter{cancel: cancel}
		_, err := Run(ctx, richModel(), Options{Iterations: 400, Seed: 1, Workers: 4, Events: w})
		return err
	})
	within("an unwritable log", func() error {
		_, err := Run(context.Background(), richModel(), Options{Iterations: 400, Seed: 1, Workers: 4, Events: &failAfter{n: 3}})
		return err
	})
}

// TestAbandonWakesTheWindow checks that a worker waiting for the window
// returns, without its iteration, once the log is abandoned (the run was
// cancelled, or an iteration failed and its rows will never come).
func TestAbandonWakesTheWindow(t *testing.T) {
	var out bytes.Buffer
	l := newOrderedLog(&out, 2)
	done := make(chan bool)
	go func() { done <- l.admit(5) }() // slots 0 to 4 are never written
	select {
	case <-done:
		t.Fatal("admitted beyond the window")
	case <-time.After(20 * time.Millisecond):
	}
	l.abandon()
	select {
	case ok := <-done:
		if ok {
			t.Error("an abandoned log admitted an iteration")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("abandon left the worker waiting")
	}
}

// cancelWriter cancels its run on the first chunk of rows it is given.
type cancelWriter struct {
	n      int
	cancel func()
}

func (c *cancelWriter) Write(b []byte) (int, error) {
	if c.n++; c.n == 2 {
		c.cancel()
	}
	return len(b), nil
}

// failAfter fails every write after its first n.
type failAfter struct{ n int }

func (f *failAfter) Write(b []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("no space left on device")
	}
	return len(b), nil
}

// TestMemoryEstimateOfEventsIsTheWindow checks that the estimate's event
// rows are a window of iterations: they grow with the workers, not with
// the length of the run.
func TestMemoryEstimateOfEventsIsTheWindow(t *testing.T) {
	m := richModel()
	rows := func(iterations, workers int) float64 {
		return MemoryEstimate(m, 0, iterations, workers, true) - MemoryEstimate(m, 0, iterations, workers, false)
	}
	perIteration := rows(1, 1)
	if !(perIteration > 0) {
		t.Fatal("an event log adds nothing to the estimate")
	}
	for _, c := range []struct{ iterations, workers, held int }{
		{1000, 1, 1}, {1000, 2, 4}, {100000, 2, 4}, {1000, 8, 16}, {3, 8, 3},
	} {
		if got, want := rows(c.iterations, c.workers), float64(c.held)*perIteration; math.Abs(got-want) > 1e-9*want {
			t.Errorf("%d iterations on %d workers: event rows %.0f bytes, want %d iterations' %.0f", c.iterations, c.workers, got, c.held, want)
		}
	}
}
