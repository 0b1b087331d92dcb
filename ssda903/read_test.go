package ssda903

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const testHeader = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" +
	"101,1,01/06/2010,WBRI,A123456789012,,\n" +
	"102,2,2012-02-29,WBRI,,,\n" +
	"103,1,15/01/1998,WBRI,,,\n"

const episodesHead = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"

func read(t *testing.T, header, episodes string) (*Data, *Report) {
	t.Helper()
	d, rep, err := Read([]Source{{"header.csv", strings.NewReader(header)}}, []Source{{"episodes.csv", strings.NewReader(episodes)}})
	if err != nil {
		t.Fatal(err)
	}
	return d, rep
}

// TestBadRows gives one bad row of each class, after a good first row
// (line 2), and checks the exact message, the line and that the row was
// skipped.
func TestBadRows(t *testing.T) {
	good := "101,01/04/2016,S,C2,N1,U1,PR1,,,,AB1 2CD,EF3 4GH,SC123456\n"
	for _, tc := range []struct {
		name, row, want string
	}{
		{"malformed", "101,01/05/2016,S\n", "episodes.csv:3: malformed_row: row has 3 fields, the header row names more columns"},
		{"missing child", ",01/05/2016,S,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: missing_child: column CHILD: blank"},
		{"child too long", strings.Repeat("7", 65) + ",01/05/2016,S,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: malformed_row: column CHILD: longer than 64 characters: not a child identifier (the 903 allows 10)"},
		{"missing date", "102,,S,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: missing_date: column DECOM: blank"},
		{"invalid date", "102,31/02/2016,S,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: invalid_date: column DECOM: not a date (want dd/mm/yyyy or yyyy-mm-dd)"},
		{"invalid end", "102,01/02/2016,S,C2,N1,U1,PR1,2016/13/01,E4A,,,,\n", "episodes.csv:3: invalid_date: column DEC: not a date (want dd/mm/yyyy or yyyy-mm-dd)"},
		{"dec without rec", "102,01/02/2016,S,C2,N1,U1,PR1,01/03/2016,,,,,\n", "episodes.csv:3: end_mismatch: column REC: blank, but DEC is given: an episode that ended needs both (903 rule 148), and how this one ended is unknown"},
		{"end before start", "102,01/02/2016,S,C2,N1,U1,PR1,01/01/2016,E4A,,,,\n", "episodes.csv:3: end_before_start: column DEC: before DECOM"},
		{"blank rne", "102,01/02/2016,,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: unknown_code: column RNE: blank"},
		{"unknown rne", "102,01/02/2016,Q,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: unknown_code: column RNE: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"},
		{"unknown ls", "102,01/02/2016,S,Z9,N1,U1,PR1,,,,,,\n", "episodes.csv:3: unknown_code: column LS: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"},
		{"unknown place", "102,01/02/2016,S,C2,N1,R4,PR1,,,,,,\n", "episodes.csv:3: unknown_code: column PLACE: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"},
		{"place not a code", "102,01/02/2016,S,C2,N1,Jane Smith,PR1,,,,,,\n", "episodes.csv:3: unknown_code: column PLACE: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"},
		{"unknown provider", "102,01/02/2016,S,C2,N1,U4,PR9,,,,,,\n", "episodes.csv:3: unknown_code: column PLACE_PROVIDER: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"},
		{"unknown rec", "102,01/02/2016,S,C2,N1,U4,PR1,01/03/2016,E99,,,,\n", "episodes.csv:3: unknown_code: column REC: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)"},
		{"no header", "999,01/02/2016,S,C2,N1,U4,PR1,,,,,,\n", "episodes.csv:3: no_header: column CHILD: the child is in no header file: add the header file of this year, or check CHILD"},
		{"before birth", "102,01/02/2011,S,C2,N1,U4,PR1,,,,,,\n", "episodes.csv:3: age_out_of_range: column DECOM: before the child's date of birth"},
		{"after 18", "103,15/01/2016,S,C2,N1,U4,PR1,,,,,,\n", "episodes.csv:3: age_out_of_range: column DECOM: on or after the child's 18th birthday"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, rep := read(t, testHeader, episodesHead+good+tc.row)
			if len(rep.Issues) != 1 {
				t.Fatalf("want 1 issue, got %v", rep.Issues)
			}
			if got := rep.Issues[0].String(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if rep.Skipped() != 1 || rep.Episodes != 1 || len(d.Children) != 1 {
				t.Errorf("skipped %d, kept %d episodes of %d children; want the bad row skipped and the good one kept", rep.Skipped(), rep.Episodes, len(d.Children))
			}
		})
	}
}

