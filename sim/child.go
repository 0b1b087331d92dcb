package sim

import "math"

// Where a child enters the model.
type origin int

const (
	fromStock  origin = iota // in care at month 0
	fromCohort               // returned home at month 0
	fromEntry                // enters care during the horizon
)

// Where a child is.
type stage uint8

const (
	inCare stage = iota + 1
	atHome
	gone
)

// The hazards a ratio applies to, as indices of a [3]float64 of ratios.
const (
	onReturn = iota
	onReentry
	onMaltreatment
)

func (r Ratios) array() [3]float64 { return [3]float64{r.Return, r.Reentry, r.Maltreatment} }

func times3(a, b [3]float64) [3]float64 { return [3]float64{a[0] * b[0], a[1] * b[1], a[2] * b[2]} }

var one3 = [3]float64{1, 1, 1}

// maxWindows bounds the support windows a child can have open in one
// spell: one per package of its arm (an arm has at most maxWindows).
const maxWindows = 4

// window is a support phase of one package for one child: supported (and
// paying) over [start, costEnd), with its effect over [start, effectEnd).
// A window that waits for a place is pending until a place is granted.
type window struct {
	start, costEnd, effectEnd float64
	dStart                    float64 // discount factor at start
	requested                 float64 // when the family asked for a place
	hr                        [3]float64
	pkg                       int32
	post                      bool
	neutral                   bool // changes no hazard
	pending                   bool // waiting for a place
	holding                   bool // holds one of a limited package's places
}

// child is the state of one synthetic child: its attributes, where it is,
// and its current spell's clocks. Each clock holds the time it fires
// (+Inf if never before the child's end), found by inverting its
// piecewise cumulative hazard; a step of the engine is an event, never a
// boundary. So that children can run to completion one after another or
// interleave in event-time order when support places couple them, the
// engine moves a child one event at a time (plan, then advance).
type child struct {
	id
	state
	slot int32 // the event-time engine's slot
	win  [maxWindows]window
	// A child parked in an arm's event-time queue waits there to get
	// its offer of support (runCoupled).
	parked      bool
	resumeTaken uint8
	resume      pendingOffer
}

// id is what a child is, fixed when it arrives.
type id struct {
	idx       int
	key       uint64
	attr      stream  // the attribute stream
	birth     float64 // month of birth (age at t is t - birth)
	end       float64 // the horizon or the 18th birthday, whichever is first
	factors   uint64  // bit f set: the child has factor f
	hrFactors [3]float64
	permEnd   float64 // the permanence hazard accumulated from birth to end
}

// age18 returns the month of the child's 18th birthday.
func (d *id) age18() float64 { return d.birth + MaxAgeMonths }

// state is where a child is and what has happened to it: all that arms
// that part copy, and what a new child starts from zero. Windows are
// apart: nwin says how many are in use.
type state struct {
	epStart    float64 // start of the current care episode (may be < 0)
	placement  int
	placements int    // placements so far, including the current one
	failed     int    // previous failed returns
	episodes   uint64 // care episodes simulated (stream index)
	returns    uint64 // returns home simulated (stream index)
	renewed    uint64 // moves (care) or maltreatment events (home) in the spell
	nwin       int    // windows in use
	gen        uint32 // the event-time engine's mark of the planned event

	stage        stage
	which        eventKind // what happens at next (evNone: the child's end)
	tier         Tier      // home: risk tier at the return
	armed        uint8     // bit i: walked clock i (ref, rest) is armed
	maltreated   bool
	maltreated24 bool // home: maltreated within 24 months of this return

	next float64 // the time of the next event

	// The spell: its stream, its clocks' fire times (care: return, move,
	// permanence; home: re-entry, maltreatment) and, for the clocks
	// whose hazard can change during the spell (a move, a place granted
	// late), the time and remaining target they were last armed with.
	s      stream     // 0 until the spell's first draw (rng)
	target [3]float64 // the clocks' targets, drawn as the spell starts
	clock  [3]float64
	ref    [2]float64 // care: return; home: re-entry, maltreatment
	rest   [2]float64

	spellStart, placeStart float64 // care
	band, seg              int     // care: age band and months-in-care segment at spellStart
	dPlace                 float64 // care: discount factor at placeStart
	hrReturn               float64 // care: factor and history ratio on return

	tR    float64      // home: month of the return
	dR    float64      // home: its discount factor
	hr    [3]float64   // home: factor and history ratios at the return
	sched *[2]schedule // home: the clocks' schedules, if every window opened at the return
}

// rng returns the current spell's stream: the care episode's or the
// return's, hashed on the spell's first draw (a spell that draws
// nothing, such as a stay in care with no way out, costs no hash).
func (ch *child) rng() stream {
	if ch.s != 0 {
		return ch.s
	}
	return ch.hashStream()
}

func (ch *child) hashStream() stream {
	if ch.stage == inCare {
		ch.s = streamOf(ch.key, streamCare, ch.episodes-1)
	} else {
		ch.s = streamOf(ch.key, streamHome, ch.returns-1)
	}
	return ch.s
}

// support returns the combined ratios of the child's windows in effect at
// month at and the next month after at when they change.
func (ch *child) support(at float64) ([3]float64, float64) {
	hr, next := one3, math.Inf(1)
	for i := range ch.nwin {
		s := &ch.win[i]
		if s.pending || s.neutral {
			// A window that changes no hazard must not split time.
			continue
		}
		switch {
		case at < s.start:
			next = min(next, s.start)
		case at < s.effectEnd:
			hr = times3(hr, s.hr)
			next = min(next, s.effectEnd)
		}
	}
	return hr, next
}

// supports reports whether any window can change a hazard.
func (ch *child) supports() bool {
	for i := range ch.nwin {
		if s := &ch.win[i]; !s.pending && !s.neutral {
			return true
		}
	}
	return false
}

// plan sets the time and kind of the child's next event: the earliest
// clock, or its end.
func (ch *child) plan() {
	// Which clock fires first is random: choose without branches (the
	// winner's bits equal the minimum's; integer tests become moves).
	t0, t1, t2 := ch.clock[0], ch.clock[1], ch.clock[2]
	best := min(ch.end, t0, t1, t2)
	b := math.Float64bits(best)
	kinds := &clockEvents[ch.stage]
	k0, k1, k2 := uint64(kinds[0]), uint64(kinds[1]), uint64(kinds[2])
	which := uint64(evNone)
	if math.Float64bits(t2) == b {
		which = k2
	}
	if math.Float64bits(t1) == b {
		which = k1
	}
	if math.Float64bits(t0) == b {
		which = k0
	}
	if math.Float64bits(ch.end) == b {
		which = uint64(evNone)
	}
	ch.next, ch.which = best, eventKind(which)
}

// clockEvents names the event each clock fires, by stage.
var clockEvents = [...][3]eventKind{
	inCare: {evReturn, evMove, evPermanence},
	atHome: {evReentry, evMaltreatment, evNone},
}

var inf = math.Inf(1)
