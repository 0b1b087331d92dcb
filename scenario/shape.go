package scenario

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Limits on the shape of a scenario file, checked before it is decoded: a
// hand-written scenario is a few kilobytes with at most a thousand keys
// and values, none more than six deep as the scan counts
// (package.support.post.hr_reentry = { dist = ... } is five), and a file
// far outside these limits (a data file passed by mistake, a corrupted
// attachment, a hostile file) would otherwise take the TOML decoder
// minutes and gigabytes: its cost grows with the square of a key's depth.
const (
	MaxFileBytes = 4 << 20 // bytes in a scenario file
	// MaxNesting is the deepest a value may be: the parts of its table
	// header, of its dotted key and of the keys of the inline tables it is
	// in, and the arrays it is in, together.
	MaxNesting = 32
	// MaxKeys is the most keys and values a file may hold: every part of
	// every key and table header, and every value.
	MaxKeys = 100_000
)

// shape scans a scenario file once, before it is decoded, for MaxNesting
// and MaxKeys. It reads the file as TOML's structure only: comments,
// strings, keys (runs of bare or quoted parts joined by dots), table
// headers, and the brackets and braces of arrays and inline tables; it
// does not check the syntax (the decoder does). Every run of parts is
// taken for a key, wherever it is, so a value (1.5, a date) counts as a
// key of two or three parts: never deeper than a scenario's values are.
type shape struct {
	name      string
	data      []byte
	i         int
	line      int
	lineStart int // the byte at which the line starts
	keys      int
	// table is the depth of the current table (its header's parts, one
	// more for an element of an array of tables).
	table int
	// open lists the arrays and inline tables the scanner is in, by the
	// depth of their elements (an array's) or of the table (an inline
	// table's, whose keys add their parts).
	open []container
	// value is the depth of the value after the latest key (the key's
	// depth), and afterKey says that only "=" has come since.
	value    int
	afterKey bool
	// lineHead says that nothing but blanks has come on this line
	// outside any array or inline table: a "[" here opens a header.
	lineHead bool
}

type container struct {
	array bool
	depth int
}

// checkShape reports a file too large, nested too deep or holding too
// many keys to be a scenario, with the line and column where it crosses
// the limit. It scans once, in time and memory linear in the file.
func checkShape(name string, data []byte) *Problem {
	if len(data) > MaxFileBytes {
		// Only the limit and a byte more were read: the size beyond is
		// not known, so the message gives the limit, not a size.
		return &Problem{File: name, Msg: fmt.Sprintf("the file is larger than %d MiB, the most a scenario may be (a few kilobytes is usual): is this the right file?",
			MaxFileBytes>>20)}
	}
	sc := &shape{name: name, data: data, line: 1, lineHead: true}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) { // a byte-order mark
		sc.i, sc.lineStart = 3, 3
	}
	return sc.scan()
}

// problem is a problem at byte at.
func (sc *shape) problem(at int, format string, a ...any) *Problem {
	return &Problem{File: sc.name, Line: sc.line, Col: utf8.RuneCount(sc.data[sc.lineStart:at]) + 1, Msg: fmt.Sprintf(format, a...)}
}

// base is the depth a key written here starts from: the current table's,
// or the inline table's or array's it is in.
func (sc *shape) base() int {
	if n := len(sc.open); n > 0 {
		return sc.open[n-1].depth
	}
	return sc.table
}

