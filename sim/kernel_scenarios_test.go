package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/reunify/reunify/sim"
)

// TestCohortKernelOnScenarios runs the scenarios of the cohort kernel's
// shape (BM1 of ../shared/peers and the shipped England 2012-13 cohort)
// through the kernel and through the general path, with their drawn
// parameters: every output must be the same bit for bit, and the
// shipped scenarios of another shape must not take the kernel.
func TestCohortKernelOnScenarios(t *testing.T) {
	for _, c := range []struct {
		path   string
		kernel bool
	}{
		{"../../shared/peers/bm1.toml", true},
		{"../scenarios/england-2013.toml", true},
		{"../scenarios/england.toml", false},
		{"../scenarios/local-authority.toml", false},
	} {
		m, params := loadModel(t, c.path)
		if got := sim.HasKernel(m); got != c.kernel {
			t.Errorf("%s: kernel %v, want %v", c.path, got, c.kernel)
			continue
		}
		if !c.kernel {
			continue
		}
		opt := sim.Options{Iterations: 8, Seed: 3, Workers: 2, Params: params}
		fast, err := sim.Run(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := sim.Run(context.Background(), m, sim.GeneralOnly(opt))
		if err != nil {
			t.Fatal(err)
		}
		if fast.Events != slow.Events {
			t.Errorf("%s: %d events through the kernel, %d through the general path", c.path, fast.Events, slow.Events)
		}
		for a := range slow.Outcomes {
			for i := range slow.Outcomes[a] {
				f, s := fast.Outcomes[a][i], slow.Outcomes[a][i]
				for _, v := range [][2][]float64{{f.Metrics, s.Metrics}, {f.Yearly, s.Yearly}, {f.AtRisk, s.AtRisk}, {f.CumReentry, s.CumReentry}} {
					for k := range v[1] {
						if math.Float64bits(v[0][k]) != math.Float64bits(v[1][k]) {
							t.Fatalf("%s arm %d iteration %d: %v through the kernel, %v through the general path", c.path, a, i, v[0][k], v[1][k])
						}
					}
				}
			}
		}
	}
}
