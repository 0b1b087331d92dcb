package summary

import (
	"fmt"
	"math"
	"strconv"

	"github.com/reunify/reunify/internal/numfmt"
	"github.com/reunify/reunify/sim"
)

// The precision the headline figures of a run (the terminal table's and
// the report's) are checked against, at PrecisionLevel confidence:
//
//   - the probability that a policy saves money is known to within
//     ProbHalfWidth (5 percentage points) either way;
//   - the mean net saving is known to within its own size, so that
//     another seed could not turn a saving into a loss: its Monte Carlo
//     interval, mean ± 1.96 standard errors, excludes 0.
//
// Warnings says when the iterations are too few for either.
const (
	ProbHalfWidth  = 0.05
	PrecisionLevel = 0.95
)

// Warnings returns what a person must be told before reading the
// headline figures of res, one sentence each (no leading "warning:"):
// that every interval is chance alone when no parameter is uncertain
// (Uncertain), that the value of information was not estimated (too few
// iterations for HasVOI), and, for every policy arm, when the
// iterations are too few for the precision above, with how many would
// do. Results that cannot be compared (no policy arm, no cost) give no
// precision warnings.
func Warnings(res *sim.Results) []string {
	var out []string
	if !Uncertain(res) {
		out = append(out, "no parameter of the scenario is uncertain (none is given as a distribution), so every interval and probability across iterations is chance alone, which children are simulated and what happens to them, not the uncertainty in the scenario's figures; give the uncertain figures as distributions (see docs/scenario.md)")
	} else if len(res.Arms) >= 2 && !HasVOI(res) {
		out = append(out, fmt.Sprintf("%d iterations are too few to estimate the value of information (at least %d are needed), so %s was not written", len(res.Iterations), MinIterations, "voi.csv"))
	} else if pts, err := ResultsVOI(res, DefaultAcceptabilityValues()); err == nil {
		out = append(out, capWarnings(pts)...)
	}
	for a := 1; a < len(res.Arms); a++ {
		saving, err := NetSavings(res, a)
		if err != nil {
			return out
		}
		out = append(out, precisionWarnings(res.Arms[a], saving)...)
	}
	return out
}

// precisionWarnings are the warnings of one policy arm's net savings.
func precisionWarnings(arm string, saving []float64) []string {
	var out []string
	pp, err := ProbPrecision(saving, ProbHalfWidth, PrecisionLevel)
	if err != nil {
		return []string{fmt.Sprintf("%s: too few iterations for a Monte Carlo standard error of its net saving", arm)}
	}
	if !pp.Enough {
		// The figure printed is the one decided on: never a ±5.0 that
		// reads as within the target when it is just above it.
		hw := strconv.FormatFloat(100*pp.HalfWidth, 'f', 1, 64)
		if v, _ := strconv.ParseFloat(hw, 64); v <= 100*ProbHalfWidth {
			hw = strconv.FormatFloat(100*pp.HalfWidth, 'f', 3, 64)
		}
		out = append(out, fmt.Sprintf("%s: the probability that it saves money (%.0f%%) is known only to within ±%s percentage points (95%% Monte Carlo interval, Wilson's, %.1f%% to %.1f%%, from %d iterations); about %d iterations would pin it to ±%.0f points",
			arm, 100*pp.Estimate, hw, 100*pp.Lo, 100*pp.Hi, pp.Iterations, pp.Needed, 100*ProbHalfWidth))
	}
	m, se, n := MeanSE(saving)
	if n < 2 || math.IsNaN(se) {
		return append(out, fmt.Sprintf("%s: too few iterations for a Monte Carlo standard error of its mean net saving", arm))
	}
	z, _ := zFor(1, PrecisionLevel)
	if math.Abs(m) > z*se {
		return out
	}
	more := ""
	if mp, err := MeanPrecision(saving, math.Abs(m), PrecisionLevel); err == nil {
		more = fmt.Sprintf("; about %d iterations would tell, if the mean stays where it is", mp.Needed)
	}
	return append(out, fmt.Sprintf("%s: the iterations cannot tell whether it saves or costs money on average: the mean net saving is within 1.96 Monte Carlo standard errors of 0 (from %d iterations)%s", arm, n, more))
}

// capWarnings says, for the AllParameters rows and for each parameter,
// at which values voi.csv's estimate reached its upper bound, the naive
// EVPI (VOIPoint.Capped).
func capWarnings(pts []VOIPoint) []string {
	var out []string
	var names []string
	capped := map[string][]float64{}
	total := map[string]int{}
	for _, p := range pts {
		if _, ok := total[p.Parameter]; !ok {
			names = append(names, p.Parameter)
		}
		total[p.Parameter]++
		if p.Capped {
			capped[p.Parameter] = append(capped[p.Parameter], p.Value)
		}
	}
	for _, name := range names {
		vs := capped[name]
		if len(vs) == 0 {
			continue
		}
		what := "the parameter " + name
		if name == AllParameters {
			what = "all the uncertain parameters together"
		}
		out = append(out, fmt.Sprintf("the value of information about %s reached its upper bound, the naive EVPI, at %d of %d values of an averted re-entry (from £%s to £%s): there the rows of %s are an upper bound: either almost all the spread between iterations comes from the parameters (in a large population the children's luck averages out, and the bound is then the answer) or the regression cannot yet tell the parameters from that luck (more iterations would tell)",
			what, len(vs), total[name], numfmt.Thousands(vs[0]), numfmt.Thousands(vs[len(vs)-1]), "voi.csv"))
	}
	return out
}
