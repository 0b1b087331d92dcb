package calibrate

import (
	"math"
	"slices"

	"github.com/reunify/reunify/ssda903"
)

// Bands and segments of the estimates (and of the scenario written).
var (
	// AgeBands are the DfE age bands, lower bounds in years.
	AgeBands = []float64{0, 1, 5, 10, 16}
	// DurationBreaks start the months-in-care segments of the return-home
	// rates: 0-6, 6-12, 12-24 and 24+ months.
	DurationBreaks = []float64{0, 6, 12, 24}
	// ReentryStarts start the months-since-return segments of the
	// re-entry hazard: 0-3, 3-12, 12-24 and 24+ months.
	ReentryStarts = []float64{0, 3, 12, 24}
)

// Window is the period the data cover: From is the first day and To the
// last day of the collection (the censoring date). Events and time at risk
// outside it are not counted.
type Window struct {
	From, To ssda903.Date
}

// Years returns the window's length in years.
func (w Window) Years() float64 { return float64(w.To-w.From+1) / ssda903.DaysPerYear }

// Rate is an occurrence/exposure estimate of a constant hazard: Events
// over Exposure years at risk.
type Rate struct {
	Events   int
	Exposure float64 // years at risk
}

// PerYear returns the estimated hazard per year (0 with no exposure).
func (r Rate) PerYear() float64 {
	if r.Exposure <= 0 {
		return 0
	}
	return float64(r.Events) / r.Exposure
}

// SE returns the Poisson standard error of PerYear: sqrt(events) /
// exposure.
func (r Rate) SE() float64 {
	if r.Exposure <= 0 {
		return math.Inf(1)
	}
	return math.Sqrt(float64(r.Events)) / r.Exposure
}

// Months returns the exposure in months.
func (r Rate) Months() float64 { return r.Exposure * 12 }

func (r *Rate) add(o Rate) { r.Events += o.Events; r.Exposure += o.Exposure }

// Estimates are the counts and occurrence/exposure rates calibrate derives
// from the 903 data. Every rate keeps its events and exposure, so that its
// uncertainty can be stated.
type Estimates struct {
	Window Window

	// Entries are new periods of care starting after Window.From that are
	// entries (ssda903.Period.Entry: not re-entries, and with a known
	// start); Exposure is the window's length.
	Entries   Rate
	EntryAges []int                 // per age band, age at entry
	EntryType [ssda903.NumTypes]int // first placement of entries
	Stock     int                   // children in care on Window.From
	StockAges []int                 // per age band
	StockType [ssda903.NumTypes]int // placement on Window.From
	// StockKnown counts stock children whose period start is known, and
	// StockMonths their total months in care by Window.From.
	StockKnown  int
	StockMonths float64
	// StockReentry counts stock children whose current period is a
	// re-entry after a return home seen in the data.
	StockReentry int

	// Return is the return-home rate per [age band][duration segment];
	// time in periods whose start is unknown counts only once the known
	// part of the period reaches the last segment.
	Return [][]Rate
	// Permanence is the rate of leaving care other than home or at 18,
	// per age band; PermanenceOrders counts exits by adoption, special
	// guardianship or child arrangements order among its events, and
	// OtherExits the rest (E2, E3, E5-E9, E13-E17).
	Permanence       []Rate
	PermanenceOrders int
	OtherExits       int
	Age18            int // exits at 18 (within a month of the 18th birthday)

	// Moves is the rate of changes of placement type per type; MoveTo
	// counts moves [from][to].
	Moves  [ssda903.NumTypes]Rate
	MoveTo [ssda903.NumTypes][ssda903.NumTypes]int
	// TypeMonths is the time observed in each placement type, in months.
	TypeMonths [ssda903.NumTypes]float64

	// Returns counts returns home in the window; Reentry is the re-entry
	// rate per months-since-return segment; ReentryType the placement on
	// re-entry.
	Returns     int
	Reentry     []Rate
	ReentryType [ssda903.NumTypes]int

	Children int // children in the data
}

// band returns the age band of an age in years.
func band(years float64) int {
	b := 0
	for b+1 < len(AgeBands) && years >= AgeBands[b+1] {
		b++
	}
	return b
}

func segment(months float64, starts []float64) int {
	s := 0
	for s+1 < len(starts) && months >= starts[s+1] {
		s++
	}
	return s
}

// pieces calls f for each piece of [a, b) between the given cut points,
// with the piece's midpoint.
func pieces(a, b float64, cuts []float64, f func(lo, hi, mid float64)) {
	if !(b > a) {
		return
	}
	pts := []float64{a}
	for _, c := range cuts {
		if c > a && c < b {
			pts = append(pts, c)
		}
	}
	slices.Sort(pts)
	pts = append(pts, b)
	for i := 0; i+1 < len(pts); i++ {
		if pts[i+1] > pts[i] {
			f(pts[i], pts[i+1], (pts[i]+pts[i+1])/2)
		}
	}
}

