package ssda903

import (
	"fmt"
	"slices"
	"strings"
)

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
