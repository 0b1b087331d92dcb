package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a parameter distribution. It implements sim.Distribution: the
// engine draws a parameter as Quantile(u) for its own uniform u.
type Dist struct {
	// Kind is one of beta, gamma, lognormal, normal, uniform, triangular,
	// fixed.
	Kind string
	// Names and Args are the parameters as written, in order, e.g.
	// [mean sd] and [0.3 0.05].
	Names []string
	Args  []float64
	// Low and High are optional explicit bounds for a one-way (tornado)
	// analysis; NaN when not given.
	Low, High float64

	q    quantiler
	mean float64 // the mean as written, exact; NaN if not written
	// clamp keeps draws inside [lo, hi]: set on the copy a parameter
	// draws from (see bounded).
	clamp  bool
	lo, hi float64
}

type quantiler interface {
	Quantile(p float64) float64
	Mean() float64
}

// fixedDist is a point mass.
type fixedDist float64

func (f fixedDist) Quantile(float64) float64 { return float64(f) }
func (f fixedDist) Mean() float64            { return float64(f) }

// distForms lists, for each kind, the accepted parameter sets; the first
// is the one positional arguments fill.
var distForms = map[string][][]string{
	"beta":       {{"mean", "sd"}, {"alpha", "beta"}},
	"gamma":      {{"mean", "sd"}, {"shape", "rate"}},
	"lognormal":  {{"mean", "sd"}, {"mu", "sigma"}},
	"normal":     {{"mean", "sd"}},
	"uniform":    {{"min", "max"}},
	"triangular": {{"min", "mode", "max"}},
	"fixed":      {{"value"}},
}

// DistKinds lists the distribution names a scenario may use.
var DistKinds = []string{"beta", "gamma", "lognormal", "normal", "uniform", "triangular", "fixed"}

// Quantile returns the p-quantile of the distribution. p is clamped to
// the range of the engine's uniforms, from 2^-54 to 1 - 2^-53: at exactly
// 0 or 1 a gamma's or beta's quantile is infinite or, in the library that
// computes it, can panic. A parameter's distribution (Build's sim.Params)
// also keeps the quantile inside the key's range, which validation has
// checked it leaves at most once in 10^12 draws on either side.
func (d *Dist) Quantile(p float64) float64 {
	x := d.q.Quantile(math.Min(math.Max(p, probes[0]), probes[len(probes)-1]))
	if d.clamp {
		x = math.Min(math.Max(x, d.lo), d.hi)
	}
	return x
}

// Probes are the probabilities at which NewDist checks that the quantile
// is a finite number: the engine's smallest and largest uniform draws
// (it draws from 2^-54 to 1), the 1-in-10^12 tails and the middle.
var probes = []float64{0x1p-54, tail, 0.025, 0.5, 0.975, 1 - tail, 1 - 0x1p-53}

// tail is the probability in each tail beyond which a distribution may
// leave its key's range (the draws there are kept at its edge).
const tail = 1e-12

// The ranges of beta's and gamma's shape parameters over which the
// quantile computation gives a finite number at every probability (tested
// on their edges by TestQuantileEnvelope); outside them it can return NaN
// or, in an earlier version, panic or never return.
const (
	minShape = 1e-4
	maxShape = 1e12
)

// probeName names a probability of probes for a message.
func probeName(p float64) string {
	switch p {
	case probes[0]:
		return "2^-54 (the engine's smallest draw)"
	case probes[len(probes)-1]:
		return "1 - 2^-53 (the engine's largest draw)"
	}
	return formatNum(p)
}

// bounded returns a copy of d whose draws are kept inside lo and hi.
func (d *Dist) bounded(lo, hi float64) *Dist {
	c := *d
	c.clamp, c.lo, c.hi = true, lo, hi
	return &c
}

// Mean returns the mean of the distribution (exactly as written, for the
// forms given by mean and sd).
func (d *Dist) Mean() float64 {
	if !math.IsNaN(d.mean) {
		return d.mean
	}
	return d.q.Mean()
}

// Arg returns the argument called name as written, and whether it was.
func (d *Dist) Arg(name string) (float64, bool) {
	if i := slices.Index(d.Names, name); i >= 0 {
		return d.Args[i], true
	}
	return 0, false
}

// String returns the distribution in the string form that ParseDist reads,
// e.g. "beta(mean=0.3, sd=0.05)".
func (d *Dist) String() string {
	var b strings.Builder
	b.WriteString(d.Kind)
	b.WriteByte('(')
	for i, n := range d.Names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%s", n, formatNum(d.Args[i]))
	}
	for _, lh := range []struct {
		n string
		v float64
	}{{"low", d.Low}, {"high", d.High}} {
		if !math.IsNaN(lh.v) {
			fmt.Fprintf(&b, ", %s=%s", lh.n, formatNum(lh.v))
		}
	}
	b.WriteByte(')')
	return b.String()
}

