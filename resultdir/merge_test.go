package resultdir

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
)

// TestShardFileRoundTripsExactly writes resultstest.Tiny (a shard 1/2 of six
// iterations) as a shard folder and reads it back: every float, NaN and
// tiny or huge number included, must come back bit for bit.
func TestShardFileRoundTripsExactly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shard")
	res := resultstest.Tiny()
	res.Outcomes[0][0].Metrics[3] = 0.1 + 0.2 // needs all 17 digits
	res.Outcomes[1][1].Metrics[5] = math.Inf(1)
	res.Outcomes[1][2].Metrics[6] = math.Copysign(0, -1)
	err := writeAtomicFolder(dir, false, func(staged string) error {
		return WriteFolder(staged, res, fixedManifest(), []byte(scenarioText), true)
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadShard(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Shard != (Shard{1, 2}) {
		t.Errorf("shard %s, want 1/2", s.Shard)
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
	_, _, _, err = Merge([]*ShardFolder{s})
	var me *FolderError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "shard 0/2 missing") {
		t.Errorf("merge of one of two shards: %v", err)
	}
	s.Shard, s.Manifest.Shard = Shard{0, 1}, "0/1"
	if _, _, _, err = Merge([]*ShardFolder{s}); !errors.As(err, &me) || !strings.Contains(err.Error(), "does not hold iterations") {
		t.Errorf("merge of a mislabelled shard: %v", err)
	}
}

// TestShardIterations: shard K of N holds iterations K, K+N, ... below
// the total, and the shards of a run hold each iteration once.
func TestShardIterations(t *testing.T) {
	for _, total := range []int{1, 2, 7, 12, 1000} {
		for n := 1; n <= min(total, 9); n++ {
			sum := 0
			for k := range n {
				want := 0
				for i := k; i < total; i += n {
					want++
				}
				s := Shard{k, n}
				if got := s.Iterations(total); got != want {
					t.Errorf("shard %s of %d: %d iterations, want %d", s, total, got, want)
				}
				if p, err := ParseShard(s.String()); err != nil || p != s {
					t.Errorf("ParseShard(%q) = %v, %v", s, p, err)
				}
				sum += want
			}
			if sum != total {
				t.Errorf("%d shards of %d iterations hold %d", n, total, sum)
			}
		}
	}
	for _, bad := range []string{"", "1", "1/1", "-1/2", "2/2", "0/0", "a/b", "0/1/2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
