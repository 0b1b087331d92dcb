package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

func loadModel(b testing.TB, path string) (*sim.Model, []sim.Param) {
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
// per simulated child (one child in one arm) and per event (a row of the
// event log: start, entry, move, return, re-entry, maltreatment, exit),
// in wall time and in CPU time, and the projected wall time of 1,000
// iterations.
func benchRun(b *testing.B, path string, iterations, workers int) {
	m, params := loadModel(b, path)
	opt := sim.Options{Iterations: iterations, Seed: 1, Workers: workers, Params: params}
	var children, events float64
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := sim.CPUTime()
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
		events = float64(res.Events)
	}
	b.StopTimer()
	cpu := float64((sim.CPUTime() - cpu0).Nanoseconds()) / float64(b.N)
	perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perRun/children, "ns/child")
	b.ReportMetric(cpu/children, "cpu-ns/child")
	b.ReportMetric(children*float64(b.N)/b.Elapsed().Seconds(), "children/s")
	b.ReportMetric(events*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(events/children, "events/child")
	b.ReportMetric(perRun/1e9/float64(iterations)*1000, "s/1000iter")
}

// BenchmarkLocalAuthority is the local-authority scenario, 1,000
// iterations, two arms, on two workers.
func BenchmarkLocalAuthority(b *testing.B) {
	benchRun(b, "../scenarios/local-authority.toml", 1000, 2)
}

// BenchmarkLocalAuthorityOneWorker measures the single-core speed, for
// the scaling ratio.
func BenchmarkLocalAuthorityOneWorker(b *testing.B) {
	benchRun(b, "../scenarios/local-authority.toml", 200, 1)
}

// BenchmarkEngland is the national scenario (about 380,000 children per
// arm and iteration over 10 years, two arms): 4 iterations per op on two
// workers; s/1000iter projects the 1,000-iteration run.
func BenchmarkEngland(b *testing.B) {
	benchRun(b, "../scenarios/england.toml", 4, 2)
}

// BenchmarkEnglandOneWorker is the national scenario on one core.
func BenchmarkEnglandOneWorker(b *testing.B) {
	benchRun(b, "../scenarios/england.toml", 2, 1)
}

// BenchmarkScaling runs the same 200 local-authority iterations on one
// and on two workers, alternately, and reports the throughput ratio
// (speedup: 2 workers over 1; the target is at least 1.8 on two cores).
// It needs two idle cores to mean anything.
func BenchmarkScaling(b *testing.B) {
	benchScaling(b, "../scenarios/local-authority.toml", 200)
}

// BenchmarkScalingEngland is BenchmarkScaling on the national scenario,
// 4 iterations a run.
func BenchmarkScalingEngland(b *testing.B) {
	benchScaling(b, "../scenarios/england.toml", 4)
}

func benchScaling(b *testing.B, path string, iterations int) {
	m, params := loadModel(b, path)
	var wall [3]time.Duration
	for range b.N {
		for _, w := range []int{1, 2} {
			start := time.Now()
			if _, err := sim.Run(context.Background(), m, sim.Options{Iterations: iterations, Seed: 1, Workers: w, Params: params}); err != nil {
				b.Fatal(err)
			}
			wall[w] += time.Since(start)
		}
	}
	b.ReportMetric(float64(wall[1])/float64(wall[2]), "speedup")
}

// BenchmarkBM1 is the peers' benchmark model (../shared/peers/README.md):
// 10,080 returns, four factors, a piecewise re-entry hazard, a support
// arm, 60 months, on one worker; 50 iterations per op.
func BenchmarkBM1(b *testing.B) {
	benchRun(b, "../../shared/peers/bm1.toml", 50, 1)
}
