package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Group puts a comma between each group of three digits of digits, a
// run of decimal digits (an optional leading minus sign is kept in
// front): "1234567" to "1,234,567".
func Group(digits string) string {
	sign := ""
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Thousands writes v rounded to a whole number with its digits grouped:
// -1234567.8 as "-1,234,568"; a value that rounds to 0 is "0", never
// "-0".
func Thousands(v float64) string {
	s := Group(strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64))
	if v < 0 && s != "0" {
		return "-" + s
	}
	return s
}
