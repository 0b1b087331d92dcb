package calibrate

import (
	"fmt"

	"github.com/reunify/reunify/ssda903"
)

// SparseShare is the share of the busiest collection year's episode ends
// below which a year is taken to hold stray dates rather than data: the
// default window leaves such years out at either end, and Check warns of
// any such year inside a window.
const SparseShare = 0.05

// MinWindowDays is the shortest window Validate accepts: 91 days, a
// quarter. Rates from less time say almost nothing (an authority has a
// few returns home a month), and an entry rate from a day or two would
// be multiplied out to a year.
const MinWindowDays = 91

// Validate refuses a window that ends before it starts or is shorter than
// MinWindowDays, saying which.
func (w Window) Validate() error {
	n := int(w.To-w.From) + 1
	switch {
	case n < 1:
		return fmt.Errorf("the window %s to %s ends before it starts", w.From, w.To)
	case n < MinWindowDays:
		days := "days"
		if n == 1 {
			days = "day"
		}
		return fmt.Errorf("the window %s to %s is %d %s: rates need at least %d days (3 months) of data", w.From, w.To, n, days, MinWindowDays)
	}
	return nil
}

// DefaultWindow is the window the files cover: whole collection years (1
// April to 31 March), from the first to the last year in which the kept
// episodes' ends are at least SparseShare of the busiest year's. An
// episode in a year's return was open during that year, so its end, if
// any, falls in the year, while its start may be years earlier; a few
// ends past the last year (an end typed as 1 April, say) are errors, not
// a year of data. With no episode ended at all, the years of the starts.
func DefaultWindow(d *ssda903.Data) Window {
	ys := d.Years
	if len(ys) == 0 {
		return Window{}
	}
	most := 0
	for _, y := range ys {
		most = max(most, y.Ends)
	}
	holds := func(y ssda903.YearCount) bool { return y.Starts > 0 }
	if most > 0 {
		limit := max(1, int(SparseShare*float64(most)+0.999999))
		holds = func(y ssda903.YearCount) bool { return y.Ends >= limit }
	}
	first, last := -1, -1
	for i, y := range ys {
		if holds(y) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return Window{From: ys[first].From, To: ys[last].To}
}

// Check returns warnings about the window w against the data: a
// collection year of the window that holds no episodes, or only stray
// dates, so that the time at risk there has few or no events and the
// rates come out too low; and episode ends outside the window, which are
// not counted.
func (w Window) Check(d *ssda903.Data) []string {
	var out []string
	most := 0
	for _, y := range d.Years {
		most = max(most, y.Ends)
	}
	before, after, startsAfter := 0, 0, 0
	counts := map[int]ssda903.YearCount{}
	for _, y := range d.Years {
		switch {
		case y.To < w.From:
			before += y.Ends
		case y.From > w.To:
			after += y.Ends
			startsAfter += y.Starts
		}
		counts[ssda903.CollectionYear(y.From)] = y
	}
	for cy := ssda903.CollectionYear(w.From); cy <= ssda903.CollectionYear(w.To); cy++ {
		y, ok := counts[cy]
		if !ok {
			y = ssda903.YearCount{From: ssda903.YearStart(cy), To: ssda903.YearStart(cy+1) - 1}
		}
		switch {
		case y.Starts == 0 && y.Ends == 0:
			out = append(out, fmt.Sprintf("the window's year %s to %s holds no episodes (none starts or ends in it): its time at risk has no events, so every rate over the window is too low; if the files do not cover that year, set --from and --to to the years they do", y.From, y.To))
		case most > 0 && float64(y.Ends) < SparseShare*float64(most):
			out = append(out, fmt.Sprintf("the window's year %s to %s holds only %d episode ends (%.1f%% of the busiest year's %d): the files probably do not cover it, and the rates over the window are too low; set --from and --to to the years they do", y.From, y.To, y.Ends, 100*float64(y.Ends)/float64(most), most))
		}
	}
	if after+startsAfter > 0 {
		out = append(out, fmt.Sprintf("%d episode starts and %d ends fall in collection years after the window's end (%s): they are censored there and not counted (give --to to include them)", startsAfter, after, w.To))
	}
	if before > 0 {
		out = append(out, fmt.Sprintf("%d episode ends fall in collection years before the window's start (%s): they are not counted (give --from to include them)", before, w.From))
	}
	return out
}
