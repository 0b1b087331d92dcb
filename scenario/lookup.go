package scenario

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Lookup returns the number or distribution at path in the scenario as
// resolved (defaults filled in, overrides applied), with the path
// conventions of --set: keys by name, array elements by index, and
// elements of an array of tables also by name. It is how an analysis
// reads a parameter's current value; errors begin with the path.
func (s *Scenario) Lookup(path string) (Value, error) {
	var doc map[string]any
	if _, err := toml.Decode(string(s.Resolved()), &doc); err != nil {
		return Value{}, fmt.Errorf("%s: reading the resolved scenario: %w", path, err)
	}
	var cur any = doc
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		where := strings.Join(segs[:i], ".")
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[seg]
			if !ok {
				return Value{}, fmt.Errorf("%s: no key %q%s", path, seg, DidYouMean(seg, slices.Sorted(maps.Keys(x))))
			}
			cur = v
		case []map[string]any:
			k := -1
			for j, el := range x {
				if el["name"] == seg {
					k = j
				}
			}
			if k < 0 {
				var err error
				if k, err = strconv.Atoi(seg); err != nil || k < 0 || k >= len(x) {
					return Value{}, fmt.Errorf("%s: %s has no element %q", path, where, seg)
				}
			}
			cur = x[k]
		case []any:
			k, err := strconv.Atoi(seg)
			if err != nil || k < 0 || k >= len(x) {
				return Value{}, fmt.Errorf("%s: %s is an array of %d: want an index from 0 to %d, got %q", path, where, len(x), len(x)-1, seg)
			}
			cur = x[k]
		default:
			return Value{}, fmt.Errorf("%s: %s is a single value: it has no key %q", path, where, seg)
		}
	}
	var v Value
	table, isTable := cur.(map[string]any)
	_, isDist := table["dist"]
	_, isValue := table["value"]
	switch cur.(type) {
	case int64, float64, string:
	default:
		if !isTable || !isDist && !isValue {
			return v, fmt.Errorf("%s is not a number: name a single value, e.g. home.reentry.cumulative.1", path)
		}
	}
	if err := v.UnmarshalTOML(cur); err != nil || (v.Dist == nil && math.IsNaN(v.Num)) {
		return v, fmt.Errorf("%s has no numeric value", path)
	}
	return v, nil
}
