package sensitivity

import (
	"context"
	"testing"

	"github.com/reunify/reunify/sim"
)

// benchSets gives 20 of the local-authority scenario's figures
// distributions, as --set would.
var benchSets = []string{
	`placement.kinship.weekly_cost="gamma(mean=300, sd=50)"`,
	`placement.in_house_foster.weekly_cost="gamma(mean=600, sd=80)"`,
	`placement.agency_foster.weekly_cost="gamma(mean=900, sd=100)"`,
	`placement.childrens_home.weekly_cost="gamma(mean=4500, sd=600)"`,
	`placement.secure.weekly_cost="gamma(mean=7000, sd=800)"`,
	`placement.other.weekly_cost="gamma(mean=1000, sd=200)"`,
	`placement.agency_foster.moves_per_year="gamma(mean=0.3, sd=0.05)"`,
	`placement.childrens_home.moves_per_year="gamma(mean=0.5, sd=0.1)"`,
	`entries.per_year="uniform(200, 300)"`,
	`stock.mean_months_in_care="gamma(mean=30, sd=5)"`,
	`home.maltreatment_reentry_probability="beta(mean=0.25, sd=0.05)"`,
	`home.reentry.cumulative.2="uniform(0.1, 0.14)"`,
	`factor.parental_substance_misuse.hr_reentry="lognormal(mean=1.5, sd=0.2)"`,
	`factor.deprivation.prevalence="beta(mean=0.5, sd=0.05)"`,
	`history.prior_failure.hr_reentry="lognormal(mean=1.5, sd=0.2)"`,
	`costs.social_work_per_month="gamma(mean=600, sd=100)"`,
	`costs.reentry="gamma(mean=2000, sd=400)"`,
	`package.post_return_support.uptake="beta(mean=0.8, sd=0.05)"`,
	`package.post_return_support.post.cost_per_month="gamma(mean=469, sd=80)"`,
	`package.post_return_support.post.hr_reentry="lognormal(mean=0.7, sd=0.1)"`,
}

// BenchmarkTornadoLocalAuthority20 is the target: a tornado of
// net saving over 20 parameters on the local-authority scenario, 500
// iterations per run, on all cores (under 30 s on a 2-core machine).
func BenchmarkTornadoLocalAuthority20(b *testing.B) {
	m, params := build(b, "../scenarios/local-authority.toml", benchSets...)
	if len(params) != 20 {
		b.Fatalf("%d parameters, want 20", len(params))
	}
	mt, err := Metric{Name: "net_saving"}.Resolve(m)
	if err != nil {
		b.Fatal(err)
	}
	var runs int
	for b.Loop() {
		t, err := RunTornado(context.Background(), m, params, mt, sim.Options{Iterations: 500, Seed: 1, Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
		runs = t.Runs
	}
	b.ReportMetric(float64(runs), "runs")
}
