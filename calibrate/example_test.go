package calibrate_test

import (
	"fmt"

	"github.com/reunify/reunify/calibrate"
)

// A rate's scenario value states its evidence: 12 re-entries in 40 years
// at home is 0.3 a year with a Poisson standard error of 0.3/sqrt(12).
func ExampleRateValue() {
	for _, r := range []calibrate.Rate{{Events: 12, Exposure: 40}, {Events: 0, Exposure: 2.5}, {}} {
		v, comment, ok := calibrate.RateValue(r)
		fmt.Println(v, "#", comment, ok)
	}
	// Output:
	// "lognormal(mean=0.3, sd=0.0866)" # 12 events in 480.0 months at risk true
	// "gamma(shape=0.5, rate=2.5)" # 0 events in 30.0 months at risk: weakly informative Jeffreys prior, mean 0.2 a year true
	// 0 # no time at risk in the data false
}
