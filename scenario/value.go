package scenario

import (
	"fmt"
	"math"
	"strconv"
)

// Value is a numeric scenario parameter: a plain number or a distribution.
// It decodes from a TOML integer or float, from a string such as
// "lognormal(mean=1.2, sd=0.3)", or from an inline table such as
// {dist = "beta", mean = 0.3, sd = 0.05}. A value that cannot be decoded
// keeps its error, which validation reports with the key's position, so
// that one bad value does not hide the others.
type Value struct {
	// Num is the plain number; for a distribution it is the mean.
	Num float64
	// Dist is the distribution, or nil for a plain number.
	Dist *Dist

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
// distribution string.
func (v Value) String() string {
	if v.Dist != nil {
		return strconv.Quote(v.Dist.String())
	}
	return formatNum(v.Num)
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
		d, err := distFromTable(x)
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

// formatNum writes a float so that it reads back exactly as a TOML number.
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
	if a != 0 && (a < 1e-6 || a >= 1e15) {
		return strconv.FormatFloat(x, 'e', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
