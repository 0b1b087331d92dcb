// Package sim is reunify's simulation engine: it steps synthetic children
// through care placements, returns home, re-entries to care and support
// services, and tallies outcomes and costs per arm and iteration.
//
// The engine is the project's ground floor: it knows nothing of TOML, files
// or the command line. A Model holds every figure in engine units (months,
// rates per month, pounds, proportions); Run simulates it. The engine's
// cost model, what each part costs per child and why each design was
// chosen, is in docs/engine.md.
//
// # Time, hazards and events
//
// Time is continuous, in months from the start of the horizon. Every hazard
// is piecewise constant: within an age band, a months-in-care segment, a
// months-since-return segment, and while a support window is on or off.
// Each competing process of a spell (return home, placement move and
// permanence in care; re-entry and maltreatment at home) is a clock with a
// unit-exponential target, drawn as the spell starts, that fires when the
// clock's accumulated hazard reaches it. The engine finds each clock's
// fire time at once by inverting its cumulative hazard: a move is
// exponential; permanence depends on age alone and is inverted from a
// table of its cumulative hazard by age; return home walks the merged
// breakpoints of age bands, months-in-care segments and support windows;
// re-entry and maltreatment are inverted from a schedule each arm builds
// once per set of packages taken up. A clock is inverted again only when
// its hazard changes during the spell (a move that changes the history
// ratio, a place granted to a family that waited), and then its
// accumulated hazard carries over. So event times are exact, do not
// depend on any step size, and the engine's only step is an event.
//
// # Random numbers and reproducibility
//
// Random numbers are counter-based: the n-th number of a stream is a
// SplitMix64 hash of the stream's key and n, and keys are hashes of (seed,
// iteration), (iteration, child) and (child, process, occurrence). So a
// number is drawn where it is needed, in any order, and a number nobody
// needs costs nothing and shifts nothing. Results therefore do not depend
// on the number of workers or on how iterations are split between shards,
// and arms share random numbers: child j of iteration i has the same
// attributes and the same luck in every arm (the same target for its k-th
// return home, whatever happened before), so differences between arms
// come from the policy, not from noise.
//
// # Arms, sums and limited places
//
// Arms without limited places are simulated together: a child is
// simulated once for as long as every arm treats it alike, and where an
// offer of support differs each arm goes on from a copy. Every sum is
// exact (whole counts, and months and discount factors in 128-bit fixed
// point), so the order in which children, arms or events add to a sum
// changes no bit: an arm's results are the same whether it runs alone or
// beside others, and an arm with more places than families gives the
// results of unlimited support. Flows of cost are booked once per spell,
// as months by category and year, and priced once per iteration.
//
// # The cohort kernel
//
// Where a return home can end only in a re-entry and care only at the
// horizon (a study of returns, such as BM1 of ../shared/peers or the
// England 2012-13 cohort), a returning cohort's child needs one target
// and, per arm, one inversion of the arm's schedule at it. The compiled
// model then carries a kernel, chosen from the model's structure alone,
// that takes the cohort through stages in blocks of children (keys,
// attributes and targets; per arm, re-entry months, discount factors
// and each return's terms) with nothing random to branch on, and books
// the terms by groups (year, which flows ended first, re-entry and tier)
// once per iteration into the same exact sums the general path fills.
// Its results are the general path's bit for bit; a child outside its
// shape (one who turns 18 within the horizon) and every run with an event
// log go the general way.
//
// Support with limited places couples the children of an iteration. Such
// an arm runs in event-time order, but only the events at which children
// meet over places go through its priority queue (an offer the family
// takes up, the events of a family that holds or waits for a place,
// releases and a team's start); between them a child runs on its own.
//
// # Where things are
//
//   - model.go, validate.go, clone.go, piecewise.go: the Model and its checks.
//   - options.go, params.go, copula.go: Options, drawn parameters and
//     their Gaussian copula; results.go, metrics.go: Results, and the one
//     table of metrics that names them and computes them.
//   - compile.go, categorical.go, schedule.go: the model compiled for an
//     iteration (alias tables, hazard tables, schedules, prices).
//   - rng.go, ziggurat.go: counter-based streams and exponential draws.
//   - child.go, attributes.go, clocks.go, care.go, home.go, support.go: a
//     child's state, its attributes, its clocks, its spells and its support.
//   - population.go, arms.go, worker.go, run.go: arrivals, arms together,
//     a worker's iteration, and the run across workers.
//   - cohort.go: the cohort kernel.
//   - tally.go, fixed.go, events.go: tallies and their exact sums, and
//     the event log (run.go holds a window of iterations' rows, so its
//     memory does not grow with the log); coupled.go: the event-time
//     engine for limited places; memory.go: what a run needs in memory
//     and on disk.
package sim
