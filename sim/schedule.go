package sim

import (
	"math"
	"slices"
)

// schedule is a clock's hazard at home, by months since the return, for
// a child with ratio 1, when every support window opened at the return:
// the hazard's own segments merged with the windows' ends, and the
// cumulative hazard at each piece's start. The fire time of a target is
// then a short search and one division, with no walk: each arm has one
// schedule per clock and per set of its packages a family takes up.
type schedule struct {
	starts, rates, cum []float64
}

// newSchedule merges hazard h with the windows of pkgs (their post
// phases) opened at month 0, for the hazard k (onReentry or
// onMaltreatment).
func newSchedule(h homeHazard, pkgs []*Phase, k int) schedule {
	starts := append([]float64(nil), h.starts...)
	for _, ph := range pkgs {
		if ph.HR != One {
			starts = append(starts, ph.Months+ph.PersistMonths)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	s := schedule{starts: starts, rates: make([]float64, len(starts)), cum: make([]float64, len(starts))}
	seg := 0
	for j, at := range starts {
		for seg+1 < len(h.starts) && at >= h.starts[seg+1] {
			seg++
		}
		r := h.rates[seg]
		for _, ph := range pkgs {
			if ph.HR != One && at < ph.Months+ph.PersistMonths {
				r *= ph.HR.array()[k]
			}
		}
		s.rates[j] = r
		if j > 0 {
			s.cum[j] = s.cum[j-1] + s.rates[j-1]*(at-starts[j-1])
		}
	}
	return s
}

// invert returns the months since the return at which the cumulative
// hazard reaches x (+Inf if never).
func (s *schedule) invert(x float64) float64 {
	j := 0
	for j+1 < len(s.cum) && x >= s.cum[j+1] {
		j++
	}
	if r := s.rates[j]; r > 0 {
		return s.starts[j] + (x-s.cum[j])/r
	}
	return math.Inf(1)
}

// at returns the cumulative hazard at rel months since the return.
func (s *schedule) at(rel float64) float64 {
	j := 0
	for j+1 < len(s.starts) && rel >= s.starts[j+1] {
		j++
	}
	return s.cum[j] + s.rates[j]*(rel-s.starts[j])
}

// homeSchedules are an arm's schedules, by the set of its post-return
// packages taken up (bit i: the arm's i-th), for re-entry and
// maltreatment.
type homeSchedules [][2]schedule

func newHomeSchedules(c *compiled, post []int) homeSchedules {
	if len(post) > maxWindows {
		return nil
	}
	out := make(homeSchedules, 1<<len(post))
	for mask := range out {
		var phs []*Phase
		for i, k := range post {
			if mask&(1<<i) != 0 {
				phs = append(phs, &c.m.Packages[k].Post)
			}
		}
		out[mask] = [2]schedule{newSchedule(c.home[0], phs, onReentry), newSchedule(c.home[1], phs, onMaltreatment)}
	}
	return out
}
