package sim

import "strconv"

// Where an event row's from and to columns name no placement: the
// child's home, or nowhere (outside the model, or not a move).
const (
	outside = -1
	home    = -2
)

// Event kinds, as written in the event log's event column.
type eventKind uint8

const (
	evNone eventKind = iota
	evEntry
	evMove
	evReturn
	evReentry
	evMaltreatment
	evPermanence
	evAge18
	evStart
)

var eventNames = [...]string{"", "entry", "move", "return", "reentry", "maltreatment", "permanence", "age18", "start"}

// EventLogHeader is the header row of the event log CSV.
const EventLogHeader = "iteration,arm,child,month,event,from,to,age_months\n"

// eventBuf collects one iteration's event rows, one buffer per arm, so
// that the log can be written in iteration order, and within an iteration
// in arm order, whatever the number of workers and however the arms were
// simulated.
type eventBuf struct {
	arms [][]byte
}

// event appends a row to the log if one is being kept; from and to are
// placement indices, or -1 for home or out of the model. Children present
// at month 0 get a start row (to: their placement, or home for a
// returning cohort); every row carries the child's age in months. While
// arms are simulated together the row belongs to each of them.
func (w *worker) event(ch *child, at float64, k eventKind, from, to int) {
	w.t.events++
	if w.ev != nil {
		w.logEvent(ch, at, k, from, to)
	}
}

// logEvent appends the event's row to the log of every arm it belongs to.
func (w *worker) logEvent(ch *child, at float64, k eventKind, from, to int) {
	if w.share == nil {
		w.ev.arms[w.arm] = w.appendEvent(w.ev.arms[w.arm], w.arm, ch, at, k, from, to)
		return
	}
	for _, a := range w.share {
		w.ev.arms[a] = w.appendEvent(w.ev.arms[a], a, ch, at, k, from, to)
	}
}

// appendEvent appends the event row of arm to b.
func (w *worker) appendEvent(b []byte, arm int, ch *child, at float64, k eventKind, from, to int) []byte {
	m := w.c.m
	place := func(b []byte, p int) []byte {
		switch p {
		case home:
			return append(b, "home"...)
		case outside:
			return b
		}
		return append(b, m.Placements[p].Name...)
	}
	b = strconv.AppendInt(b, int64(w.iter), 10)
	b = append(b, ',')
	b = append(b, m.Arms[arm].Name...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(ch.idx), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, at, 'f', 4, 64)
	b = append(b, ',')
	b = append(b, eventNames[k]...)
	b = append(b, ',')
	b = place(b, from)
	b = append(b, ',')
	b = place(b, to)
	b = append(b, ',')
	b = strconv.AppendFloat(b, at-ch.birth, 'f', 4, 64)
	return append(b, '\n')
}
