package ssda903

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
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
	// LAs are the authority codes of the LA column, in the order first
	// seen; LAs[0] is "", the authority of children in files without an
	// LA column.
	LAs []string
	// Years counts the episodes kept by collection year (1 April to 31
	// March), from the earliest year with a start or an end to the
	// latest, so that the window can be set to the years that hold data.
	Years []YearCount
}

// YearCount is the number of kept episodes that start and that end in a
// collection year.
type YearCount struct {
	From, To     Date // 1 April and 31 March
	Starts, Ends int
}

// Child is one child's date of birth, authority and periods of care.
type Child struct {
	DOB     Date
	LA      uint16 // index in Data.LAs
	Periods []Period
}

// Authority returns the children of authority la (an index in d.LAs)
// as a Data of their own; Years counts every authority's episodes.
func (d *Data) Authority(la uint16) *Data {
	out := &Data{LAs: d.LAs, Years: d.Years}
	for _, c := range d.Children {
		if c.LA == la {
			out.Children = append(out.Children, c)
		}
	}
	return out
}

// CollectionYear returns the collection year (1 April to 31 March) that
// holds t, by the calendar year it starts in.
func CollectionYear(t Date) int {
	y, m, _ := t.Civil()
	if m < 4 {
		y--
	}
	return y
}

// YearStart returns 1 April of collection year y.
func YearStart(y int) Date {
	d, _ := MakeDate(y, 4, 1)
	return d
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

// Entry reports whether the period is an entry to care the files
// record: its start is known and it is not a re-entry after a return home
// the files hold. A period whose first episode in the files does not
// start it (its RNE is not S) is not an entry: the child was in care
// before, and the episode that started the period is missing.
func (p *Period) Entry() bool { return p.StartKnown && !p.Reentry }

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

// IsAuthorityCode reports whether s has the form of a local authority
// code: a DfE three-digit authority number (such as 202) or a nine-
// character ONS code (a letter and eight digits, such as E09000033).
// Only such a value is ever echoed in a message or written to a file.
func IsAuthorityCode(s string) bool {
	digits := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return true
	}
	switch len(s) {
	case 3:
		return digits(s)
	case 9:
		return s[0] >= 'A' && s[0] <= 'Z' && digits(s[1:])
	}
	return false
}

// authority returns the index of the authority in column c of rec (0 if
// the file has no LA column), or ok false, having reported the row, if
// the cell is not an authority code.
func (r *reader) authority(rec []string, c int, has bool, file string, line int) (uint16, bool) {
	if !has {
		return 0, true
	}
	code := strings.ToUpper(strings.TrimSpace(rec[c]))
	if code == "" {
		r.rep.add(file, line, "LA", UnknownCode, "blank, though the file has an LA column: give every row its authority, or drop the column")
		return 0, false
	}
	if !IsAuthorityCode(code) {
		r.rep.add(file, line, "LA", UnknownCode, "not an authority code (a DfE number such as 202, or an ONS code such as E09000033; the value is not shown)")
		return 0, false
	}
	if k, ok := r.laIdx[code]; ok {
		return k, true
	}
	if len(r.las) >= 1<<16-1 {
		r.rep.add(file, line, "LA", UnknownCode, "more than 65,534 authorities in the files")
		return 0, false
	}
	k := uint16(len(r.las))
	r.las = append(r.las, code)
	r.laIdx[code] = k
	return k, true
}

// childID returns the CHILD cell, or ok false, having reported the row,
// if it is blank or too long to be an identifier.
func (r *reader) childID(rec []string, c int, file string, line int) (string, bool) {
	id := strings.TrimSpace(rec[c])
	switch {
	case id == "":
		r.rep.add(file, line, "CHILD", MissingChild, "blank")
		return "", false
	case len(id) > MaxIDLength:
		r.rep.add(file, line, "CHILD", Malformed, "longer than %d characters: not a child identifier (the 903 allows 10)", MaxIDLength)
		return "", false
	}
	return id, true
}

