// Package sim is reunify's simulation engine: it steps synthetic children
// through care placements, returns home, re-entries to care and support
// services, and tallies outcomes and costs per arm and iteration.
//
// The engine is the project's ground floor: it knows nothing of TOML, files
// or the command line. A Model holds every figure in engine units (months,
// rates per month, pounds, proportions); Run simulates it.
//
// # Time and hazards
//
// Time is continuous, in months from the start of the horizon. Every hazard
// is piecewise constant: within an age band, a months-in-care segment, a
// months-since-return segment, and while a support phase is on or off. Each
// competing process (return home, placement move, permanence; re-entry and
// maltreatment at home) holds a unit-exponential target and fires when its
// accumulated hazard reaches it. At a segment boundary the accumulated hazard
// carries over and nothing is redrawn, so event times are exact and do not
// depend on any step size.
//
// # Random numbers and reproducibility
//
// Every child has its own random streams, derived with SplitMix64 from
// (seed, iteration, child, process, episode) and drawn with math/rand/v2's
// PCG. Results therefore do not depend on the number of workers or on how
// iterations are split between shards, and arms share random numbers: child
// j of iteration i has the same attributes and the same luck in every arm,
// so differences between arms come from the policy, not from noise.
package sim
