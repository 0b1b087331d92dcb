package scenario

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Set applies one override, "key.path=value", to the scenario as decoded
// (before defaults and validation; Load calls it for each --set). See
// LoadBytes for the form of key paths and values.
func (s *Scenario) Set(set string) error {
	key, text, ok := strings.Cut(set, "=")
	key, text = strings.TrimSpace(key), strings.TrimSpace(text)
	if !ok || key == "" {
		return fmt.Errorf("want key.path=value, got %q", set)
	}
	var doc struct{ V toml.Primitive }
	md, err := toml.Decode("V = "+text, &doc)
	if err != nil {
		md, err = toml.Decode("V = "+tomlString(text), &doc)
		if err != nil {
			return fmt.Errorf("cannot read value %q", text)
		}
	}
	decode := func(ptr any) error {
		if err := md.PrimitiveDecode(doc.V, ptr); err != nil {
			msg := err.Error()
			if m := reKey.FindStringSubmatch(msg); m != nil {
				msg = msg[len(m[0]):]
			}
			return fmt.Errorf("value %s: %s", text, plainTypeError(strings.TrimPrefix(msg, "toml: ")))
		}
		return nil
	}
	if s.overrides == nil {
		s.overrides = map[string]string{}
	}
	if s.nums == nil {
		s.nums, s.bandOf = map[string]Value{}, map[string]Bands{}
	}
	path, err := s.setPath(strings.Split(key, "."), decode)
	if err != nil {
		return err
	}
	s.overrides[path] = set
	return nil
}

// unknownIn reports the first key the parameter table does not know in
// the value decode gives, a table or an array of tables given whole for
// path (with indices), before anything is set: the keys of a table
// decoded into a struct would otherwise be dropped without a word.
func unknownIn(path string, decode func(ptr any) error) error {
	var v any
	if decode(&v) != nil {
		return nil // the value's own decoding reports it
	}
	r := rowByKey[unstarIndexed(path)]
	if r == nil || r.kind != isTable && r.kind != isTables {
		return nil
	}
	var err error
	unknown := func(ipath []string, name, parent string) {
		if err == nil {
			err = fmt.Errorf("no key %q in %s%s", name, strings.Join(ipath[:len(ipath)-1], "."), DidYouMean(name, keysBelow(parent)))
		}
	}
	segs := strings.Split(path, ".")
	element := r.kind == isTables && endsInIndex(path)
	switch t := v.(type) {
	case map[string]any:
		if r.kind == isTable || element {
			walkUnknown(t, segs, unstarIndexed(path), unknown)
		}
	default:
		if r.kind == isTables && !element {
			for j, el := range arrayOfTables(v) {
				if t, ok := el.(map[string]any); ok {
					walkUnknown(t, append(slices.Clip(segs), strconv.Itoa(j)), unstarIndexed(path), unknown)
				}
			}
		}
	}
	return err
}

