package sim

import "math/bits"

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

// seedStream points p at stream (kind, index) below key.
func seedStream(p *pcg, key, kind, index uint64) {
	s1 := mix(mix(key, kind), index)
	p.hi, p.lo = s1, splitmix64(s1^0x6a09e667f3bcc909)
}

// pcg is math/rand/v2's PCG generator (128-bit LCG state, DXSM output)
// as a concrete type: the same state after the same seed, the same
// numbers from Uint64, Float64 and ExpFloat64 as rand.New(rand.NewPCG(hi,
// lo)) (TestGeneratorMatchesMathRand), but small enough for the compiler
// to inline, with no interface call per draw. The arithmetic follows
// math/rand/v2/pcg.go (Copyright 2023 The Go Authors, BSD licence:
// https://go.dev/LICENSE), which follows O'Neill's pcg-cpp.
type pcg struct{ hi, lo uint64 }

// Uint64 advances the state and returns 64 random bits.
func (p *pcg) Uint64() uint64 {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	// state = state * mul + inc
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	p.lo, p.hi = lo, hi
	// DXSM output
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	hi *= lo | 1
	return hi
}

// Float64 returns a uniform number in [0, 1), as rand.Rand.Float64.
func (p *pcg) Float64() float64 {
	return float64(p.Uint64()<<11>>11) / (1 << 53)
}

// uniform returns a uniform number in (0, 1) determined by (key, kind,
// index), for single draws that must not disturb any stream.
func uniform(key, kind, index uint64) float64 {
	h := mix(mix(key, kind), index)
	return (float64(h>>11) + 0.5) / (1 << 53)
}
