package sim

import (
	"math"
	"math/bits"
)

// categorical draws a category with given shares from one 64-bit random
// number in constant time: Walker's alias method (Vose's construction,
// "A linear algorithm for generating random numbers with a given
// distribution", IEEE Transactions on Software Engineering 17(9), 1991).
// The table has a power of two of columns, so the column is the number's
// top bits exactly, with no bias; the remaining bits choose between the
// column's own category and its alias and, rescaled, give a uniform
// position within the category drawn. A category with share 0 is never
// drawn. A table with one possible category draws nothing.
type categorical struct {
	only  int  // the category when only one is possible, else -1
	shift uint // 64 - log2(columns)
	cols  uint // log2(columns)
	table []column
}

// column is one column of an alias table: below prob its own category,
// else alias; lo and scale turn the column's remaining uniform into a
// uniform position within the category drawn, (v - lo) * scale.
type column struct {
	prob      float64
	alias     int
	lo, scale [2]float64
	// below is prob in units of 2^-53, rounded up: a column's 53-bit
	// number v is below prob exactly when v < below, an integer
	// comparison the processor makes without a branch.
	below uint64
}

// newCategorical builds the table for shares (not necessarily summing to
// 1; at least one positive).
func newCategorical(shares []float64) categorical {
	n := len(shares)
	c := categorical{only: -1}
	pos, total := 0, 0.0
	for i, s := range shares {
		if s > 0 {
			pos++
			c.only = i
			total += s
		}
	}
	if pos <= 1 {
		if c.only < 0 {
			c.only = 0
		}
		return c
	}
	c.only = -1
	cols := 1
	for cols < n {
		cols <<= 1
	}
	c.cols = uint(bits.TrailingZeros(uint(cols)))
	c.shift = 64 - c.cols
	prob := make([]float64, cols)
	alias := make([]int32, cols)
	q := make([]float64, cols)
	big := 0
	for i, s := range shares {
		if s > 0 {
			q[i] = s / total * float64(cols)
			if s > shares[big] {
				big = i
			}
		}
	}
	var small, large []int
	for i := range q {
		if q[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l := small[len(small)-1]
		small = small[:len(small)-1]
		g := large[len(large)-1]
		prob[l], alias[l] = q[l], int32(g)
		q[g] += q[l] - 1
		if q[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range append(small, large...) {
		prob[i], alias[i] = 1, int32(i)
	}
	for i := range cols {
		if i >= n || shares[i] <= 0 {
			// Rounding must never leave a column to a category
			// that cannot happen.
			if prob[i] > 0 {
				prob[i] = 0
			}
			if a := int(alias[i]); a >= n || shares[a] <= 0 {
				alias[i] = int32(big)
			}
		}
	}
	c.table = make([]column, cols)
	for i := range cols {
		p := prob[i]
		col := column{prob: p, alias: int(alias[i]), below: uint64(math.Ceil(p * (1 << 53)))}
		if p > 0 {
			col.lo[0], col.scale[0] = 0, 1/p
		}
		if p < 1 {
			col.lo[1], col.scale[1] = p, 1/(1-p)
		}
		c.table[i] = col
	}
	return c
}

// draw returns the category of the 64 random bits u.
func (c *categorical) draw(u uint64) int {
	if c.only >= 0 {
		return c.only
	}
	i := u >> (c.shift & 63)
	col := &c.table[i]
	// Which of the two is random: chosen with a mask, not a branch.
	own := -b2i(u<<(c.cols&63)>>11 < col.below)
	return col.alias ^ (col.alias^int(i))&own
}

// drawAt returns the category of u and a uniform number in [0, 1): the
// position of u within the category, independent of which it is.
func (c *categorical) drawAt(u uint64) (int, float64) {
	if c.only >= 0 {
		return c.only, float64(u>>11) / (1 << 53)
	}
	i := u >> (c.shift & 63)
	col := &c.table[i]
	v := float64(u<<(c.cols&63)>>11) / (1 << 53)
	k := b2i(v >= col.prob) // the alias, or the column's own: a mask, not a branch
	cat := int(i) ^ (int(i)^col.alias)&-k
	return cat, min((v-col.lo[k&1])*col.scale[k&1], 1-1.0/(1<<53))
}

// random reports whether drawing needs a random number.
func (c *categorical) random() bool { return c.only < 0 }
