package resultdir_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// A result folder is written whole or not at all, and read back from
// its files alone.
func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "resultdir-example-")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out")

	sc, err := scenario.Open("../scenarios/local-authority.toml", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := sim.Options{Iterations: 3, Seed: 7, Workers: 1, Params: sc.Params}
	res, err := sim.Run(context.Background(), sc.Model, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	man := resultdir.NewManifest([]string{"run", sc.Path}, time.Now(), opt)
	man.SetScenario(sc.Path, sc.Raw)
	if err := resultdir.Write(out, res, man, sc.Resolved(), false); err != nil {
		fmt.Println(err)
		return
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		fmt.Println(e.Name())
	}

	f, err := resultdir.LoadFolder(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	saving, _ := summary.NetSavings(f.PerIteration, 1)
	fmt.Printf("arms %v, %d iterations' net saving read back\n", f.Arms, len(saving))
	// Output:
	// acceptability.csv
	// comparison.csv
	// dampack_cost.csv
	// dampack_effectiveness.csv
	// dampack_parameters.csv
	// iterations.csv
	// manifest.json
	// scenario.toml
	// summary.csv
	// survival.csv
	// yearly.csv
	// arms [baseline post_return_support], 3 iterations' net saving read back
}

// Every number of every CSV file is written the one way.
func ExampleFormatNumber() {
	for _, v := range []float64{1e-7, 1e9, 1.0 / 3} {
		fmt.Println(resultdir.FormatNumber(v))
	}
	// Output:
	// 0.0000001
	// 1000000000
	// 0.3333333333333333
}

// Terminal tables and the dampack tables round to significant digits,
// still in plain decimal.
func ExampleFormatSignificant() {
	for _, v := range []float64{1165810.4, 25.331999999999972, 1.2345678e12} {
		fmt.Println(resultdir.FormatSignificant(v, 6), resultdir.FormatSignificant(v, 12))
	}
	// Output:
	// 1165810 1165810.4
	// 25.332 25.332
	// 1234570000000 1234567800000
}

// Shard K of N holds iterations K, K+N, K+2N, ... of a run.
func ExampleShard() {
	s, err := resultdir.ParseShard("1/4")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("shard %s holds %d of 10 iterations\n", s, s.Iterations(10))
	// Output: shard 1/4 holds 3 of 10 iterations
}
