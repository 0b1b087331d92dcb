package sim

import (
	"errors"
	"fmt"
	"math"
)

// Validate checks the model's internal consistency: slice lengths, ranges
// and shares. The scenario package reports problems against the file; this
// is the engine's own guard for models built in code.
func (m *Model) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	nb, np := len(m.AgeBands), len(m.Placements)
	if !(m.Horizon > 0) || m.Horizon > 12*200 {
		bad("horizon %v months out of range (0, 2400]", m.Horizon)
	}
	if nb == 0 || m.AgeBands[0] != 0 {
		bad("age bands must start at 0")
	}
	for i := 1; i < nb; i++ {
		if !(m.AgeBands[i] > m.AgeBands[i-1]) || m.AgeBands[i] >= MaxAgeMonths {
			bad("age band %d starts at %v: bands must increase and stay under 18 years", i, m.AgeBands[i])
		}
	}
	if np == 0 {
		bad("no placement types")
	}
	shares := func(name string, s []float64, n int) {
		if len(s) != n {
			bad("%s: %d shares, want %d", name, len(s), n)
			return
		}
		sum := 0.0
		for _, v := range s {
			if !(v >= 0) {
				bad("%s: negative share %v", name, v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-6 {
			bad("%s: shares sum to %v, want 1", name, sum)
		}
	}
	nonneg := func(name string, v float64) {
		if !(v >= 0) || math.IsInf(v, 1) {
			bad("%s: %v must be a finite number >= 0", name, v)
		}
	}
	prop := func(name string, v float64) {
		if !(v >= 0 && v <= 1) {
			bad("%s: %v must be a proportion in [0, 1]", name, v)
		}
	}
	ratios := func(name string, r Ratios) {
		for _, v := range []float64{r.Return, r.Reentry, r.Maltreatment} {
			if !(v > 0) || math.IsInf(v, 1) {
				bad("%s: hazard ratio %v must be > 0", name, v)
			}
		}
	}
	piecewise := func(name string, p Piecewise) {
		if len(p.Starts) == 0 || len(p.Starts) != len(p.Rates) || p.Starts[0] != 0 {
			bad("%s: need matching starts and rates, starting at month 0", name)
			return
		}
		for i := range p.Rates {
			nonneg(name, p.Rates[i])
			if i > 0 && !(p.Starts[i] > p.Starts[i-1]) {
				bad("%s: starts must increase", name)
			}
		}
	}
	for i, p := range m.Placements {
		nonneg("placement "+p.Name+" weekly cost", p.WeeklyCost)
		nonneg("placement "+p.Name+" move rate", p.MoveRate)
		if p.MoveRate > 0 {
			shares("placement "+p.Name+" move destinations", p.MoveTo, np)
			if len(p.MoveTo) == np && p.MoveTo[i] != 0 {
				bad("placement %s: a move cannot go to the same placement", p.Name)
			}
		}
	}
	pop := func(name string, p Population) {
		if p.Count < 0 {
			bad("%s: negative count", name)
		}
		if p.Count > 0 {
			shares(name+" ages", p.AgeShares, nb)
			shares(name+" placements", p.PlacementShares, np)
		}
		nonneg(name+" mean months in care", p.MeanMonthsInCare)
		prop(name+" prior failed returns", p.PriorFailedReturns)
	}
	pop("stock", m.Stock)
	pop("cohort", m.Cohort)
	nonneg("entries per month", m.Entries.PerMonth)
	if !(m.Entries.Trend > -1) {
		bad("entries trend %v must be > -1", m.Entries.Trend)
	}
	if m.Entries.PerMonth > 0 {
		shares("entries ages", m.Entries.AgeShares, nb)
		shares("entries placements", m.Entries.PlacementShares, np)
	}
	c := m.Care
	if len(c.DurationBreaks) == 0 || c.DurationBreaks[0] != 0 {
		bad("return-home duration breaks must start at 0")
	}
	if len(c.ReturnHome) != nb {
		bad("return-home rates: %d age bands, want %d", len(c.ReturnHome), nb)
	}
	for _, row := range c.ReturnHome {
		if len(row) != len(c.DurationBreaks) {
			bad("return-home rates: %d duration segments, want %d", len(row), len(c.DurationBreaks))
		}
		for _, v := range row {
			nonneg("return-home rate", v)
		}
	}
	if len(c.Permanence) != nb {
		bad("permanence rates: %d age bands, want %d", len(c.Permanence), nb)
	}
	for _, v := range c.Permanence {
		nonneg("permanence rate", v)
	}
	h := m.Home
	piecewise("re-entry hazard", h.Reentry)
	piecewise("maltreatment hazard", h.Maltreatment)
	prop("maltreatment re-entry probability", h.MaltreatmentReentry)
	nonneg("stable months", h.StableMonths)
	nonneg("case close months", h.CaseCloseMonths)
	if len(h.ReentryPlacement) != nb {
		bad("re-entry placements: %d age bands, want %d", len(h.ReentryPlacement), nb)
	}
	for _, row := range h.ReentryPlacement {
		shares("re-entry placements", row, np)
	}
	for _, f := range m.Factors {
		if len(f.Prevalence) != 1 && len(f.Prevalence) != nb {
			bad("factor %s: %d prevalences, want 1 or %d", f.Name, len(f.Prevalence), nb)
		}
		for _, v := range f.Prevalence {
			prop("factor "+f.Name+" prevalence", v)
		}
		ratios("factor "+f.Name, f.HR)
	}
	ratios("history older", m.History.Older)
	ratios("history many placements", m.History.ManyPlacements)
	ratios("history short care", m.History.ShortCare)
	ratios("history prior failure", m.History.PriorFailure)
	co := m.Costs
	for _, v := range []float64{co.SocialWorkMonthly, co.Entry, co.Reentry, co.Return} {
		nonneg("cost", v)
	}
	if !(co.DiscountRate >= 0 && co.DiscountRate < 1) {
		bad("discount rate %v must be in [0, 1)", co.DiscountRate)
	}
	for _, p := range m.Packages {
		prop("package "+p.Name+" uptake", p.Uptake)
		nonneg("package "+p.Name+" fixed yearly cost", p.FixedYearly)
		for _, ph := range []Phase{p.Pre, p.Post} {
			nonneg("package "+p.Name+" months", ph.Months)
			if ph.Months == 0 {
				continue
			}
			nonneg("package "+p.Name+" monthly cost", ph.MonthlyCost)
			nonneg("package "+p.Name+" start cost", ph.StartCost)
			nonneg("package "+p.Name+" persistence", ph.PersistMonths)
			ratios("package "+p.Name, ph.HR)
		}
		if p.Capacity.Places < 0 {
			bad("package %s: %d places must be >= 0", p.Name, p.Capacity.Places)
		}
		nonneg("package "+p.Name+" start month", p.Capacity.StartMonth)
		e := p.Eligible
		if e.Tiers != nil && len(e.Tiers) != int(NumTiers) {
			bad("package %s: eligibility by tier needs %d entries", p.Name, NumTiers)
		}
		if e.AgeBands != nil && len(e.AgeBands) != nb {
			bad("package %s: eligibility by age band needs %d entries", p.Name, nb)
		}
		if e.Placements != nil && len(e.Placements) != np {
			bad("package %s: eligibility by placement needs %d entries", p.Name, np)
		}
		for _, f := range e.Factors {
			if f < 0 || f >= len(m.Factors) {
				bad("package %s: eligibility names factor %d of %d", p.Name, f, len(m.Factors))
			}
		}
	}
	if len(m.Arms) == 0 {
		bad("no arms: need at least a baseline")
	}
	for _, a := range m.Arms {
		if len(a.Packages) > maxWindows {
			bad("arm %s: %d packages, at most %d", a.Name, len(a.Packages), maxWindows)
		}
		for _, k := range a.Packages {
			if k < 0 || k >= len(m.Packages) {
				bad("arm %s: package %d of %d", a.Name, k, len(m.Packages))
			}
		}
	}
	return errors.Join(errs...)
}
