package sim

import "fmt"

// worker simulates iterations; it owns its tallies and scratch space, so
// workers share nothing but the read-only model.
type worker struct {
	c    *compiled
	ik   uint64 // iteration key
	iter int
	arm  int
	t    *tally    // the tally that takes counts
	ev   *eventBuf // nil unless an event log is asked for
	one  child     // the child being simulated when nothing couples them
	// spare and alt are copies of one where arms part (runShared).
	spare, alt child
	// common is the tally of arms simulated together (runShared).
	common tally

	// While arms are simulated together (runShared), share lists them,
	// w.arm is the first and w.t the common tally; alike says, per phase
	// (pre, post), whether they all have the same packages. diverged is
	// set where the arms would treat the child differently, with the
	// offer that differs in pend.
	share    []int
	alike    [2]bool
	diverged bool
	pend     pendingOffer
	taken    []uint8 // per arm of share: the packages taken up where they part
	// known says, per phase, that the arms always part at its offers,
	// each taking up knownTaken and parking the child if knownParks.
	known      [2]bool
	knownTaken [2][]uint8
	knownParks [2][]bool

	// stop reports whether the run is being abandoned (cancelled, or the
	// event log failed); it is checked every stopEvery children, so a
	// huge iteration still stops promptly.
	stop func() bool
	// qs are the event-time queues of arms with limited places; q is the
	// one in use. While deferred is set (runShared), a family that asks
	// for a place is parked in its arm's queue instead; arriving is set
	// while a child arrives (start).
	qs       []*queue
	q        *queue
	deferred bool
	arriving bool
	parks    []bool // per arm of the offer where arms part: the arm parks the child
	// allArms and armTallies are scratch for iteration and runArm.
	allArms    []int
	armTallies []*tally
	events     int64 // events simulated by this worker

	// ks is the cohort kernel's scratch (cohort.go); general switches
	// the kernel off (Options.general).
	ks      *kernelScratch
	general bool
}

func newWorker() *worker { return &worker{} }

// use makes c the model the worker simulates.
func (w *worker) use(c *compiled) { w.c = c }

// iteration simulates every arm of global iteration it, stored at slot i.
func (w *worker) iteration(m *Model, base *compiled, opt Options, it, i int, res *Results, tallies *[]*tally, log *orderedLog) error {
	w.iter = it
	w.ik = iterKey(opt.Seed, it)
	c := base
	if len(opt.Params) > 0 {
		mm := m.Clone()
		vals := make([]float64, len(opt.Params))
		u := make([]float64, len(opt.Params))
		ps := streamOf(w.ik, streamParams, 0)
		for p := range u {
			u[p] = ps.open(uint64(p))
		}
		for p := range opt.Params {
			prm := &opt.Params[p]
			v := prm.Dist.Quantile(prm.draw(p, u))
			vals[p] = v
			prm.Set(mm, v)
		}
		if err := mm.Validate(); err != nil {
			return fmt.Errorf("iteration %d: the drawn parameters give an invalid model: %w", it, err)
		}
		res.Params[i] = vals
		c = compile(mm)
	}
	w.use(c)
	if log.w != nil {
		w.ev = &eventBuf{arms: make([][]byte, len(c.arms))}
	}
	for len(*tallies) < len(c.arms) {
		*tallies = append(*tallies, newTally(c))
	}
	for a := range c.arms {
		t := (*tallies)[a]
		if !t.fits(c) {
			t = newTally(c)
			(*tallies)[a] = t
		}
		t.reset()
		w.t = t
		w.bookFixed(a)
	}
	// Arms are simulated together, each child once for as long as the
	// arms treat it alike (see runShared); an arm with limited places
	// parks each child where its family first asks for a place and then
	// goes on with those children in event-time order (see runCoupled).
	all := w.allArms[:0]
	for a := range c.arms {
		if c.arms[a].coupled {
			w.beginCoupled(a)
		}
		all = append(all, a)
	}
	w.allArms = all
	w.runShared(all, *tallies, &w.common)
	for a := range c.arms {
		if c.arms[a].coupled {
			w.arm, w.t, w.q = a, (*tallies)[a], w.qs[a]
			w.runCoupled()
		}
	}
	for a := range c.arms {
		t := (*tallies)[a]
		res.Outcomes[a][i] = t.outcome(c)
		w.events += t.events
	}
	if w.ev != nil {
		var b []byte
		for _, arm := range w.ev.arms {
			b = append(b, arm...)
		}
		log.put(i, b)
		w.ev = nil
	}
	return nil
}

// runArm simulates the whole population of one arm alone, into w.t.
func (w *worker) runArm(arm int) {
	t := w.t
	if w.c.arms[arm].coupled {
		w.beginCoupled(arm)
	}
	w.allArms = append(w.allArms[:0], arm)
	for len(w.armTallies) <= arm {
		w.armTallies = append(w.armTallies, nil) // runShared indexes tallies by arm
	}
	w.armTallies[arm] = t
	w.runShared(w.allArms, w.armTallies, &w.common)
	if w.c.arms[arm].coupled {
		w.arm, w.t, w.q = arm, t, w.qs[arm]
		w.runCoupled()
	}
}

// bookFixed books the fixed yearly costs of arm's packages into w.t
// (arm's tally).
func (w *worker) bookFixed(arm int) {
	c := w.c
	for _, k := range c.arms[arm].fixed {
		a := min(c.m.Packages[k].Capacity.StartMonth, c.horizon)
		w.ramp(c.catTeam(k), a, c.discount(a), c.horizon, c.dHorizon)
	}
}

// ramp books a flow of category cat over [a, b), with da and db the
// discount factors at a and b, into w.t; categories nobody prices are
// not booked.
func (w *worker) ramp(cat int, a, da, b, db float64) {
	c := w.c
	if !(b > a) || !c.priced[cat] {
		return
	}
	k := cat * c.years
	ra, rb := &w.t.ramps[k+c.year(a)], &w.t.ramps[k+c.year(b)]
	ra.n++
	ra.at.add(fix(a, monthScale))
	ra.d.add(fix(da, discScale))
	rb.n--
	rb.at.add(-fix(b, monthScale))
	rb.d.add(-fix(db, discScale))
}

// once books a one-off of kind at month at, whose discount factor is d,
// into w.t; kinds nobody prices are not booked.
func (w *worker) once(kind int, at, d float64) {
	if c := w.c; c.oncePriced[kind] {
		o := &w.t.once[kind*c.years+c.year(at)]
		o.n++
		o.d.add(fix(d, discScale))
	}
}

// waitMonths books the months from requested to at spent waiting for
// support into w.t.
func (w *worker) waitMonths(requested, at float64) {
	w.t.waitMonths.add(fix(at, monthScale))
	w.t.waitMonths.add(-fix(requested, monthScale))
}
