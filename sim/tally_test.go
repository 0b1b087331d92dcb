package sim

import (
	"math"
	"testing"
)

// TestYearEnd checks the year whose end first comes at or after a month
// against its definition, ceil(month/12) - 1 within the horizon's years,
// at and around every year's end and at random months.
func TestYearEnd(t *testing.T) {
	for _, horizon := range []float64{60, 54.5, 12, 1} {
		c := compile(cohortModel(1, horizon))
		want := func(at float64) int {
			switch {
			case at <= 0:
				return 0
			case at > c.horizon:
				return c.years
			}
			return max(min(int(math.Ceil(at/12))-1, c.years-1), 0)
		}
		months := []float64{-1, 0, 1e-9, c.horizon, math.Nextafter(c.horizon, 0), math.Nextafter(c.horizon, 1e9), 1e6}
		for y := range c.years + 1 {
			e := float64(12 * y)
			months = append(months, e, math.Nextafter(e, 0), math.Nextafter(e, 1e9))
		}
		s := streamOf(1, streamCare, 0)
		for i := range uint64(1000) {
			months = append(months, s.float(i)*(c.horizon+12))
		}
		for _, at := range months {
			if got := c.yearEnd(at); got != want(at) {
				t.Errorf("horizon %v, month %v: year end %d, want %d", horizon, at, got, want(at))
			}
		}
	}
}

// TestTierMatchesTiersOf checks the engine's branch-free tier against
// Tiers.Of, with and without each threshold, at and around them.
func TestTierMatchesTiersOf(t *testing.T) {
	for _, tiers := range []Tiers{{1.5, 2.5}, {0, 2.5}, {1.5, 0}, {0, 0}, {2, 2}} {
		m := cohortModel(1, 12)
		m.Tiers = tiers
		c := compile(m)
		for _, s := range []float64{0, 1, 1.5, math.Nextafter(1.5, 0), 2, 2.5, math.Nextafter(2.5, 0), 3, math.Inf(1), math.NaN()} {
			if got, want := c.tier(s), tiers.Of(s); got != want {
				t.Errorf("tiers %+v, score %v: tier %v, want %v", tiers, s, got, want)
			}
		}
	}
}

// TestMetricTable checks that the one table of metrics names what the
// tally computes: as many names as values, in a model with any number
// of placements, and every yearly index named once.
func TestMetricTable(t *testing.T) {
	for _, m := range []*Model{cohortModel(5, 24), richModel()} {
		res := run(t, m, Options{Iterations: 1, Seed: 1})
		if n, v := len(res.Metrics), len(res.Outcomes[0][0].Metrics); n != v {
			t.Errorf("%d placements: %d metric names, %d values", len(m.Placements), n, v)
		}
		for _, p := range m.Placements {
			if res.Metric(childMonthsPrefix+p.Name) < 0 {
				t.Errorf("no metric for the months in %s", p.Name)
			}
		}
	}
	seen := map[string]bool{}
	for k, name := range yearlyNames {
		if name == "" || seen[name] {
			t.Errorf("yearly metric %d: name %q empty or twice", k, name)
		}
		seen[name] = true
	}
}