// table returns the distribution in TOML's inline-table form, with the
// extra key source (already quoted) at the end.
func (d *Dist) table(source string) string {
	keys, vals := []string{"dist"}, []string{strconv.Quote(d.Kind)}
	for i, n := range d.Names {
		keys, vals = append(keys, n), append(vals, formatNum(d.Args[i]))
	}
	for _, lh := range []struct {
		n string
		v float64
	}{{"low", d.Low}, {"high", d.High}} {
		if !math.IsNaN(lh.v) {
			keys, vals = append(keys, lh.n), append(vals, formatNum(lh.v))
		}
	}
	return inline(append(keys, "source"), append(vals, source))
}

// NewDist builds and checks a distribution from named arguments; low and
// high may be among them.
func NewDist(kind string, names []string, args []float64) (*Dist, error) {
	forms, ok := distForms[kind]
	if !ok {
		msg := fmt.Sprintf("unknown distribution %q (want one of %s)", kind, strings.Join(DistKinds, ", "))
		if s := suggest(kind, DistKinds); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	d := &Dist{Kind: kind, Low: math.NaN(), High: math.NaN(), mean: math.NaN()}
	for i, n := range names {
		switch {
		case n == "low":
			d.Low = args[i]
		case n == "high":
			d.High = args[i]
		case slices.Contains(d.Names, n):
			return nil, fmt.Errorf("%s: %s given twice", kind, n)
		default:
			d.Names = append(d.Names, n)
			d.Args = append(d.Args, args[i])
		}
	}
	for i, a := range args {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return nil, fmt.Errorf("%s: %s must be a finite number", kind, names[i])
		}
	}
	var form []string
	for _, f := range forms {
		if sameSet(f, d.Names) {
			form = f
		}
	}
	if form == nil {
		var want []string
		for _, f := range forms {
			want = append(want, "("+strings.Join(f, ", ")+")")
		}
		return nil, fmt.Errorf("%s needs parameters %s, got (%s)", kind, strings.Join(want, " or "), strings.Join(d.Names, ", "))
	}
	a := func(n string) float64 { x, _ := d.Arg(n); return x }
	bad := func(format string, args ...any) (*Dist, error) {
		return nil, fmt.Errorf(d.String()+": "+format, args...)
	}
	switch kind {
	case "beta":
		al, be := a("alpha"), a("beta")
		if form[0] == "mean" {
			m, sd := a("mean"), a("sd")
			if !(m > 0 && m < 1) {
				return bad("mean must be in (0, 1)")
			}
			if !(sd > 0 && sd*sd < m*(1-m)) {
				return bad("sd must be > 0 and below sqrt(mean*(1-mean)) = %s", sig(math.Sqrt(m*(1-m)), 4))
			}
			k := m*(1-m)/(sd*sd) - 1
			al, be = m*k, (1-m)*k
		} else if !(al > 0 && be > 0) {
			return bad("alpha and beta must be > 0")
		}
		if !(al >= minShape && al <= maxShape && be >= minShape && be <= maxShape) {
			return bad("gives alpha = %s and beta = %s; each must be from %s to %s, or its quantiles cannot be computed (for a value known exactly, write the number)",
				readNum(al), readNum(be), readNum(minShape), readNum(maxShape))
		}
		d.q = distuv.Beta{Alpha: al, Beta: be}
	case "gamma":
		sh, rt := a("shape"), a("rate")
		if form[0] == "mean" {
			m, sd := a("mean"), a("sd")
			if !(m > 0 && sd > 0) {
				return bad("mean and sd must be > 0")
			}
			sh, rt = m*m/(sd*sd), m/(sd*sd)
			if cv := sd / m; !(sh > 0 && rt > 0) || math.IsInf(sh, 0) || math.IsInf(rt, 0) {
				// m*m or sd*sd under- or overflowed: the same through
				// the coefficient of variation, which does not.
				sh = 1 / (cv * cv)
				rt = sh / m
			}
		} else if !(sh > 0 && rt > 0) {
			return bad("shape and rate must be > 0")
		}
		if !(sh >= minShape && sh <= maxShape && rt > 0 && !math.IsInf(rt, 0)) {
			return bad("gives shape = %s and rate = %s; the shape must be from %s to %s and the rate a finite number above 0, or its quantiles cannot be computed (for a value known exactly, write the number)",
				readNum(sh), readNum(rt), readNum(minShape), readNum(maxShape))
		}
		d.q = distuv.Gamma{Alpha: sh, Beta: rt}
	case "lognormal":
		mu, sg := a("mu"), a("sigma")
		if form[0] == "mean" {
			m, sd := a("mean"), a("sd")
			if !(m > 0 && sd > 0) {
				return bad("mean and sd must be > 0 (they are on the natural scale)")
			}
			s2 := math.Log1p(sd * sd / (m * m))
			if cv := sd / m; !(s2 > 0) || math.IsInf(s2, 0) {
				s2 = math.Log1p(cv * cv) // as for gamma
			}
			mu, sg = math.Log(m)-s2/2, math.Sqrt(s2)
		} else if !(sg > 0) {
			return bad("sigma must be > 0")
		}
		if math.IsInf(mu, 0) || !(sg > 0) || math.IsInf(sg, 0) {
			return bad("gives mu = %s and sigma = %s, which must be finite (and sigma above 0)", readNum(mu), readNum(sg))
		}
		d.q = distuv.LogNormal{Mu: mu, Sigma: sg}
	case "normal":
		if !(a("sd") > 0) {
			return bad("sd must be > 0")
		}
		d.q = distuv.Normal{Mu: a("mean"), Sigma: a("sd")}
	case "uniform":
		if !(a("min") < a("max")) {
			return bad("min must be below max")
		}
		if math.IsInf(a("max")-a("min"), 0) {
			return bad("max - min must be a finite number")
		}
		d.q = distuv.Uniform{Min: a("min"), Max: a("max")}
	case "triangular":
		lo, mo, hi := a("min"), a("mode"), a("max")
		if !(lo < hi && lo <= mo && mo <= hi) {
			return bad("need min <= mode <= max and min < max")
		}
		if math.IsInf(hi-lo, 0) {
			return bad("max - min must be a finite number")
		}
		d.q = distuv.NewTriangle(lo, hi, mo, nil)
	case "fixed":
		d.q = fixedDist(a("value"))
	}
	if form[0] == "mean" {
		d.mean = a("mean")
	}
	if !math.IsNaN(d.Low) && !math.IsNaN(d.High) && !(d.Low <= d.High) {
		return bad("low must not be above high")
	}
	if x := d.Mean(); math.IsNaN(x) || math.IsInf(x, 0) {
		return bad("its mean is %s: not a finite number", readNum(x))
	}
	for _, p := range probes {
		if x := d.q.Quantile(p); math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("its quantile at %s is %s: not a finite number", probeName(p), readNum(x))
		}
	}
	return d, nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// Support returns the smallest and largest values the distribution can
