package ssda903

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
)

// EpisodeColumns and HeaderColumns are the columns Export writes, those
// of the statutory return.
var (
	EpisodeColumns = []string{"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}
	HeaderColumns  = []string{"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"}
)

// codesOf are the PLACE and PLACE_PROVIDER codes Export writes for each
// placement type; TypeOf maps them back to the same type.
var codesOf = [NumTypes][2]string{
	Kinship:                {"U3", "PR1"},
	InHouseFoster:          {"U6", "PR1"},
	AgencyFoster:           {"U6", "PR4"},
	ChildrensHome:          {"K2", "PR1"},
	Secure:                 {"K1", "PR1"},
	PlacedWithParents:      {"P1", "PR0"},
	SupportedAccommodation: {"H5", "PR1"},
	Other:                  {"Z1", "PR1"},
}

// ExportOptions says how to date the simulated events.
type ExportOptions struct {
	// Start is the date of month 0, the first day of the collection.
	Start Date
	// HorizonMonths is the simulated horizon: events are dated at most on
	// the last day before Start + HorizonMonths.
	HorizonMonths float64
	// Arm is the arm to export; "" means the first arm in the log.
	Arm string
}

// ExportCounts says what Export wrote.
type ExportCounts struct {
	Iterations, Children, Episodes int
}

// Export reads a reunify event log (iteration, arm, child, month, event,
// from, to, age_months) and writes, for each iteration, an episodes file
// and a header file in SSDA903 format to the writers that open returns.
//
// One episode is written per placement spell: an entry or re-entry starts
// a period (RNE S); a move ends the episode with REC X1 and starts the next
// the same day (RNE P, REASON_PLACE_CHANGE CARPL); a return home ends it
// with E4A, a permanent exit with E11 (adoption, under 5) or E45 (special
// guardianship), leaving care at 18 with E8. Children in care at month 0
// (start rows) get a first episode starting on Start with RNE P: their
// earlier history is unknown, and calibrate treats the start of their
// period as unknown. A returning cohort (start rows at home) appears only
// if it re-enters care. Dates of birth come from each row's age; child
// identifiers are sequence numbers; SEX, ETHNIC, LS and CIN are fixed
// placeholders (the model has none).
func Export(events io.Reader, opt ExportOptions, open func(iteration int) (episodes, header io.Writer, err error)) (ExportCounts, error) {
	var n ExportCounts
	cr := csv.NewReader(events)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return n, fmt.Errorf("event log: %w", err)
	}
	want := strings.TrimSuffix(sim.EventLogHeader, "\n")
	if got := strings.Join(head, ","); got != want {
		return n, fmt.Errorf("event log: header %q, want %q", got, want)
	}
	fields := len(head)
	lastDay := int(math.Floor(opt.HorizonMonths*DaysPerMonth)) - 1
	day := func(month float64) int { return min(int(math.Floor(month*DaysPerMonth)), lastDay) }
	date := func(d int) string { return (opt.Start + Date(d)).UK() }

	type ep struct {
		start, end  int
		rne, reason string
		typ         PlacementType
		rec         string
	}
	var (
		ew, hw   *csv.Writer
		curIter  = -1
		curChild = -1
		dob      int
		adult    int  // day of the 18th birthday
		done     bool // the child has left care at 18
		eps      []ep
		arm      = opt.Arm
	)
	flushChild := func() {
		if curChild < 0 || len(eps) == 0 {
			return
		}
		id := strconv.Itoa(curChild + 1)
		hw.Write([]string{id, strconv.Itoa(curChild%2 + 1), date(dob), "NOBT", "", "", ""})
		for _, e := range eps {
			dec := ""
			if e.rec != "" {
				dec = date(e.end)
			}
			c := codesOf[e.typ]
			ew.Write([]string{id, date(e.start), e.rne, "C2", "N1", c[0], c[1], dec, e.rec, e.reason, "", "", ""})
		}
		n.Children++
		n.Episodes += len(eps)
	}
	finish := func() error {
		flushChild()
		if ew == nil {
			return nil
		}
		ew.Flush()
		hw.Flush()
		return errors.Join(ew.Error(), hw.Error())
	}
	closeEp := func(d int, rec string) error {
		if len(eps) == 0 || eps[len(eps)-1].rec != "" {
			return errors.New("an event ends a placement but the child is not in care")
		}
		e := &eps[len(eps)-1]
		e.end, e.rec = max(d, e.start), rec
		return nil
	}
	openEp := func(d int, rne, reason, place string) error {
		t, ok := TypeByName(place)
		if !ok {
			return fmt.Errorf("placement %q has no SSDA903 code: synth needs the placement names calibrate writes (%s)", place, strings.Join(typeNames[:], ", "))
		}
		eps = append(eps, ep{start: d, rne: rne, reason: reason, typ: t})
		return nil
	}
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return n, fmt.Errorf("event log line %d: %w", line, err)
		}
		if len(rec) != fields {
			return n, fmt.Errorf("event log line %d: %d fields, want %d", line, len(rec), fields)
		}
		if arm == "" {
			arm = rec[1]
		}
		if rec[1] != arm {
			continue
		}
		it, err1 := strconv.Atoi(rec[0])
		child, err2 := strconv.Atoi(rec[2])
		month, err3 := strconv.ParseFloat(rec[3], 64)
		age, err4 := strconv.ParseFloat(rec[7], 64)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return n, fmt.Errorf("event log line %d: %w", line, err)
		}
		if it != curIter {
			if err := finish(); err != nil {
				return n, err
			}
			e, h, err := open(it)
			if err != nil {
				return n, err
			}
			ew, hw = csv.NewWriter(e), csv.NewWriter(h)
			ew.Write(EpisodeColumns)
			hw.Write(HeaderColumns)
			curIter, curChild = it, -1
			n.Iterations++
		}
		if child != curChild {
			flushChild()
			curChild, eps, done = child, eps[:0], false
			dob = int(math.Floor((month - age) * DaysPerMonth))
			adult = int((opt.Start + Date(dob)).AddYears(18) - opt.Start)
		}
		if done {
			continue
		}
		d := day(month)
		if ev := rec[4]; d >= adult && (ev == "move" || ev == "entry" || ev == "reentry" || ev == "start") {
			// Within a day of the 18th birthday by the calendar: the
			// child leaves care at 18 rather than start an episode (a
			// child of the stock can be 18 by the calendar on the first
			// day, and then has no episode at all).
			done = true
			if len(eps) > 0 && eps[len(eps)-1].rec == "" {
				closeEp(adult, "E8")
			}
			continue
		}
		var evErr error
		switch ev, from, to := rec[4], rec[5], rec[6]; ev {
		case "start":
			if to != "home" {
				evErr = openEp(0, "P", "", to)
			}
		case "entry", "reentry":
			evErr = openEp(d, "S", "", to)
		case "move":
			if evErr = closeEp(d, "X1"); evErr == nil {
				evErr = openEp(d, "P", "CARPL", to)
			}
		case "return":
			evErr = closeEp(d, "E4A")
		case "permanence":
			code := "E45"
			if age < 60 {
				code = "E11"
			}
			evErr = closeEp(d, code)
		case "age18":
			if from != "" {
				evErr = closeEp(d, "E8")
			}
		case "maltreatment":
		default:
			evErr = fmt.Errorf("unknown event %q", ev)
		}
		if evErr != nil {
			return n, fmt.Errorf("event log line %d: %w", line, evErr)
		}
	}
	return n, finish()
}
