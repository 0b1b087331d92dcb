package scenario

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Load reads the scenario file at path, applies the overrides in sets
// (each "key.path=value", as given to --set), fills defaults and validates
// it. Bad input gives an error of type Problems listing every problem
// found.
func Load(path string, sets []string) (*Scenario, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadBytes(path, data, sets)
}

// LoadBytes is Load for a scenario already in memory; name is used as the
// file name in problems.
//
// An override's key path is the TOML path with array elements named by
// index or, for arrays of tables, by their name: "horizon_years",
// "package.0.post.hr_reentry", "package.support.post.hr_reentry",
// "care.return_home_per_year.2.0". The value is read as a TOML value
// (0.5, "beta(mean=0.3, sd=0.05)", [1, 2], {dist="fixed", value=1}); text
// that is not a TOML value is taken as a string.
func LoadBytes(name string, data []byte, sets []string) (*Scenario, error) {
	if p := checkShape(name, data); p != nil {
		return nil, Problems{*p}
	}
	s := &Scenario{file: name, pos: scanPositions(data), overrides: map[string]string{}}
	if _, err := toml.Decode(string(data), s); err != nil {
		return nil, Problems{s.decodeProblem(err)}
	}
	// The numbers, the rows of the parameter table, are read from the
	// document by the table (the structs hold the keys of other shapes).
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, Problems{s.decodeProblem(err)}
	}
	if ps := s.decodeNumbers(doc); len(ps) > 0 {
		sortProblems(ps)
		return nil, ps
	}
	var ps Problems
	ps = append(ps, s.unknownKeys(doc)...)
	for _, set := range sets {
		if err := s.Set(set); err != nil {
			ps = append(ps, Problem{File: "--set", Key: strings.TrimSpace(strings.SplitN(set, "=", 2)[0]), Msg: err.Error()})
		}
	}
	s.fillDefaults()
	ps = append(ps, s.check()...)
	if len(ps) > 0 {
		sortProblems(ps)
		return nil, ps
	}
	// The correlations name parameters by the built model's paths and
	// need its distributions (a path that names no number, a pair given
	// twice, a matrix no joint distribution has): a trial build finds
	// them here, so what Load accepts every command runs.
	if len(s.Correlations) > 0 {
		if _, err := s.build(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

var (
	reLineKey = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): `)
	reKey     = regexp.MustCompile(`^toml: \(last key "([^"]*)"\): `)
)

// decodeProblem turns an error of the TOML decoder (a syntax error, or a
// value of the wrong type) into a located problem.
func (s *Scenario) decodeProblem(err error) Problem {
	p := Problem{File: s.file, Msg: err.Error()}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		p.Line, p.Col, p.Key, p.Msg = pe.Position.Line, pe.Position.Col, pe.LastKey, pe.Message
		if p.Key != "" {
			if k, pos, ok := s.findKey(p.Key, p.Line); ok {
				p.Key = k
				if p.Col == 0 {
					p.Col = pos.col
				}
			}
		}
		return p
	}
	msg := err.Error()
	if m := reLineKey.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Key = m[2]
		p.Msg = msg[len(m[0]):]
		if k, pos, ok := s.findKey(p.Key, p.Line); ok {
			p.Key, p.Col = k, pos.col
		}
	} else if m := reKey.FindStringSubmatch(msg); m != nil {
		p.Key, p.Msg = m[1], msg[len(m[0]):]
		if k, pos, ok := s.findKey(p.Key, 0); ok {
			p.Key, p.Line, p.Col = k, pos.line, pos.col
		}
	}
	p.Msg = plainTypeError(strings.TrimPrefix(p.Msg, "toml: "))
	return p
}

var (
	reTypes    = regexp.MustCompile(`incompatible types: TOML value has type (\S+); destination has type (\S+)`)
	reMismatch = regexp.MustCompile(`type mismatch for \S+: expected (\S+) but found (\S+)`)
)

// plainTypeError rewords the decoder's type mismatch for a scenario user.
func plainTypeError(msg string) string {
	words := map[string]string{"int64": "an integer", "float64": "a number", "string": "a string",
		"bool": "a boolean", "slice": "an array", "map": "a table", "integer": "an integer", "float": "a number",
		"boolean": "a boolean", "[]any": "an array", "map[string]any": "a table", "struct": "a table",
		"table": "a table", "[]map[string]any": "an array", "[]interface{}": "an array", "map[string]interface{}": "a table"}
	word := func(t string) string {
		if w, ok := words[t]; ok {
			return w
		}
		return t
	}
	if m := reTypes.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("wrong type: want %s, got %s", word(m[2]), word(m[1]))
	}
	if m := reMismatch.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("wrong type: want %s, got %s", word(m[1]), word(m[2]))
	}
	return msg
}

