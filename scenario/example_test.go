package scenario_test

import (
	"fmt"
	"log"

	"github.com/reunify/reunify/scenario"
)

func Example() {
	s, err := scenario.Load("testdata/minimal.toml", []string{"package.support.post.hr_reentry=\"lognormal(mean=0.7, sd=0.1)\""})
	if err != nil {
		log.Fatal(err) // a scenario.Problems, one line per problem
	}
	m, params, err := s.Build()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %g months, %d arms\n", m.Name, m.Horizon, len(m.Arms))
	fmt.Printf("return home: %.4f per month\n", m.Care.ReturnHome[0][0])
	fmt.Printf("re-entry by 12 months: %.2f\n", m.Home.Reentry.Cumulative(12))
	for _, p := range params {
		fmt.Printf("param %s ~ %v, mean %.2f\n", p.Path, p.Dist, p.Dist.Mean())
	}
	// Output:
	// minimal: 60 months, 2 arms
	// return home: 0.0417 per month
	// re-entry by 12 months: 0.20
	// param package.support.post.hr_reentry ~ lognormal(mean=0.7, sd=0.1), mean 0.70
}

func ExampleScenario_Lookup() {
	s, err := scenario.Load("testdata/minimal.toml", []string{"package.support.post.hr_reentry=\"lognormal(mean=0.7, sd=0.1)\""})
	if err != nil {
		log.Fatal(err)
	}
	v, err := s.Lookup("package.support.post.hr_reentry")
	fmt.Println(v, v.Mean(), err)
	_, err = s.Lookup("package.support.post.hr_rentry")
	fmt.Println(err)
	// Output:
	// "lognormal(mean=0.7, sd=0.1)" 0.7 <nil>
	// package.support.post.hr_rentry: no key "hr_rentry"; did you mean "hr_reentry"?
}

// Open reads, loads and builds a scenario file in one step, as a command
// that simulates it does.
func ExampleOpen() {
	f, err := scenario.Open("testdata/minimal.toml", []string{"horizon_years=3"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s): %g months, %d parameters drawn\n", f.Name, f.Path, f.Model.Horizon, len(f.Params))
	// Output:
	// minimal (testdata/minimal.toml): 36 months, 0 parameters drawn
}
