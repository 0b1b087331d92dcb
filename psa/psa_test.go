package psa_test

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"slices"
	"testing"

	"github.com/reunify/reunify/psa"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/scenarios"
	"github.com/reunify/reunify/sim"
)

func run(t *testing.T, file string, iterations int) *sim.Results {
	t.Helper()
	data, err := fs.ReadFile(scenarios.FS, file)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.LoadBytes(file, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, ps, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Iterations: iterations, Seed: 3, Workers: 2, Params: ps})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The tables hold the run's numbers, laid out wide: cost and effect one
// column per arm (the effect the re-entries averted, 0 for the
// baseline), the parameters one column per path, no column undefined in
// every iteration.
func TestTables(t *testing.T) {
	res := run(t, "local-authority.toml", 6)
	ts, err := psa.Tables(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 || ts[0].Kind != psa.Cost || ts[1].Kind != psa.Effect || ts[2].Kind != psa.Parameters {
		t.Fatalf("tables %+v, want cost, effect, parameters", ts)
	}
	cost, effect, params := ts[0], ts[1], ts[2]
	if !slices.Equal(cost.Header, res.Arms) || !slices.Equal(effect.Header, res.Arms) {
		t.Fatalf("headers %v, %v; want the arms %v", cost.Header, effect.Header, res.Arms)
	}
	if !slices.Equal(params.Header, res.ParamNames) || len(params.Header) == 0 {
		t.Fatalf("parameters header %v, want %v", params.Header, res.ParamNames)
	}
	costs, re := res.Column(0, sim.MCostTotalDiscounted), res.Column(0, sim.MReentries)
	policyCosts, policyRe := res.Column(1, sim.MCostTotalDiscounted), res.Column(1, sim.MReentries)
	for i := range res.Iterations {
		if cost.Rows[i][0] != costs[i] || cost.Rows[i][1] != policyCosts[i] {
			t.Errorf("iteration %d: cost row %v, want %v and %v", i, cost.Rows[i], costs[i], policyCosts[i])
		}
		if effect.Rows[i][0] != 0 || effect.Rows[i][1] != re[i]-policyRe[i] {
			t.Errorf("iteration %d: effect row %v, want 0 and %v", i, effect.Rows[i], re[i]-policyRe[i])
		}
		if !slices.Equal(params.Rows[i], res.Params[i]) {
			t.Errorf("iteration %d: parameters %v, want %v", i, params.Rows[i], res.Params[i])
		}
	}
	for _, tb := range ts {
		if len(tb.Rows) != len(res.Iterations) || tb.What == "" {
			t.Errorf("table %d: %d rows, want %d, and a description", tb.Kind, len(tb.Rows), len(res.Iterations))
		}
		for _, r := range tb.Rows {
			for j, x := range r {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Errorf("table %d, column %s: %v (R would not read the column as numbers)", tb.Kind, tb.Header[j], x)
				}
			}
		}
	}
}

// A run with no uncertain parameter has no parameter table; one with
// nothing to export is an error.
func TestTablesEdges(t *testing.T) {
	res := run(t, "local-authority.toml", 2)
	res.ParamNames, res.Params = nil, nil
	ts, err := psa.Tables(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 {
		t.Errorf("%d tables without parameters, want cost and effect", len(ts))
	}
	if _, err := psa.Tables(&sim.Results{}); !errors.Is(err, psa.ErrNoResults) {
		t.Errorf("empty results: %v, want ErrNoResults", err)
	}
	short := run(t, "local-authority.toml", 2)
	short.Outcomes[1] = short.Outcomes[1][:1]
	if _, err := psa.Tables(short); err == nil {
		t.Error("arms of different lengths exported")
	}
}
