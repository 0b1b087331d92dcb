package ssda903

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// Class names a kind of problem with a row.
type Class string

// Classes of problem rows. Rows of the last three classes are kept and
// only reported, a conflict row is replaced by a later copy, and rows of
// every other class are skipped (Class.Action).
const (
	Malformed      Class = "malformed_row"    // fewer fields than the header, or a CSV error
	MissingChild   Class = "missing_child"    // CHILD blank
	MissingDate    Class = "missing_date"     // DECOM (or DOB) blank
	InvalidDate    Class = "invalid_date"     // a date that is not dd/mm/yyyy or yyyy-mm-dd, or is outside 1800-2200
	EndMismatch    Class = "end_mismatch"     // DEC without REC
	EndBeforeStart Class = "end_before_start" // DEC before DECOM
	UnknownCode    Class = "unknown_code"     // RNE, LS, PLACE, PLACE_PROVIDER, REC or LA not a code
	NoHeader       Class = "no_header"        // the child is in no header file
	AgeOutOfRange  Class = "age_out_of_range" // the episode starts before birth or after the 18th birthday
	Overlap        Class = "overlap"          // the child's episodes overlap: all its episodes are skipped
	Conflict       Class = "conflict"         // two copies of the same episode or child disagree: the earlier is replaced by the later
	OpenWithREC    Class = "open_with_rec"    // kept: REC given but DEC blank; the episode is open
	GapAfterX1     Class = "gap_after_x1"     // kept: an X1 episode is not followed on the same day
	X1WithoutNext  Class = "x1_without_next"  // kept: the child's last episode ends X1
)

// Classes lists every class in report order.
var Classes = []Class{Malformed, MissingChild, MissingDate, InvalidDate, EndMismatch, EndBeforeStart,
	UnknownCode, NoHeader, AgeOutOfRange, Overlap, Conflict, OpenWithREC, GapAfterX1, X1WithoutNext}

// Action is what Read does with a reported row.
type Action string

// The actions, as the dropped-rows file names them.
const (
	Skipped  Action = "skipped"  // the row is not used
	Kept     Action = "kept"     // the row is used, and only reported
	Replaced Action = "replaced" // a later copy of the same record, which differs, is used instead
)

// Action returns what Read does with rows of class c.
func (c Class) Action() Action {
	switch c {
	case OpenWithREC, GapAfterX1, X1WithoutNext:
		return Kept
	case Conflict:
		return Replaced
	}
	return Skipped
}

// effects says, for each class, what its rows do to the estimates.
var effects = map[Class]string{
	Overlap:       "the child's whole history is left out: its time at risk and its events alike",
	Conflict:      "the last copy is used, so nothing is counted twice or lost; if an earlier copy was the right one, that episode's end or that child's age is off",
	OpenWithREC:   "each counts as still in care to the end of the window: if it in fact ended, its exit is missed and its time at risk runs on, so the rates of leaving care are a little low (skipping these rows instead would drop time but no exits, and push every rate up)",
	GapAfterX1:    "an episode is missing after an X1: if the next one continues the period (RNE not S), the period runs on through the gap in the placement before, so no entry is made up and only a move may be missed; if it starts a period (RNE S), the child left care in the gap by a route not in the files, so that exit is missed (the period before is censored) and the new period counts as an entry",
	X1WithoutNext: "the period is cut (censored) at the episode's end: no exit is counted",
}

// skippedEffect is what a skipped row does to the estimates.
const skippedEffect = "a skipped episode inside a period leaves a gap that the period runs on through (see gap_after_x1), so no entry is made up; a skipped first episode of a period loses that entry (the rest of the period, whose start is then unknown, is not counted as one), and a skipped last episode loses the period's exit (the period is censored). So rates of leaving care are a little low if such rows are missing at random, and counts (entries, returns home, children in care) are low by about their share"

// Issue is one reported row. It never holds a child's identifier, date of
// birth, postcode, UPN, URN or any cell value other than a known code.
type Issue struct {
	File   string
	Line   int
	Column string // the column at fault, "" for the row as a whole
	Class  Class
	Msg    string
	Action Action // what was done with the row (its Class's Action)
}

