package ssda903

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// Class names a kind of problem with a row.
type Class string

// Classes of problem rows. Rows of every class but the last two are
// skipped; gap_after_x1 and x1_without_next are kept and only reported.
const (
	Malformed      Class = "malformed_row"    // fewer fields than the header
	MissingChild   Class = "missing_child"    // CHILD blank
	MissingDate    Class = "missing_date"     // DECOM (or DOB) blank
	InvalidDate    Class = "invalid_date"     // a date that is not dd/mm/yyyy or yyyy-mm-dd
	EndMismatch    Class = "end_mismatch"     // DEC without REC, or REC without DEC
	EndBeforeStart Class = "end_before_start" // DEC before DECOM
	UnknownCode    Class = "unknown_code"     // RNE, LS, PLACE, PLACE_PROVIDER or REC not in the 903 guidance
	NoHeader       Class = "no_header"        // the child is in no header file
	AgeOutOfRange  Class = "age_out_of_range" // the episode starts before birth or after the 18th birthday
	Overlap        Class = "overlap"          // the child's episodes overlap: all its episodes are skipped
	Conflict       Class = "conflict"         // two copies of the same episode or child disagree: the later is kept
	GapAfterX1     Class = "gap_after_x1"     // kept: an X1 episode is not followed on the same day
	X1WithoutNext  Class = "x1_without_next"  // kept: the child's last episode ends X1
)

// Classes lists every class in report order.
var Classes = []Class{Malformed, MissingChild, MissingDate, InvalidDate, EndMismatch, EndBeforeStart,
	UnknownCode, NoHeader, AgeOutOfRange, Overlap, Conflict, GapAfterX1, X1WithoutNext}

// Issue is one reported row. It never holds a child's identifier, date of
// birth, postcode, UPN or URN.
type Issue struct {
	File  string
	Line  int
	Class Class
	Msg   string
	Kept  bool // the row was used (and only reported)
}

// String formats the issue as "file:line: class: message".
func (i Issue) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", i.File, i.Line, i.Class, i.Msg)
}

// Report says what Read did with every row.
type Report struct {
	HeaderRows  int // data rows read from header files
	EpisodeRows int // data rows read from episode files
	// Duplicates counts episode rows that repeat an episode already read
	// (the same episode in two years' files), and HeaderDuplicates header
	// rows that repeat a child; one copy of each is kept.
	Duplicates       int
	HeaderDuplicates int
	Children         int // children with at least one episode kept
	Episodes         int // episodes kept
	Issues           []Issue
}

func (r *Report) add(file string, line int, c Class, kept bool, format string, a ...any) {
	r.Issues = append(r.Issues, Issue{File: file, Line: line, Class: c, Msg: fmt.Sprintf(format, a...), Kept: kept})
}

// Count returns the number of issues of class c.
func (r *Report) Count(c Class) int {
	n := 0
	for _, i := range r.Issues {
		if i.Class == c {
			n++
		}
	}
	return n
}

// Skipped returns the number of rows skipped.
func (r *Report) Skipped() int {
	n := 0
	for _, i := range r.Issues {
		if !i.Kept {
			n++
		}
	}
	return n
}

// WriteCSV writes every issue as CSV: file, line, class, action (skipped
// or kept), message.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"file", "line", "class", "action", "message"})
	for _, i := range r.Issues {
		act := "skipped"
		if i.Kept {
			act = "kept"
		}
		cw.Write([]string{i.File, strconv.Itoa(i.Line), string(i.Class), act, i.Msg})
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummary writes a short account of what was read, kept and dropped,
// with up to perClass example issues of each class.
func (r *Report) WriteSummary(w io.Writer, perClass int) error {
	fmt.Fprintf(w, "read %d episode rows and %d header rows; kept %d episodes of %d children\n",
		r.EpisodeRows, r.HeaderRows, r.Episodes, r.Children)
	if r.Duplicates > 0 || r.HeaderDuplicates > 0 {
		fmt.Fprintf(w, "  %d repeated episode rows and %d repeated header rows (the same record in several years' files) kept once\n", r.Duplicates, r.HeaderDuplicates)
	}
	for _, c := range Classes {
		n := r.Count(c)
		if n == 0 {
			continue
		}
		act := "skipped"
		if c == GapAfterX1 || c == X1WithoutNext {
			act = "kept, reported"
		}
		fmt.Fprintf(w, "  %-17s %6d rows %s\n", c, n, act)
		shown := 0
		for _, i := range r.Issues {
			if i.Class == c && shown < perClass {
				fmt.Fprintf(w, "    %s\n", i)
				shown++
			}
		}
		if n > shown {
			fmt.Fprintf(w, "    ... and %d more\n", n-shown)
		}
	}
	_, err := fmt.Fprintf(w, "  %d rows skipped in all\n", r.Skipped())
	return err
}