func (r *reader) readHeader(s Source) error {
	t, err := r.openTable(s, headerRequired, []string{"LA"})
	if err != nil {
		return err
	}
	cols := t.cols
	fi := r.fileIndex(s.Name)
	cChild, cDOB := cols["CHILD"], cols["DOB"]
	cLA, hasLA := cols["LA"]
	for {
		rec, line, err := r.row(t, &r.rep.HeaderRows)
		if rec == nil {
			return err
		}
		id, ok := r.childID(rec, cChild, s.Name, line)
		if !ok {
			continue
		}
		la, ok := r.authority(rec, cLA, hasLA, s.Name, line)
		if !ok {
			continue
		}
		dobText := strings.TrimSpace(rec[cDOB])
		if dobText == "" {
			r.rep.add(s.Name, line, "DOB", MissingDate, "blank")
			continue
		}
		dob, err := ReadDate(dobText)
		if err != nil {
			r.rep.add(s.Name, line, "DOB", InvalidDate, "%v", err)
			continue
		}
		key := r.keyOf(la, id)
		if k, seen := r.ids[string(key)]; seen {
			if r.dob[k] == dob {
				r.rep.HeaderDuplicates++
				continue
			}
			r.rep.add(r.files[r.dobFile[k]], int(r.dobAt[k]), "DOB", Conflict, "this child's DOB differs in a later header row (%s:%d); the last of the child's header rows is used",
				s.Name, line)
			r.dob[k], r.dobAt[k], r.dobFile[k] = dob, int32(line), fi
			continue
		}
		if len(r.dob) >= childLimit {
			return &FileError{s.Name, line, fmt.Sprintf("more than %d children in the header files: a year's return of the largest authority holds a few thousand; is this the right file? (calibrate fewer years or authorities at a time)", childLimit)}
		}
		k := int32(len(r.dob))
		r.ids[string(key)] = k
		r.dob = append(r.dob, dob)
		r.dobAt = append(r.dobAt, int32(line))
		r.dobFile = append(r.dobFile, fi)
		r.dobLA = append(r.dobLA, la)
	}
}

// lookup finds the header row of a child of authority la (0: the
// episodes file names none), and the authority the child belongs to.
func (r *reader) lookup(la uint16, id string) (int32, uint16, bool) {
	if k, ok := r.ids[string(r.keyOf(la, id))]; ok {
		return k, max(la, r.dobLA[k]), true
	}
	if la == 0 {
		// The header file has an LA column and the episodes file has not.
		if r.byChild == nil {
			r.byChild = map[string]int32{}
			for key, k := range r.ids {
				id := key[strings.IndexByte(key, 0)+1:]
				if prev, seen := r.byChild[id]; seen && prev != k {
					r.byChild[id] = -1 // the same CHILD in two authorities
				} else {
					r.byChild[id] = k
				}
			}
		}
		if k, ok := r.byChild[id]; ok && k >= 0 {
			return k, r.dobLA[k], true
		}
		return 0, 0, false
	}
	// The episodes file has an LA column and the header file has not.
	if k, ok := r.ids[string(r.keyOf(0, id))]; ok {
		return k, la, true
	}
	return 0, 0, false
}

// keyOf builds the key of ids for a child of authority la in r.key.
func (r *reader) keyOf(la uint16, id string) []byte {
	r.key = append(append(append(r.key[:0], r.las[la]...), 0), id...)
	return r.key
}

// personOf returns the index in r.people of the child of header row k in
// authority la, adding it if new.
func (r *reader) personOf(k int32, la uint16) int32 {
	if la == r.dobLA[k] {
		if r.own == nil {
			r.own = slices.Repeat([]int32{-1}, len(r.dob))
		}
		if r.own[k] < 0 {
			r.own[k] = int32(len(r.people))
			r.people = append(r.people, person{header: k, la: la})
		}
		return r.own[k]
	}
	p := person{header: k, la: la}
	pi, seen := r.peopleI[p]
	if !seen {
		pi = int32(len(r.people))
		r.people = append(r.people, p)
		r.peopleI[p] = pi
	}
	return pi
}

