package ssda903

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
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

// Data is what Read keeps: children by position (no identifiers), each
// with a date of birth and periods of care in date order.
type Data struct {
	Children []Child
}

// Child is one child's date of birth and periods of care.
type Child struct {
	DOB     Date
	Periods []Period
}

// Period is a period of care: a run of episodes ending with an E code.
type Period struct {
	Start Date
	// StartKnown is false when the period's first episode in the files
	// does not start it (RNE is not S): the child came into care earlier,
	// on an unknown date, and Start is only a lower bound on its time in
	// care.
	StartKnown bool
	End        Date // Open if the period had not ended
	Exit       Exit // NotEnded, ReturnHome, Permanence, OtherExit or Censored
	// Reentry is set when the child's previous period ended with a return
	// home.
	Reentry bool
	Spells  []Spell
}

// Spell is a run of episodes in one placement type.
type Spell struct {
	Start, End Date // End is Open if the spell had not ended
	Type       PlacementType
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

// header columns.
var (
	headerRequired  = []string{"CHILD", "DOB"}
	episodeRequired = []string{"CHILD", "DECOM", "RNE", "PLACE", "PLACE_PROVIDER", "DEC", "REC"}
)

type reader struct {
	rep      *Report
	files    []string
	ids      map[string]int32
	dob      []Date
	dobAt    []int32 // line of the header row kept, per child
	dobFile  []uint16
	episodes []episode
}

// Read reads header files, then episode files, and reconstructs each
// child's periods of care. Problem rows are reported in the Report and
// skipped; an error (a *FileError for bad input) means a file could not be
// read at all.
func Read(headers, episodes []Source) (*Data, *Report, error) {
	if len(headers) == 0 || len(episodes) == 0 {
		return nil, nil, errors.New("need at least one header file and one episodes file")
	}
	if len(headers)+len(episodes) > 1<<16-1 {
		return nil, nil, errors.New("too many files")
	}
	r := &reader{rep: &Report{}, ids: map[string]int32{}}
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
	r.ids = nil // identifiers are not needed any more
	d := r.reconstruct()
	return d, r.rep, nil
}

// table opens a CSV file and finds the columns it needs.
func (r *reader) table(s Source, required, optional []string) (*csv.Reader, map[string]int, int, error) {
	cr := csv.NewReader(bufio.NewReaderSize(s.R, 1<<16))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, nil, 0, &FileError{s.Name, 1, "empty file: want a header row naming the columns (" + strings.Join(required, ", ") + ")"}
	}
	if err != nil {
		return nil, nil, 0, &FileError{s.Name, 1, "cannot read the header row: " + csvMsg(err)}
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[h]; !dup {
			cols[h] = i
		}
	}
	var missing []string
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, 0, &FileError{s.Name, 1, fmt.Sprintf("missing column %s: the header row must name %s (extra columns are ignored); is this the right file?",
			strings.Join(missing, ", "), strings.Join(required, ", "))}
	}
	need := 0
	for _, c := range append(required, optional...) {
		if i, ok := cols[c]; ok && i+1 > need {
			need = i + 1
		}
	}
	return cr, cols, need, nil
}

func csvMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// row reads the next usable row of s, counting every row read in *rows:
// a row the CSV reader cannot parse, or one with fewer fields than the
// header names, is reported as malformed and skipped. At the end of the
// file it returns a nil row and a nil error; a read error ends the file.
func (r *reader) row(cr *csv.Reader, s Source, rows *int, need int) (rec []string, line int, err error) {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, 0, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				*rows++
				r.rep.add(s.Name, pe.Line, Malformed, false, "cannot read the row: %s", csvMsg(err))
				continue
			}
			return nil, line, &FileError{s.Name, line, "read error: " + err.Error()}
		}
		*rows++
		if len(rec) < need {
			r.rep.add(s.Name, line, Malformed, false, "row has %d fields, the header row names more columns", len(rec))
			continue
		}
		return rec, line, nil
	}
}

func (r *reader) fileIndex(name string) uint16 {
	r.files = append(r.files, name)
	return uint16(len(r.files) - 1)
}

func (r *reader) readHeader(s Source) error {
	cr, cols, need, err := r.table(s, headerRequired, nil)
	if err != nil {
		return err
	}
	fi := r.fileIndex(s.Name)
	cChild, cDOB := cols["CHILD"], cols["DOB"]
	for {
		rec, line, err := r.row(cr, s, &r.rep.HeaderRows, need)
		if rec == nil {
			return err
		}
		id := strings.TrimSpace(rec[cChild])
		dobText := strings.TrimSpace(rec[cDOB])
		if id == "" {
			r.rep.add(s.Name, line, MissingChild, false, "CHILD is blank")
			continue
		}
		if dobText == "" {
			r.rep.add(s.Name, line, MissingDate, false, "DOB is blank")
			continue
		}
		dob, ok := ParseDate(dobText)
		if !ok {
			r.rep.add(s.Name, line, InvalidDate, false, "DOB is not a date (want dd/mm/yyyy or yyyy-mm-dd)")
			continue
		}
		if k, seen := r.ids[id]; seen {
			if r.dob[k] == dob {
				r.rep.HeaderDuplicates++
				continue
			}
			r.rep.add(s.Name, line, Conflict, false, "this child's DOB differs from the header row at %s:%d; that row is dropped and this later one kept",
				r.files[r.dobFile[k]], r.dobAt[k])
			r.dob[k], r.dobAt[k], r.dobFile[k] = dob, int32(line), fi
			continue
		}
		r.ids[strings.Clone(id)] = int32(len(r.dob))
		r.dob = append(r.dob, dob)
		r.dobAt = append(r.dobAt, int32(line))
		r.dobFile = append(r.dobFile, fi)
	}
}

