package sim

import "math/rand/v2"

// splitmix64 is the finaliser of Vigna's SplitMix64 generator: a fast,
// well-mixed bijection on 64-bit words, used to derive independent stream
// seeds from structured keys.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// mix folds v into the hash h.
func mix(h, v uint64) uint64 { return splitmix64(h ^ splitmix64(v)) }

// Stream kinds: each process of a child draws from its own stream, so that
// a policy that changes one process does not shift the draws of another.
const (
	streamAttributes uint64 = iota + 1 // age, factors, placement, history
	streamCare                         // one per care episode: return, move, permanence
	streamHome                         // one per return home: re-entry, maltreatment
	streamUptake                       // one uniform per support package
	streamArrivals                     // the iteration's entry times
	streamParams                       // one uniform per drawn parameter
)

// iterKey is the hash of (seed, iteration), the root of an iteration's
// streams.
func iterKey(seed uint64, iter int) uint64 { return mix(splitmix64(seed), uint64(iter)) }

// childKey is the hash of a child within an iteration.
func childKey(ik uint64, child int) uint64 { return mix(ik, uint64(child)+1) }

// seedStream points pcg at stream (kind, index) below key.
func seedStream(pcg *rand.PCG, key, kind, index uint64) {
	s1 := mix(mix(key, kind), index)
	pcg.Seed(s1, splitmix64(s1^0x6a09e667f3bcc909))
}

// uniform returns a uniform number in (0, 1) determined by (key, kind,
// index), for single draws that must not disturb any stream.
func uniform(key, kind, index uint64) float64 {
	h := mix(mix(key, kind), index)
	return (float64(h>>11) + 0.5) / (1 << 53)
}
