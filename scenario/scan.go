package scenario

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// position is a 1-based line and column in a scenario file.
type position struct{ line, col int }

// positions maps key paths, with the indices of arrays and arrays of
// tables as path segments ("placement.1.weekly_cost",
// "home.reentry.cumulative.2"), to where they are written.
type positions struct {
	at    map[string]position
	order []string // paths in the order they appear
}

// scanPositions is a light, tolerant TOML scanner: it does not check the
// syntax (the real decoder does), it only records where each key, table
// header and array element starts. It tracks [table] and [[array]]
// headers and their indices, dotted keys, inline tables and arrays.
func scanPositions(src []byte) positions {
	s := &scanner{src: src, line: 1, ps: positions{at: map[string]position{}}, aot: map[string]int{}, colLineStart: -1}
	s.run()
	return s.ps
}

type scanner struct {
	src       []byte
	i         int
	line      int
	lineStart int
	ps        positions
	aot       map[string]int // array-of-tables path -> number of elements
	table     []string       // current table, with indices
	// The column of byte colAt on the line starting at colLineStart, a
	// cache for here.
	colLineStart, colAt, col int
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanner) here() position {
	// Count runes from the last position asked for on this line, not from
	// the line's start: a long line (an array of 10^5 numbers) stays
	// linear.
	if s.colLineStart != s.lineStart || s.colAt > s.i {
		s.colLineStart, s.colAt, s.col = s.lineStart, s.lineStart, 0
	}
	s.col += utf8.RuneCount(s.src[s.colAt:s.i])
	s.colAt = s.i
	return position{s.line, s.col + 1}
}

func (s *scanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.lineStart = s.i + 1
	}
	s.i++
}

func (s *scanner) record(path []string, p position) {
	k := strings.Join(path, ".")
	if _, ok := s.ps.at[k]; !ok {
		s.ps.at[k] = p
		s.ps.order = append(s.ps.order, k)
	}
}

// skipSpace skips blanks, and also newlines and comments if nl is set.
func (s *scanner) skipSpace(nl bool) {
	for !s.eof() {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case nl && c == '\n':
			s.advance()
		case nl && c == '#':
			s.skipLine()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.src[s.i] != '\n' {
		s.advance()
	}
}

func (s *scanner) run() {
	for {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			s.header()
		} else {
			s.keyValue(s.table)
		}
		if s.i == start { // no progress: give up on this line
			s.skipLine()
		}
		s.skipSpace(false)
		if !s.eof() && s.src[s.i] == '#' {
			s.skipLine()
		}
		if !s.eof() && s.src[s.i] != '\n' {
			s.skipLine() // junk after a value
		}
	}
}

func (s *scanner) header() {
	p := s.here()
	array := s.peek(1) == '['
	s.advance()
	if array {
		s.advance()
	}
	s.skipSpace(false)
	keys := s.key()
	s.skipSpace(false)
	for !s.eof() && s.src[s.i] == ']' {
		s.advance()
	}
	// Resolve the header's parents to the latest element of any array of
	// tables they name.
	var path []string
	for j, k := range keys {
		path = append(path, k)
		// Each parent a header names is written here if nowhere before
		// ([histroy.older] writes the table histroy).
		s.record(path, p)
		joined := strings.Join(path, ".")
		if j == len(keys)-1 && array {
			n := s.aot[joined]
			s.aot[joined] = n + 1
			s.record(path, p)
			path = append(path, strconv.Itoa(n))
			break
		}
		if n, ok := s.aot[joined]; ok && n > 0 {
			path = append(path, strconv.Itoa(n-1))
		}
	}
	s.record(path, p)
	s.table = path
}

// key reads a possibly dotted key and returns its parts.
func (s *scanner) key() []string {
	var parts []string
	for !s.eof() {
		s.skipSpace(false)
		if s.eof() {
			break
		}
		switch c := s.src[s.i]; {
		case c == '"' || c == '\'':
			parts = append(parts, s.quoted())
		case isBare(c):
			st := s.i
			for !s.eof() && isBare(s.src[s.i]) {
				s.advance()
			}
			parts = append(parts, string(s.src[st:s.i]))
		default:
			return parts
		}
		s.skipSpace(false)
		if s.eof() || s.src[s.i] != '.' {
			return parts
		}
		s.advance()
	}
	return parts
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a single-line quoted key or string and returns its text
// (escapes are kept as written, which is good enough for key names).
func (s *scanner) quoted() string {
	q := s.src[s.i]
	s.advance()
	st := s.i
	for !s.eof() && s.src[s.i] != q && s.src[s.i] != '\n' {
		if q == '"' && s.src[s.i] == '\\' && s.i+1 < len(s.src) {
			s.advance()
		}
		s.advance()
	}
	text := string(s.src[st:s.i])
	if !s.eof() && s.src[s.i] == q {
		s.advance()
	}
	if q == '"' {
		if u, err := strconv.Unquote(`"` + text + `"`); err == nil {
			text = u
		}
	}
	return text
}

func (s *scanner) keyValue(table []string) {
	p := s.here()
	keys := s.key()
	if len(keys) == 0 {
		return
	}
	path := append([]string(nil), table...)
	for _, k := range keys {
		path = append(path, k)
		s.record(path, p)
	}
	s.skipSpace(false)
	if s.eof() || s.src[s.i] != '=' {
		return
	}
	s.advance()
	s.skipSpace(false)
	s.value(path)
}

func (s *scanner) value(path []string) {
	if s.eof() {
		return
	}
	switch c := s.src[s.i]; c {
	case '"', '\'':
		if s.peek(1) == c && s.peek(2) == c {
			s.advance()
			s.advance()
			s.advance()
			for !s.eof() && !(s.src[s.i] == c && s.peek(1) == c && s.peek(2) == c) {
				if c == '"' && s.src[s.i] == '\\' {
					s.advance()
				}
				if !s.eof() {
					s.advance()
				}
			}
			for !s.eof() && s.src[s.i] == c {
				s.advance()
			}
			return
		}
		s.quoted()
	case '[':
		n := 0
		s.items(']', func() {
			el := append(append([]string(nil), path...), strconv.Itoa(n))
			s.record(el, s.here())
			s.value(el)
			n++
		})
	case '{':
		s.items('}', func() { s.keyValue(path) })
	default:
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.src[s.i])) {
			s.advance()
		}
	}
}

// items reads the comma-separated items of an array or inline table up to
// close, calling item at the start of each; an item that reads nothing is
// skipped a character at a time, so broken input cannot stall the scan.
func (s *scanner) items(close byte, item func()) {
	s.advance()
	for {
		s.skipSpace(true)
		if s.eof() || s.src[s.i] == close {
			break
		}
		start := s.i
		item()
		s.skipSpace(true)
		if !s.eof() && s.src[s.i] == ',' {
			s.advance()
		} else if s.i == start {
			s.advance()
		}
	}
	if !s.eof() {
		s.advance()
	}
}

// lookup returns the position of path, or of its nearest written parent;
// ok is false when nothing on the path is in the file.
func (ps positions) lookup(path string) (position, bool) {
	for p := path; p != ""; {
		if pos, ok := ps.at[p]; ok {
			return pos, true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return position{}, false
}

// stripIndices removes numeric segments from a path: the form in which
// the TOML decoder names keys inside arrays of tables.
func stripIndices(path string) string {
	parts := strings.Split(path, ".")
	out := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}
