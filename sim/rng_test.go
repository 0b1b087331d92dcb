package sim

import (
	"math"
	"testing"
)

// TestStreamUniform checks the counter-based uniforms: 64 equal bins
// (chi-square within 4 standard deviations of its mean), the correlation
// of consecutive numbers of a stream, and of the same number in
// neighbouring streams (occurrence k and k+1, children j and j+1, the
// shape of every key the engine derives), all within 4 standard errors.
func TestStreamUniform(t *testing.T) {
	const n = 1 << 20
	const bins = 64
	var count [bins]float64
	ik := iterKey(7, 3)
	var serial, nextStream, nextChild, sum float64
	for i := range n {
		ck := childKey(ik, i/16)
		s := streamOf(ck, streamCare, uint64(i%16))
		u := s.float(0)
		count[int(u*bins)]++
		sum += u
		serial += (u - 0.5) * (s.float(1) - 0.5)
		nextStream += (u - 0.5) * (streamOf(ck, streamCare, uint64(i%16)+1).float(0) - 0.5)
		nextChild += (u - 0.5) * (streamOf(childKey(ik, i/16+1), streamCare, uint64(i%16)).float(0) - 0.5)
	}
	chi := 0.0
	for _, c := range count {
		chi += (c - n/bins) * (c - n/bins) / (n / bins)
	}
	if sd := math.Sqrt(2 * (bins - 1)); math.Abs(chi-(bins-1)) > 4*sd {
		t.Errorf("chi-square %.1f over %d bins, want %d within 4 x %.1f", chi, bins, bins-1, sd)
	}
	within4SE(t, "mean", sum/n, math.Sqrt(1.0/12/n), 0.5)
	// The product of two independent centred uniforms has sd 1/12.
	se := 1.0 / 12 / math.Sqrt(n)
	within4SE(t, "serial covariance", serial/n, se, 0)
	within4SE(t, "covariance of neighbouring occurrences", nextStream/n, se, 0)
	within4SE(t, "covariance of neighbouring children", nextChild/n, se, 0)
}

// TestStreamExp checks the ziggurat's exponentials: mean and variance 1,
// the share beyond the ziggurat's base (7.697, drawn by its tail branch)
// and beyond 3, and that a number is the same however often and in
// whatever order it is drawn.
func TestStreamExp(t *testing.T) {
	n := 1 << 22
	if testing.Short() {
		n = 1 << 20
	}
	s := streamOf(12345, streamHome, 6)
	var sum, sq, over3, tail float64
	for i := range n {
		x := s.exp(uint64(i))
		sum += x
		sq += x * x
		if x > 3 {
			over3++
		}
		if x > zigguratRe {
			tail++
		}
	}
	fn := float64(n)
	within4SE(t, "mean", sum/fn, 1/math.Sqrt(fn), 1)
	within4SE(t, "second moment", sq/fn, math.Sqrt(20/fn), 2) // var of X^2 is 24 - 4
	p3 := math.Exp(-3)
	within4SE(t, "share over 3", over3/fn, math.Sqrt(p3*(1-p3)/fn), p3)
	pt := math.Exp(-zigguratRe)
	within4SE(t, "share in the tail", tail/fn, math.Sqrt(pt*(1-pt)/fn), pt)
	for _, i := range []uint64{uint64(n - 1), 0, 17, 17, uint64(n / 2)} {
		if a, b := s.exp(i), s.exp(i); a != b {
			t.Fatalf("number %d drawn twice: %v and %v", i, a, b)
		}
	}
}

// TestCategorical draws categories with shares that include zeros, a
// count that is not a power of two and a tiny share: each share within 4
// standard errors, zero shares never, and the position within each
// category uniform (mean 1/2).
func TestCategorical(t *testing.T) {
	shares := []float64{0.2, 0, 0.5, 0.001, 0.299, 0}
	c := newCategorical(shares)
	const n = 1 << 21
	var count, pos [6]float64
	s := streamOf(99, streamAttributes, 0)
	for i := range uint64(n) {
		k, p := c.drawAt(s.bits(i))
		if k2 := c.draw(s.bits(i)); k2 != k {
			t.Fatalf("draw and drawAt disagree: %d, %d", k2, k)
		}
		count[k]++
		pos[k] += p
		if !(p >= 0 && p < 1) {
			t.Fatalf("position %v outside [0, 1)", p)
		}
	}
	for k, sh := range shares {
		got := count[k] / n
		if sh == 0 {
			if count[k] != 0 {
				t.Errorf("category %d of share 0 drawn %v times", k, count[k])
			}
			continue
		}
		within4SE(t, "share", got, math.Sqrt(sh*(1-sh)/n), sh)
		within4SE(t, "position", pos[k]/count[k], math.Sqrt(1.0/12/count[k]), 0.5)
	}
	if one := newCategorical([]float64{0, 0, 3}); one.random() || one.draw(12345) != 2 {
		t.Errorf("a single possible category: random %v, draw %d", one.random(), one.draw(12345))
	}
}

// TestOpenUniformNeverReachesItsBounds checks open's uniform at the
// extremes of its 64 random bits: the top 53 bits all ones gave exactly
// 1 before it was held below (the centre 1 - 2^-54 rounds to 1), which
// a parameter's quantile function turns into +Inf; all zeros must stay
// above 0. Between them it must not decrease.
func TestOpenUniformNeverReachesItsBounds(t *testing.T) {
	top := ^uint64(0)
	if naive := (float64(top>>11) + 0.5) / (1 << 53); naive != 1 {
		t.Fatalf("the unclamped centre of the top interval is %v: the test no longer shows the rounding", naive)
	}
	for _, b := range []uint64{0, 1 << 11, 1 << 63, top - 1<<11, top - 1, top} {
		if u := openUnit(b); !(u > 0 && u < 1) {
			t.Errorf("bits %#x: uniform %v, want inside (0, 1)", b, u)
		}
	}
	prev := 0.0
	for k := uint64(1<<53) - 64; k < 1<<53; k++ {
		u := openUnit(k << 11)
		if u < prev {
			t.Fatalf("k %d: %v after %v: decreasing", k, u, prev)
		}
		prev = u
	}
	if got, want := openUnit(top), 1-1.0/(1<<53); got != want {
		t.Errorf("top bits: %v, want %v", got, want)
	}
}
