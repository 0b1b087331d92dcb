package calibrate

import "github.com/reunify/reunify/ssda903"

// Pooled holds the posterior of every rate of one authority's scenario,
// each cell shrunk toward the pattern over all cells (and, with several
// authorities, toward the region).
type Pooled struct {
	Return     [][]Posterior // [age band][months-in-care segment]
	Permanence []Posterior   // [age band]
	Reentry    []Posterior   // [months-since-return segment]
	Moves      [ssda903.NumTypes]Posterior
	// How strongly each table was pooled.
	ReturnPool, PermanencePool, ReentryPool, MovesPool Pooling
	// Authorities is the number of authorities pooled together (1 for
	// one authority's files).
	Authorities int
}

// PoolAll pools the rates of one or several authorities' estimates (one
// Estimates per authority, over the same window). Each return-home cell
// (age band x months in care) is shrunk toward the pattern of an age
// effect times a months-in-care effect; permanence by age band, re-entry
// by months since return and moves by placement type are each shrunk
// toward the table's overall rate; with
// several authorities each table also has an authority effect, shrunk
// toward the region by a weight estimated from the data. It returns one
// Pooled per estimate, in order.
func PoolAll(ests []*Estimates) []*Pooled {
	na := len(ests)
	out := make([]*Pooled, na)
	for j := range out {
		out[j] = &Pooled{Authorities: na}
	}
	nb, nd, nr := len(AgeBands), len(DurationBreaks), len(ReentryStarts)
	many := na > 1
	// table pools one table: cell(e, k) is cell k of estimate e and
	// lv(k) its structural levels; put stores the result. With several
	// authorities, the region's cells (every authority's events and time
	// together) are pooled first, and each authority's cells are then
	// shrunk toward the region's rates, with an authority effect.
	table := func(cellsPer int, sizes []int, cell func(e *Estimates, k int) Rate, lv func(k int) []int, put func(p *Pooled, k int, post Posterior), sum func(p *Pooled, pl Pooling)) {
		region := make([]Rate, cellsPer)
		levels := make([][]int, cellsPer)
		for k := range cellsPer {
			for _, e := range ests {
				region[k].add(cell(e, k))
			}
			levels[k] = lv(k)
		}
		pr := Pool(Table{Cells: region, Levels: levels, Sizes: sizes})
		if !many {
			for k := range cellsPer {
				put(out[0], k, pr.Cells[k])
			}
			sum(out[0], pr)
			return
		}
		var t Table
		t.Sizes, t.Authority = []int{na}, true
		for j, e := range ests {
			for k := range cellsPer {
				rc := pr.Cells[k]
				off, ov := rc.PriorMean, 1.0
				if rc.Alpha > 0 {
					off, ov = rc.Mean(), trigamma(rc.Alpha)
				}
				if !(off > 0) {
					off, ov = 1, 1
				}
				t.Cells = append(t.Cells, cell(e, k))
				t.Levels = append(t.Levels, []int{j})
				t.Offset = append(t.Offset, off)
				t.OffsetVar = append(t.OffsetVar, ov)
			}
		}
		pl := Pool(t)
		for j := range ests {
			for k := range cellsPer {
				put(out[j], k, pl.Cells[j*cellsPer+k])
			}
			sum(out[j], Pooling{Phi: pl.Phi, Unlike: pl.Unlike, AuthorityStrength: pl.AuthorityStrength})
		}
	}
	for _, p := range out {
		p.Return = make([][]Posterior, nb)
		for b := range p.Return {
			p.Return[b] = make([]Posterior, nd)
		}
		p.Permanence = make([]Posterior, nb)
		p.Reentry = make([]Posterior, nr)
	}
	table(nb*nd, []int{nb, nd},
		func(e *Estimates, k int) Rate { return e.Return[k/nd][k%nd] },
		func(k int) []int { return []int{k / nd, k % nd} },
		func(p *Pooled, k int, post Posterior) { p.Return[k/nd][k%nd] = post },
		func(p *Pooled, pl Pooling) { p.ReturnPool = pl })
	// A one-way table is pooled toward its overall rate: the pattern has
	// no effect of the table's own factor, which would fit each cell
	// exactly.
	none := func(int) []int { return nil }
	table(nb, nil,
		func(e *Estimates, k int) Rate { return e.Permanence[k] },
		none,
		func(p *Pooled, k int, post Posterior) { p.Permanence[k] = post },
		func(p *Pooled, pl Pooling) { p.PermanencePool = pl })
	table(nr, nil,
		func(e *Estimates, k int) Rate { return e.Reentry[k] },
		none,
		func(p *Pooled, k int, post Posterior) { p.Reentry[k] = post },
		func(p *Pooled, pl Pooling) { p.ReentryPool = pl })
	table(int(ssda903.NumTypes), nil,
		func(e *Estimates, k int) Rate { return e.Moves[k] },
		none,
		func(p *Pooled, k int, post Posterior) { p.Moves[k] = post },
		func(p *Pooled, pl Pooling) { p.MovesPool = pl })
	return out
}
