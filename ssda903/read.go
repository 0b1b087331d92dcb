package ssda903

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
)

// Source is one input file: its name (used in messages) and its content.
type Source struct {
	Name string
	R    io.Reader
}

// FileError is a problem that stops a file being read at all: a missing
// required column, an empty file, a read error.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// BadInput reports that the file, not the program, is at fault.
func (e *FileError) BadInput() bool { return true }

// openError is a file given that cannot be opened: bad input.
type openError struct{ error }

func (e openError) Unwrap() error  { return e.error }
func (e openError) BadInput() bool { return true }

// ReadFiles opens the header and episodes files at the paths given and
// reads them with Read. Its errors are bad input: the files' (see Read),
// or a file that cannot be opened.
func ReadFiles(headers, episodes []string) (*Data, *Report, error) {
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(paths []string) ([]Source, error) {
		var srcs []Source
		for _, p := range paths {
			f, err := safefile.OpenInput(p)
			if err != nil {
				return nil, openError{err}
			}
			files = append(files, f)
			srcs = append(srcs, Source{Name: p, R: f})
		}
		return srcs, nil
	}
	hs, err := open(headers)
	if err != nil {
		return nil, nil, err
	}
	es, err := open(episodes)
	if err != nil {
		return nil, nil, err
	}
	return Read(hs, es)
}

// episode is one parsed row of an episodes file.
type episode struct {
	start, end Date
	child      int32
	line       int32
	file       uint16
	rne, rec   uint8
	place, pro uint8
	typ        PlacementType
}

// Columns read. LA is optional in both files: when present, children are
// told apart by authority and CHILD together, and each child carries its
// authority.
var (
	headerRequired  = []string{"CHILD", "DOB"}
	episodeRequired = []string{"CHILD", "DECOM", "RNE", "PLACE", "PLACE_PROVIDER", "DEC", "REC"}
)

// person is one child of one authority: the header row it joins (its
// date of birth) and its authority.
type person struct {
	header int32
	la     uint16
}

type reader struct {
	rep   *Report
	files []string
	ids   map[string]int32 // authority + "\x00" + CHILD -> header row
	// byChild maps CHILD -> header row, -1 if in several authorities; it
	// is built from ids only when an episodes file without an LA column
	// meets header files with one.
	byChild map[string]int32
	key     []byte // a key of ids being built (a lookup allocates nothing)
	dob     []Date
	dobAt   []int32 // line of the header row kept, per header row
	dobFile []uint16
	dobLA   []uint16
	las     []string          // authority codes; las[0] is "" (none given)
	laIdx   map[string]uint16 // code -> index in las
	people  []person
	// own is the person of each header row in the row's own authority
	// (the usual case), -1 if none yet; other people are in peopleI.
	own     []int32
	peopleI map[person]int32
	// years counts the kept episodes' starts and ends by collection year.
	years map[int]*YearCount
	// chunks hold the episodes read, in chunks of chunkSize: a slice
	// grown by append would copy them again and again (500 MB allocated
	// to hold 90 MB) and hold two copies while it grows.
	chunks [][]episode
	n      int // episodes in chunks
}

// Read reads header files, then episode files, and reconstructs each
// child's periods of care. Problem rows are reported in the Report and
// skipped; an error (a *FileError for bad input) means a file could not be
// read at all. Each file is read through limits (MaxFileBytes,
// MaxLineBytes, no NUL bytes), so a wrong file is refused quickly.
func Read(headers, episodes []Source) (*Data, *Report, error) {
	if len(headers) == 0 || len(episodes) == 0 {
		return nil, nil, errors.New("need at least one header file and one episodes file")
	}
	if len(headers)+len(episodes) > 1<<16-1 {
		return nil, nil, errors.New("too many files")
	}
	r := &reader{rep: &Report{}, ids: map[string]int32{},
		las: []string{""}, laIdx: map[string]uint16{"": 0}, peopleI: map[person]int32{}, years: map[int]*YearCount{}}
	for _, s := range headers {
		if err := r.readHeader(s); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range episodes {
		if err := r.readEpisodes(s); err != nil {
			return nil, nil, err
		}
	}
	r.ids, r.byChild = nil, nil // identifiers are not needed any more
	d := r.reconstruct()
	return d, r.rep, nil
}

// table opens a CSV file and finds the columns it needs; head holds
// the header row's column names.
type table struct {
	*lines
	cols map[string]int
	head []string
	need int // fields a row must have to hold every column read
	// limit, if not 0, is the most rows row may count (in all files).
	limit int
}

// openTable opens a CSV file and reads its header row.
func (r *reader) openTable(s Source, required, optional []string) (*table, error) {
	ls := newLines(s, &r.rep.BlankLines)
	head, qp, err := ls.next()
	switch {
	case err != nil:
		return nil, err
	case head == nil:
		return nil, &FileError{s.Name, max(ls.line, 1), "empty file: want a header row naming the columns (" + strings.Join(required, ", ") + ")"}
	case qp != nil:
		return nil, &FileError{s.Name, ls.line, fmt.Sprintf("the header row's field %d: %s", qp.field+1, qp.msg)}
	}
	t := &table{lines: ls, cols: map[string]int{}}
	read := append(slices.Clone(required), optional...)
	for i, h := range head {
		h = strings.ToUpper(strings.TrimSpace(h))
		t.head = append(t.head, h)
		j, dup := t.cols[h]
		if !dup {
			t.cols[h] = i
		} else if slices.Contains(read, h) {
			return nil, &FileError{s.Name, ls.line, fmt.Sprintf("column %s is named twice (fields %d and %d): which one holds the data is not known; remove or rename one", h, j+1, i+1)}
		}
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &FileError{s.Name, ls.line, fmt.Sprintf("missing column %s: the header row must name %s (extra columns are ignored); is this the right file?",
			strings.Join(missing, ", "), strings.Join(required, ", "))}
	}
	for _, c := range read {
		if i, ok := t.cols[c]; ok && i+1 > t.need {
			t.need = i + 1
		}
	}
	return t, nil
}

// row reads the next usable row of t, counting every row read in *rows:
// a row whose quotes are wrong, or one with fewer fields than the header
// names, is reported as malformed and skipped. At the end of the file it
// returns a nil row and a nil error; an error ends the file.
func (r *reader) row(t *table, rows *int) (rec []string, line int, err error) {
	for {
		rec, qp, err := t.next()
		if rec == nil || err != nil {
			return nil, t.line, err
		}
		*rows++
		if t.limit > 0 && *rows > t.limit {
			return nil, t.line, &FileError{t.name, t.line, fmt.Sprintf("more than %d episode rows in the files: a year's return of the largest authority holds tens of thousands; is this the right file? (calibrate fewer years or authorities at a time)", t.limit)}
		}
		switch {
		case qp != nil:
			r.rep.add(t.name, t.line, columnName(t.head, qp.field), Malformed, "%s", qp.msg)
			continue
		case len(rec) < t.need:
			r.rep.add(t.name, t.line, "", Malformed, "row has %d fields, the header row names more columns", len(rec))
			continue
		}
		return rec, t.line, nil
	}
}

func (r *reader) fileIndex(name string) uint16 {
	r.files = append(r.files, name)
	return uint16(len(r.files) - 1)
}
