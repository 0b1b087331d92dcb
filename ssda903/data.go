package ssda903

// Data is what Read keeps: children by position (no identifiers), each
// with a date of birth and periods of care in date order.
type Data struct {
	Children []Child
	// LAs are the authority codes of the LA column, in the order first
	// seen; LAs[0] is "", the authority of children in files without an
	// LA column.
	LAs []string
	// Years counts the episodes kept by collection year (1 April to 31
	// March), from the earliest year with a start or an end to the
	// latest, so that the window can be set to the years that hold data.
	Years []YearCount
}

// YearCount is the number of kept episodes that start and that end in a
// collection year.
type YearCount struct {
	From, To     Date // 1 April and 31 March
	Starts, Ends int
}

// Child is one child's date of birth, authority and periods of care.
type Child struct {
	DOB     Date
	LA      uint16 // index in Data.LAs
	Periods []Period
}

// Authority returns the children of authority la (an index in d.LAs)
// as a Data of their own; Years counts every authority's episodes.
func (d *Data) Authority(la uint16) *Data {
	out := &Data{LAs: d.LAs, Years: d.Years}
	for _, c := range d.Children {
		if c.LA == la {
			out.Children = append(out.Children, c)
		}
	}
	return out
}

// CollectionYear returns the collection year (1 April to 31 March) that
// holds t, by the calendar year it starts in.
func CollectionYear(t Date) int {
	y, m, _ := t.Civil()
	if m < 4 {
		y--
	}
	return y
}

// YearStart returns 1 April of collection year y.
func YearStart(y int) Date {
	d, _ := MakeDate(y, 4, 1)
	return d
}

// Period is a period of care: a run of episodes ending with an E code.
type Period struct {
	Start Date
	// StartKnown is false when the period's first episode in the files
	// does not start it (RNE is not S): the child came into care earlier,
	// on an unknown date, and Start is only a lower bound on its time in
	// care.
	StartKnown bool
	End        Date // Open if the period had not ended
	Exit       Exit // NotEnded, ReturnHome, Permanence, OtherExit or Censored
	// Reentry is set when the child's previous period ended with a return
	// home.
	Reentry bool
	Spells  []Spell
}

// Entry reports whether the period is an entry to care the files
// record: its start is known and it is not a re-entry after a return home
// the files hold. A period whose first episode in the files does not
// start it (its RNE is not S) is not an entry: the child was in care
// before, and the episode that started the period is missing.
func (p *Period) Entry() bool { return p.StartKnown && !p.Reentry }

// Spell is a run of episodes in one placement type.
type Spell struct {
	Start, End Date // End is Open if the spell had not ended
	Type       PlacementType
}
