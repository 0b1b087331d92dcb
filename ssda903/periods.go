package ssda903

import (
	"cmp"
	"math"
	"slices"
)

// reconstruct sorts and de-duplicates the episodes, drops children with
// overlapping episodes and builds the periods of care.
func (r *reader) reconstruct() *Data {
	eps := r.gather()
	r.mergeUnnamed(eps)
	slices.SortFunc(eps, func(a, b episode) int {
		return cmp.Or(cmp.Compare(a.child, b.child), cmp.Compare(a.start, b.start),
			cmp.Compare(a.rne, b.rne), cmp.Compare(a.place, b.place), cmp.Compare(a.pro, b.pro),
			cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	// The same episode in several files (same child, DECOM, RNE, PLACE and
	// PLACE_PROVIDER): the last closed copy is used, or the first copy if
	// none is closed. A copy that adds nothing (open, or ending the same
	// way) is a duplicate; one that ends differently is replaced by the
	// copy used (a conflict), named in its message.
	same := func(a, b *episode) bool {
		return a.child == b.child && a.start == b.start && a.rne == b.rne && a.place == b.place && a.pro == b.pro
	}
	out := eps[:0]
	for i := 0; i < len(eps); {
		j := i + 1
		for j < len(eps) && same(&eps[i], &eps[j]) {
			j++
		}
		use := i
		for k := i; k < j; k++ {
			if eps[k].end != Open {
				use = k
			}
		}
		u := eps[use]
		for k := i; k < j; k++ {
			switch c := &eps[k]; {
			case k == use:
			case c.end == Open || (c.end == u.end && c.rec == u.rec):
				r.rep.Duplicates++
			default:
				r.rep.add(r.files[c.file], int(c.line), "DEC", Conflict,
					"the same episode (child, DECOM, RNE, PLACE, PLACE_PROVIDER) ends differently in a later copy (%s), which is used instead of this one", r.where(&u))
			}
		}
		out = append(out, u)
		i = j
	}
	eps = out
	slices.SortFunc(eps, func(a, b episode) int {
		return cmp.Or(cmp.Compare(a.child, b.child), cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	d := &Data{LAs: r.las}
	for i := 0; i < len(eps); {
		j := i + 1
		for j < len(eps) && eps[j].child == eps[i].child {
			j++
		}
		if c, ok := r.child(eps[i:j]); ok {
			d.Children = append(d.Children, c)
			r.rep.Episodes += j - i
			for k := i; k < j; k++ {
				r.count(&eps[k])
			}
		}
		i = j
	}
	r.rep.Children = len(d.Children)
	if len(r.years) > 0 {
		lo, hi := math.MaxInt, math.MinInt
		for y := range r.years {
			lo, hi = min(lo, y), max(hi, y)
		}
		for y := lo; y <= hi; y++ {
			c := YearCount{From: YearStart(y), To: YearStart(y+1) - 1}
			if n := r.years[y]; n != nil {
				c = *n
			}
			d.Years = append(d.Years, c)
		}
	}
	return d
}

// child builds one child's periods; ok is false if its episodes overlap.
func (r *reader) child(eps []episode) (Child, bool) {
	for k := 1; k < len(eps); k++ {
		a, b := &eps[k-1], &eps[k]
		if a.end == Open || b.start < a.end {
			r.rep.add(r.files[b.file], int(b.line), "DECOM", Overlap,
				"episode starts before the episode at %s ends; all %d episodes of this child are skipped", r.where(a), len(eps))
			for m := range eps {
				if m != k {
					r.rep.add(r.files[eps[m].file], int(eps[m].line), "DECOM", Overlap,
						"skipped with the child's overlapping episodes (see %s)", r.where(b))
				}
			}
			return Child{}, false
		}
	}
	who := r.people[eps[0].child]
	c := Child{DOB: r.dob[who.header], LA: who.la}
	var p *Period
	for k := range eps {
		e := &eps[k]
		var prev *episode
		if k > 0 {
			prev = &eps[k-1]
		}
		newPeriod := p == nil
		if p != nil {
			switch ex := exitOf(prev.rec); {
			case ex != Continues:
				newPeriod = true
			case e.start != prev.end && e.rne == rneS:
				// RNE S starts a period (DfE SSDA903 guidance): the child
				// left care in the gap, by a route the files do not hold.
				r.rep.add(r.files[e.file], int(e.line), "DECOM", GapAfterX1,
					"the episode before (%s) ended X1, and this one starts a new period (RNE S) %d days later: how the child left care in the gap is not in the files (a skipped row?); the period before is censored at its end",
					r.where(prev), e.start-prev.end)
				p.Exit = Censored
				newPeriod = true
			case e.start != prev.end:
				// Any other RNE continues the period: an episode between
				// the two is missing (a row skipped, or left out of the
				// files). Splitting the period here made the rest of it a
				// new entry to care.
				r.rep.add(r.files[e.file], int(e.line), "DECOM", GapAfterX1,
					"the episode before (%s) ended X1, and this one, which continues the period (RNE %s, not S), starts %d days later: an episode between them is missing (a skipped row?); the period runs on through the gap, in the placement before",
					r.where(prev), rneCodes[e.rne], e.start-prev.end)
				p.Spells[len(p.Spells)-1].End = e.start
			}
		}
		if newPeriod {
			np := Period{Start: e.start, StartKnown: e.rne == rneS}
			if p != nil {
				np.StartKnown = np.StartKnown || p.Exit != Censored
				np.Reentry = p.Exit == ReturnHome
			}
			c.Periods = append(c.Periods, np)
			p = &c.Periods[len(c.Periods)-1]
		}
		if n := len(p.Spells); n > 0 && p.Spells[n-1].Type == e.typ {
			p.Spells[n-1].End = e.end
		} else {
			p.Spells = append(p.Spells, Spell{Start: e.start, End: e.end, Type: e.typ})
		}
		p.End = e.end
		p.Exit = exitOf(e.rec)
	}
	if p.Exit == Continues {
		last := &eps[len(eps)-1]
		r.rep.add(r.files[last.file], int(last.line), "REC", X1WithoutNext,
			"the child's last episode ends X1 but no episode follows; the period is treated as censored at its end")
		p.Exit = Censored
	}
	return c, true
}
