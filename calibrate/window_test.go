package calibrate_test

import (
	"os"
	"strings"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/ssda903"
)

// fakeFiles reads the public fake return (data for 2017-18), or skips.
func fakeFiles(t *testing.T) (*ssda903.Data, *ssda903.Report) {
	t.Helper()
	dir := "../../shared/data/ssda903-fake/"
	h, err := os.ReadFile(dir + "header.csv")
	if err != nil {
		t.Skip("public fake files not available:", err)
	}
	e, err := os.ReadFile(dir + "episodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	return readBack(t, e, h)
}

// TestDefaultWindowFakeFiles: the fake return holds the collection year
// 2017-18; 11 episodes end on 1 April 2018, which must not add a year of
// no data to the window (it did: entries came out at half their rate).
func TestDefaultWindowFakeFiles(t *testing.T) {
	d, _ := fakeFiles(t)
	w := calibrate.DefaultWindow(d)
	if want := (calibrate.Window{From: date("2017-04-01"), To: date("2018-03-31")}); w != want {
		t.Fatalf("default window %v, want %v", w, want)
	}
	warn := strings.Join(w.Check(d), "\n")
	if !strings.Contains(warn, "0 episode starts and 11 ends fall in collection years after the window's end (2018-03-31)") {
		t.Errorf("the default window's warnings do not account for the stray ends:\n%s", warn)
	}
	// Asked for the year after, the warning says it holds almost nothing.
	long := calibrate.Window{From: w.From, To: date("2019-03-31")}
	warn = strings.Join(long.Check(d), "\n")
	if !strings.Contains(warn, "the window's year 2018-04-01 to 2019-03-31 holds only 11 episode ends") || !strings.Contains(warn, "rates over the window are too low") {
		t.Errorf("a window with an empty year gives no warning:\n%s", warn)
	}
	empty := calibrate.Window{From: w.From, To: date("2020-03-31")}
	if warn := strings.Join(empty.Check(d), "\n"); !strings.Contains(warn, "the window's year 2019-04-01 to 2020-03-31 holds no episodes") {
		t.Errorf("a window with a year of no episodes gives no warning:\n%s", warn)
	}
	// The entry rate over the default window is the year's entries;
	// over the two-year window it would have been half.
	e1, e2 := calibrate.Estimate(d, w), calibrate.Estimate(d, long)
	if e1.Entries.Events != e2.Entries.Events || e1.Entries.PerYear() < 1.9*e2.Entries.PerYear() {
		t.Errorf("entries a year: %.1f in the default window, %.1f over two years", e1.Entries.PerYear(), e2.Entries.PerYear())
	}
}

// TestDefaultWindowYears checks the rule on counts by year: sparse years
// at either end are left out, a sparse year between full ones is kept
// (and warned of).
func TestDefaultWindowYears(t *testing.T) {
	y := func(from string, starts, ends int) ssda903.YearCount {
		f := date(from)
		return ssda903.YearCount{From: f, To: ssda903.YearStart(ssda903.CollectionYear(f)+1) - 1, Starts: starts, Ends: ends}
	}
	d := &ssda903.Data{Years: []ssda903.YearCount{
		y("2014-04-01", 300, 2), y("2015-04-01", 500, 900), y("2016-04-01", 20, 10), y("2017-04-01", 400, 1000), y("2018-04-01", 0, 30),
	}}
	w := calibrate.DefaultWindow(d)
	if want := (calibrate.Window{From: date("2015-04-01"), To: date("2018-03-31")}); w != want {
		t.Errorf("window %v, want %v", w, want)
	}
	if warn := strings.Join(w.Check(d), "\n"); !strings.Contains(warn, "2016-04-01 to 2017-03-31 holds only 10 episode ends (1.0% of the busiest year's 1000)") {
		t.Errorf("no warning of the sparse middle year:\n%s", warn)
	}
	open := &ssda903.Data{Years: []ssda903.YearCount{y("2019-04-01", 5, 0), y("2020-04-01", 7, 0)}}
	if w, want := calibrate.DefaultWindow(open), (calibrate.Window{From: date("2019-04-01"), To: date("2021-03-31")}); w != want {
		t.Errorf("with no episode ended: window %v, want %v (the years of the starts)", w, want)
	}
}
