package scenario

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a scenario, located in its file. Line and
// Col are 1-based; they are 0 when the problem has no place in the file
// (a missing key in a missing table, or a value given by --set, in which
// case File is "--set").
type Problem struct {
	File string
	Line int
	Col  int
	Key  string // the key path, with array indices: placement.1.weekly_cost
	Msg  string
}

// String formats the problem as file:line:col: key.path: message.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, max(p.Col, 1))
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems lists every problem found in a scenario. It is the error that
// Load, LoadBytes and Build return for bad input; get it back with
// errors.As(err, &problems) or AsProblems.
type Problems []Problem

// Error returns one problem per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// BadInput reports that the problems are the scenario's, the user's to
// fix (exit status 2), not the program's.
func (ps Problems) BadInput() bool { return true }

// AsProblems reports whether err is or wraps Problems, and returns them.
func AsProblems(err error) (Problems, bool) {
	var ps Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	return nil, false
}

// sortProblems orders problems by file position; problems without a
// position come last, in the order they were found.
func sortProblems(ps Problems) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		switch {
		case a.Line == 0 && b.Line == 0:
			return 0
		case a.Line == 0:
			return 1
		case b.Line == 0:
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}
