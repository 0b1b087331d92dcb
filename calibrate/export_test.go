package calibrate

import "github.com/reunify/reunify/ssda903"

// ObserveForTest exposes observe to the tests.
func ObserveForTest(d *ssda903.Data, bounds []ssda903.Date) [][4]float64 {
	out := [][4]float64{}
	for _, c := range observe(d, bounds) {
		out = append(out, c)
	}
	return out
}
