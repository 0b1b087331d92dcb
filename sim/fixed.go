package sim

import "math/bits"

// Sums of months and money are exact: every term is a fixed-point
// number (a whole number of 2^-32 months, or of 2^-62 for a discount
// factor) added into 128 bits, so a sum is the same whatever order its
// terms come in. That is what lets arms simulated together book what
// they share once, the event-time engine add children in time order, and
// either give results equal bit for bit to a lone arm run child by
// child. Rounding a term to the grid moves a month by under 10^-10 and a
// discount factor by under 10^-18; a sum cannot overflow in any run this
// machine could finish (2^63 months of 2^-32 each in a single term's
// 64 bits; 2^127 in a sum).

// Scales of the fixed-point terms.
const (
	monthScale = 1 << 32 // months (0 to 2,400: under 2^44 when scaled)
	discScale  = 1 << 62 // discount factors (0 to 1)
)

// fix returns the fixed-point term of x >= 0 at the given scale, rounded
// to nearest.
func fix(x, scale float64) int64 { return int64(x*scale + 0.5) }

// sum128 is an exact sum of 64-bit signed terms, in two's complement.
type sum128 struct {
	lo uint64
	hi int64
}

func (s *sum128) add(v int64) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, uint64(v), 0)
	s.hi += v>>63 + int64(c)
}

func (s *sum128) addSum(o sum128) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + int64(c)
}

// value returns the sum divided by scale, rounded once.
func (s sum128) value(scale float64) float64 {
	lo, hi := s.lo, s.hi
	neg := hi < 0
	if neg {
		var b uint64
		lo, b = bits.Sub64(0, lo, 0)
		hi = -hi - int64(b)
	}
	v := (float64(uint64(hi))*(1<<64) + float64(lo)) / scale
	if neg {
		return -v
	}
	return v
}

// addMul adds k copies of v (k >= 0): the same sum as k calls of add, in
// one step, for terms that every child of a group books alike.
func (s *sum128) addMul(v, k int64) {
	neg := v < 0
	mag := uint64(v)
	if neg {
		mag = -mag
	}
	hi, lo := bits.Mul64(mag, uint64(k))
	if neg {
		var b uint64
		lo, b = bits.Sub64(0, lo, 0)
		hi = -hi - b
	}
	var c uint64
	s.lo, c = bits.Add64(s.lo, lo, 0)
	s.hi += int64(hi) + int64(c)
}
