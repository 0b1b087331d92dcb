package sim

// Random numbers are counter-based: the n-th number of a stream is a hash
// of the stream's key and n, so any number can be drawn alone, in any
// order, or not at all. A child's k-th care episode draws its return-home
// target from the same number in every arm whether or not an arm ever
// looks at the episode's other numbers; a clock with no hazard draws
// nothing and shifts nothing. Nothing is seeded per process: a stream is
// one 64-bit key.
//
// The hash is SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014; Vigna's finaliser): the
// n-th number of the stream with key k is SplitMix64's n-th output from
// state k. Keys are themselves SplitMix64 hashes of (seed, iteration),
// (iteration key, child) and (child key, process, occurrence), so every
// stream starts at an independent random point of SplitMix64's period of
// 2^64. A national run of 1,000 iterations has about 10^9 streams of a few
// numbers each: the chance that any two of them overlap is about one in
// three, and an overlap gives two spells of two children a few equal
// numbers, as harmless as the thousand or so equal 53-bit uniforms that any
// generator gives among those 5 x 10^9 draws.

// golden is SplitMix64's increment, 2^64 over the golden ratio (odd).
const golden = 0x9e3779b97f4a7c15

// splitmix64 is SplitMix64's step and finaliser: the hash of x + golden,
// a fast, well-mixed bijection on 64-bit words.
func splitmix64(x uint64) uint64 {
	x += golden
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// mix folds v into the hash h.
func mix(h, v uint64) uint64 { return splitmix64(h ^ splitmix64(v)) }

// Stream kinds: each process of a child draws from streams of its own, so
// that a policy that changes one process does not shift the draws of
// another.
const (
	streamAttributes uint64 = iota + 1 // age, factors, placement, history
	streamCare                         // one per care episode: return, moves, permanence
	streamHome                         // one per return home: re-entry, maltreatment
	streamUptake                       // one number per offer of support
	streamArrivals                     // the iteration's entry times
	streamParams                       // one number per drawn parameter
)

// Multipliers that spread a process kind and an occurrence over the key
// space before hashing (odd constants of Steele and Vigna's LCG tables).
const (
	kindMul  = 0xd1342543de82ef95
	indexMul = 0xaef17502108ef2d9
)

// iterKey is the hash of (seed, iteration), the root of an iteration's
// streams.
func iterKey(seed uint64, iter int) uint64 { return mix(splitmix64(seed), uint64(iter)) }

// childKey is the hash of a child within an iteration.
func childKey(ik uint64, child int) uint64 { return mix(ik, uint64(child)+1) }

// stream is a counter-based random stream: a key whose numbers are
// drawn by index.
type stream uint64

// streamOf is the stream of occurrence index of process kind below key
// (a child's or an iteration's): one hash.
func streamOf(key, kind, index uint64) stream {
	return stream(splitmix64(key + kind*kindMul + index*indexMul))
}

// bits returns the stream's n-th number: 64 random bits.
func (s stream) bits(n uint64) uint64 { return splitmix64(uint64(s) + n*golden) }

// float returns the n-th number as a uniform number in [0, 1), so that
// u < p is true with probability p.
func (s stream) float(n uint64) float64 { return float64(s.bits(n)>>11) / (1 << 53) }

// open returns the n-th number as a uniform number in (0, 1), for
// quantile functions that are infinite at 0 or 1.
func (s stream) open(n uint64) float64 { return openUnit(s.bits(n)) }

// openUnit maps 64 random bits into (0, 1): the centre (k + 1/2)/2^53 of
// the k-th of 2^53 equal intervals, k the top 53 bits. Centres above 1/2
// need 54 bits, so the float64 rounds them to a neighbour, and the top
// one, 1 - 2^-54, to 1 itself: that one is held at 1 - 2^-53, the
// largest float64 below 1, so that an inverse transform never sees 1.
func openUnit(b uint64) float64 {
	return min((float64(b>>11)+0.5)/(1<<53), 1-1.0/(1<<53))
}
