package scenario

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

const shareTolerance = 1e-6

// rule is the range a number must lie in.
type rule struct {
	lo, hi         float64
	loOpen, hiOpen bool
	plain          bool // distributions not allowed
	integer        bool
	required       bool
	what           string // the constraint, for messages
	// max, if not 0, is a bound inside hi that keeps the engine's sums
	// and clocks finite, and maxWhat says so (see upTo).
	max     float64
	maxWhat string
	// clamped: the build keeps drawn values inside an open bound (a
	// cumulative share below 1), so a distribution may reach it.
	clamped bool
}

// upTo returns r with the bound max, and what a number above it is told.
func (r rule) upTo(max float64, what string) rule { r.max, r.maxWhat = max, what; return r }

// why returns the message for x, which the rule refuses.
func (r rule) why(x float64) string {
	if r.contains(x) {
		return r.maxWhat
	}
	return r.what
}

// allows reports whether x is inside the rule, bound included.
func (r rule) allows(x float64) bool { return r.contains(x) && (r.max == 0 || x <= r.max) }

// drawRange is where a parameter's draws are kept: the rule's range, its
// bound, and just inside an open end (unless the build clamps there).
func (r rule) drawRange() (lo, hi float64) {
	lo, hi = r.lo, r.hi
	if r.max != 0 {
		hi = math.Min(hi, r.max)
	}
	if r.loOpen {
		lo = math.Nextafter(lo, inf)
	}
	if r.hiOpen && !r.clamped && hi == r.hi {
		hi = math.Nextafter(hi, -inf)
	}
	return lo, hi
}

var (
	inf      = math.Inf(1)
	nonneg   = rule{lo: 0, hi: inf, what: "must be >= 0"}
	prop     = rule{lo: 0, hi: 1, what: "must be a proportion in [0, 1]"}
	positive = rule{lo: 0, hi: inf, loOpen: true, what: "must be > 0"}
	share    = rule{lo: 0, hi: 1, plain: true, what: "must be a share in [0, 1]"}
)

func (r rule) plainOnly() rule { r.plain = true; return r }

func (r rule) contains(x float64) bool {
	if math.IsNaN(x) {
		return false
	}
	if x < r.lo || x > r.hi || (r.loOpen && x == r.lo) || (r.hiOpen && x == r.hi) {
		return false
	}
	return !math.IsInf(x, 0)
}

type checker struct {
	s                   *Scenario
	ps                  Problems
	placements, factors []string // their names
}

// add records a problem at key path (with indices).
func (c *checker) add(path, format string, args ...any) {
	c.ps = append(c.ps, c.s.problem(path, fmt.Sprintf(format, args...)))
}

