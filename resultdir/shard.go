package resultdir

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
)

// Shard is one part of a run split between processes: shard K of N
// holds iterations K, K+N, K+2N, ... of the run (0 <= K < N), drawn with
// exactly the random numbers of a single run. Shard{0, 1} is a whole
// run. Manifests record it as "K/N".
type Shard struct{ K, N int }

// ParseShard reads a shard label "K/N" (0 <= K < N).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	var k, n int
	var err error
	if ok {
		k, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || k < 0 || k >= n {
		return Shard{}, fmt.Errorf("shard %q: want K/N with N >= 1 and K from 0 to N-1", s)
	}
	return Shard{k, n}, nil
}

// Set reads the label "K/N" (ParseShard), as a flag's value.
func (s *Shard) Set(label string) error {
	sh, err := ParseShard(label)
	if err == nil {
		*s = sh
	}
	return err
}

// String is the shard's label, "K/N".
func (s Shard) String() string { return strconv.Itoa(s.K) + "/" + strconv.Itoa(s.N) }

// Iterations is how many of a run's total iterations the shard holds:
// those of K, K+N, K+2N, ... below total.
func (s Shard) Iterations(total int) int { return max(0, (total-s.K+s.N-1)/s.N) }

// The shard file (ShardFile) holds every per-iteration vector of a
// shard's results, with floats written so that they read back bit for
// bit (strconv 'g' with the shortest exact precision; NaN, +Inf and
// -Inf by name). Merge rebuilds a whole run from the shard files of all
// its shards.
//
// One row per iteration and arm, in iteration then arm order. Columns:
// iteration, arm, then metric.<name> for every per-iteration metric,
// yearly.<year>.<name> for every yearly metric (year 1 first),
// at_risk.<month> and cum_reentry.<month> for the re-entry curve (month 0
// first), and param.<path> for every sampled parameter.
//
// Column prefixes of the shard file.
const (
	shardMetric = "metric."
	shardYearly = "yearly."
	shardRisk   = "at_risk."
	shardCum    = "cum_reentry."
)

// exact formats v so that strconv.ParseFloat returns the same bits (up to
// the payload of a NaN, which the engine never uses).
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func shardHeader(res *sim.Results) []string {
	h := []string{"iteration", "arm"}
	for _, m := range res.Metrics {
		h = append(h, shardMetric+m)
	}
	for y := range res.Years {
		for _, m := range res.Yearly {
			h = append(h, shardYearly+strconv.Itoa(y+1)+"."+m)
		}
	}
	for m := 0; m <= res.SurvivalMonths; m++ {
		h = append(h, shardRisk+strconv.Itoa(m))
	}
	for m := 0; m <= res.SurvivalMonths; m++ {
		h = append(h, shardCum+strconv.Itoa(m))
	}
	for _, p := range res.ParamNames {
		h = append(h, ParamPrefix+p)
	}
	return h
}

func writeShardFile(w io.Writer, res *sim.Results) error {
	return writeIterationRows(w, shardHeader(res), res, exact, func(o *sim.Outcome) [][]float64 {
		return [][]float64{o.Metrics, o.Yearly, o.AtRisk, o.CumReentry}
	})
}