// notCode is the message for a cell that holds no code of its column. The
// value is never shown: a code column can hold a child's identifier or a
// postcode typed in the wrong place.
const notCode = "not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"

func (r *reader) readEpisodes(s Source) error {
	t, err := r.openTable(s, episodeRequired, []string{"LS", "LA"})
	if err != nil {
		return err
	}
	t.limit = episodeRowLimit
	cols := t.cols
	fi := r.fileIndex(s.Name)
	if r.rep.episodeFiles == nil {
		r.rep.episodeFiles = map[string]bool{}
	}
	r.rep.episodeFiles[s.Name] = true
	cChild, cDecom, cRNE, cPlace, cPro, cDec, cRec := cols["CHILD"], cols["DECOM"], cols["RNE"], cols["PLACE"], cols["PLACE_PROVIDER"], cols["DEC"], cols["REC"]
	cLS, hasLS := cols["LS"]
	cLA, hasLA := cols["LA"]
	for {
		rec, line, err := r.row(t, &r.rep.EpisodeRows)
		if rec == nil {
			return err
		}
		bad := func(col string, c Class, format string, a ...any) {
			r.rep.add(s.Name, line, col, c, format, a...)
		}
		f := func(c int) string { return strings.TrimSpace(rec[c]) }
		id, ok := r.childID(rec, cChild, s.Name, line)
		if !ok {
			continue
		}
		la, ok := r.authority(rec, cLA, hasLA, s.Name, line)
		if !ok {
			continue
		}
		decomText, decText, recText := f(cDecom), f(cDec), strings.ToUpper(f(cRec))
		if decomText == "" {
			bad("DECOM", MissingDate, "blank")
			continue
		}
		start, err := ReadDate(decomText)
		if err != nil {
			bad("DECOM", InvalidDate, "%v", err)
			continue
		}
		end := Open
		if decText != "" {
			if end, err = ReadDate(decText); err != nil {
				bad("DEC", InvalidDate, "%v", err)
				continue
			}
		}
		if decText != "" && recText == "" {
			bad("REC", EndMismatch, "blank, but DEC is given: an episode that ended needs both (903 rule 148), and how this one ended is unknown")
			continue
		}
		if end < start {
			bad("DEC", EndBeforeStart, "before DECOM")
			continue
		}
		e := episode{start: start, end: end, line: int32(line), file: fi}
		rneText, placeText, proText := strings.ToUpper(f(cRNE)), strings.ToUpper(f(cPlace)), strings.ToUpper(f(cPro))
		var okRNE, okPlace, okPro, okRec bool
		e.rne, okRNE = codeIndex(rneCodes, rneText)
		if hasLS {
			if ls := strings.ToUpper(f(cLS)); ls != "" {
				if _, okLS := codeIndex(lsCodes, ls); !okLS {
					bad("LS", UnknownCode, notCode)
					continue
				}
			}
		}
		e.place, okPlace = codeIndex(placeCodes, placeText)
		e.pro, okPro = codeIndex(providerCodes, proText)
		e.rec, okRec = codeIndex(recCodes, recText)
		switch {
		case rneText == "":
			bad("RNE", UnknownCode, "blank")
			continue
		case !okRNE:
			bad("RNE", UnknownCode, notCode)
			continue
		case placeText == "":
			bad("PLACE", UnknownCode, "blank")
			continue
		case !okPlace:
			bad("PLACE", UnknownCode, notCode)
			continue
		case !okPro:
			bad("PLACE_PROVIDER", UnknownCode, notCode)
			continue
		case !okRec:
			bad("REC", UnknownCode, notCode)
			continue
		}
		k, la, known := r.lookup(la, id)
		if !known {
			bad("CHILD", NoHeader, "the child is in no header file: add the header file of this year, or check CHILD")
			continue
		}
		dob := r.dob[k]
		if start < dob {
			bad("DECOM", AgeOutOfRange, "before the child's date of birth")
			continue
		}
		if start >= dob.AddYears(18) {
			bad("DECOM", AgeOutOfRange, "on or after the child's 18th birthday")
			continue
		}
		if end == Open && recText != "" {
			// 903 rule 148: DEC and REC are both given or both blank. DEC
			// decides: without it the episode has no end date, so it is
			// open at the end of the collection, as the guidance has an
			// open episode. Skipping it would remove the child's time at
			// risk but none of its events, and bias every rate up.
			r.rep.add(s.Name, line, "REC", OpenWithREC,
				"given (%s) but DEC is blank: kept as an open episode (903 rule 148: both or neither); the code is ignored", recCodes[e.rec])
			e.rec = 0
		}
		e.child = r.personOf(k, la)
		e.typ = TypeOf(placeText, proText)
		r.keep(e)
	}
}

