package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/summary"
)

// readCSVFile reads a CSV file of a result folder: its header and rows.
func readCSVFile(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	return recs[0], recs[1:]
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// A run with no uncertain parameter writes no voi.csv, warns on stderr
// and says on the terminal that its intervals are chance alone.
func TestRunWithoutUncertaintyWarnsAndHasNoVOI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := reunify(t, "run", "--iterations", "12", "--seed", "2", "--out", out, "testdata/small.toml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, resultdir.VOIFile)); err == nil {
		t.Errorf("%s written for a run with no uncertain parameter", resultdir.VOIFile)
	}
	if _, err := os.Stat(filepath.Join(out, resultdir.DampackParamsFile)); err == nil {
		t.Errorf("%s written with no parameter to put in it", resultdir.DampackParamsFile)
	}
	if !strings.Contains(stderr, "warning: small: no parameter of the scenario is uncertain") || !strings.Contains(stderr, "chance alone") {
		t.Errorf("no warning on stderr:\n%s", stderr)
	}
	if !strings.Contains(stdout, "95% intervals: chance alone") {
		t.Errorf("the table does not say the intervals are chance alone:\n%s", stdout)
	}
	// --quiet hides the table, never the warning.
	out2 := filepath.Join(t.TempDir(), "out")
	_, stderr, _ = reunify(t, "run", "--quiet", "--iterations", "12", "--out", out2, "testdata/small.toml")
	if !strings.Contains(stderr, "no parameter of the scenario is uncertain") {
		t.Errorf("--quiet hid the warning: %q", stderr)
	}
}

// naiveEVPI is E max(0, NB) - max(0, E NB) over iterations, for two arms
// from iterations.csv: the upper bound of every voi.csv row.
func naiveEVPI(averted, incr []float64, value float64) float64 {
	var sumMax, sum float64
	for i := range averted {
		d := value*averted[i] - incr[i]
		sumMax += math.Max(0, d)
		sum += d
	}
	n := float64(len(averted))
	return sumMax/n - math.Max(0, sum/n)
}

// A run with uncertain parameters has voi.csv with exactly the columns
// promised, one row per value of acceptability.csv and per parameter
// (all first, then every param.<path> of iterations.csv, in order),
// every estimate within [0, naive EVPI] computed here from
// iterations.csv, and the all row at least every single parameter's.
func TestVOIFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	_, stderr, code := reunify(t, "run", "--quiet", "--iterations", "60", "--seed", "4", "--out", out, "../../scenarios/local-authority.toml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "no parameter of the scenario is uncertain") {
		t.Errorf("warned of no uncertainty in a scenario that has it: %s", stderr)
	}
	header, rows := readCSVFile(t, filepath.Join(out, resultdir.VOIFile))
	if strings.Join(header, ",") != "value_per_reentry_averted,parameter,evpi" {
		t.Fatalf("voi.csv header %v", header)
	}
	itHeader, itRows := readCSVFile(t, filepath.Join(out, resultdir.IterationsFile))
	params := []string{summary.AllParameters}
	for _, h := range itHeader {
		if strings.HasPrefix(h, resultdir.ParamPrefix) {
			params = append(params, h)
		}
	}
	if len(params) < 9 {
		t.Fatalf("local-authority has %d uncertain parameters; the issue promises at least 8", len(params)-1)
	}
	_, acc := readCSVFile(t, filepath.Join(out, resultdir.AcceptabilityFile))
	var values []string
	for _, r := range acc {
		if !slices.Contains(values, r[2]) {
			values = append(values, r[2])
		}
	}
	if len(rows) != len(values)*len(params) {
		t.Fatalf("voi.csv has %d rows, want %d values x %d parameters", len(rows), len(values), len(params))
	}
	col := func(name string) int { return slices.Index(itHeader, name) }
	re, cost := col("reentries"), col("cost_total_discounted")
	var averted, incr []float64
	for k := 0; k+1 < len(itRows); k += 2 {
		b, p := itRows[k], itRows[k+1]
		averted = append(averted, atof(t, b[re])-atof(t, p[re]))
		incr = append(incr, atof(t, p[cost])-atof(t, b[cost]))
	}
	positive := 0
	for k, r := range rows {
		v, p := values[k/len(params)], params[k%len(params)]
		if r[0] != v || r[1] != p {
			t.Fatalf("row %d is %v, want value %s and parameter %s", k+2, r, v, p)
		}
		evpi := atof(t, r[2])
		bound := naiveEVPI(averted, incr, atof(t, v))
		if evpi < 0 || evpi > bound+0.01 {
			t.Errorf("row %d %v: evpi outside [0, naive EVPI %.2f]", k+2, r, bound)
		}
		if p != summary.AllParameters {
			if all := atof(t, rows[k-k%len(params)][2]); evpi > all {
				t.Errorf("row %d %v: worth more than all the parameters together (%v)", k+2, r, all)
			}
		}
		if evpi > 0 {
			positive++
		}
	}
	if positive == 0 {
		t.Error("every estimate is 0: the file says nothing")
	}
}