// String formats the issue as "file:line: class: column COL: message".
func (i Issue) String() string {
	if i.Column == "" {
		return fmt.Sprintf("%s:%d: %s: %s", i.File, i.Line, i.Class, i.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: column %s: %s", i.File, i.Line, i.Class, i.Column, i.Msg)
}

// Report says what Read did with every row.
type Report struct {
	HeaderRows  int // data rows read from header files
	EpisodeRows int // data rows read from episode files
	// BlankLines counts the empty lines of every file, which hold no row:
	// with the header rows and the rows read, they account for every line.
	BlankLines int
	// Duplicates counts episode rows that repeat an episode already read
	// (the same episode in two years' files), and HeaderDuplicates header
	// rows that repeat a child; one copy of each is kept.
	Duplicates       int
	HeaderDuplicates int
	Children         int // children with at least one episode kept
	Episodes         int // episodes kept
	// Issues lists the first MaxListed problem rows; counts has them all.
	Issues []Issue
	// SkippedEpisodeRows counts the episode rows skipped, and Replaced
	// the episode rows replaced by a later copy that differs (conflict).
	SkippedEpisodeRows int
	Replaced           int

	counts       map[Class]int
	skipped      int
	unlisted     map[Class]int
	episodeFiles map[string]bool
}

func (r *Report) add(file string, line int, col string, c Class, format string, a ...any) {
	if r.counts == nil {
		r.counts, r.unlisted = map[Class]int{}, map[Class]int{}
	}
	r.counts[c]++
	switch c.Action() {
	case Skipped:
		r.skipped++
		if r.episodeFiles[file] {
			r.SkippedEpisodeRows++
		}
	case Replaced:
		if r.episodeFiles[file] {
			r.Replaced++
		}
	}
	if len(r.Issues) >= MaxListed {
		r.unlisted[c]++
		return
	}
	r.Issues = append(r.Issues, Issue{File: file, Line: line, Column: col, Class: c, Msg: fmt.Sprintf(format, a...), Action: c.Action()})
}

// Count returns the number of rows of class c, listed or not.
func (r *Report) Count(c Class) int { return r.counts[c] }

// Skipped returns the number of rows skipped.
func (r *Report) Skipped() int { return r.skipped }

// Unlisted returns how many rows of class c are counted but not listed
// (beyond MaxListed).
func (r *Report) Unlisted(c Class) int { return r.unlisted[c] }

// DroppedColumns is the header of the dropped-rows CSV file.
var DroppedColumns = []string{"file", "line", "column", "class", "action", "message"}

// WriteCSV writes every listed issue as CSV (DroppedColumns), then, for a
// class with rows beyond MaxListed, a row saying how many are not listed.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(DroppedColumns)
	for _, i := range r.Issues {
		cw.Write([]string{i.File, strconv.Itoa(i.Line), i.Column, string(i.Class), string(i.Action), i.Msg})
	}
	for _, c := range Classes {
		if n := r.unlisted[c]; n > 0 {
			cw.Write([]string{"", "", "", string(c), "not listed", fmt.Sprintf("%d more rows of this class (only the first %d problem rows are listed)", n, MaxListed)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummary writes a short account of what was read, kept and dropped,
// with up to perClass example issues of each class, and what the rows
// left out or changed do to the estimates.
func (r *Report) WriteSummary(w io.Writer, perClass int) error {
	fmt.Fprintf(w, "read %d episode rows and %d header rows; kept %d episodes of %d children\n",
		r.EpisodeRows, r.HeaderRows, r.Episodes, r.Children)
	if r.BlankLines > 0 {
		fmt.Fprintf(w, "  %d blank lines ignored\n", r.BlankLines)
	}
	if r.Duplicates > 0 || r.HeaderDuplicates > 0 {
		fmt.Fprintf(w, "  %d repeated episode rows and %d repeated header rows (the same record in several years' files) kept once\n", r.Duplicates, r.HeaderDuplicates)
	}
	for _, c := range Classes {
		n := r.Count(c)
		if n == 0 {
			continue
		}
		act := map[Action]string{Skipped: "skipped", Kept: "kept, reported", Replaced: "replaced by a later copy"}[c.Action()]
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
		if e := effects[c]; e != "" {
			fmt.Fprintf(w, "    effect: %s\n", e)
		}
	}
	fmt.Fprintf(w, "  %d rows skipped in all\n", r.Skipped())
	if r.SkippedEpisodeRows > 0 && r.EpisodeRows > 0 {
		fmt.Fprintf(w, "  effect: the %d episode rows skipped are %.1f%% of those read; %s\n",
			r.SkippedEpisodeRows, 100*float64(r.SkippedEpisodeRows)/float64(r.EpisodeRows), skippedEffect)
	}
	return nil
}
