package ssda903

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FuzzRead feeds the SSDA903 reader an arbitrary header file and episodes
// file. Read must not panic; it either fails with a *FileError (a file it
// cannot read at all) or accounts for every row: each is kept, skipped
// with an issue, or a duplicate. Dates and periods it returns are in
// order.
//
// The seed corpus is the public fake return (when ../shared/data is
// there), the test files of cmd/reunify, and broken variants: missing
// columns, bad dates, overlaps, duplicates, non-UTF-8 bytes, quotes, very
// long lines. Crashers are kept under testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	const hdr = "CHILD,SEX,DOB\n1,1,01/01/2010\n2,2,2012-02-29\n"
	const eps = "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n" +
		"1,01/01/2020,S,C2,U1,PR1,01/06/2020,E11\n" +
		"1,01/01/2021,S,C2,U4,PR1,,\n" +
		"2,01/03/2020,S,C2,R1,PR0,01/04/2020,X1\n" +
		"2,01/04/2020,P,C2,K2,PR4,,\n"
	f.Add([]byte(hdr), []byte(eps))
	f.Add([]byte(hdr), []byte(eps+eps))                                                                     // duplicate rows
	f.Add([]byte(hdr), []byte(strings.Replace(eps, "01/06/2020", "01/06/2021", 1)))                         // overlap
	f.Add([]byte(hdr), []byte(strings.Replace(eps, "01/01/2021", "31/02/2021", 1)))                         // bad date
	f.Add([]byte(hdr), []byte(strings.Replace(eps, "RNE,", "", 1)))                                         // missing column
	f.Add([]byte(hdr), []byte(strings.Replace(eps, "PR1", "\xff\xfe", 1)))                                  // not UTF-8
	f.Add([]byte(hdr), []byte(strings.Replace(eps, "U1", "\"U1\n,\"\"", 1)))                                // quotes
	f.Add([]byte(hdr), []byte(strings.Replace(strings.Replace(eps, ",S,", ",\"S,", 1), ",P,", ",P\",", 1))) // a quote across lines
	f.Add([]byte(hdr), []byte(strings.Replace(eps, ",S,", ",\"S\"x,", 1)+"\n\r\n"))                         // text after a quote; blank lines
	f.Add([]byte(hdr), []byte(eps+"1,"+strings.Repeat("9", 1<<16)+",S\n"))                                  // a long line
	f.Add([]byte("\ufeffCHILD,DOB\n"), []byte(eps))
	f.Add([]byte(""), []byte(""))
	f.Add([]byte("CHILD,DOB\n1,01/01/0001\n1,31/12/9999\n"), []byte(eps))
	// Hostile files: NUL bytes, UTF-16, CRLF with a BOM, a line past the
	// limit, identifiers and postcodes in the code columns, open episodes
	// with a REC code, an identifier too long to be one, authorities.
	f.Add([]byte(hdr), []byte(strings.Replace(eps, "PR1", "PR\x001", 1)))
	f.Add([]byte("\xff\xfeC\x00H\x00I\x00L\x00D\x00"), []byte(eps))
	f.Add([]byte("\ufeff"+strings.ReplaceAll(hdr, "\n", "\r\n")), []byte(strings.ReplaceAll(eps, "\n", "\r\n")))
	f.Add([]byte(hdr), []byte(eps+strings.Repeat("x", MaxLineBytes+1)))
	f.Add([]byte(hdr+"C0047,1,03/07/2009\n"), []byte(eps+
		"1,01/01/2022,S,C2,U4,PR1,01/02/2022,C0047\n"+
		"1,01/03/2022,S,EG19,U4,PR1,,\n"+
		"1,01/04/2022,ZZ9 9ZZ,C2,U4,PR1,,\n"+
		"1,01/05/2022,S,C2,SC1234,PR1,,\n"+
		"1,01/06/2022,S,C2,U4,C0047,,\n"+
		"1,01/07/2022,S,C2,U4,PR1,01/08/2022,03/07/2009\n"+
		"2,01/09/2022,S,C2,U4,PR1,,E4A\n"+
		"2,01/10/2022,S,C2,U4,PR1,,X1\n"+
		strings.Repeat("9", MaxIDLength+1)+",01/09/2022,S,C2,U4,PR1,,\n"))
	f.Add([]byte("LA,CHILD,DOB\nE06000001,1,01/01/2010\nE06000002,1,01/01/2011\n202,3,01/01/2012\nK9999999X,4,01/01/2012\n"),
		[]byte("LA,CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n"+
			"E06000001,1,01/01/2020,S,C2,U1,PR1,01/06/2020,E4A\n"+
			"E06000002,1,01/01/2020,S,C2,U1,PR1,,\n"+
			"202,3,01/01/2020,S,C2,U1,PR1,,\n"+
			",1,01/01/2021,S,C2,U1,PR1,,\n"+
			"B123456789012,1,01/01/2021,S,C2,U1,PR1,,\n"))
	f.Add([]byte("LA,CHILD,DOB\nE06000001,1,01/01/2010\n"), []byte(eps))
	for _, pair := range [][2]string{
		{"../../shared/data/ssda903-fake/header.csv", "../../shared/data/ssda903-fake/episodes.csv"},
		{"../cmd/reunify/testdata/903/header.csv", "../cmd/reunify/testdata/903/episodes.csv"},
	} {
		h, err1 := os.ReadFile(pair[0])
		e, err2 := os.ReadFile(pair[1])
		if err1 != nil || err2 != nil {
			continue // the public fake files are optional
		}
		// Keep seeds small: the fuzzer mutates them byte by byte.
		f.Add(head(h, 60), head(e, 120))
	}
	f.Fuzz(func(t *testing.T, header, episodes []byte) {
		d, rep, err := Read([]Source{{"header.csv", bytes.NewReader(header)}}, []Source{{"episodes.csv", bytes.NewReader(episodes)}})
		cells := cellValues(header, episodes)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Msg == "" {
				t.Fatalf("error is not a *FileError with a message: %v", err)
			}
			if v := echoed(fe.Msg, cells); v != "" {
				t.Fatalf("the error echoes the cell value %q: %v", v, fe)
			}
			return
		}
		skipped := 0
		for _, i := range rep.Issues {
			if i.Msg == "" {
				t.Fatalf("issue without a message: %#v", i)
			}
			if v := echoed(i.Msg, cells); v != "" {
				t.Fatalf("the issue echoes the cell value %q: %v", v, i)
			}
			if i.Action == Skipped && i.File == "episodes.csv" {
				skipped++
			}
		}
		if got := rep.Episodes + skipped + rep.Duplicates + rep.Replaced; got != rep.EpisodeRows {
			t.Fatalf("kept %d + skipped %d + duplicates %d + replaced %d = %d, want all %d rows accounted for",
				rep.Episodes, skipped, rep.Duplicates, rep.Replaced, got, rep.EpisodeRows)
		}
		// Every line is a header row, a row read or a blank line: a
		// stray quote cannot make lines vanish into another row.
		if got, want := 2+rep.HeaderRows+rep.EpisodeRows+rep.BlankLines, physicalLines(header)+physicalLines(episodes); got != want {
			t.Fatalf("2 header rows + %d + %d rows + %d blank lines = %d, want all %d lines accounted for",
				rep.HeaderRows, rep.EpisodeRows, rep.BlankLines, got, want)
		}
		for _, c := range d.Children {
			if len(c.Periods) == 0 {
				t.Fatal("a child with no periods")
			}
			for _, p := range c.Periods {
				if p.End != Open && p.End < p.Start {
					t.Fatalf("period ends %v before it starts %v", p.End, p.Start)
				}
			}
		}
		var out bytes.Buffer
		if err := rep.WriteCSV(&out); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteSummary(&out, 5); err != nil {
			t.Fatal(err)
		}
	})
}

