package sim_test

import (
	"context"
	"testing"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

func loadModel(b *testing.B, path string) (*sim.Model, []sim.Param) {
	b.Helper()
	sc, err := scenario.Load(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	m, params, err := sc.Build()
	if err != nil {
		b.Fatal(err)
	}
	return m, params
}

// benchRun runs the scenario once per b.N and reports the engine's speed
// per simulated child (one child in one arm).
func benchRun(b *testing.B, path string, iterations, workers int) {
	m, params := loadModel(b, path)
	opt := sim.Options{Iterations: iterations, Seed: 1, Workers: workers, Params: params}
	var children float64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		res, err := sim.Run(context.Background(), m, opt)
		if err != nil {
			b.Fatal(err)
		}
		children = 0
		for a := range res.Outcomes {
			for _, v := range res.Column(a, sim.MChildren) {
				children += v
			}
		}
	}
	b.StopTimer()
	perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perRun/children, "ns/child")
	b.ReportMetric(children*float64(b.N)/b.Elapsed().Seconds(), "children/s")
}

// BenchmarkLocalAuthority is the performance target: the
// local-authority scenario, 1,000 iterations, two arms, on all cores.
func BenchmarkLocalAuthority(b *testing.B) {
	benchRun(b, "../scenarios/local-authority.toml", 1000, 2)
}

// BenchmarkLocalAuthorityOneWorker measures the single-core speed, for
// the scaling ratio.
func BenchmarkLocalAuthorityOneWorker(b *testing.B) {
	benchRun(b, "../scenarios/local-authority.toml", 200, 1)
}
