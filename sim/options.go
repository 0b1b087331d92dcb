package sim

import (
	"io"
	"sync/atomic"
)

// Options controls a run.
type Options struct {
	Iterations int    // iterations in the whole run (all shards)
	Seed       uint64 // the run's seed
	Workers    int    // concurrent workers; < 1 means 1
	// Shard and Shards select iterations i with i%Shards == Shard; Shards
	// < 2 runs them all. A shard draws exactly the random numbers its
	// iterations would have in a single run.
	Shard, Shards int
	// Params are drawn per iteration; nil runs the model as given.
	Params []Param
	// Progress, if set, is incremented once per finished iteration.
	Progress *atomic.Int64
	// Events, if set, receives an event log CSV (one row per event), in
	// iteration, arm and child order whatever the number of workers; in an
	// arm with limited places, a child's rows from the first offer at
	// which its family asks for a place come after the arm's other rows,
	// in the order the arm's event-time queue handles them. Each child's
	// own rows are always in time order.
	Events io.Writer

	// general runs every child through the general path, with no
	// kernel (cohort.go), for the tests that compare the two.
	general bool
}