// A sharded run of three arms merges into the folder of a single run:
// every file but the manifest byte for byte, the decision's files
// (voi.csv, frontier.csv, expected_loss.csv and dampack's) included.
func TestMergeWritesTheDecisionFilesOfASingleRun(t *testing.T) {
	tmp := t.TempDir()
	args := []string{"run", "--quiet", "--iterations", strconv.Itoa(summary.MinIterations), "--seed", "8"}
	scen := "../../scenarios/local-authority-targeting.toml"
	single := filepath.Join(tmp, "single")
	if _, stderr, code := reunify(t, append(args, "--out", single, scen)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var shards []string
	for _, k := range []string{"0/3", "1/3", "2/3"} {
		d := filepath.Join(tmp, "shard"+k[:1])
		if _, stderr, code := reunify(t, append(args, "--shard", k, "--out", d, scen)...); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", k, code, stderr)
		}
		shards = append(shards, d)
	}
	merged := filepath.Join(tmp, "merged")
	if _, stderr, code := reunify(t, append([]string{"merge", "--quiet", "--out", merged}, shards...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(single)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, want := range []string{resultdir.VOIFile, resultdir.FrontierFile, resultdir.ExpectedLossFile, resultdir.DampackCostFile, resultdir.DampackEffectFile, resultdir.DampackParamsFile} {
		if !slices.Contains(names, want) {
			t.Errorf("a run of three arms with uncertain parameters has no %s", want)
		}
	}
	for _, name := range names {
		if name == resultdir.ManifestFile {
			continue
		}
		want, _ := os.ReadFile(filepath.Join(single, name))
		got, err := os.ReadFile(filepath.Join(merged, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("merged %s differs from the single run's (%v)", name, err)
		}
	}
}

// With three arms, frontier.csv and expected_loss.csv agree with each
// other and with voi.csv: at every value of acceptability.csv each arm
// once, the shares of being best sum to 1, exactly one arm is on the
// frontier and it has the smallest expected loss (the naive EVPI), every
// loss is at least 0, and no value of information exceeds that loss.
func TestFrontierAndExpectedLoss(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "30", "--seed", "5", "--out", out, "../../scenarios/local-authority-targeting.toml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	fh, front := readCSVFile(t, filepath.Join(out, resultdir.FrontierFile))
	lh, loss := readCSVFile(t, filepath.Join(out, resultdir.ExpectedLossFile))
	_, voi := readCSVFile(t, filepath.Join(out, resultdir.VOIFile))
	if strings.Join(fh, ",") != "value_per_reentry_averted,arm,prob_best,on_frontier" || strings.Join(lh, ",") != "value_per_reentry_averted,arm,expected_loss,on_frontier" {
		t.Fatalf("headers %v, %v", fh, lh)
	}
	values := summary.DefaultAcceptabilityValues()
	const arms = 3
	if len(front) != arms*len(values) || len(loss) != len(front) {
		t.Fatalf("%d and %d rows, want %d", len(front), len(loss), arms*len(values))
	}
	allVOI := map[string]float64{}
	for _, r := range voi {
		if r[1] == summary.AllParameters {
			allVOI[r[0]] = atof(t, r[2])
		}
	}
	changes := 0
	prev := ""
	for k := 0; k < len(front); k += arms {
		v := resultdir.FormatNumber(values[k/arms])
		var sum, best, minLoss float64
		minLoss = math.Inf(1)
		onFrontier := 0
		chosen := ""
		for a := range arms {
			f, l := front[k+a], loss[k+a]
			if f[0] != v || l[0] != v || f[1] != l[1] || f[3] != l[3] {
				t.Fatalf("rows %v and %v at value %s disagree", f, l, v)
			}
			sum += atof(t, f[2])
			el := atof(t, l[2])
			if el < 0 {
				t.Errorf("%v: a negative expected loss", l)
			}
			minLoss = math.Min(minLoss, el)
			if f[3] == "1" {
				onFrontier++
				best, chosen = el, f[1]
			}
		}
		if math.Abs(sum-1) > 1e-9 || onFrontier != 1 || best > minLoss {
			t.Errorf("value %s: shares sum to %v, %d arms on the frontier, its loss %v (smallest %v)", v, sum, onFrontier, best, minLoss)
		}
		if allVOI[v] > best+0.01 {
			t.Errorf("value %s: EVPI %v above the frontier's expected loss %v (the naive EVPI)", v, allVOI[v], best)
		}
		if chosen != prev {
			changes++
			prev = chosen
		}
	}
	if changes < 2 {
		t.Errorf("the arm chosen never changes from £0 to £200,000 per re-entry averted: the frontier says nothing")
	}
}

// significant counts the significant digits of a plain decimal.
func significant(s string) int {
	s = strings.TrimLeft(strings.TrimPrefix(s, "-"), "0.")
	if !strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
	}
	return len(strings.ReplaceAll(s, ".", ""))
}

// The dampack tables are what make_psa_obj reads without reshaping
// (dampack's create_sa: cost, effectiveness and parameters with the same
// number of rows, cost and effectiveness with one column per strategy,
// names(cost) the strategies): no iteration column, one row per
// iteration in the order of iterations.csv, every cell a number of at
// most 12 significant digits in plain decimal, the values those of
// iterations.csv, and the effect re-entries averted (0 for the baseline).
func TestDampackTables(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "25", "--seed", "6", "--out", out, "../../scenarios/local-authority-targeting.toml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	itHeader, itRows := readCSVFile(t, filepath.Join(out, resultdir.IterationsFile))
	col := func(name string) int { return slices.Index(itHeader, name) }
	arms := []string{}
	for _, r := range itRows {
		if !slices.Contains(arms, r[1]) {
			arms = append(arms, r[1])
		}
	}
	var paramCols []int
	var paramNames []string
	for j, h := range itHeader {
		if p, ok := strings.CutPrefix(h, resultdir.ParamPrefix); ok {
			paramCols, paramNames = append(paramCols, j), append(paramNames, p)
		}
	}
	n := len(itRows) / len(arms)
	row := func(i, a int) []string { return itRows[i*len(arms)+a] }
	close := func(got string, want float64) bool {
		g := atof(t, got)
		return math.Abs(g-want) <= 5e-12*math.Abs(want)
	}
	for _, c := range []struct {
		file   string
		header []string
		want   func(i, j int) float64
	}{
		{resultdir.DampackCostFile, arms, func(i, a int) float64 { return atof(t, row(i, a)[col("cost_total_discounted")]) }},
		{resultdir.DampackEffectFile, arms, func(i, a int) float64 {
			return atof(t, row(i, 0)[col("reentries")]) - atof(t, row(i, a)[col("reentries")])
		}},
		{resultdir.DampackParamsFile, paramNames, func(i, j int) float64 { return atof(t, row(i, 0)[paramCols[j]]) }},
	} {
		header, rows := readCSVFile(t, filepath.Join(out, c.file))
		if !slices.Equal(header, c.header) {
			t.Errorf("%s: header %v, want %v", c.file, header, c.header)
		}
		if len(rows) != n {
			t.Errorf("%s: %d rows, want one per iteration, %d", c.file, len(rows), n)
		}
		for i, r := range rows {
			if len(r) != len(c.header) {
				t.Fatalf("%s row %d: %d cells", c.file, i+2, len(r))
			}
			for j, s := range r {
				if strings.ContainsAny(s, "eE") || s == "NA" || significant(s) > 12 {
					t.Errorf("%s row %d: %q is not a plain number of at most 12 significant digits", c.file, i+2, s)
				}
				if !close(s, c.want(i, j)) {
					t.Errorf("%s row %d column %s: %s, want %v", c.file, i+2, c.header[j], s, c.want(i, j))
				}
			}
			if c.file == resultdir.DampackEffectFile && r[0] != "0" {
				t.Errorf("%s row %d: the baseline averts %s re-entries against itself", c.file, i+2, r[0])
			}
		}
	}
	if got := significant("25.332"); got != 5 {
		t.Fatalf("significant(25.332) = %d", got)
	}
}

// A placement no child is ever placed in, with a gamma weekly cost, is a
// parameter that cannot matter: at the fewest iterations voi.csv is
// written for and above, over several seeds, its EVPPI is 0 at every
// value within 2% of the naive EVPI (the regressions chose their
// smoothness by GCV without a reachable null model, it had 67% of the
// naive EVPI at 10 iterations and 8% at 200), and below that number of
// iterations there is no voi.csv and run says why.
func TestVOIGhostParameter(t *testing.T) {
	src, err := os.ReadFile("../../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(t.TempDir(), "ghost.toml")
	ghost := "\n[[placement]]\nname = \"ghost\"\nweekly_cost = { dist = \"gamma\", mean = 1000, sd = 300, source = \"assumption\" }\nmoves_per_year = 0.3\nmove_to = { in_house_foster = 1.0 }\n"
	if err := os.WriteFile(scen, append(src, ghost...), 0o644); err != nil {
		t.Fatal(err)
	}
	const name = resultdir.ParamPrefix + "placement.ghost.weekly_cost"
	for _, iters := range []int{summary.MinIterations, 100} {
		for _, seed := range []string{"1", "2", "3"} {
			out := filepath.Join(t.TempDir(), "out")
			if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", strconv.Itoa(iters), "--seed", seed, "--out", out, scen); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			itHeader, itRows := readCSVFile(t, filepath.Join(out, resultdir.IterationsFile))
			col := func(name string) int { return slices.Index(itHeader, name) }
			re, cost, months := col("reentries"), col("cost_total_discounted"), col("child_months_ghost")
			var averted, incr []float64
			for k := 0; k+1 < len(itRows); k += 2 {
				b, p := itRows[k], itRows[k+1]
				if atof(t, b[months]) != 0 || atof(t, p[months]) != 0 {
					t.Fatalf("a child was placed in the ghost placement: %v", p)
				}
				averted = append(averted, atof(t, b[re])-atof(t, p[re]))
				incr = append(incr, atof(t, p[cost])-atof(t, b[cost]))
			}
			_, rows := readCSVFile(t, filepath.Join(out, resultdir.VOIFile))
			seen := 0
			for _, r := range rows {
				if r[1] != name {
					continue
				}
				seen++
				naive := naiveEVPI(averted, incr, atof(t, r[0]))
				if ev := atof(t, r[2]); ev > 0.02*naive {
					t.Errorf("%d iterations, seed %s, value %s: the ghost's EVPPI is %.0f, %.0f%% of the naive EVPI %.0f", iters, seed, r[0], ev, 100*ev/naive, naive)
				}
			}
			if seen == 0 {
				t.Fatalf("voi.csv has no row for %s", name)
			}
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	_, stderr, code := reunify(t, "run", "--quiet", "--iterations", strconv.Itoa(summary.MinIterations-1), "--out", out, scen)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, resultdir.VOIFile)); !os.IsNotExist(err) {
		t.Errorf("%d iterations wrote %s (%v)", summary.MinIterations-1, resultdir.VOIFile, err)
	}
	if !strings.Contains(stderr, "too few to estimate the value of information") {
		t.Errorf("no warning that voi.csv was not written: %s", stderr)
	}
}

// At realistic iteration counts the estimate for all the parameters
// together is not the naive EVPI cut down: on local-authority at 1,000
// iterations (seeds 1 and 3), at every value of voi.csv it is below the
// naive EVPI and at least every single parameter's, and run gives no
// warning that a row reached its bound. An additive model on the 31
// parameters overshot and was cut to the naive EVPI at 24 of the 42
// values (every value from £85,000), since it missed the product of the
// support's hazard ratio and the re-entry curve.
func TestVOIAllNotCapped(t *testing.T) {
	for _, seed := range []string{"1", "3"} {
		out := filepath.Join(t.TempDir(), "out")
		_, stderr, code := reunify(t, "run", "--quiet", "--iterations", "1000", "--seed", seed, "--out", out, "../../scenarios/local-authority.toml")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if strings.Contains(stderr, "upper bound") {
			t.Errorf("seed %s: %s", seed, stderr)
		}
		itHeader, itRows := readCSVFile(t, filepath.Join(out, resultdir.IterationsFile))
		col := func(name string) int { return slices.Index(itHeader, name) }
		re, cost := col("reentries"), col("cost_total_discounted")
		var averted, incr []float64
		for k := 0; k+1 < len(itRows); k += 2 {
			b, p := itRows[k], itRows[k+1]
			averted = append(averted, atof(t, b[re])-atof(t, p[re]))
			incr = append(incr, atof(t, p[cost])-atof(t, b[cost]))
		}
		_, rows := readCSVFile(t, filepath.Join(out, resultdir.VOIFile))
		var all, single float64
		flush := func(value string) {
			naive := naiveEVPI(averted, incr, atof(t, value))
			if all >= naive-0.01 || all < single {
				t.Errorf("seed %s, value %s: all %.0f, naive EVPI %.0f, largest single parameter %.0f", seed, value, all, naive, single)
			}
		}
		for k, r := range rows {
			if r[1] == summary.AllParameters {
				if k > 0 {
					flush(rows[k-1][0])
				}
				all, single = atof(t, r[2]), 0
				continue
			}
			single = math.Max(single, atof(t, r[2]))
		}
		flush(rows[len(rows)-1][0])
	}
}