// TestOpenEpisodeWithREC: an episode with a REC code and no DEC was
// skipped, which took its time at risk out of the estimates and none of
// its events. DEC decides (903 rule 148): it is kept as open, reported,
// and the code is ignored, X1 or an exit alike.
func TestOpenEpisodeWithREC(t *testing.T) {
	eps := episodesHead +
		"101,01/04/2016,S,C2,N1,U1,PR1,,X1,,,,\n" +
		"102,01/04/2016,S,C2,N1,U1,PR1,,E4A,,,,\n"
	d, rep := read(t, testHeader, eps)
	if rep.Count(OpenWithREC) != 2 || rep.Skipped() != 0 || rep.Episodes != 2 {
		t.Fatalf("open_with_rec %d, skipped %d, kept %d: %v", rep.Count(OpenWithREC), rep.Skipped(), rep.Episodes, rep.Issues)
	}
	want := "episodes.csv:2: open_with_rec: column REC: given (X1) but DEC is blank: kept as an open episode (903 rule 148: both or neither); the code is ignored"
	if got := rep.Issues[0].String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, c := range d.Children {
		if p := c.Periods[0]; p.End != Open || p.Exit != NotEnded {
			t.Errorf("period %+v: want open, not ended", p)
		}
	}
}

func TestOverlapSkipsTheChild(t *testing.T) {
	eps := episodesHead +
		"101,01/04/2016,S,C2,N1,U1,PR1,01/06/2016,X1,,,,\n" +
		"101,01/05/2016,P,C2,N1,U4,PR1,,,,,,\n" +
		"102,01/04/2016,S,C2,N1,U1,PR1,,,,,,\n"
	d, rep := read(t, testHeader, eps)
	want := []string{
		"episodes.csv:3: overlap: column DECOM: episode starts before the episode at episodes.csv:2 ends; all 2 episodes of this child are skipped",
		"episodes.csv:2: overlap: column DECOM: skipped with the child's overlapping episodes (see episodes.csv:3)",
	}
	if len(rep.Issues) != 2 || rep.Issues[0].String() != want[0] || rep.Issues[1].String() != want[1] {
		t.Errorf("got %v\nwant %v", rep.Issues, want)
	}
	if len(d.Children) != 1 || rep.Count(Overlap) != 2 {
		t.Errorf("kept %d children, %d overlap rows", len(d.Children), rep.Count(Overlap))
	}
}