// problem locates a problem: at the --set that gave the value, else at the
// key in the file (or its nearest written parent).
func (s *Scenario) problem(path, msg string) Problem {
	for p := path; p != ""; {
		if set, ok := s.overrides[p]; ok {
			return Problem{File: "--set", Key: path, Msg: msg + " (from --set " + set + ")"}
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	pr := Problem{File: s.file, Key: path, Msg: msg}
	if pos, ok := s.pos.lookup(path); ok {
		pr.Line, pr.Col = pos.line, pos.col
	}
	return pr
}

// num checks one value against a rule and reports whether it is usable.
func (c *checker) num(path string, v Value, r rule) bool {
	if !v.set {
		if r.required {
			c.add(path, "missing: this key is required")
		}
		return false
	}
	if v.err != "" {
		c.add(path, "%s", v.err)
		return false
	}
	if v.Dist != nil {
		if r.plain {
			c.add(path, "must be a plain number, not a distribution (%s)", v.Dist)
			return false
		}
		lo, hi := v.Dist.Support()
		wide := rule{lo: r.lo, hi: r.hi}
		if v.Dist.Kind == "fixed" {
			wide = r
		}
		if !(lo >= wide.lo && hi <= wide.hi && (!wide.loOpen || lo > wide.lo) && (!wide.hiOpen || hi < wide.hi)) {
			c.add(path, "%s can take values from %s to %s, but the value %s", v.Dist, readNum(lo), readNum(hi), r.what)
			return false
		}
		if m := v.Dist.Mean(); !r.allows(m) {
			c.add(path, "%s has mean %s, but the value %s", v.Dist, readNum(m), r.why(m))
			return false
		}
		for _, b := range []struct {
			n string
			x float64
		}{{"low", v.Dist.Low}, {"high", v.Dist.High}} {
			if !math.IsNaN(b.x) && !r.allows(b.x) {
				c.add(path, "%s: %s = %s, but the value %s", v.Dist, b.n, readNum(b.x), r.why(b.x))
				return false
			}
		}
		// The tails: draws beyond the key's range are kept at its edge
		// (drawRange), which must happen at most once in 10^12 draws, so
		// that the distribution drawn is the one written.
		tails := r
		if r.clamped {
			tails.hiOpen = false
		}
		for _, p := range []float64{tail, 1 - tail} {
			if x := v.Dist.Quantile(p); !tails.allows(x) {
				c.add(path, "%s reaches %s at its %s quantile (one draw in 10^12), but the value %s", v.Dist, readNum(x), readNum(p), tails.why(x))
				return false
			}
		}
		return true
	}
	x := v.Num
	if math.IsNaN(x) || math.IsInf(x, 0) {
		c.add(path, "%s: must be a finite number", readNum(x))
		return false
	}
	if !r.allows(x) {
		c.add(path, "%s %s", readNum(x), r.why(x))
		return false
	}
	if r.integer && x != math.Trunc(x) {
		c.add(path, "%s must be a whole number", readNum(x))
		return false
	}
	return true
}

// nums checks a list of values and returns their means.
func (c *checker) nums(path string, vs []Value, r rule) ([]float64, bool) {
	ok := true
	out := make([]float64, len(vs))
	for i, v := range vs {
		ok = c.num(path+"."+strconv.Itoa(i), v, r) && ok
		out[i] = v.Mean()
	}
	return out, ok
}

// increasing checks a plain list that must start at first (if not NaN)
// and increase strictly.
func (c *checker) increasing(path string, vs []Value, r rule, first float64) ([]float64, bool) {
	xs, ok := c.nums(path, vs, r.plainOnly())
	if !ok {
		return xs, false
	}
	if len(xs) == 0 {
		c.add(path, "empty array")
		return xs, false
	}
	if !math.IsNaN(first) && xs[0] != first {
		c.add(path+".0", "must be %s, got %s", readNum(first), readNum(xs[0]))
		return xs, false
	}
	for i := 1; i < len(xs); i++ {
		if !(xs[i] > xs[i-1]) {
			c.add(path+"."+strconv.Itoa(i), "%s must be greater than the value before it (%s)", readNum(xs[i]), readNum(xs[i-1]))
			return xs, false
		}
	}
	return xs, true
}

func (c *checker) sumsToOne(path string, xs []float64) {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	if math.Abs(sum-1) > shareTolerance {
		c.add(path, "shares sum to %s, want 1", readNum(sum))
	}
}

// shareList checks shares per age band.
func (c *checker) shareList(path string, vs []Value, n int, required bool) {
	if vs == nil {
		if required {
			c.add(path, "missing: need %d shares, one per age band", n)
		}
		return
	}
	if len(vs) != n {
		c.add(path, "%d shares, want %d (one per age band)", len(vs), n)
		return
	}
	if xs, ok := c.nums(path, vs, share); ok {
		c.sumsToOne(path, xs)
	}
}

// shareMap checks shares by placement name; self, if not "", is a
// placement the shares may not name.
func (c *checker) shareMap(path string, m map[string]Value, required bool, self string) {
	if m == nil {
		if required {
			c.add(path, "missing: need shares by placement name, e.g. { %s = 1 }", c.firstPlacement(self))
		}
		return
	}
	if len(m) == 0 {
		c.add(path, "empty table: need shares by placement name")
		return
	}
	names := c.placements
	ok := true
	var xs []float64
	for _, k := range slices.Sorted(maps.Keys(m)) {
		kp := path + "." + k
		if !c.known(kp, "placement", k, names) {
			ok = false
			continue
		}
		if k == self {
			c.add(kp, "a move cannot go to the same placement")
			ok = false
		}
		ok = c.num(kp, m[k], share) && ok
		xs = append(xs, m[k].Num)
	}
	if ok {
		c.sumsToOne(path, xs)
	}
}

func (c *checker) firstPlacement(not string) string {
	for _, n := range c.placements {
		if n != not {
			return n
		}
	}
	return "kinship"
}
