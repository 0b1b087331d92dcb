package scenario

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/reunify/reunify/internal/numfmt"
)

// Value is a numeric scenario parameter: a plain number or a distribution.
// It decodes from a TOML integer or float, from a string such as
// "lognormal(mean=1.2, sd=0.3)", or from an inline table such as
// {dist = "beta", mean = 0.3, sd = 0.05}. In table form it may carry its
// source: { dist = "beta", mean = 0.3, sd = 0.05, source = "DfE 2024" },
// and a plain number too: { value = 600, source = "NSPCC 2024" }. A value
// that cannot be decoded keeps its error, which validation reports with
// the key's position, so that one bad value does not hide the others.
type Value struct {
	// Num is the plain number; for a distribution it is the mean.
	Num float64
	// Dist is the distribution, or nil for a plain number.
	Dist *Dist
	// Source is where the figure comes from, as written ("" if not).
	Source string

	set bool   // given in the file, by --set or by a default
	def bool   // filled in as a default
	err string // why the TOML value could not be decoded
}

// IsSet reports whether the value was given (or filled by a default).
func (v Value) IsSet() bool { return v.set }

// Mean returns the plain number, or the mean of the distribution.
func (v Value) Mean() float64 {
	if v.Dist != nil {
		return v.Dist.Mean()
	}
	return v.Num
}

// String returns the value as written in TOML: a number, or a quoted
// distribution string; with a source, the table form.
func (v Value) String() string {
	switch {
	case v.Source != "" && v.Dist != nil:
		return v.Dist.table(tomlString(v.Source))
	case v.Source != "":
		return inline([]string{"value", "source"}, []string{formatNum(v.Num), tomlString(v.Source)})
	case v.Dist != nil:
		return strconv.Quote(v.Dist.String())
	}
	return formatNum(v.Num)
}

// MaxSourceLength is the most characters a source may have.
const MaxSourceLength = 500

// source takes the source out of a value in table form, returning the
// table without it.
func (v *Value) source(t map[string]any) (map[string]any, error) {
	x, ok := t["source"]
	if !ok {
		return t, nil
	}
	src, isString := x.(string)
	switch {
	case !isString:
		return nil, fmt.Errorf("source must be a string, got %s", tomlType(x))
	case strings.IndexFunc(src, unicode.IsControl) >= 0:
		return nil, fmt.Errorf("source: contains a control character: write one line of plain text")
	case len(src) > MaxSourceLength:
		return nil, fmt.Errorf("source: %d characters, at most %d", len(src), MaxSourceLength)
	}
	v.Source = src
	rest := make(map[string]any, len(t)-1)
	for k, x := range t {
		if k != "source" {
			rest[k] = x
		}
	}
	return rest, nil
}

// plainTable reads a number in table form, { value = 600 } (its source
// already taken out).
func plainTable(t map[string]any) (float64, error) {
	for _, k := range slices.Sorted(maps.Keys(t)) {
		if k != "value" {
			return 0, fmt.Errorf("unknown key %q%s: a number in table form is { value = 600, source = \"...\" }, a distribution { dist = \"gamma\", mean = 600, sd = 60, source = \"...\" }",
				k, DidYouMean(k, []string{"value", "source"}))
		}
	}
	switch x := t["value"].(type) {
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	default:
		return 0, fmt.Errorf("value must be a number, got %s", tomlType(x))
	}
}

// UnmarshalTOML implements toml.Unmarshaler. It never fails: a value it
// cannot decode is kept with its error for validation to report.
func (v *Value) UnmarshalTOML(data any) error {
	*v = Value{set: true}
	switch x := data.(type) {
	case int64:
		v.Num = float64(x)
	case float64:
		v.Num = x
	case string:
		d, err := ParseDist(x)
		if err != nil {
			v.err = err.Error()
			return nil
		}
		v.Dist, v.Num = d, d.Mean()
	case map[string]any:
		t, err := v.source(x)
		if err != nil {
			v.err = err.Error()
			return nil
		}
		if _, isDist := t["dist"]; !isDist {
			_, isValue := t["value"]
			if !isValue {
				// Neither form: a misspelt dist or value?
				for _, k := range slices.Sorted(maps.Keys(t)) {
					if sg := suggest(k, []string{"dist", "value"}); sg != "" {
						v.err = fmt.Sprintf("unknown key %q; did you mean %q?", k, sg)
						return nil
					}
				}
			}
			if isValue {
				if v.Num, err = plainTable(t); err != nil {
					v.err = err.Error()
				}
				return nil
			}
		}
		d, err := distFromTable(t)
		if err != nil {
			v.err = err.Error()
			return nil
		}
		v.Dist, v.Num = d, d.Mean()
	default:
		v.err = fmt.Sprintf("want a number or a distribution, got %s", tomlType(data))
	}
	return nil
}

func tomlType(data any) string {
	switch data.(type) {
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case int64, float64:
		return "a number"
	}
	return fmt.Sprintf("a %T", data)
}

// formatNum writes a float so that it reads back exactly as a TOML number:
// in plain decimal, never an exponent, from 1e-15 to below 1e21 (a
// figure a scenario can hold), with an exponent only beyond.
func formatNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	a := math.Abs(x)
	if a != 0 && (a < 1e-15 || a >= 1e21) {
		return strconv.FormatFloat(x, 'e', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// readNum writes a float for a person, in a message: formatNum's exact
// plain decimal with the whole part grouped in thousands by commas, as
// 1,000,000,000,000,000 (never 1e+15).
func readNum(x float64) string {
	s := formatNum(x)
	if strings.ContainsAny(s, "en") || math.Abs(x) < 1000 {
		return s
	}
	sign, whole, frac := "", s, ""
	if whole[0] == '-' {
		sign, whole = "-", whole[1:]
	}
	if i := strings.IndexByte(whole, '.'); i >= 0 {
		whole, frac = whole[:i], whole[i:]
	}
	return sign + numfmt.Group(whole) + frac
}