// Estimate computes the estimates over the window w. Time is counted in
// days from the dates in the files; a child's time at risk ends at the
// 18th birthday, at the end of the window, or when the child leaves the
// state at risk, whichever comes first (right censoring); time before
// w.From is not counted (left truncation).
func Estimate(d *ssda903.Data, w Window) *Estimates {
	nb, nd, nr := len(AgeBands), len(DurationBreaks), len(ReentryStarts)
	e := &Estimates{
		Window:     w,
		EntryAges:  make([]int, nb),
		StockAges:  make([]int, nb),
		Return:     make([][]Rate, nb),
		Permanence: make([]Rate, nb),
		Reentry:    make([]Rate, nr),
		Children:   len(d.Children),
	}
	for b := range e.Return {
		e.Return[b] = make([]Rate, nd)
	}
	e.Entries.Exposure = w.Years()
	from, end := float64(w.From), float64(w.To)+1 // [from, end) in days
	const eps = 1e-6
	for ci := range d.Children {
		c := &d.Children[ci]
		dob := float64(c.DOB)
		age18 := float64(c.DOB.AddYears(18))
		ageYears := func(t float64) float64 { return (t - dob) / ssda903.DaysPerYear }
		var bandCuts []float64
		for _, a := range AgeBands[1:] {
			bandCuts = append(bandCuts, dob+a*ssda903.DaysPerYear)
		}
		inWindow := func(t float64) bool { return t >= from && t < end && t < age18 }
		for pi := range c.Periods {
			p := &c.Periods[pi]
			start := float64(p.Start)
			pEnd := math.Inf(1)
			if p.End != ssda903.Open {
				pEnd = float64(p.End)
			}
			// Entries and stock.
			switch {
			case start > from && start < end && p.Entry():
				e.Entries.Events++
				e.EntryAges[band(ageYears(start))]++
				e.EntryType[p.Spells[0].Type]++
			case start <= from && pEnd > from && from < age18:
				e.Stock++
				e.StockAges[band(ageYears(from))]++
				for _, s := range p.Spells {
					if float64(s.Start) <= from && (s.End == ssda903.Open || float64(s.End) > from) {
						e.StockType[s.Type]++
						break
					}
				}
				if p.StartKnown {
					e.StockKnown++
					e.StockMonths += (from - start) / ssda903.DaysPerMonth
				}
				if p.Reentry {
					e.StockReentry++
				}
			}
			if p.Reentry && inWindow(start) {
				e.ReentryType[p.Spells[0].Type]++
			}
			// Time in care at risk of return, permanence and moves.
			lo, hi := math.Max(start, from), math.Min(math.Min(pEnd, end), age18)
			var durCuts []float64
			for _, m := range DurationBreaks[1:] {
				durCuts = append(durCuts, start+m*ssda903.DaysPerMonth)
			}
			lastSeg := start + DurationBreaks[nd-1]*ssda903.DaysPerMonth
			cuts := append(append([]float64(nil), bandCuts...), durCuts...)
			pieces(lo, hi, cuts, func(a, b, mid float64) {
				bd := band(ageYears(mid))
				yrs := (b - a) / ssda903.DaysPerYear
				e.Permanence[bd].Exposure += yrs
				if p.StartKnown || mid >= lastSeg {
					e.Return[bd][segment((mid-start)/ssda903.DaysPerMonth, DurationBreaks)].Exposure += yrs
				}
			})
			if p.End != ssda903.Open && inWindow(pEnd) {
				t := pEnd - eps
				bd := band(ageYears(t))
				switch p.Exit {
				case ssda903.ReturnHome:
					e.Returns++
					if p.StartKnown || t >= lastSeg {
						e.Return[bd][segment((t-start)/ssda903.DaysPerMonth, DurationBreaks)].Events++
					}
				case ssda903.Permanence, ssda903.OtherExit:
					if pEnd >= age18-31 {
						e.Age18++
						break
					}
					e.Permanence[bd].Events++
					if p.Exit == ssda903.Permanence {
						e.PermanenceOrders++
					} else {
						e.OtherExits++
					}
				}
			} else if p.End != ssda903.Open && pEnd >= age18 && pEnd < end && pEnd >= from && p.Exit != ssda903.ReturnHome && p.Exit != ssda903.Censored {
				e.Age18++
			}
			for si, s := range p.Spells {
				sEnd := math.Inf(1)
				if s.End != ssda903.Open {
					sEnd = float64(s.End)
				}
				a, b := math.Max(float64(s.Start), from), math.Min(math.Min(sEnd, end), age18)
				if b > a {
					e.Moves[s.Type].Exposure += (b - a) / ssda903.DaysPerYear
					e.TypeMonths[s.Type] += (b - a) / ssda903.DaysPerMonth
				}
				if si+1 < len(p.Spells) && inWindow(sEnd) {
					to := p.Spells[si+1].Type
					e.Moves[s.Type].Events++
					e.MoveTo[s.Type][to]++
				}
			}
			// Time at home after a return home, at risk of re-entry.
			if p.Exit != ssda903.ReturnHome || pEnd >= age18 {
				continue
			}
			next := math.Inf(1)
			if pi+1 < len(c.Periods) {
				next = float64(c.Periods[pi+1].Start)
			}
			hlo, hhi := math.Max(pEnd, from), math.Min(math.Min(next, end), age18)
			var homeCuts []float64
			for _, m := range ReentryStarts[1:] {
				homeCuts = append(homeCuts, pEnd+m*ssda903.DaysPerMonth)
			}
			pieces(hlo, hhi, homeCuts, func(a, b, mid float64) {
				e.Reentry[segment((mid-pEnd)/ssda903.DaysPerMonth, ReentryStarts)].Exposure += (b - a) / ssda903.DaysPerYear
			})
			if inWindow(next) {
				e.Reentry[segment((next-eps-pEnd)/ssda903.DaysPerMonth, ReentryStarts)].Events++
			}
		}
	}
	return e
}
