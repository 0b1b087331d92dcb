package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/reunify/reunify/report"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// The report is built from a result folder's files alone, so any result
// folder can be reported.
func ExampleWriteReport() {
	dir, _ := os.MkdirTemp("", "report-example-")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out")
	sc, err := scenario.Open("../scenarios/local-authority.toml", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := sim.Options{Iterations: 3, Seed: 1, Workers: 1, Params: sc.Params}
	res, err := sim.Run(context.Background(), sc.Model, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := resultdir.Write(out, res, resultdir.NewManifest([]string{"run", sc.Path}, time.Now(), opt), sc.Resolved(), false); err != nil {
		fmt.Println(err)
		return
	}

	page, err := report.WriteReport(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(page))
	charts, _ := filepath.Glob(filepath.Join(out, resultdir.ChartsDir, "*.svg"))
	for _, c := range charts {
		fmt.Println(filepath.Base(c))
	}
	// Output:
	// report.html
	// acceptability.svg
	// cash-flow-post_return_support.svg
	// children-in-care.svg
	// costs-by-component.svg
	// net-saving-post_return_support.svg
	// reentry-curve.svg
	// support-and-savings-post_return_support.svg
}

// Parameters are named for people in the report's tornado, break-even
// table and assumption register.
func ExampleParamLabel() {
	for _, path := range []string{"package.post_return_support.post.hr_reentry", "placement.childrens_home.weekly_cost", "home.reentry.cumulative.0"} {
		fmt.Println(report.ParamLabel(path))
	}
	// Output:
	// post return support: re-entry hazard ratio after return
	// childrens home weekly cost
	// re-entry curve, point 1
}
