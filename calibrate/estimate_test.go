package calibrate_test

import (
	"math"
	"testing"

	"github.com/reunify/reunify/calibrate"
	"github.com/reunify/reunify/ssda903"
)

func date(s string) ssda903.Date {
	d, ok := ssda903.ParseDate(s)
	if !ok {
		panic(s)
	}
	return d
}

// TestEstimateExposure checks occurrence and exposure on hand-made
// children: censoring at the window's end, left truncation, unknown
// period starts and re-entry after a return.
func TestEstimateExposure(t *testing.T) {
	w := calibrate.Window{From: date("2020-04-01"), To: date("2021-03-31")}
	yrs := func(a, b string) float64 { return float64(date(b)-date(a)) / ssda903.DaysPerYear }
	for _, tc := range []struct {
		name  string
		child ssda903.Child
		check func(t *testing.T, e *calibrate.Estimates)
	}{
		{"entry, return, re-entry", ssda903.Child{DOB: date("2012-01-01"), Periods: []ssda903.Period{
			{Start: date("2020-05-01"), StartKnown: true, End: date("2020-08-09"), Exit: ssda903.ReturnHome,
				Spells: []ssda903.Spell{{Start: date("2020-05-01"), End: date("2020-08-09"), Type: ssda903.InHouseFoster}}},
			{Start: date("2020-10-01"), StartKnown: true, End: ssda903.Open, Exit: ssda903.NotEnded, Reentry: true,
				Spells: []ssda903.Spell{{Start: date("2020-10-01"), End: ssda903.Open, Type: ssda903.ChildrensHome}}},
		}}, func(t *testing.T, e *calibrate.Estimates) {
			if e.Entries.Events != 1 || e.Stock != 0 || e.Returns != 1 || e.ReentryType[ssda903.ChildrensHome] != 1 {
				t.Errorf("entries %d, stock %d, returns %d", e.Entries.Events, e.Stock, e.Returns)
			}
			// Age 8: band 5-9. 100 days in care in segment 0-6 months,
			// then 6 months in the second period to the censoring date.
			r := e.Return[2][0]
			want := yrs("2020-05-01", "2020-08-09") + yrs("2020-10-01", "2021-04-01")
			if r.Events != 1 || math.Abs(r.Exposure-want) > 1e-9 {
				t.Errorf("return 5-9, 0-6 months: %+v, want 1 event in %v years", r, want)
			}
			// 53 days at home, all in the first 3 months, ended by re-entry.
			if re := e.Reentry[0]; re.Events != 1 || math.Abs(re.Exposure-yrs("2020-08-09", "2020-10-01")) > 1e-9 {
				t.Errorf("re-entry 0-3 months: %+v", re)
			}
		}},
		{"stock with an unknown start", ssda903.Child{DOB: date("2006-06-01"), Periods: []ssda903.Period{
			{Start: date("2019-10-01"), StartKnown: false, End: ssda903.Open, Exit: ssda903.NotEnded,
				Spells: []ssda903.Spell{{Start: date("2019-10-01"), End: ssda903.Open, Type: ssda903.AgencyFoster}}},
		}}, func(t *testing.T, e *calibrate.Estimates) {
			if e.Stock != 1 || e.StockKnown != 0 || e.StockType[ssda903.AgencyFoster] != 1 || e.StockAges[3] != 1 {
				t.Errorf("stock %d known %d", e.Stock, e.StockKnown)
			}
			// Only time once 24 months of the known part have passed
			// (from 1 October 2021) would count: none in this window.
			for b := range e.Return {
				for s, r := range e.Return[b] {
					if r.Exposure != 0 {
						t.Errorf("return band %d segment %d: %+v, want no exposure", b, s, r)
					}
				}
			}
			if got, want := e.Permanence[3].Exposure, w.Years(); math.Abs(got-want) > 1e-9 {
				t.Errorf("permanence exposure %v, want the whole window %v", got, want)
			}
		}},
		{"18th birthday censors", ssda903.Child{DOB: date("2002-10-01"), Periods: []ssda903.Period{
			{Start: date("2019-01-01"), StartKnown: true, End: date("2020-10-01"), Exit: ssda903.OtherExit,
				Spells: []ssda903.Spell{{Start: date("2019-01-01"), End: date("2020-10-01"), Type: ssda903.SupportedAccommodation}}},
		}}, func(t *testing.T, e *calibrate.Estimates) {
			if e.Age18 != 1 || e.Permanence[4].Events != 0 || e.OtherExits != 0 {
				t.Errorf("age18 %d, permanence events %d", e.Age18, e.Permanence[4].Events)
			}
			if got, want := e.Return[4][2].Exposure, yrs("2020-04-01", "2020-10-01"); math.Abs(got-want) > 1e-9 {
				t.Errorf("exposure %v, want %v (to the 18th birthday)", got, want)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, calibrate.Estimate(&ssda903.Data{Children: []ssda903.Child{tc.child}}, w))
		})
	}
}
