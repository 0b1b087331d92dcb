package scenario

import (
	"fmt"
	"math"
)

// Checks across keys that each number's own range cannot make: the
// hazards a child can face once its hazard ratios multiply, and entries
// after a yearly trend compounds. Both bound loops of the engine (events
// of one child, arrivals of a year) that would otherwise never end.

// most returns the largest value v can take in a run: the number, or the
// largest draw of its distribution, which the build keeps inside the
// row's range.
func most(v Value, r rule) float64 {
	if v.Dist == nil {
		return v.Num
	}
	_, hi := r.drawRange()
	return math.Min(v.Dist.Quantile(1), hi)
}

// ratioProduct returns the largest product of the hazard ratio called
// key ("hr_reentry") that a child can have: every factor and every
// history factor at once, in the arm whose packages raise it most in
// phase ("pre" or "post"; "" for none).
func (s *Scenario) ratioProduct(key, phase string) float64 {
	prod := 1.0
	r := rowByPath["factor.*."+key]
	for i := range s.Factors {
		prod *= math.Max(1, most(s.num(fmt.Sprintf("factor.%d.%s", i, key)), r.rule))
	}
	for _, h := range rowsBelow["history"] {
		prod *= math.Max(1, most(s.num(h.path+"."+key), r.rule))
	}
	if pr := rowByPath["package.*."+phase+"."+key]; pr != nil {
		index := map[string]int{}
		for i, p := range s.Packages {
			index[p.Name] = i
		}
		arms := 1.0
		for _, a := range s.Arms {
			arm := 1.0
			for _, name := range a.Packages {
				arm *= math.Max(1, most(s.num(fmt.Sprintf("package.%d.%s.%s", index[name], phase, key)), pr.rule))
			}
			arms = math.Max(arms, arm)
		}
		prod *= arms
	}
	return prod
}

// hazardMost returns the largest yearly rate of a hazard after return, in
// either form: the cumulative form's rate between two points is at most
// -ln(1 - share)/months, with the share at its largest (and kept below 1
// as the build keeps it).
func (s *Scenario) hazardMost(path string, h Hazard) float64 {
	rate := 0.0
	if !h.IsCumulative() {
		r := rowByPath[path+".per_year"].rule
		for _, v := range h.PerYear {
			rate = math.Max(rate, most(v, r))
		}
		return rate
	}
	r := rowByPath[path+".cumulative"].rule
	prev := 0.0
	for i, v := range h.Cumulative {
		share := math.Min(most(v, r), 1-1e-12)
		rate = math.Max(rate, -math.Log1p(-share)/(h.Months[i].Num-prev)*12)
		prev = h.Months[i].Num
	}
	return rate
}

// bounds checks the hazards and the entries, after every number passed
// its own check.
func (c *checker) bounds() {
	s := c.s
	limit := func(path, what string, rate, ratios float64) {
		if x := rate * ratios; !(x <= MaxRatePerYear) {
			c.add(path, "with every hazard ratio that can apply at its largest, a child's %s hazard reaches %s a year (the largest rate, %s a year, times ratios of %s), above the limit of %s a year (faster, the engine's clock could not move on between events): lower the rate or the ratios",
				what, readNum(x), readNum(rate), readNum(ratios), readNum(MaxRatePerYear))
		}
	}
	rh := 0.0
	rr := rowByPath["care.return_home_per_year"].rule
	for _, row := range s.Care.ReturnHomePerYear.Rows {
		for _, v := range row {
			rh = math.Max(rh, most(v, rr))
		}
	}
	limit("care.return_home_per_year", "return-home", rh, s.ratioProduct("hr_return", "pre"))
	limit("home.reentry", "re-entry", s.hazardMost("home.reentry", s.Home.Reentry), s.ratioProduct("hr_reentry", "post"))
	limit("home.maltreatment", "maltreatment", s.hazardMost("home.maltreatment", s.Home.Maltreatment), s.ratioProduct("hr_maltreatment", "post"))

	// Entries: the engine multiplies the rate by 1 + trend at each year
	// boundary inside the horizon.
	per, trend := s.num("entries.per_year"), s.num("entries.trend")
	first := most(per, rowByPath["entries.per_year"].rule)
	growth := most(trend, rowByPath["entries.trend"].rule)
	years := math.Ceil(s.num("horizon_years").Num) - 1
	if first > 0 && growth > 0 && years > 0 {
		last := math.Log(first) + years*math.Log1p(growth)
		if !(last <= math.Log(MaxCount)) {
			c.add("entries.trend", "entries %s a year at first, growing by %s a year, would be %s a year by the last year of the horizon, above the limit of %s a year",
				readNum(first), sig(growth, 6), readNum(math.Exp(last)), readNum(MaxRatePerYear))
		}
	}
}