// setPath walks the scenario along segs and decodes the value into the
// field or number found; it returns the path with array elements as
// indices. Keys of the structs are found by their toml tags, numbers by
// the parameter table.
func (s *Scenario) setPath(segs []string, decode func(ptr any) error) (string, error) {
	v := reflect.ValueOf(s).Elem()
	var done []string
	where := func() string {
		if len(done) == 0 {
			return "the top level"
		}
		return strings.Join(done, ".")
	}
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		t := v.Type()
		switch {
		case t == valueType:
			return "", fmt.Errorf("%s is a single value: it has no key %q", where(), seg)
		case t == matrixType:
			m := v.Addr().Interface().(*Matrix)
			if len(m.Rows) == 0 {
				return "", fmt.Errorf("%s is not set: set it whole", where())
			}
			if m.Single {
				v = reflect.ValueOf(m.Rows[0])
				i-- // the segment indexes the single row
				continue
			}
			k, err := index(seg, len(m.Rows), where())
			if err != nil {
				return "", err
			}
			v = reflect.ValueOf(m.Rows[k])
		case t == sharesType:
			sm := v.Addr().Interface().(*ShareMaps)
			if len(sm.Maps) == 0 {
				return "", fmt.Errorf("%s is not set: set it whole", where())
			}
			if !sm.PerBand {
				v = reflect.ValueOf(sm.Maps[0])
				i--
				continue
			}
			k, err := index(seg, len(sm.Maps), where())
			if err != nil {
				return "", err
			}
			v = reflect.ValueOf(sm.Maps[k])
		case t.Kind() == reflect.Pointer:
			// An optional table (package capacity): create it if unset,
			// and look the segment up inside it.
			if v.IsNil() {
				v.Set(reflect.New(t.Elem()))
			}
			v = v.Elem()
			i--
			continue
		case t.Kind() == reflect.Map:
			if i != len(segs)-1 {
				return "", fmt.Errorf("%s.%s is a single value: it has no key %q", where(), seg, segs[i+1])
			}
			if v.IsNil() {
				v.Set(reflect.MakeMap(t))
			}
			nv := reflect.New(t.Elem())
			if err := decode(nv.Interface()); err != nil {
				return "", err
			}
			v.SetMapIndex(reflect.ValueOf(seg), nv.Elem())
			return strings.Join(append(done, seg), "."), nil
		case t.Kind() == reflect.Struct:
			f, ok := fieldByTag(t, seg)
			if !ok {
				return s.setRow(done, segs[i:], decode)
			}
			v = v.FieldByIndex(f.Index)
		case t.Kind() == reflect.Slice:
			k := -1
			if t.Elem().Kind() == reflect.Struct && t.Elem() != valueType {
				if _, ok := t.Elem().FieldByName("Name"); ok {
					var names []string
					for j := range v.Len() {
						n := v.Index(j).FieldByName("Name").String()
						names = append(names, n)
						if n == seg {
							k = j
						}
					}
					if _, err := strconv.Atoi(seg); k < 0 && err != nil {
						msg := fmt.Sprintf("%s has no element named %q", where(), seg)
						if sg := suggest(seg, names); sg != "" {
							msg += fmt.Sprintf("; did you mean %q?", sg)
						} else {
							msg += " (names: " + strings.Join(names, ", ") + ")"
						}
						return "", fmt.Errorf("%s", msg)
					}
				}
			}
			if k < 0 {
				var err error
				if k, err = index(seg, v.Len(), where()); err != nil {
					return "", err
				}
			}
			seg = strconv.Itoa(k)
			v = v.Index(k)
		default:
			return "", fmt.Errorf("%s is a single value: it has no key %q", where(), seg)
		}
		done = append(done, seg)
	}
	if err := unknownIn(strings.Join(done, "."), decode); err != nil {
		return "", err
	}
	if rows := rowByKey[strings.Join(stripSlice(done), ".")]; rows != nil && hasNumbers(rows) {
		// A whole table or array of tables whose keys are partly fields,
		// partly numbers ([stock], a package, the correlations): each key
		// given goes where it belongs.
		if v.Kind() == reflect.Slice { // the array, not one element
			return s.setTables(done, v, decode)
		}
		return s.setTable(done, v, decode)
	}
	if err := decode(v.Addr().Interface()); err != nil {
		return "", err
	}
	return strings.Join(done, "."), nil
}

// setRow sets the number, per-band list or table of numbers that rest
// names below done (a path with indices), by the parameter table.
func (s *Scenario) setRow(done, rest []string, decode func(ptr any) error) (string, error) {
	where := func() string {
		if len(done) == 0 {
			return "the top level"
		}
		return strings.Join(done, ".")
	}
	for k, seg := range rest {
		r := rowByKey[strings.Join(append(stripSlice(done), seg), ".")]
		if r == nil {
			msg := fmt.Sprintf("no key %q in %s", seg, where())
			if sg := suggest(seg, keysBelow(strings.Join(stripSlice(done), "."))); sg != "" {
				msg += fmt.Sprintf("; did you mean %q?", sg)
			}
			return "", fmt.Errorf("%s", msg)
		}
		done = append(done, seg)
		path := strings.Join(done, ".")
		last := k == len(rest)-1
		switch {
		case r.kind == isNumber && !last:
			return "", fmt.Errorf("%s is a single value: it has no key %q", path, rest[k+1])
		case r.kind == isNumber:
			var v Value
			if err := decode(&v); err != nil {
				return "", err
			}
			s.nums[path] = v
			return path, nil
		case r.kind == isBands && last:
			var b Bands
			if err := decode(&b); err != nil {
				return "", err
			}
			s.bandOf[path] = b
			return path, nil
		case r.kind == isBands:
			b := s.bandOf[path]
			if b.Scalar {
				return "", fmt.Errorf("%s is one number for all age bands: set %s itself", path, path)
			}
			j, err := index(rest[k+1], len(b.Values), path)
			if err != nil {
				return "", err
			}
			if k+1 < len(rest)-1 {
				return "", fmt.Errorf("%s.%s is a single value: it has no key %q", path, rest[k+1], rest[k+2])
			}
			if err := decode(&b.Values[j]); err != nil {
				return "", err
			}
			return path + "." + rest[k+1], nil
		case r.kind == isTable && last:
			if err := unknownIn(path, decode); err != nil {
				return "", err
			}
			return s.setTable(done, reflect.Value{}, decode)
		case r.kind != isTable:
			return "", fmt.Errorf("%s is not a number: set it whole", path)
		}
	}
	panic("unreachable")
}