// take (possibly infinite).
func (d *Dist) Support() (lo, hi float64) {
	switch d.Kind {
	case "normal":
		return math.Inf(-1), math.Inf(1)
	case "gamma", "lognormal":
		return 0, math.Inf(1)
	case "beta":
		return 0, 1
	}
	return d.q.Quantile(0), d.q.Quantile(1) // uniform, triangular, fixed: finite
}

// ParseDist reads a distribution written as a string:
// "name(key=value, ...)" or, with the parameters in their first documented
// order, "name(value, ...)". Examples: "beta(mean=0.3, sd=0.05)",
// "gamma(shape=2, rate=0.5)", "uniform(0.5, 1.5)", "fixed(3)".
func ParseDist(s string) (*Dist, error) {
	t := strings.TrimSpace(s)
	open := strings.IndexByte(t, '(')
	if open < 0 || !strings.HasSuffix(t, ")") {
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return nil, fmt.Errorf("%q is a string: write numbers without quotes", s)
		}
		return nil, fmt.Errorf("%q is not a number or a distribution like \"lognormal(mean=1.2, sd=0.3)\"", s)
	}
	kind := strings.ToLower(strings.TrimSpace(t[:open]))
	body := strings.TrimSpace(t[open+1 : len(t)-1])
	var names []string
	var args []float64
	if body != "" {
		for i, part := range strings.Split(body, ",") {
			part = strings.TrimSpace(part)
			name, val, named := strings.Cut(part, "=")
			if !named {
				val = name
				forms := distForms[kind]
				if forms == nil {
					return NewDist(kind, nil, nil)
				}
				if i >= len(forms[0]) {
					return nil, fmt.Errorf("%q: too many arguments for %s (%s)", s, kind, strings.Join(forms[0], ", "))
				}
				name = forms[0][i]
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %s: %q is not a number", s, strings.TrimSpace(name), strings.TrimSpace(val))
			}
			names = append(names, strings.TrimSpace(name))
			args = append(args, x)
		}
	}
	return NewDist(kind, names, args)
}

// distFromTable reads a distribution written as an inline table with a
// dist key.
func distFromTable(t map[string]any) (*Dist, error) {
	kind, ok := t["dist"].(string)
	if !ok {
		return nil, fmt.Errorf(`a distribution table needs dist = "<name>" (one of %s)`, strings.Join(DistKinds, ", "))
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		if k != "dist" {
			keys = append(keys, k)
		}
	}
	// A key of no form of the kind that is one edit from one: misspelt.
	valid := []string{"low", "high", "source"}
	for _, f := range distForms[kind] {
		valid = append(valid, f...)
	}
	for _, k := range slices.Sorted(slices.Values(keys)) {
		if !slices.Contains(valid, k) {
			if sg := suggest(k, valid); sg != "" {
				return nil, fmt.Errorf("unknown key %q; did you mean %q?", k, sg)
			}
		}
	}
	// Keep a stable order: the documented order of the kind's forms, then
	// low, high, then anything else (which NewDist rejects).
	order := []string{}
	for _, f := range distForms[kind] {
		order = append(order, f...)
	}
	order = append(order, "low", "high")
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	var args []float64
	for _, k := range keys {
		switch x := t[k].(type) {
		case int64:
			args = append(args, float64(x))
		case float64:
			args = append(args, x)
		default:
			return nil, fmt.Errorf("%s: %s must be a number, got %s", kind, k, tomlType(t[k]))
		}
	}
	return NewDist(kind, keys, args)
}