// physicalLines counts the lines of b, the last one with or without a
// newline.
func physicalLines(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// cellValues returns the cell values of the inputs that could identify a
// child: at least 4 characters with a letter and a digit (identifiers,
// UPNs, postcodes, dates are all of this kind or contain such a run), and
// not a known code, which a message may show.
func cellValues(files ...[]byte) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range files {
		for _, c := range strings.FieldsFunc(string(f), func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == '"' }) {
			c = strings.TrimSpace(c)
			letter := strings.IndexFunc(c, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0
			digit := strings.IndexFunc(c, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0
			if len(c) < 4 || !letter || !digit || seen[c] || slices.Contains(recCodes, strings.ToUpper(c)) || vocabulary[c] {
				continue
			}
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// vocabulary are the words with letters and digits that messages use.
var vocabulary = map[string]bool{"E09000033": true, "UTF-16": true, "UTF-8": true}

// csvRef is a file:line reference in a message, which may hold digits
// and letters of its own, and knownCode a known code a message shows.
var (
	csvRef    = regexp.MustCompile(`\S+\.csv:\d+`)
	knownCode = regexp.MustCompile(`\([A-Z0-9]+\)`)
)

// echoed returns a cell value that msg shows, or "".
func echoed(msg string, cells []string) string {
	msg = csvRef.ReplaceAllString(msg, "")
	msg = knownCode.ReplaceAllStringFunc(msg, func(c string) string {
		if slices.Contains(recCodes, strings.Trim(c, "()")) {
			return ""
		}
		return c
	})
	for _, c := range cells {
		if strings.Contains(msg, c) {
			return c
		}
	}
	return ""
}

// TestMessagesShowNoCellValue is the issue's example: a child's
// identifier typed into REC ("C0047"), a postcode district in PLACE, a
// UPN in LS and an identifier in LA were quoted back in messages and in
// the dropped-rows file.
func TestMessagesShowNoCellValue(t *testing.T) {
	header := "LA,CHILD,DOB\nE06000001,101,01/06/2010\nB123456789012,102,01/06/2010\n"
	episodes := "LA,CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n" +
		"E06000001,101,01/04/2016,S,C2,U1,PR1,01/05/2016,C0047\n" +
		"E06000001,101,01/06/2016,S,C2,EG19,PR1,,\n" +
		"E06000001,101,01/07/2016,S,A123456789012,U1,PR1,,\n" +
		"E06000001,101,01/08/2016,ZZ9,C2,U1,PR1,,\n" +
		"E06000001,101,01/09/2016,S,C2,U1,SC1234,,\n" +
		"K9999999X,101,01/10/2016,S,C2,U1,PR1,,\n" +
		"E06000001,101,SE1 7TP,S,C2,U1,PR1,,\n"
	_, rep, err := Read([]Source{{"header.csv", strings.NewReader(header)}}, []Source{{"episodes.csv", strings.NewReader(episodes)}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.WriteSummary(&out, 100)
	rep.WriteCSV(&out)
	for _, secret := range []string{"C0047", "EG19", "A123456789012", "ZZ9", "SC1234", "K9999999X", "B123456789012", "SE1 7TP"} {
		if bytes.Contains(out.Bytes(), []byte(secret)) {
			t.Errorf("the report shows %q from the files:\n%s", secret, out.String())
		}
	}
	if got := rep.Count(UnknownCode); got != 7 {
		t.Errorf("%d unknown codes, want 7 (REC, PLACE, LS, RNE, PLACE_PROVIDER, and LA in both files)", got)
	}
	for _, i := range rep.Issues {
		if i.Column == "" || i.Line < 2 {
			t.Errorf("issue without a column or line: %v", i)
		}
	}
}

// TestLimits: files that are not SSDA903 CSV files are refused at once
// with the file and line, whatever their length.
func TestLimits(t *testing.T) {
	endless := func(b []byte) io.Reader { return &repeat{b: b} }
	good := strings.NewReader("CHILD,DOB\n1,01/01/2010\n")
	for _, tc := range []struct {
		name     string
		episodes io.Reader
		want     string
	}{
		{"zeros", endless([]byte{0}), "episodes.csv:1: the file holds a NUL byte"},
		{"no newline", endless([]byte("abc,")), "episodes.csv:1: line 1 is longer than 64 KiB"},
		{"a long second line", io.MultiReader(strings.NewReader("CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n"), endless([]byte("9"))), "episodes.csv:2: line 2 is longer than 64 KiB"},
		{"UTF-16", strings.NewReader("\xff\xfeC\x00H\x00"), "episodes.csv:1: the file is UTF-16"},
		{"NUL later", strings.NewReader("CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n1,01/01/2020,S,U1,PR1,,\n\x00"), "episodes.csv:3: the file holds a NUL byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			good.Seek(0, io.SeekStart)
			_, _, err := Read([]Source{{"header.csv", good}}, []Source{{"episodes.csv", tc.episodes}})
			var fe *FileError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v, want a *FileError starting %q", err, tc.want)
			}
		})
	}
	// An endless stream of rows: refused after the size limit (lowered
	// to 4 MiB here; the process-level test of calibrate reads the full
	// 256 MiB).
	defer func(old int64) { fileLimit = old }(fileLimit)
	fileLimit = 4 << 20
	rows := endless([]byte("1,01/01/2020,S,U1,PR1,,\n"))
	_, _, err := Read([]Source{{"header.csv", strings.NewReader("CHILD,DOB\n1,01/01/2010\n")}},
		[]Source{{"episodes.csv", io.MultiReader(strings.NewReader("CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n"), rows)}})
	if err == nil || !strings.Contains(err.Error(), "the file is larger than 4 MiB") {
		t.Errorf("endless rows: %v", err)
	}
}

// TestRowAndChildLimits: a file of 10.7 million children used 5 GB of
// memory and then failed as a bug (more children than a scenario can
// hold), and an endless stream of one return's rows repeated held every
// row until the size limit (667 MB). Read refuses more than
// MaxEpisodeRows episode rows in all its files, and more than
// MaxChildren children, with the file and line (lowered here).
func TestRowAndChildLimits(t *testing.T) {
	defer func(e, c int) { episodeRowLimit, childLimit = e, c }(episodeRowLimit, childLimit)
	episodeRowLimit, childLimit = 20, 10
	var h, e strings.Builder
	h.WriteString("CHILD,DOB\n")
	for c := range 11 {
		fmt.Fprintf(&h, "%d,01/01/2010\n", c)
	}
	_, _, err := Read([]Source{{"header.csv", strings.NewReader(h.String())}}, []Source{{"episodes.csv", strings.NewReader("CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n")}})
	if err == nil || !strings.HasPrefix(err.Error(), "header.csv:12: more than 10 children in the header files") {
		t.Errorf("11 children: %v", err)
	}
	// Repeated rows count too, in all the files together: the 21st row
	// (line 12 of the second file) is refused.
	e.WriteString("CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n")
	for range 11 {
		e.WriteString("1,01/01/2020,S,U1,PR1,,\n")
	}
	two := []Source{{"e1.csv", strings.NewReader(e.String())}, {"e2.csv", strings.NewReader(e.String())}}
	_, _, err = Read([]Source{{"header.csv", strings.NewReader("CHILD,DOB\n1,01/01/2010\n")}}, two)
	if err == nil || !strings.HasPrefix(err.Error(), "e2.csv:11: more than 20 episode rows in the files") {
		t.Errorf("22 episode rows: %v", err)
	}
}

// repeat repeats b for ever.
type repeat struct {
	b   []byte
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], r.b[r.off:])
		n += k
		r.off = (r.off + k) % len(r.b)
	}
	return n, nil
}

// TestListingIsBounded: beyond MaxListed, problem rows are counted, not
// kept, and the dropped-rows file says how many are not listed.
func TestListingIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n")
	const n = MaxListed + 7
	for range n {
		b.WriteString("9,01/01/2020,S,U1,PR1,,\n")
	}
	_, rep, err := Read([]Source{{"header.csv", strings.NewReader("CHILD,DOB\n1,01/01/2010\n")}}, []Source{{"episodes.csv", strings.NewReader(b.String())}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Issues) != MaxListed || rep.Count(NoHeader) != n || rep.Skipped() != n || rep.Unlisted(NoHeader) != 7 {
		t.Errorf("listed %d, counted %d, skipped %d, unlisted %d", len(rep.Issues), rep.Count(NoHeader), rep.Skipped(), rep.Unlisted(NoHeader))
	}
	var out bytes.Buffer
	rep.WriteCSV(&out)
	if !strings.HasSuffix(out.String(), ",,,no_header,not listed,7 more rows of this class (only the first 100000 problem rows are listed)\n") {
		t.Errorf("the dropped-rows file does not say what it leaves out: ...%s", out.String()[out.Len()-200:])
	}
}

// head returns the first n lines of b.
func head(b []byte, n int) []byte {
	i := 0
	for ; n > 0 && i < len(b); n-- {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return b
		}
		i += j + 1
	}
	return b[:i]
}

// TestConflictCountedOnce is FuzzRead's first find (kept in
// testdata/fuzz/FuzzRead too): two copies of an episode that end
// differently were counted both as a skipped conflict and as a duplicate,
// so the report accounted for more rows than were read. The earlier copy
// is now reported once, as replaced (not skipped: the episode is used).
func TestConflictCountedOnce(t *testing.T) {
	_, rep := read(t, "CHILD,DOB\n2,2010-1-1\n",
		"CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n"+
			"2,1/3/2020,S,R1,PR0,1/7/2020,X1\n"+
			"2,1/3/2020,S,R1,PR0,1/8/2020,X1\n")
	if rep.Duplicates != 0 || rep.Count(Conflict) != 1 || rep.Replaced != 1 || rep.Skipped() != 0 || rep.Episodes != 1 {
		t.Errorf("duplicates %d, conflicts %d, replaced %d, skipped %d, kept %d; want 0, 1, 1, 0, 1",
			rep.Duplicates, rep.Count(Conflict), rep.Replaced, rep.Skipped(), rep.Episodes)
	}
}
