package output

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
)

// TestShardFileRoundTripsExactly writes tinyResults (a shard 1/2 of six
// iterations) as a shard folder and reads it back: every float, NaN and
// tiny or huge number included, must come back bit for bit.
func TestShardFileRoundTripsExactly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shard")
	res := resultstest.Tiny()
	res.Outcomes[0][0].Metrics[3] = 0.1 + 0.2 // needs all 17 digits
	res.Outcomes[1][1].Metrics[5] = math.Inf(1)
	res.Outcomes[1][2].Metrics[6] = math.Copysign(0, -1)
	if err := WriteShard(dir, res, fixedManifest(), []byte(scenarioText), false); err != nil {
		t.Fatal(err)
	}
	s, err := ReadShard(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.K != 1 || s.N != 2 {
		t.Errorf("shard %d/%d, want 1/2", s.K, s.N)
	}
	got := s.Results
	same := func(what string, a, b []float64) {
		if len(a) != len(b) {
			t.Fatalf("%s: %d values, want %d", what, len(a), len(b))
		}
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
				t.Errorf("%s[%d] = %v, want %v", what, i, a[i], b[i])
			}
		}
	}
	if strings.Join(got.Arms, ",") != "baseline,support" || strings.Join(got.Metrics, ",") != strings.Join(res.Metrics, ",") ||
		strings.Join(got.Yearly, ",") != strings.Join(res.Yearly, ",") || got.Years != res.Years ||
		got.SurvivalMonths != res.SurvivalMonths || strings.Join(got.ParamNames, ",") != strings.Join(res.ParamNames, ",") {
		t.Fatalf("layout differs: %+v", got)
	}
	for i := range res.Iterations {
		if got.Iterations[i] != res.Iterations[i] {
			t.Errorf("iteration %d, want %d", got.Iterations[i], res.Iterations[i])
		}
		same("params", got.Params[i], res.Params[i])
		for a := range res.Arms {
			o, w := got.Outcomes[a][i], res.Outcomes[a][i]
			same("metrics", o.Metrics, w.Metrics)
			same("yearly", o.Yearly, w.Yearly)
			same("at risk", o.AtRisk, w.AtRisk)
			same("cum re-entry", o.CumReentry, w.CumReentry)
		}
	}
	// Shard 1/2 alone is incomplete; so is a shard whose rows do not
	// match its label.
	_, _, _, err = Merge([]*Shard{s})
	var me *MergeError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "shard 0/2 missing") {
		t.Errorf("merge of one of two shards: %v", err)
	}
	s.K, s.N, s.Manifest.Shard = 0, 1, "0/1"
	if _, _, _, err = Merge([]*Shard{s}); !errors.As(err, &me) || !strings.Contains(err.Error(), "does not hold iterations") {
		t.Errorf("merge of a mislabelled shard: %v", err)
	}
}
