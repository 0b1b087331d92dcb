package ssda903

import (
	"errors"
	"fmt"
	"strings"
)

// Date is a calendar date as days since 1970-01-01.
type Date int32

// Open is the end date of an episode or period that has not ended.
const Open Date = 1<<31 - 1

// DaysPerYear and DaysPerMonth are the lengths of the engine's year and
// month (a month is a twelfth of a 365.25-day year).
const (
	DaysPerYear  = 365.25
	DaysPerMonth = DaysPerYear / 12
)

// MinYear and MaxYear bound the years a Date holds.
const (
	MinYear = 1800
	MaxYear = 2200
)

// Why ReadDate refuses a text.
var (
	ErrNotDate   = errors.New("not a date (want dd/mm/yyyy or yyyy-mm-dd)")
	ErrDateRange = fmt.Errorf("a date outside the years %d to %d (a typing error?)", MinYear, MaxYear)
)

// MakeDate returns the date of year y, month m (1-12), day d; ok is false
// if there is no such date, or its year is outside MinYear to MaxYear.
func MakeDate(y, m, d int) (Date, bool) {
	if y < MinYear || y > MaxYear || !exists(y, m, d) {
		return 0, false
	}
	// Days from civil (Howard Hinnant's algorithm).
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468), true
}

// exists reports whether month m of year y has a day d.
func exists(y, m, d int) bool { return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Civil returns the year, month and day of the date.
func (t Date) Civil() (y, m, d int) {
	z := int(t) + 719468
	era := z / 146097 // dates are after 1800: z > 0
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// String returns the date as yyyy-mm-dd, or "open".
func (t Date) String() string {
	if t == Open {
		return "open"
	}
	y, m, d := t.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// UK returns the date as dd/mm/yyyy, the form of the 903 files.
func (t Date) UK() string {
	y, m, d := t.Civil()
	return fmt.Sprintf("%02d/%02d/%04d", d, m, y)
}

// ParseDate reads dd/mm/yyyy (also d/m/yyyy) or yyyy-mm-dd. A time of day
// after the date (as spreadsheets export it, "2016-04-01 00:00:00") is
// ignored.
func ParseDate(s string) (Date, bool) {
	d, err := ReadDate(s)
	return d, err == nil
}

// ReadDate reads a date as ParseDate does, and says why it is refused:
// ErrNotDate, or ErrDateRange for a date that exists but lies outside the
// years MinYear to MaxYear (01/06/0001, 2999-01-01).
func ReadDate(s string) (Date, error) {
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	} else if i := strings.IndexByte(s, 'T'); i > 0 {
		s = s[:i]
	}
	var parts [3]int
	var widths [3]int
	k := 0
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if widths[k] >= 4 {
				return 0, ErrNotDate
			}
			parts[k] = parts[k]*10 + int(c-'0')
			widths[k]++
		case (c == '/' || c == '-') && (sep == 0 || c == sep) && k < 2 && widths[k] > 0:
			sep = c
			k++
		default:
			return 0, ErrNotDate
		}
	}
	if k != 2 || widths[2] == 0 {
		return 0, ErrNotDate
	}
	var y, m, d int
	switch {
	case sep == '/' && widths[0] <= 2 && widths[1] <= 2 && widths[2] == 4:
		y, m, d = parts[2], parts[1], parts[0]
	case sep == '-' && widths[0] == 4 && widths[1] <= 2 && widths[2] <= 2:
		y, m, d = parts[0], parts[1], parts[2]
	default:
		return 0, ErrNotDate
	}
	if !exists(y, m, d) {
		return 0, ErrNotDate
	}
	t, ok := MakeDate(y, m, d)
	if !ok {
		return 0, ErrDateRange
	}
	return t, nil
}

// AddYears returns the same calendar day n years later (29 February goes
// to 1 March in a year that has none).
func (t Date) AddYears(n int) Date {
	y, m, d := t.Civil()
	if m == 2 && d == 29 && daysIn(y+n, 2) == 28 {
		m, d = 3, 1
	}
	r, _ := MakeDate(y+n, m, d)
	return r
}