func (r *reader) where(e *episode) string {
	return fmt.Sprintf("%s:%d", r.files[e.file], e.line)
}

// count adds a kept episode to the counts by collection year.
func (r *reader) count(e *episode) {
	yc := func(t Date) *YearCount {
		y := CollectionYear(t)
		c := r.years[y]
		if c == nil {
			c = &YearCount{From: YearStart(y), To: YearStart(y+1) - 1}
			r.years[y] = c
		}
		return c
	}
	yc(e.start).Starts++
	if e.end != Open {
		yc(e.end).Ends++
	}
}

// chunkSize is the number of episodes in a chunk (1.5 MB).
const chunkSize = 1 << 16

// keep stores a parsed episode.
func (r *reader) keep(e episode) {
	if n := len(r.chunks); n == 0 || len(r.chunks[n-1]) == chunkSize {
		r.chunks = append(r.chunks, make([]episode, 0, chunkSize))
	}
	last := &r.chunks[len(r.chunks)-1]
	*last = append(*last, e)
	r.n++
}

// gather moves the episodes out of their chunks into one slice, freeing
// each chunk once copied.
func (r *reader) gather() []episode {
	eps := make([]episode, 0, r.n)
	for i := range r.chunks {
		eps = append(eps, r.chunks[i]...)
		r.chunks[i] = nil
	}
	r.chunks = nil
	return eps
}

// mergeUnnamed gives the episodes of a child read from a file without an
// LA column to the same child's authority when the child's other episodes
// name exactly one (one year's file has the column, another's not).
func (r *reader) mergeUnnamed(eps []episode) {
	named := map[int32]int32{} // header row -> its one named person, or -1
	for i, p := range r.people {
		if p.la == 0 {
			continue
		}
		if j, seen := named[p.header]; seen && j != int32(i) {
			named[p.header] = -1
		} else {
			named[p.header] = int32(i)
		}
	}
	if len(named) == 0 {
		return
	}
	for i := range eps {
		p := r.people[eps[i].child]
		if j, ok := named[p.header]; ok && p.la == 0 && j >= 0 {
			eps[i].child = j
		}
	}
}