// findKey finds a key named as the decoder names it (without array
// indices) in the file, on the given line if line > 0. It returns the key
// with indices and its position.
func (s *Scenario) findKey(key string, line int) (string, position, bool) {
	for _, p := range s.pos.order {
		pos := s.pos.at[p]
		if stripIndices(p) == key && (line == 0 || pos.line == line) {
			return p, pos, true
		}
	}
	return "", position{}, false
}

// unknownKeys reports every key of the decoded document that the
// parameter table does not know, with its place in the file and a
// did-you-mean: at any depth, whatever TOML form wrote it (a table
// header, whose parent tables are implicit; a dotted key; an inline
// table; an array of tables or an element of one). The outermost unknown
// key is reported, once: what is below it is part of it. Below a row
// that decodes its own contents (a distribution's keys, shares by
// placement name), validation checks the keys.
func (s *Scenario) unknownKeys(doc map[string]any) Problems {
	var ps Problems
	walkUnknown(doc, nil, "", func(ipath []string, name, parent string) {
		ps = append(ps, s.unknownKey(strings.Join(ipath, "."), name, parent))
	})
	return ps
}

// walkUnknown calls unknown for every key of table t, and of the tables
// and arrays of tables below it, that the parameter table does not know:
// t is written at ipath (with indices) and is the table parent (without
// them) of the parameter table; ipath is the unknown key's path.
func walkUnknown(t map[string]any, ipath []string, parent string, unknown func(ipath []string, name, parent string)) {
	for _, k := range slices.Sorted(maps.Keys(t)) {
		key := k
		if parent != "" {
			key = parent + "." + k
		}
		p := append(slices.Clip(ipath), k)
		r := rowByKey[key]
		switch {
		case r == nil:
			unknown(p, k, parent)
		case r.kind == isTable:
			if sub, ok := t[k].(map[string]any); ok {
				walkUnknown(sub, p, key, unknown)
			}
		case r.kind == isTables:
			for j, el := range arrayOfTables(t[k]) {
				if sub, ok := el.(map[string]any); ok {
					walkUnknown(sub, append(slices.Clip(p), strconv.Itoa(j)), key, unknown)
				}
			}
		}
	}
}

// unknownKey is the problem of key name, at path (with indices) in the
// table parent (without them).
func (s *Scenario) unknownKey(path, name, parent string) Problem {
	msg := "unknown key " + strconv.Quote(name)
	valid := keysBelow(parent)
	if sg := suggest(name, valid); sg != "" {
		msg += fmt.Sprintf("; did you mean %q?", sg)
	} else if len(valid) > 0 {
		msg += " (valid keys here: " + strings.Join(valid, ", ") + ")"
	}
	p := Problem{File: s.file, Key: path, Msg: msg}
	if pos, ok := s.pos.lookup(path); ok {
		p.Line, p.Col = pos.line, pos.col
	}
	return p
}

var (
	valueType  = reflect.TypeFor[Value]()
	matrixType = reflect.TypeFor[Matrix]()
	sharesType = reflect.TypeFor[ShareMaps]()
)

// fieldByTag finds the field of struct type t, or of a struct embedded
// in it, with the TOML key tag (never an untagged or unexported field: an
// empty key names none, and "--set .=0" once reached the numbers' map).
func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for _, f := range reflect.VisibleFields(t) {
		if f.IsExported() && tag != "" && f.Tag.Get("toml") == tag {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// DidYouMean returns "; did you mean "x"?" naming the candidate x closest
// to s in edit distance, if close enough to be a likely misspelling, and
// "" otherwise: the end of an error message about an unknown name.
func DidYouMean(s string, candidates []string) string {
	if sg := suggest(s, candidates); sg != "" {
		return fmt.Sprintf("; did you mean %q?", sg)
	}
	return ""
}

// suggest returns the candidate closest to s in edit distance, if close
// enough to be a likely misspelling.
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/3) && bestD < len(s) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// endsInIndex reports whether a path names an array element: not a key.
func endsInIndex(path string) bool {
	_, err := strconv.Atoi(path[strings.LastIndexByte(path, '.')+1:])
	return err == nil
}

func stripSlice(path []string) []string {
	return slices.DeleteFunc(slices.Clone(path), func(p string) bool {
		_, err := strconv.Atoi(p)
		return err == nil
	})
}

func index(seg string, n int, where string) (int, error) {
	k, err := strconv.Atoi(seg)
	if err != nil {
		return 0, fmt.Errorf("%s is an array: want an index, got %q", where, seg)
	}
	if k < 0 || k >= n {
		return 0, fmt.Errorf("%s has %d elements: index %d is out of range", where, n, k)
	}
	return k, nil
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
