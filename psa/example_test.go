package psa_test

import (
	"fmt"

	"github.com/reunify/reunify/psa"
	"github.com/reunify/reunify/sim"
)

// Two arms, two iterations and one uncertain parameter, laid out wide.
func ExampleTables() {
	res := &sim.Results{
		Arms:       []string{"baseline", "support"},
		Metrics:    []string{sim.MReentries, sim.MCostTotalDiscounted},
		ParamNames: []string{"package.support.post.hr_reentry"},
		Iterations: []int{0, 1},
		Params:     [][]float64{{0.7}, {0.9}},
		Outcomes: [][]sim.Outcome{
			{{Metrics: []float64{10, 1000}}, {Metrics: []float64{12, 1100}}},
			{{Metrics: []float64{7, 1050}}, {Metrics: []float64{11, 1150}}},
		},
	}
	tables, err := psa.Tables(res)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tables {
		fmt.Println(t.What, t.Header, t.Rows)
	}
	// Output:
	// total cost over the horizon, discounted, in pounds [baseline support] [[1000 1050] [1100 1150]]
	// re-entries to care averted against baseline [baseline support] [[0 3] [0 1]]
	// the sampled value of each uncertain parameter [package.support.post.hr_reentry] [[0.7] [0.9]]
}