func (sc *shape) scan() *Problem {
	for sc.i < len(sc.data) {
		at := sc.i
		switch c := sc.data[at]; {
		case c == '\n':
			sc.newline()
			if len(sc.open) == 0 {
				sc.lineHead = true
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			sc.i++
			continue
		case c == '#':
			for sc.i < len(sc.data) && sc.data[sc.i] != '\n' {
				sc.i++
			}
			continue
		case c == '[' && sc.lineHead:
			if p := sc.header(); p != nil {
				return p
			}
		case c == '[' || c == '{':
			// The value's depth: the key's before "=", else the array's
			// element it is.
			depth := sc.base()
			if sc.afterKey {
				depth = sc.value
			}
			if c == '[' {
				depth++
			}
			sc.open = append(sc.open, container{array: c == '[', depth: depth})
			sc.i++
			if len(sc.open) > MaxNesting {
				return sc.problem(at, "arrays or inline tables nested more than %d deep; a scenario needs at most 3: look for brackets that are not closed", MaxNesting)
			}
			if depth > MaxNesting {
				return sc.problem(at, "values nested more than %d deep (keys, inline tables and arrays together); a scenario needs at most 6", MaxNesting)
			}
		case c == ']' || c == '}':
			if n := len(sc.open); n > 0 {
				sc.open = sc.open[:n-1]
			}
			sc.i++
		case c == '=':
			sc.i++
			sc.lineHead = false
			continue // afterKey holds across "="
		case c == '"' || c == '\'' || isBare(c):
			parts := sc.key()
			depth := sc.base() + parts
			if depth > MaxNesting {
				return sc.problem(at, "a key nested more than %d deep (the parts of its table header, its dotted key and the inline tables it is in, together); a scenario needs at most 6: look for a key with too many dots", MaxNesting)
			}
			if p := sc.count(at, parts); p != nil {
				return p
			}
			sc.lineHead = false
			sc.value, sc.afterKey = depth, sc.next() == '='
			continue
		default:
			sc.i++
		}
		sc.lineHead, sc.afterKey = false, false
	}
	return nil
}

// count adds n keys or values, found at byte at, to the file's total.
func (sc *shape) count(at, n int) *Problem {
	if sc.keys += n; sc.keys > MaxKeys {
		return sc.problem(at, "the file holds more than %d keys and values; a scenario holds at most a thousand or so: is this the right file?", MaxKeys)
	}
	return nil
}

// header reads a table header, [a.b] or [[a.b]], at a line's head.
func (sc *shape) header() *Problem {
	at := sc.i
	sc.i++
	array := sc.i < len(sc.data) && sc.data[sc.i] == '['
	if array {
		sc.i++
	}
	sc.skipBlanks()
	parts := sc.key()
	sc.table = parts
	if array {
		sc.table++ // an element of the array
	}
	if sc.table > MaxNesting {
		return sc.problem(at, "a table header nested more than %d deep; a scenario needs at most 3: look for a header with too many dots", MaxNesting)
	}
	if p := sc.count(at, parts); p != nil {
		return p
	}
	for sc.i < len(sc.data) && sc.data[sc.i] == ']' {
		sc.i++
	}
	return nil
}

// key reads a run of bare or quoted parts joined by dots (blanks allowed
// around the dots) and returns how many parts it has.
func (sc *shape) key() int {
	parts := 0
	for sc.i < len(sc.data) {
		switch c := sc.data[sc.i]; {
		case isBare(c):
			for sc.i < len(sc.data) && isBare(sc.data[sc.i]) {
				sc.i++
			}
		case c == '"' || c == '\'':
			sc.str()
		default:
			return parts
		}
		parts++
		sc.skipBlanks()
		if sc.i >= len(sc.data) || sc.data[sc.i] != '.' {
			return parts
		}
		sc.i++
		sc.skipBlanks()
	}
	return parts
}

// str skips a string, basic or literal, single- or multi-line, from its
// opening quote; an unterminated single-line string ends at the line's
// end (the decoder reports it).
func (sc *shape) str() {
	d := sc.data
	q := d[sc.i]
	multi := sc.i+2 < len(d) && d[sc.i+1] == q && d[sc.i+2] == q
	if multi {
		sc.i += 2
	}
	for sc.i++; sc.i < len(d); sc.i++ {
		switch c := d[sc.i]; {
		case c == '\\' && q == '"':
			if sc.i+1 < len(d) && d[sc.i+1] == '\n' {
				sc.i++
				sc.newline()
				sc.i--
			} else {
				sc.i++
			}
		case c == '\n':
			if !multi {
				return
			}
			sc.newline()
			sc.i--
		case c == q && (!multi || sc.i+2 < len(d) && d[sc.i+1] == q && d[sc.i+2] == q):
			if multi {
				sc.i += 2
			}
			sc.i++
			return
		}
	}
}

// newline steps over the newline at sc.i.
func (sc *shape) newline() {
	sc.i++
	sc.line, sc.lineStart = sc.line+1, sc.i
}

func (sc *shape) skipBlanks() {
	for sc.i < len(sc.data) && (sc.data[sc.i] == ' ' || sc.data[sc.i] == '\t') {
		sc.i++
	}
}

// next returns the next byte that is not a blank, or 0.
func (sc *shape) next() byte {
	sc.skipBlanks()
	if sc.i < len(sc.data) {
		return sc.data[sc.i]
	}
	return 0
}
