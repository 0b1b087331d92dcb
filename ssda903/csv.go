package ssda903

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// lines reads a CSV file one physical line at a time: in an SSDA903 file
// every row is one line, since no field of the return (codes, dates,
// identifiers, postcodes) holds a line break. A reader that let a quoted
// field run on across lines, as RFC 4180 allows, would let one stray
// quote swallow every row up to the next quote; here a quote left open
// at the end of its line refuses the file, naming the line.
type lines struct {
	br    *bufio.Reader
	name  string
	line  int // the line of the row last returned
	blank *int
	first bool
	rec   []string
}

func newLines(s Source, blank *int) *lines {
	// The guard refuses a line longer than MaxLineBytes, so a buffer one
	// byte longer always holds a whole line and its newline.
	return &lines{br: bufio.NewReaderSize(newGuard(s), MaxLineBytes+1), name: s.Name, blank: blank, first: true}
}

// quoteProblem says where a line's quotes are wrong: the field (from 0)
// and what is wrong with it.
type quoteProblem struct {
	field int
	msg   string
}

// Messages of quote problems.
const (
	bareQuote  = "a quote inside a field that does not start with one: no SSDA903 value holds a quote, so the row cannot be trusted"
	afterQuote = "text after the quote that closes the field: the row cannot be trusted"
)

// next returns the fields of the next line that is not empty, with its
// line number, and a quote problem if the line's quotes are wrong (the
// row must then be reported, not used). At the end of the file rec is
// nil and err nil. err is a *FileError for a line that cannot belong to
// an SSDA903 file (an unclosed quote, or what the guard refuses).
func (l *lines) next() (rec []string, qp *quoteProblem, err error) {
	for {
		b, err := l.br.ReadSlice('\n')
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				return nil, nil, nil
			}
			return nil, nil, l.readErr(err)
		}
		if err != nil && err != io.EOF {
			return nil, nil, l.readErr(err)
		}
		l.line++
		b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r"))
		if l.first {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
			l.first = false
		}
		if len(b) == 0 {
			*l.blank++
			continue
		}
		var unclosed bool
		l.rec, qp, unclosed = splitLine(string(b), l.rec[:0])
		if unclosed {
			return nil, nil, &FileError{l.name, l.line, "a quote (\") opened in this line is not closed on it: no SSDA903 field holds a line break, " +
				"so the quote is a typing error, and a CSV reader that read on would take the rows after it as part of this one; remove the stray quote (or, if an extra column holds text with line breaks, remove that column)"}
		}
		return l.rec, qp, nil
	}
}

func (l *lines) readErr(err error) error {
	var fe *FileError
	if errors.As(err, &fe) {
		return fe
	}
	return &FileError{l.name, l.line + 1, "read error: " + err.Error()}
}

// splitLine splits one line into fields at commas, appending them to rec.
// A field that starts with a quote runs to the quote that closes it, and
// "" inside it is a quote. A quote anywhere else, or text after a closing
// quote, is a quote problem (the first is reported); unclosed is true if
// a quoted field runs to the end of the line.
func splitLine(s string, rec []string) (_ []string, qp *quoteProblem, unclosed bool) {
	note := func(field int, msg string) {
		if qp == nil {
			qp = &quoteProblem{field, msg}
		}
	}
	for {
		field := len(rec)
		if !strings.HasPrefix(s, "\"") {
			i := strings.IndexByte(s, ',')
			f := s
			if i >= 0 {
				f = s[:i]
			}
			if strings.IndexByte(f, '"') >= 0 {
				note(field, bareQuote)
			}
			rec = append(rec, f)
			if i < 0 {
				return rec, qp, false
			}
			s = s[i+1:]
			continue
		}
		// A quoted field.
		s = s[1:]
		var sb strings.Builder
		for {
			i := strings.IndexByte(s, '"')
			if i < 0 {
				return rec, qp, true
			}
			if strings.HasPrefix(s[i+1:], "\"") {
				sb.WriteString(s[:i+1])
				s = s[i+2:]
				continue
			}
			if sb.Len() == 0 {
				// No escaped quote: the field is a part of the line.
				rec = append(rec, s[:i])
			} else {
				sb.WriteString(s[:i])
				rec = append(rec, sb.String())
			}
			s = s[i+1:]
			break
		}
		switch i := strings.IndexByte(s, ','); {
		case i < 0:
			if s != "" {
				note(field, afterQuote)
			}
			return rec, qp, false
		case i > 0:
			note(field, afterQuote)
			s = s[i+1:]
		default:
			s = s[1:]
		}
	}
}

// columnName names field i of a row by the header row's names.
func columnName(head []string, i int) string {
	if i < len(head) && head[i] != "" {
		return head[i]
	}
	return fmt.Sprintf("field %d", i+1)
}