// reconstruct sorts and de-duplicates the episodes, drops children with
// overlapping episodes and builds the periods of care.
func (r *reader) reconstruct() *Data {
	eps := r.gather()
	r.mergeUnnamed(eps)
	slices.SortFunc(eps, func(a, b episode) int {
		return cmp.Or(cmp.Compare(a.child, b.child), cmp.Compare(a.start, b.start),
			cmp.Compare(a.rne, b.rne), cmp.Compare(a.place, b.place), cmp.Compare(a.pro, b.pro),
			cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	// The same episode in several files (same child, DECOM, RNE, PLACE and
	// PLACE_PROVIDER): the last closed copy is used, or the first copy if
	// none is closed. A copy that adds nothing (open, or ending the same
	// way) is a duplicate; one that ends differently is replaced by the
	// copy used (a conflict), named in its message.
	same := func(a, b *episode) bool {
		return a.child == b.child && a.start == b.start && a.rne == b.rne && a.place == b.place && a.pro == b.pro
	}
	out := eps[:0]
	for i := 0; i < len(eps); {
		j := i + 1
		for j < len(eps) && same(&eps[i], &eps[j]) {
			j++
		}
		use := i
		for k := i; k < j; k++ {
			if eps[k].end != Open {
				use = k
			}
		}
		u := eps[use]
		for k := i; k < j; k++ {
			switch c := &eps[k]; {
			case k == use:
			case c.end == Open || (c.end == u.end && c.rec == u.rec):
				r.rep.Duplicates++
			default:
				r.rep.add(r.files[c.file], int(c.line), "DEC", Conflict,
					"the same episode (child, DECOM, RNE, PLACE, PLACE_PROVIDER) ends differently in a later copy (%s), which is used instead of this one", r.where(&u))
			}
		}
		out = append(out, u)
		i = j
	}
	eps = out
	slices.SortFunc(eps, func(a, b episode) int {
		return cmp.Or(cmp.Compare(a.child, b.child), cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	d := &Data{LAs: r.las}
	for i := 0; i < len(eps); {
		j := i + 1
		for j < len(eps) && eps[j].child == eps[i].child {
			j++
		}
		if c, ok := r.child(eps[i:j]); ok {
			d.Children = append(d.Children, c)
			r.rep.Episodes += j - i
			for k := i; k < j; k++ {
				r.count(&eps[k])
			}
		}
		i = j
	}
	r.rep.Children = len(d.Children)
	if len(r.years) > 0 {
		lo, hi := math.MaxInt, math.MinInt
		for y := range r.years {
			lo, hi = min(lo, y), max(hi, y)
		}
		for y := lo; y <= hi; y++ {
			c := YearCount{From: YearStart(y), To: YearStart(y+1) - 1}
			if n := r.years[y]; n != nil {
				c = *n
			}
			d.Years = append(d.Years, c)
		}
	}
	return d
}

// child builds one child's periods; ok is false if its episodes overlap.
func (r *reader) child(eps []episode) (Child, bool) {
	for k := 1; k < len(eps); k++ {
		a, b := &eps[k-1], &eps[k]
		if a.end == Open || b.start < a.end {
			r.rep.add(r.files[b.file], int(b.line), "DECOM", Overlap,
				"episode starts before the episode at %s ends; all %d episodes of this child are skipped", r.where(a), len(eps))
			for m := range eps {
				if m != k {
					r.rep.add(r.files[eps[m].file], int(eps[m].line), "DECOM", Overlap,
						"skipped with the child's overlapping episodes (see %s)", r.where(b))
				}
			}
			return Child{}, false
		}
	}
	who := r.people[eps[0].child]
	c := Child{DOB: r.dob[who.header], LA: who.la}
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
			case e.start != prev.end && e.rne == rneS:
				// RNE S starts a period (DfE SSDA903 guidance): the child
				// left care in the gap, by a route the files do not hold.
				r.rep.add(r.files[e.file], int(e.line), "DECOM", GapAfterX1,
					"the episode before (%s) ended X1, and this one starts a new period (RNE S) %d days later: how the child left care in the gap is not in the files (a skipped row?); the period before is censored at its end",
					r.where(prev), e.start-prev.end)
				p.Exit = Censored
				newPeriod = true
			case e.start != prev.end:
				// Any other RNE continues the period: an episode between
				// the two is missing (a row skipped, or left out of the
				// files). Splitting the period here made the rest of it a
				// new entry to care.
				r.rep.add(r.files[e.file], int(e.line), "DECOM", GapAfterX1,
					"the episode before (%s) ended X1, and this one, which continues the period (RNE %s, not S), starts %d days later: an episode between them is missing (a skipped row?); the period runs on through the gap, in the placement before",
					r.where(prev), rneCodes[e.rne], e.start-prev.end)
				p.Spells[len(p.Spells)-1].End = e.start
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
		r.rep.add(r.files[last.file], int(last.line), "REC", X1WithoutNext,
			"the child's last episode ends X1 but no episode follows; the period is treated as censored at its end")
		p.Exit = Censored
	}
	return c, true
}