// hasNumbers reports whether a table holds numbers, at any depth.
func hasNumbers(r *param) bool {
	for _, c := range r.children() {
		if c.kind == isNumber || c.kind == isBands || hasNumbers(c) {
			return true
		}
	}
	return false
}

// setTable sets a whole table given as an inline table: its numbers by
// the parameter table, the rest, if the table is a struct (fields), by
// decoding into it. Keys that are neither are an error.
func (s *Scenario) setTable(done []string, fields reflect.Value, decode func(ptr any) error) (string, error) {
	path := strings.Join(done, ".")
	var doc map[string]any
	if err := decode(&doc); err != nil {
		return "", err
	}
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		if err := s.put(path, k, doc[k], fields); err != nil {
			return "", err
		}
	}
	if fields.IsValid() {
		if err := decode(fields.Addr().Interface()); err != nil {
			return "", err
		}
	}
	return path, nil
}

// setTables sets a whole array of tables given inline
// (correlation=[{params=[...], rho=0.5}]): its elements replace the
// file's, the fields decoded into the slice, the numbers of each element
// by the parameter table. None of the file's elements' numbers is kept:
// what an element does not give takes its default.
func (s *Scenario) setTables(done []string, slice reflect.Value, decode func(ptr any) error) (string, error) {
	path := strings.Join(done, ".")
	// Into a new slice: a value that fails to decode changes nothing.
	fresh := reflect.New(slice.Type())
	if err := decode(fresh.Interface()); err != nil {
		return "", err
	}
	var els []map[string]any
	if err := decode(&els); err != nil {
		return "", err
	}
	elem := reflect.New(slice.Type().Elem()).Elem() // for its fields' keys
	nums, bands := map[string]Value{}, map[string]Bands{}
	for j, el := range els {
		for _, k := range slices.Sorted(maps.Keys(el)) {
			if err := s.putIn(nums, bands, path+"."+strconv.Itoa(j), k, el[k], elem); err != nil {
				return "", err
			}
		}
	}
	slice.Set(fresh.Elem())
	maps.DeleteFunc(s.nums, func(p string, _ Value) bool { return strings.HasPrefix(p, path+".") })
	maps.DeleteFunc(s.bandOf, func(p string, _ Bands) bool { return strings.HasPrefix(p, path+".") })
	maps.Copy(s.nums, nums)
	maps.Copy(s.bandOf, bands)
	return path, nil
}

// put sets key, with value x, of the table at prefix (a path with
// indices): a number or per-band list by the parameter table, a table of
// them key by key; a key that is a field of the struct fields (if valid)
// is left to be decoded into it.
func (s *Scenario) put(prefix, key string, x any, fields reflect.Value) error {
	return s.putIn(s.nums, s.bandOf, prefix, key, x, fields)
}

// putIn is put, into the given maps of numbers and per-band lists.
func (s *Scenario) putIn(nums map[string]Value, bands map[string]Bands, prefix, key string, x any, fields reflect.Value) error {
	if fields.IsValid() && hasStructField(fields, key) {
		return nil // a struct field: decoded by the caller
	}
	r := rowByKey[unstarIndexed(prefix)+"."+key]
	if r == nil || r.kind == isText || r.kind == isTables {
		msg := fmt.Sprintf("no key %q in %s", key, prefix)
		if sg := suggest(key, keysBelow(unstarIndexed(prefix))); sg != "" {
			msg += fmt.Sprintf("; did you mean %q?", sg)
		}
		return fmt.Errorf("%s", msg)
	}
	p := prefix + "." + key
	switch r.kind {
	case isNumber:
		var v Value
		v.UnmarshalTOML(x)
		nums[p] = v
	case isBands:
		var b Bands
		b.UnmarshalTOML(x)
		bands[p] = b
	case isTable:
		t, ok := x.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: wrong type: want a table, got %s", p, tomlType(x))
		}
		for _, k := range slices.Sorted(maps.Keys(t)) {
			if err := s.putIn(nums, bands, p, k, t[k], reflect.Value{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// hasStructField reports whether the struct v has a field tagged key.
func hasStructField(v reflect.Value, key string) bool {
	t := v.Type()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	_, ok := fieldByTag(t, key)
	return ok
}

func unstarIndexed(path string) string {
	return strings.Join(stripSlice(strings.Split(path, ".")), ".")
}
