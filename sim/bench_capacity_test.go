package sim_test

import (
	"context"
	"testing"

	"github.com/reunify/reunify/sim"
)

// BenchmarkLocalAuthorityTeam is issue 5's performance target: the
// local-authority scenario with a support team of limited places (so the
// policy arm runs in event-time order), 1,000 iterations, two arms
// (baseline and targeted_intensive), on all cores. Target: under 3 s.
func BenchmarkLocalAuthorityTeam(b *testing.B) {
	m, params := loadModel(b, "../scenarios/local-authority-targeting.toml")
	m.Arms = []sim.Arm{m.Arms[0], m.Arms[2]}
	opt := sim.Options{Iterations: 1000, Seed: 1, Workers: 2, Params: params}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.Run(context.Background(), m, opt); err != nil {
			b.Fatal(err)
		}
	}
}