func TestHeaderProblems(t *testing.T) {
	header := "CHILD,DOB\n101,01/06/2010\n,01/06/2010\n104,\n105,2010-6-1x\n101,01/06/2010\n101,02/06/2010\n"
	_, rep := read(t, header, episodesHead+"101,01/04/2016,S,C2,N1,U1,PR1,,,,,,\n")
	var got []string
	for _, i := range rep.Issues {
		got = append(got, i.String())
	}
	want := []string{
		"header.csv:3: missing_child: column CHILD: blank",
		"header.csv:4: missing_date: column DOB: blank",
		"header.csv:5: invalid_date: column DOB: not a date (want dd/mm/yyyy or yyyy-mm-dd)",
		"header.csv:2: conflict: column DOB: this child's DOB differs in a later header row (header.csv:7); the last of the child's header rows is used",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.HeaderDuplicates != 1 {
		t.Errorf("header duplicates %d, want 1", rep.HeaderDuplicates)
	}
}

func TestMissingColumn(t *testing.T) {
	_, _, err := Read([]Source{{"h.csv", strings.NewReader(testHeader)}}, []Source{{"e.csv", strings.NewReader("CHILD,DECOM,RNE,PLACE,DEC,REC\n")}})
	want := "e.csv:1: missing column PLACE_PROVIDER: the header row must name CHILD, DECOM, RNE, PLACE, PLACE_PROVIDER, DEC, REC (extra columns are ignored); is this the right file?"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	_, _, err = Read([]Source{{"h.csv", strings.NewReader("")}}, []Source{{"e.csv", strings.NewReader(episodesHead)}})
	if err == nil || !strings.HasPrefix(err.Error(), "h.csv:1: empty file") {
		t.Errorf("empty header file: got %v", err)
	}
}

// TestYearsConcatenated reads two years' files with ISO dates, extra
// columns in another order and the same episodes repeated, open in the
// first year and closed in the second.
func TestYearsConcatenated(t *testing.T) {
	y1 := "LA,YEAR,CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC,CIN\n" +
		"E09000033,2017,101,2016-04-01,S,C2,U4,PR1,2016-09-01,X1,N1\n" +
		"E09000033,2017,101,2016-09-01,P,C2,U4,PR4,,,N1\n"
	y2 := episodesHead +
		"101,01/09/2016,P,C2,N1,U4,PR4,01/06/2017,E4A,,,,\n" +
		"101,01/10/2017,S,C2,N1,K2,PR1,,,,,,\n"
	d, rep, err := Read([]Source{{"h17.csv", strings.NewReader(testHeader)}, {"h18.csv", strings.NewReader(testHeader)}},
		[]Source{{"e17.csv", strings.NewReader(y1)}, {"e18.csv", strings.NewReader(y2)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Issues) != 0 || rep.Duplicates != 1 || rep.HeaderDuplicates != 3 || rep.Episodes != 3 {
		t.Fatalf("issues %v, duplicates %d, header duplicates %d, episodes %d", rep.Issues, rep.Duplicates, rep.HeaderDuplicates, rep.Episodes)
	}
	c := d.Children[0]
	if len(c.Periods) != 2 {
		t.Fatalf("periods: %+v", c.Periods)
	}
	if d.LAs[c.LA] != "E09000033" {
		t.Errorf("the child's authority is %q: the second year's file has no LA column, the first's names E09000033", d.LAs[c.LA])
	}
	p0, p1 := c.Periods[0], c.Periods[1]
	d16, _ := MakeDate(2016, 4, 1)
	d17, _ := MakeDate(2017, 6, 1)
	if p0.Start != d16 || !p0.StartKnown || p0.End != d17 || p0.Exit != ReturnHome || len(p0.Spells) != 2 ||
		p0.Spells[0].Type != InHouseFoster || p0.Spells[1].Type != AgencyFoster {
		t.Errorf("first period %+v", p0)
	}
	if !p1.Reentry || p1.Exit != NotEnded || p1.End != Open || p1.Spells[0].Type != ChildrensHome {
		t.Errorf("second period %+v", p1)
	}
}

func TestTypeOf(t *testing.T) {
	for _, tc := range []struct {
		place, pro string
		want       PlacementType
	}{
		{"U1", "PR0", Kinship}, {"U3", "", Kinship}, {"U4", "PR1", InHouseFoster}, {"U6", "PR3", InHouseFoster},
		{"U5", "PR4", AgencyFoster}, {"U6", "PR5", AgencyFoster}, {"U4", "PR0", Other}, {"U4", "", Other},
		{"K2", "PR1", ChildrensHome}, {"R1", "PR4", ChildrensHome}, {"K1", "PR1", Secure},
		{"P1", "PR0", PlacedWithParents}, {"H5", "PR2", SupportedAccommodation}, {"K3", "PR1", SupportedAccommodation},
		{"A3", "PR1", Other}, {"Z1", "", Other}, {"T0", "PR1", Other},
	} {
		if got := TypeOf(tc.place, tc.pro); got != tc.want {
			t.Errorf("TypeOf(%s, %s) = %s, want %s", tc.place, tc.pro, got, tc.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for invalid
	}{
		{"01/04/2016", "2016-04-01"}, {"1/4/2016", "2016-04-01"}, {"2016-04-01", "2016-04-01"},
		{"29/02/2016", "2016-02-29"}, {"29/02/2017", ""}, {"2016-04-01 00:00:00", "2016-04-01"},
		{"2016/04/01", ""}, {"01-04-2016", ""}, {"", ""}, {"01/04/16", ""}, {"31/04/2016", ""}, {"x", ""},
	} {
		d, ok := ParseDate(tc.in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tc.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, s := range []string{"1970-01-01", "2000-02-29", "1899-12-31", "2199-06-30"} {
		d, _ := ParseDate(s)
		if d.String() != s {
			t.Errorf("%s round-trips as %s", s, d)
		}
	}
	leap, _ := MakeDate(2012, 2, 29)
	if got := leap.AddYears(18).String(); got != "2030-03-01" {
		t.Errorf("18th birthday of a leap-day child: %s", got)
	}
}

// TestFakePublicFiles reads the public fake return (random codes) without
// a crash and accounts for every row.
func TestFakePublicFiles(t *testing.T) {
	dir := "../../shared/data/ssda903-fake/"
	h, err := os.ReadFile(dir + "header.csv")
	if err != nil {
		t.Skip("public fake files not available:", err)
	}
	e, err := os.ReadFile(dir + "episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, rep, err := Read([]Source{{"header.csv", bytes.NewReader(h)}}, []Source{{"episodes.csv", bytes.NewReader(e)}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.EpisodeRows != 5050 || rep.HeaderRows != 2675 {
		t.Errorf("read %d episode and %d header rows, want 5050 and 2675", rep.EpisodeRows, rep.HeaderRows)
	}
	skipped := 0
	for _, i := range rep.Issues {
		if i.Action == Skipped && strings.HasPrefix(i.File, "episodes") {
			skipped++
		}
	}
	if got := rep.Episodes + skipped + rep.Duplicates + rep.Replaced; got != rep.EpisodeRows {
		t.Errorf("kept %d + skipped %d + duplicates %d + replaced %d = %d, want every one of %d rows accounted for", rep.Episodes, skipped, rep.Duplicates, rep.Replaced, got, rep.EpisodeRows)
	}
	// 1,433 open episodes carry a REC code (1,060 of them X1): kept as
	// open, each reported; rows skipped for another reason first are
	// not among them.
	if len(d.Children) == 0 || rep.Count(OpenWithREC) < 1000 || rep.Count(OpenWithREC) > 1433 {
		t.Errorf("children %d, open episodes with REC %d", len(d.Children), rep.Count(OpenWithREC))
	}
	if len(d.LAs) != 1 {
		t.Errorf("authorities %q: the files have no LA column", d.LAs)
	}
	// No identifier, postcode or date of birth reaches the report.
	var out bytes.Buffer
	rep.WriteSummary(&out, 1000)
	rep.WriteCSV(&out)
	for _, secret := range []string{"566910", "EG19 7TT", "WV27 9FW", "4244474", "27/03/2008", "D051910639385"} {
		if bytes.Contains(out.Bytes(), []byte(secret)) {
			t.Errorf("the report contains %q from the files", secret)
		}
	}
}

// BenchmarkRead reads 1,000,000 episode rows of 200,000 children.
func BenchmarkRead(b *testing.B) {
	const children, per = 200_000, 5
	var hb, eb bytes.Buffer
	hb.WriteString("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
	eb.WriteString(episodesHead)
	places := []string{"U1,PR1", "U4,PR1", "U6,PR4", "K2,PR1", "H5,PR2"}
	for c := range children {
		fmt.Fprintf(&hb, "%d,1,%02d/%02d/20%02d,WBRI,A%012d,,\n", 1000000+c, 1+c%28, 1+c%12, 5+c%10, c)
		day := c % 300
		for k := range per {
			start, end := day+40*k, day+40*(k+1)
			rec := "X1"
			if k == per-1 {
				rec = "E4A"
			}
			rne := "P"
			if k == 0 {
				rne = "S"
			}
			ds, _ := MakeDate(2016, 4, 1)
			fmt.Fprintf(&eb, "%d,%s,%s,C2,N1,%s,%s,%s,,AB1 2CD,EF3 4GH,SC%06d\n", 1000000+c, (ds + Date(start)).UK(), rne, places[(c+k)%5], (ds + Date(end)).UK(), rec, c)
		}
	}
	hdata, edata := hb.Bytes(), eb.Bytes()
	b.SetBytes(int64(len(edata)))
	b.ReportAllocs()
	var live float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		d, rep, err := Read([]Source{{"h", bytes.NewReader(hdata)}}, []Source{{"e", bytes.NewReader(edata)}})
		if err != nil || rep.Episodes != children*per || len(d.Children) != children {
			b.Fatalf("%v %d %d", err, rep.Episodes, len(d.Children))
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		live = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		runtime.KeepAlive(d)
		b.StartTimer()
	}
	// What stays in memory: the periods and spells of each child, no
	// text of any row.
	b.ReportMetric(live/children, "live-B/child")
}

// rowsOf returns a header file and an episodes file of n children, one
// open episode each, on lines 2 to n+1.
func rowsOf(n int) (header string, episodes []string) {
	var h strings.Builder
	h.WriteString("CHILD,DOB\n")
	for i := range n {
		fmt.Fprintf(&h, "%d,01/06/2010\n", 5000+i)
		episodes = append(episodes, fmt.Sprintf("%d,01/04/2016,S,C2,N1,U1,PR1,,,,AB1 2CD,EF3 4GH,SC123456", 5000+i))
	}
	return h.String(), episodes
}

// TestQuotesSwallowNoRows: a stray quote before a field opened a quoted
// field that ran on, across lines, to the next quote, so that the rows
// between became one malformed row (or one row of nonsense) and appeared
// nowhere; a single unclosed quote took every later row with it. No
// SSDA903 field holds a line break, so a quote left open at the end of
// its line is refused with the file and the line where it opened.
func TestQuotesSwallowNoRows(t *testing.T) {
	header, rows := rowsOf(5050)
	file := func(edit func(lines []string)) string {
		lines := slices.Clone(rows)
		edit(lines)
		return episodesHead + strings.Join(lines, "\n") + "\n"
	}
	refuse := func(name, eps string, line int) {
		t.Helper()
		_, _, err := Read([]Source{{"header.csv", strings.NewReader(header)}}, []Source{{"episodes.csv", strings.NewReader(eps)}})
		var fe *FileError
		if !errors.As(err, &fe) || fe.File != "episodes.csv" || fe.Line != line || !strings.Contains(fe.Msg, "quote") {
			t.Errorf("%s: got %v, want a refusal at episodes.csv:%d about a quote", name, err, line)
		}
	}
	// Line 101 is rows[99] (line 1 is the header row).
	refuse("a quote before a field on line 101, another after one on line 301", file(func(l []string) {
		l[99] = strings.Replace(l[99], ",", ",\"", 1)
		l[299] = strings.Replace(l[299], ",", "\",", 1)
	}), 101)
	refuse("one unclosed quote on line 101 of 150 rows", episodesHead+strings.Join(func() []string {
		l := slices.Clone(rows[:150])
		l[99] = strings.Replace(l[99], ",", ",\"", 1)
		return l
	}(), "\n")+"\n", 101)
	refuse("an unclosed quote in the header row", "CHILD,\"DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC\n"+rows[0]+"\n", 1)

	// A quote inside a field, or after a closing quote, cannot swallow
	// lines: the row is reported, named by its line and column, and every
	// other row is read.
	for _, tc := range []struct {
		name, want string
		edit       func(l []string)
	}{
		{"a quote after a field on line 301", "episodes.csv:301: malformed_row: column CHILD: a quote inside a field that does not start with one",
			func(l []string) { l[299] = strings.Replace(l[299], ",", "\",", 1) }},
		{"text after a closing quote on line 7", "episodes.csv:7: malformed_row: column RNE: text after the quote that closes the field",
			func(l []string) { l[5] = strings.Replace(l[5], ",S,", ",\"S\"x,", 1) }},
	} {
		d, rep, err := Read([]Source{{"header.csv", strings.NewReader(header)}}, []Source{{"episodes.csv", strings.NewReader(file(tc.edit))}})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if rep.EpisodeRows != 5050 || rep.Skipped() != 1 || len(d.Children) != 5049 {
			t.Errorf("%s: read %d rows, skipped %d, kept %d children; want 5050, 1, 5049", tc.name, rep.EpisodeRows, rep.Skipped(), len(d.Children))
		}
		if len(rep.Issues) != 1 || !strings.HasPrefix(rep.Issues[0].String(), tc.want) {
			t.Errorf("%s: issues %v, want %s", tc.name, rep.Issues, tc.want)
		}
	}

	// Quoted fields, escaped quotes, CRLF and blank lines are read as any
	// CSV reader reads them, and blank lines are counted.
	eps := episodesHead + "\"5000\",\"01/04/2016\",\"S\",C2,N1,U1,PR1,,,,\"AB1 \"\"2CD\",,\r\n\r\n\n" + rows[1] + "\n"
	d, rep, err := Read([]Source{{"header.csv", strings.NewReader(header)}}, []Source{{"episodes.csv", strings.NewReader(eps)}})
	if err != nil || rep.EpisodeRows != 2 || rep.BlankLines != 2 || len(rep.Issues) != 0 || len(d.Children) != 2 {
		t.Errorf("quoted fields: err %v, rows %d, blank lines %d, issues %v, children %d", err, rep.EpisodeRows, rep.BlankLines, rep.Issues, len(d.Children))
	}
}

// TestGapAfterX1 follows the RNE codes: after an X1 and a gap, an RNE P
// episode continues the period, which runs on through the gap in the
// placement before; an RNE S episode starts a new period, and the one
// before is censored.
func TestGapAfterX1(t *testing.T) {
	d, rep := read(t, testHeader, episodesHead+
		"101,01/04/2016,S,C2,N1,U1,PR1,01/06/2016,X1,,,,\n"+
		"101,11/06/2016,P,C2,N1,U4,PR1,01/09/2016,X1,,,,\n"+
		"101,01/10/2016,S,C2,N1,K2,PR1,,,,,,\n")
	want := []string{
		"episodes.csv:3: gap_after_x1: column DECOM: the episode before (episodes.csv:2) ended X1, and this one, which continues the period (RNE P, not S), starts 10 days later: an episode between them is missing (a skipped row?); the period runs on through the gap, in the placement before",
		"episodes.csv:4: gap_after_x1: column DECOM: the episode before (episodes.csv:3) ended X1, and this one starts a new period (RNE S) 30 days later: how the child left care in the gap is not in the files (a skipped row?); the period before is censored at its end",
	}
	if len(rep.Issues) != 2 || rep.Issues[0].String() != want[0] || rep.Issues[1].String() != want[1] {
		t.Fatalf("issues %v\nwant %v", rep.Issues, want)
	}
	ps := d.Children[0].Periods
	d1, _ := MakeDate(2016, 4, 1)
	d2, _ := MakeDate(2016, 6, 11)
	d3, _ := MakeDate(2016, 9, 1)
	if len(ps) != 2 || ps[0].Start != d1 || ps[0].End != d3 || ps[0].Exit != Censored || len(ps[0].Spells) != 2 ||
		ps[0].Spells[0].End != d2 || ps[0].Spells[1].Start != d2 || !ps[1].StartKnown || ps[1].Reentry || !ps[1].Entry() {
		t.Errorf("periods %+v", ps)
	}
}

// TestMessagesSayWhatIsWrong: a date that exists but is out of the range
// Read holds was "not a date"; a conflict row's action said skipped while
// its message said it was the row kept, and conflicts were counted among
// the rows skipped, though one copy of each is used; two CHILD columns
// were accepted silently; the docs said spaces in column names are
// ignored, which holds only around a name.
func TestMessagesSayWhatIsWrong(t *testing.T) {
	t.Run("dates out of range", func(t *testing.T) {
		for _, tc := range []struct{ row, want string }{
			{"102,01/06/0001,S,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: invalid_date: column DECOM: a date outside the years 1800 to 2200 (a typing error?)"},
			{"102,01/02/2016,S,C2,N1,U1,PR1,01/06/2999,E4A,,,,\n", "episodes.csv:3: invalid_date: column DEC: a date outside the years 1800 to 2200 (a typing error?)"},
			{"102,31/02/2999,S,C2,N1,U1,PR1,,,,,,\n", "episodes.csv:3: invalid_date: column DECOM: not a date (want dd/mm/yyyy or yyyy-mm-dd)"},
		} {
			_, rep := read(t, testHeader, episodesHead+"101,01/04/2016,S,C2,N1,U1,PR1,,,,,,\n"+tc.row)
			if len(rep.Issues) != 1 || rep.Issues[0].String() != tc.want {
				t.Errorf("got %v\nwant %s", rep.Issues, tc.want)
			}
		}
		_, rep := read(t, "CHILD,DOB\n101,01/06/0001\n", episodesHead)
		if want := "header.csv:2: invalid_date: column DOB: a date outside the years 1800 to 2200 (a typing error?)"; len(rep.Issues) != 1 || rep.Issues[0].String() != want {
			t.Errorf("got %v\nwant %s", rep.Issues, want)
		}
	})
	t.Run("conflicts", func(t *testing.T) {
		header := "CHILD,DOB\n101,01/06/2010\n101,02/06/2010\n102,01/06/2010\n"
		eps := episodesHead +
			"101,01/04/2016,S,C2,N1,U1,PR1,01/06/2016,E4A,,,,\n" +
			"101,01/04/2016,S,C2,N1,U1,PR1,01/07/2016,E4A,,,,\n" +
			"101,01/04/2016,S,C2,N1,U1,PR1,01/08/2016,E11,,,,\n"
		d, rep := read(t, header, eps)
		var got []string
		for _, i := range rep.Issues {
			got = append(got, string(i.Action)+" "+i.String())
		}
		want := []string{
			"replaced header.csv:2: conflict: column DOB: this child's DOB differs in a later header row (header.csv:3); the last of the child's header rows is used",
			"replaced episodes.csv:2: conflict: column DEC: the same episode (child, DECOM, RNE, PLACE, PLACE_PROVIDER) ends differently in a later copy (episodes.csv:4), which is used instead of this one",
			"replaced episodes.csv:3: conflict: column DEC: the same episode (child, DECOM, RNE, PLACE, PLACE_PROVIDER) ends differently in a later copy (episodes.csv:4), which is used instead of this one",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		end, _ := MakeDate(2016, 8, 1)
		if rep.Skipped() != 0 || rep.Replaced != 2 || rep.Episodes != 1 || d.Children[0].Periods[0].End != end || d.Children[0].Periods[0].Exit != Permanence {
			t.Errorf("skipped %d, replaced %d, episodes %d, period %+v: want the last copy used and nothing skipped", rep.Skipped(), rep.Replaced, rep.Episodes, d.Children[0].Periods[0])
		}
		var sum, csv bytes.Buffer
		rep.WriteSummary(&sum, 5)
		rep.WriteCSV(&csv)
		for _, w := range []string{`conflict\s+3 rows replaced by a later copy`, `\s0 rows skipped in all`} {
			if !regexp.MustCompile(w).MatchString(sum.String()) {
				t.Errorf("summary lacks %q:\n%s", w, sum.String())
			}
		}
		if !strings.Contains(csv.String(), "episodes.csv,2,DEC,conflict,replaced,") {
			t.Errorf("dropped rows file:\n%s", csv.String())
		}
	})
	t.Run("columns", func(t *testing.T) {
		for _, tc := range []struct{ head, want string }{
			{"CHILD,DECOM,R N E,PLACE,PLACE_PROVIDER,DEC,REC", "e.csv:1: missing column RNE"},
			{"CHILD,DECOM,RNE,PLACE,PLACE_PROVIDER,DEC,REC,child", "e.csv:1: column CHILD is named twice (fields 1 and 8): which one holds the data is not known; remove or rename one"},
			{" child ,Decom,rne,PLACE,PLACE_PROVIDER,DEC,REC,,", ""},
		} {
			_, _, err := Read([]Source{{"h.csv", strings.NewReader(testHeader)}}, []Source{{"e.csv", strings.NewReader(tc.head + "\n")}})
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)) {
				t.Errorf("%q: got %v, want %q", tc.head, err, tc.want)
			}
		}
	})
}
