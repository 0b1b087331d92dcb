package calibrate_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/ssda903"
)

const skippedEpisodesHead = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"

// readFiles reads a header file and an episodes file given as text.
func readFiles(t *testing.T, header, episodes []byte) (*ssda903.Data, *ssda903.Report) {
	t.Helper()
	d, rep, err := ssda903.Read([]ssda903.Source{{Name: "header.csv", R: bytes.NewReader(header)}},
		[]ssda903.Source{{Name: "episodes.csv", R: bytes.NewReader(episodes)}})
	if err != nil {
		t.Fatal(err)
	}
	return d, rep
}

// TestSkippedEpisodeMakesNoEntry: a period of care starts with an
// episode whose RNE is S (DfE SSDA903 guidance); an episode with any other
// RNE continues the period. A row skipped inside a period (a bad PLACE,
// say) left a gap after an X1, which split the period, and the second
// half was counted as a new entry: 200 children in care throughout, half
// with an unknown PLACE in their middle episode, gave 100 entries a year
// instead of none, and a gap of 10 days before an RNE P episode made
// every child in care at the start an entry as well.
func TestSkippedEpisodeMakesNoEntry(t *testing.T) {
	w := calibrate.Window{From: date("2017-04-01"), To: date("2018-03-31")}
	for _, tc := range []struct {
		name    string
		rows    func(child int) string
		stock   int
		entries int
		gaps    int // rows reported as gap_after_x1
	}{
		{"a skipped middle episode", func(c int) string {
			place := "U4"
			if c%2 == 0 {
				place = "R4" // not a PLACE code: the row is skipped
			}
			return fmt.Sprintf("%d,01/04/2016,S,C2,N1,U1,PR1,01/01/2017,X1\n%d,01/01/2017,P,C2,N1,%s,PR1,01/09/2017,X1\n%d,01/09/2017,P,C2,N1,U1,PR1,,\n", c, c, place, c)
		}, 200, 0, 100},
		{"a gap of 10 days before an RNE P episode", func(c int) string {
			return fmt.Sprintf("%d,01/04/2016,S,C2,N1,U1,PR1,01/06/2017,X1\n%d,11/06/2017,P,C2,N1,U4,PR1,,\n", c, c)
		}, 200, 0, 200},
		{"the first episode of a period skipped", func(c int) string {
			// The entry itself is lost with its row, but the rest of the
			// period is not counted as an entry with a made-up start.
			return fmt.Sprintf("%d,01/05/2017,S,C2,N1,R4,PR1,01/08/2017,X1\n%d,01/08/2017,P,C2,N1,U4,PR1,,\n", c, c)
		}, 0, 0, 0},
		{"a gap before an RNE S episode: the child left care in the gap", func(c int) string {
			return fmt.Sprintf("%d,01/04/2016,S,C2,N1,U1,PR1,01/06/2017,X1\n%d,11/06/2017,S,C2,N1,U4,PR1,,\n", c, c)
		}, 200, 200, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h, e strings.Builder
			h.WriteString("CHILD,DOB\n")
			e.WriteString(skippedEpisodesHead)
			for c := range 200 {
				fmt.Fprintf(&h, "%d,01/06/2010\n", 1000+c)
				e.WriteString(tc.rows(1000 + c))
			}
			d, rep := readFiles(t, []byte(h.String()), []byte(e.String()))
			est := calibrate.Estimate(d, w)
			if est.Stock != tc.stock || est.Entries.Events != tc.entries {
				t.Errorf("%d children in care at the start, %d entries; want %d and %d", est.Stock, est.Entries.Events, tc.stock, tc.entries)
			}
			if got := rep.Count(ssda903.GapAfterX1); got != tc.gaps {
				t.Errorf("%d gap_after_x1 rows, want %d", got, tc.gaps)
			}
		})
	}
}

// TestBadCodesLowerCounts: on the public fake return, a bad PLACE code
// in every tenth row took entries from 61 to 301 (each skipped row split
// a period). Skipped rows can only lose entries, by about their share.
func TestBadCodesLowerCounts(t *testing.T) {
	dir := "../../shared/data/ssda903-fake/"
	h, err := os.ReadFile(dir + "header.csv")
	if err != nil {
		t.Skip("public fake files not available:", err)
	}
	e, err := os.ReadFile(dir + "episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(e), "\n")
	place := -1
	for i, c := range strings.Split(strings.TrimSpace(lines[0]), ",") {
		if c == "PLACE" {
			place = i
		}
	}
	for i := 10; i < len(lines); i += 10 {
		cells := strings.Split(lines[i], ",")
		if len(cells) > place {
			cells[place] = "R4"
		}
		lines[i] = strings.Join(cells, ",")
	}
	bad := []byte(strings.Join(lines, ""))

	d, _ := readFiles(t, h, e)
	w := calibrate.DefaultWindow(d)
	base := calibrate.Estimate(d, w)
	d2, rep := readFiles(t, h, bad)
	got := calibrate.Estimate(d2, w)
	share := float64(rep.SkippedEpisodeRows) / float64(rep.EpisodeRows)
	t.Logf("entries %d of %d, stock %d of %d, %.1f%% of rows skipped", got.Entries.Events, base.Entries.Events, got.Stock, base.Stock, 100*share)
	if got.Entries.Events > base.Entries.Events || float64(got.Entries.Events) < (1-3*share)*float64(base.Entries.Events) {
		t.Errorf("entries %d with %.1f%% of rows skipped, %d without: want no more, and not much fewer", got.Entries.Events, 100*share, base.Entries.Events)
	}
	if got.Stock > base.Stock || float64(got.Stock) < (1-3*share)*float64(base.Stock) {
		t.Errorf("children in care at the start %d with %.1f%% of rows skipped, %d without", got.Stock, 100*share, base.Stock)
	}
}
