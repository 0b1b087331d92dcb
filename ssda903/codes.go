package ssda903

// PlacementType is reunify's placement type, derived from the 903 PLACE
// and PLACE_PROVIDER codes.
type PlacementType uint8

// The placement types, in the order calibrate writes them.
const (
	Kinship                PlacementType = iota // U1-U3: foster care with a relative or friend
	InHouseFoster                               // U4-U6 with provider PR1-PR3
	AgencyFoster                                // U4-U6 with provider PR4-PR5
	ChildrensHome                               // K2, R1
	Secure                                      // K1
	PlacedWithParents                           // P1
	SupportedAccommodation                      // H5, K3
	Other                                       // every other placement
	NumTypes
)

var typeNames = [NumTypes]string{"kinship", "in_house_foster", "agency_foster", "childrens_home", "secure", "placed_with_parents", "supported_accommodation", "other"}

// String returns the type's scenario name, e.g. "in_house_foster".
func (p PlacementType) String() string {
	if p < NumTypes {
		return typeNames[p]
	}
	return "invalid"
}

// TypeByName returns the placement type with the scenario name, and
// whether there is one.
func TypeByName(name string) (PlacementType, bool) {
	for i, n := range typeNames {
		if n == name {
			return PlacementType(i), true
		}
	}
	return 0, false
}

// Code lists of the DfE SSDA903 guidance. A code's index in its list is
// how an Episode stores it; index 0 is reserved for blank.
var (
	rneCodes   = []string{"", "S", "P", "L", "T", "U", "B"}
	lsCodes    = []string{"", "C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
	placeCodes = []string{"", "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
		"S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"}
	providerCodes = []string{"", "PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
	recCodes      = []string{"", "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48",
		"E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17"}
)

func codeIndex(list []string, s string) (uint8, bool) {
	for i, c := range list {
		if c == s {
			return uint8(i), true
		}
	}
	return 0, false
}

// RNE codes as stored.
const (
	rneS = 1 // started to be looked after: a new period of care
)

// Exit is how a period of care (or an episode) ended.
type Exit uint8

// Kinds of exit.
const (
	NotEnded   Exit = iota // open at the end of the data
	Continues              // X1: the episode ended, the period goes on
	ReturnHome             // E4A, E4B
	Permanence             // E11, E12 adoption; E41 child arrangements order; E45-E48 special guardianship
	OtherExit              // every other E code (E2, E3, E5-E9, E13-E17)
	Censored               // the period's last episode ended X1 with no next episode, or a gap followed
)

var exitNames = []string{"open", "continues", "return_home", "permanence", "other_exit", "censored"}

// String names the exit.
func (e Exit) String() string { return exitNames[e] }

// exitOf classifies a stored REC code.
func exitOf(rec uint8) Exit {
	switch recCodes[rec] {
	case "":
		return NotEnded
	case "X1":
		return Continues
	case "E4A", "E4B":
		return ReturnHome
	case "E11", "E12", "E41", "E45", "E46", "E47", "E48":
		return Permanence
	}
	return OtherExit
}

// TypeOf maps a PLACE and PLACE_PROVIDER pair to a placement type: U1-U3
// kinship; U4-U6 in-house foster with PR1-PR3, agency foster with PR4-PR5
// (other providers: Other); K2 and R1 children's home; K1 secure; P1
// placed with parents; H5 and K3 supported accommodation; anything else
// Other.
func TypeOf(place, provider string) PlacementType {
	switch place {
	case "U1", "U2", "U3":
		return Kinship
	case "U4", "U5", "U6":
		switch provider {
		case "PR1", "PR2", "PR3":
			return InHouseFoster
		case "PR4", "PR5":
			return AgencyFoster
		}
		return Other
	case "K2", "R1":
		return ChildrensHome
	case "K1":
		return Secure
	case "P1":
		return PlacedWithParents
	case "H5", "K3":
		return SupportedAccommodation
	}
	return Other
}
