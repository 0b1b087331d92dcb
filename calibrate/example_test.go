package calibrate_test

import (
	"fmt"

	"github.com/reunify/reunify/calibrate"
)

// Three cells of a table, pooled toward their overall rate: 12 events in
// 40 years at risk and 30 in 100 agree (0.3 a year), so the cell with no
// events in one year takes nearly the overall rate instead of the 0.5 a
// year a Jeffreys prior would give it alone.
func ExamplePool() {
	cells := []calibrate.Rate{{Events: 12, Exposure: 40}, {Events: 0, Exposure: 1}, {Events: 30, Exposure: 100}}
	p := calibrate.Pool(calibrate.Table{Cells: cells, Levels: make([][]int, len(cells))})
	for _, c := range p.Cells {
		v, comment, _ := calibrate.PosteriorValue(c)
		fmt.Println(v, "#", comment)
	}
	fmt.Printf("cells vary around the pattern by about %.0f%%\n", 100*p.Phi)
	// Output:
	// "gamma(shape=25.05, rate=83.8)" # 12 events in 480.0 months, pattern 0.2979: 0.2989
	// "gamma(shape=4.57, rate=16.45)" # 0 events in 12.0 months, pattern 0.2979: 0.2779
	// "gamma(shape=45.81, rate=153.1)" # 30 events in 1200.0 months, pattern 0.2979: 0.2993
	// cells vary around the pattern by about 25%
}
