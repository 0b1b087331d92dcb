package sim

import "math/bits"

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
	prob  []float64
	alias []int32
	// lo and scale turn the column's remaining uniform into a uniform
	// position within the category: (v - lo) * scale.
	lo, scale [2][]float64
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
	c.prob = make([]float64, cols)
	c.alias = make([]int32, cols)
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
		c.prob[l], c.alias[l] = q[l], int32(g)
		q[g] += q[l] - 1
		if q[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range append(small, large...) {
		c.prob[i], c.alias[i] = 1, int32(i)
	}
	for i := range cols {
		if i >= n || shares[i] <= 0 {
			// Rounding must never leave a column to a category
			// that cannot happen.
			if c.prob[i] > 0 {
				c.prob[i] = 0
			}
			if a := int(c.alias[i]); a >= n || shares[a] <= 0 {
				c.alias[i] = int32(big)
			}
		}
	}
	for k := range 2 {
		c.lo[k] = make([]float64, cols)
		c.scale[k] = make([]float64, cols)
	}
	for i := range cols {
		p := c.prob[i]
		if p > 0 {
			c.lo[0][i], c.scale[0][i] = 0, 1/p
		}
		if p < 1 {
			c.lo[1][i], c.scale[1][i] = p, 1/(1-p)
		}
	}
	return c
}

// draw returns the category of the 64 random bits u.
func (c *categorical) draw(u uint64) int {
	if c.only >= 0 {
		return c.only
	}
	i := u >> c.shift
	v := float64(u<<c.cols>>11) / (1 << 53)
	if v < c.prob[i] {
		return int(i)
	}
	return int(c.alias[i])
}

// drawAt returns the category of u and a uniform number in [0, 1): the
// position of u within the category, independent of which it is.
func (c *categorical) drawAt(u uint64) (int, float64) {
	if c.only >= 0 {
		return c.only, float64(u>>11) / (1 << 53)
	}
	i := u >> c.shift
	v := float64(u<<c.cols>>11) / (1 << 53)
	k := 0
	cat := int(i)
	if v >= c.prob[i] {
		k, cat = 1, int(c.alias[i])
	}
	return cat, min((v-c.lo[k][i])*c.scale[k][i], 1-1.0/(1<<53))
}

// random reports whether drawing needs a random number.
func (c *categorical) random() bool { return c.only < 0 }
