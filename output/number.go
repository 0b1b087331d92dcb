package output

import (
	"math"
	"strconv"
)

// num formats a number for a CSV file: the shortest decimal that reads
// back as v, never in exponent notation (1e-7 is 0.0000001, 1e9 is
// 1000000000), NA for NaN, Inf and -Inf for infinities. Negative zero is
// written as 0. Every number in every CSV file goes through num.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// FormatNumber formats a number as every CSV file of a result folder does:
// plain decimal, never exponent notation, NA for NaN.
func FormatNumber(v float64) string { return num(v) }