// looksLikeCode reports whether s may be echoed in a message: a short run
// of letters and digits, never free text that could identify a child.
func looksLikeCode(s string) bool {
	if len(s) == 0 || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func unknownCode(col, s string) string {
	if looksLikeCode(s) {
		return fmt.Sprintf("unknown %s code %q (see the DfE SSDA903 guidance for the valid codes)", col, s)
	}
	return fmt.Sprintf("unknown %s code (not shown: it does not look like a code)", col)
}

func (r *reader) readEpisodes(s Source) error {
	cr, cols, need, err := r.table(s, episodeRequired, []string{"LS"})
	if err != nil {
		return err
	}
	fi := r.fileIndex(s.Name)
	cChild, cDecom, cRNE, cPlace, cPro, cDec, cRec := cols["CHILD"], cols["DECOM"], cols["RNE"], cols["PLACE"], cols["PLACE_PROVIDER"], cols["DEC"], cols["REC"]
	cLS, hasLS := cols["LS"]
	bad := func(line int, c Class, format string, a ...any) {
		r.rep.add(s.Name, line, c, false, format, a...)
	}
	for {
		rec, line, err := r.row(cr, s, &r.rep.EpisodeRows, need)
		if rec == nil {
			return err
		}
		f := func(c int) string { return strings.TrimSpace(rec[c]) }
		id := f(cChild)
		if id == "" {
			bad(line, MissingChild, "CHILD is blank")
			continue
		}
		decomText, decText, recText := f(cDecom), f(cDec), strings.ToUpper(f(cRec))
		if decomText == "" {
			bad(line, MissingDate, "DECOM is blank")
			continue
		}
		start, ok := ParseDate(decomText)
		if !ok {
			bad(line, InvalidDate, "DECOM is not a date (want dd/mm/yyyy or yyyy-mm-dd)")
			continue
		}
		end := Open
		if decText != "" {
			if end, ok = ParseDate(decText); !ok {
				bad(line, InvalidDate, "DEC is not a date (want dd/mm/yyyy or yyyy-mm-dd)")
				continue
			}
		}
		switch {
		case decText == "" && recText != "":
			bad(line, EndMismatch, "REC is given but DEC is blank: an episode that ended needs both, an open episode neither")
			continue
		case decText != "" && recText == "":
			bad(line, EndMismatch, "DEC is given but REC is blank: an episode that ended needs both, an open episode neither")
			continue
		}
		if end < start {
			bad(line, EndBeforeStart, "DEC is before DECOM")
			continue
		}
		e := episode{start: start, end: end, line: int32(line), file: fi}
		rneText, placeText, proText := strings.ToUpper(f(cRNE)), strings.ToUpper(f(cPlace)), strings.ToUpper(f(cPro))
		var okRNE, okLS, okPlace, okPro, okRec bool
		e.rne, okRNE = codeIndex(rneCodes, rneText)
		okLS = true
		if hasLS {
			if ls := strings.ToUpper(f(cLS)); ls != "" {
				_, okLS = codeIndex(lsCodes, ls)
				if !okLS {
					bad(line, UnknownCode, "%s", unknownCode("LS", f(cLS)))
					continue
				}
			}
		}
		e.place, okPlace = codeIndex(placeCodes, placeText)
		e.pro, okPro = codeIndex(providerCodes, proText)
		e.rec, okRec = codeIndex(recCodes, recText)
		switch {
		case rneText == "":
			bad(line, UnknownCode, "RNE is blank")
			continue
		case !okRNE:
			bad(line, UnknownCode, "%s", unknownCode("RNE", f(cRNE)))
			continue
		case placeText == "":
			bad(line, UnknownCode, "PLACE is blank")
			continue
		case !okPlace:
			bad(line, UnknownCode, "%s", unknownCode("PLACE", f(cPlace)))
			continue
		case !okPro:
			bad(line, UnknownCode, "%s", unknownCode("PLACE_PROVIDER", f(cPro)))
			continue
		case !okRec:
			bad(line, UnknownCode, "%s", unknownCode("REC", f(cRec)))
			continue
		}
		k, known := r.ids[id]
		if !known {
			bad(line, NoHeader, "the child is in no header file: add the header file of this year, or check CHILD")
			continue
		}
		dob := r.dob[k]
		if start < dob {
			bad(line, AgeOutOfRange, "DECOM is before the child's date of birth")
			continue
		}
		if start >= dob.AddYears(18) {
			bad(line, AgeOutOfRange, "DECOM is on or after the child's 18th birthday")
			continue
		}
		e.child = k
		e.typ = TypeOf(placeText, proText)
		r.episodes = append(r.episodes, e)
	}
}

func (r *reader) where(e *episode) string {
	return fmt.Sprintf("%s:%d", r.files[e.file], e.line)
}

// reconstruct sorts and de-duplicates the episodes, drops children with
// overlapping episodes and builds the periods of care.
func (r *reader) reconstruct() *Data {
	eps := r.episodes
	slices.SortFunc(eps, func(a, b episode) int {
		return cmp.Or(cmp.Compare(a.child, b.child), cmp.Compare(a.start, b.start),
			cmp.Compare(a.rne, b.rne), cmp.Compare(a.place, b.place), cmp.Compare(a.pro, b.pro),
			cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	// The same episode in several files: keep a closed copy over an open
	// one, and the later of two closed copies.
	out := eps[:0]
	for i := range eps {
		e := eps[i]
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.child == e.child && p.start == e.start && p.rne == e.rne && p.place == e.place && p.pro == e.pro {
				switch {
				case e.end == Open || (p.end == e.end && p.rec == e.rec):
					// the later copy adds nothing
					r.rep.Duplicates++
				case p.end == Open:
					*p = e
					r.rep.Duplicates++
				default:
					// Not a duplicate: the copy dropped is reported as
					// skipped (a conflict), so each row is counted once.
					r.rep.add(r.files[e.file], int(e.line), Conflict, true,
						"the same episode (child, DECOM, RNE, PLACE, PLACE_PROVIDER) at %s ends differently; this later copy is kept", r.where(p))
					r.rep.add(r.files[p.file], int(p.line), Conflict, false,
						"the same episode at %s ends differently; that later copy is kept", r.where(&e))
					*p = e
				}
				continue
			}
		}
		out = append(out, e)
	}
	eps = out
	slices.SortFunc(eps, func(a, b episode) int {
		return cmp.Or(cmp.Compare(a.child, b.child), cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	d := &Data{}
	for i := 0; i < len(eps); {
		j := i + 1
		for j < len(eps) && eps[j].child == eps[i].child {
			j++
		}
		if c, ok := r.child(eps[i:j]); ok {
			d.Children = append(d.Children, c)
			r.rep.Episodes += j - i
		}
		i = j
	}
	r.rep.Children = len(d.Children)
	r.episodes = nil
	return d
}

// child builds one child's periods; ok is false if its episodes overlap.
func (r *reader) child(eps []episode) (Child, bool) {
	for k := 1; k < len(eps); k++ {
		a, b := &eps[k-1], &eps[k]
		if a.end == Open || b.start < a.end {
			r.rep.add(r.files[b.file], int(b.line), Overlap, false,
				"episode starts before the episode at %s ends; all %d episodes of this child are skipped", r.where(a), len(eps))
			for m := range eps {
				if m != k {
					r.rep.add(r.files[eps[m].file], int(eps[m].line), Overlap, false,
						"skipped with the child's overlapping episodes (see %s)", r.where(b))
				}
			}
			return Child{}, false
		}
	}
	c := Child{DOB: r.dob[eps[0].child]}
	var p *Period
	for k := range eps {
		e := &eps[k]
		var prev *episode
		if k > 0 {
			prev = &eps[k-1]
		}
		newPeriod := p == nil
		if p != nil {
			switch ex := exitOf(prev.rec); {
			case ex != Continues:
				newPeriod = true
			case e.start != prev.end:
				r.rep.add(r.files[e.file], int(e.line), GapAfterX1, true,
					"the episode before (%s) ended X1 but this one starts %d days later; the period before is treated as censored at its end", r.where(prev), e.start-prev.end)
				p.Exit = Censored
				newPeriod = true
			}
		}
		if newPeriod {
			np := Period{Start: e.start, StartKnown: e.rne == rneS}
			if p != nil {
				np.StartKnown = np.StartKnown || p.Exit != Censored
				np.Reentry = p.Exit == ReturnHome
			}
			c.Periods = append(c.Periods, np)
			p = &c.Periods[len(c.Periods)-1]
		}
		if n := len(p.Spells); n > 0 && p.Spells[n-1].Type == e.typ {
			p.Spells[n-1].End = e.end
		} else {
			p.Spells = append(p.Spells, Spell{Start: e.start, End: e.end, Type: e.typ})
		}
		p.End = e.end
		p.Exit = exitOf(e.rec)
	}
	if p.Exit == Continues {
		last := &eps[len(eps)-1]
		r.rep.add(r.files[last.file], int(last.line), X1WithoutNext, true,
			"the child's last episode ends X1 but no episode follows; the period is treated as censored at its end")
		p.Exit = Censored
	}
	return c, true
}
