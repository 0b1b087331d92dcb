package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Distributions for the small scenario, so that it has something to vary.
var smallDists = []string{
	"--set", `package.support.post.hr_reentry=lognormal(mean=0.7, sd=0.1)`,
	"--set", `placement.residential.weekly_cost=gamma(mean=4500, sd=600)`,
	"--set", `costs.social_work_per_month=gamma(mean=500, sd=100, low=300, high=800)`,
}

func analyses() map[string][]string {
	return map[string][]string{
		"tornado.csv": {"tornado", "--metric", "net_saving"},
		"sweep.csv": {"sweep", "--param", "package.support.post.hr_reentry", "--values", "0.5,0.9",
			"--param", "package.support.post.cost_per_month", "--range", "0:1000:2"},
		"breakeven.csv": {"breakeven", "--param", "package.support.post.cost_per_month", "--lo", "0", "--hi", "20000"},
	}
}

func TestSensitivityCommandsByteIdenticalWhateverWorkers(t *testing.T) {
	tmp := t.TempDir()
	for file, cmd := range analyses() {
		var ref []byte
		for _, w := range []string{"1", "2"} {
			dir := filepath.Join(tmp, file+w)
			args := append(append(slices.Clone(cmd), "--quiet", "--iterations", "6", "--seed", "5", "--workers", w, "--out", dir), smallDists...)
			_, stderr, code := reunify(t, append(args, "testdata/small.toml")...)
			if code != 0 {
				t.Fatalf("%s, workers %s: exit %d: %s", cmd[0], w, code, stderr)
			}
			got, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = got
			} else if !bytes.Equal(got, ref) {
				t.Errorf("%s: %s differs between --workers 1 and 2", cmd[0], file)
			}
		}
	}
}

func TestSensitivityCommandsWriteTheirColumns(t *testing.T) {
	headers := map[string]string{
		"tornado.csv":   "parameter,low_value,high_value,metric_at_low,metric_at_high,swing,metric,arm,base",
		"sweep.csv":     "package.support.post.hr_reentry,package.support.post.cost_per_month,arm,metric,mean,sd,p2_5,p50,p97_5,prob_positive",
		"breakeven.csv": "param,metric,target,value,value_p2_5,value_p97_5,evaluations,arm,lo,hi,mean_at_value,reentries_averted,diff_returns_home",
	}
	rows := map[string]int{"tornado.csv": 3, "sweep.csv": 2 * 3 * 3, "breakeven.csv": 1}
	dir := t.TempDir()
	for file, cmd := range analyses() {
		args := append(append(slices.Clone(cmd), "--iterations", "4", "--out", dir), smallDists...)
		stdout, stderr, code := reunify(t, append(args, "testdata/small.toml")...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", cmd[0], code, stderr)
		}
		if !strings.Contains(stdout, "wrote "+filepath.Join(dir, file)) {
			t.Errorf("%s: stdout does not say where the file is:\n%s", cmd[0], stdout)
		}
		recs := readCSV(t, filepath.Join(dir, file))
		if got := strings.Join(recs[0], ","); got != headers[file] {
			t.Errorf("%s header %s, want %s", file, got, headers[file])
		}
		if len(recs)-1 != rows[file] {
			t.Errorf("%s has %d rows, want %d", file, len(recs)-1, rows[file])
		}
		// Again without --force: refused, the file kept.
		_, stderr, code = reunify(t, append(args, "testdata/small.toml")...)
		if code != 2 || !strings.Contains(stderr, "--force") {
			t.Errorf("%s over an existing file: exit %d, %q; want 2 and a hint of --force", cmd[0], code, stderr)
		}
	}
	// The tornado is sorted by swing.
	b, _ := os.ReadFile(filepath.Join(dir, "tornado.csv"))
	recs, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
	for i := 2; i < len(recs); i++ {
		a, _ := strconv.ParseFloat(recs[i-1][5], 64)
		b, _ := strconv.ParseFloat(recs[i][5], 64)
		if a < b {
			t.Errorf("tornado.csv not sorted by swing: %v before %v", a, b)
		}
	}
}

// TestSensitivityCommandsWriteAManifest checks the record each analysis
// writes beside its CSV file: what ran, on which scenario (by checksum),
// with which seed and settings, and that a left-over record is never
// overwritten without --force.
func TestSensitivityCommandsWriteAManifest(t *testing.T) {
	raw, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	settingKey := map[string]string{"tornado": "metric", "sweep": "grid", "breakeven": "param"}
	dir := t.TempDir()
	for file, cmd := range analyses() {
		args := append(append(slices.Clone(cmd), "--quiet", "--iterations", "3", "--seed", "17", "--out", dir), smallDists...)
		args = append(args, "testdata/small.toml")
		if _, stderr, code := reunify(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", cmd[0], code, stderr)
		}
		name := strings.TrimSuffix(file, ".csv") + ".json"
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s wrote no manifest: %v", cmd[0], err)
		}
		var man map[string]any
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := map[string]any{
			"program": "reunify", "analysis": cmd[0], "file": file, "scenario": "testdata/small.toml",
			"scenario_sha256": hex.EncodeToString(sum[:]), "seed": 17.0, "iterations": 3.0,
		}
		for k, v := range want {
			if man[k] != v {
				t.Errorf("%s: %s = %v, want %v", name, k, man[k], v)
			}
		}
		if runs, _ := man["runs"].(float64); runs < 1 {
			t.Errorf("%s: runs = %v", name, man["runs"])
		}
		if cl, _ := man["command_line"].([]any); len(cl) != len(args)+1 || cl[1] != cmd[0] {
			t.Errorf("%s: command_line %v", name, man["command_line"])
		}
		if st, _ := man["settings"].(map[string]any); st == nil || st[settingKey[cmd[0]]] == nil {
			t.Errorf("%s: settings %v lack %s", name, man["settings"], settingKey[cmd[0]])
		}
		// Only the manifest left: still refused without --force.
		if err := os.Remove(filepath.Join(dir, file)); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := reunify(t, args...); code != 2 || !strings.Contains(stderr, name) {
			t.Errorf("%s over an existing %s: exit %d, %q; want 2 naming it", cmd[0], name, code, stderr)
		}
	}
}

func TestSensitivityBadInput(t *testing.T) {
	withDists := func(args ...string) []string { return append(args, smallDists...) }
	tests := []struct {
		name string
		args []string // the command and its flags; the scenario goes last
		want string
	}{
		{"unknown metric", withDists("tornado", "--metric", "net_savings"), `did you mean "net_saving"`},
		{"unknown arm", withDists("tornado", "--arm", "suport"), `unknown arm "suport"`},
		{"baseline arm", withDists("tornado", "--arm", "baseline"), "needs a policy arm"},
		{"nothing to vary", []string{"tornado"}, "give the uncertain figures as distributions"},
		{"bad range", []string{"sweep", "--param", "entries.per_year", "--range", "1:2"}, "from:to:steps"},
		{"bad values", []string{"sweep", "--param", "entries.per_year", "--values", "1,x"}, "is not a number"},
		{"values first", []string{"sweep", "--values", "1,2", "--param", "entries.per_year"}, "give --param PATH first"},
		{"no values", []string{"sweep", "--param", "entries.per_year"}, "has no values"},
		{"unknown sweep param", []string{"sweep", "--param", "package.suport.post.hr_reentry", "--values", "1"}, "--param package.suport.post.hr_reentry"},
		{"unknown sweep metric", []string{"sweep", "--param", "entries.per_year", "--values", "1", "--metric", "nope"}, `unknown metric "nope"`},
		{"unknown breakeven param", []string{"breakeven", "--param", "package.support.post.hr_rentry"}, "--param package.support.post.hr_rentry"},
		{"breakeven no param", []string{"breakeven"}, "--param PATH is required"},
		{"breakeven not straddling", []string{"breakeven", "--iterations", "3", "--param", "package.support.post.cost_per_month", "--lo", "0", "--hi", "1"}, "widen the bracket"},
		{"breakeven empty bracket", []string{"breakeven", "--param", "entries.per_year", "--lo", "5", "--hi", "1"}, "--lo must be below --hi"},
		{"breakeven unknown metric", []string{"breakeven", "--param", "entries.per_year", "--metric", "roii"}, `did you mean "roi"`},
		{"two scenarios", []string{"tornado", "testdata/small.toml"}, "exactly one scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{tt.args[0], "--out", t.TempDir()}, tt.args[1:]...)
			_, stderr, code := reunify(t, append(args, "testdata/small.toml")...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %s", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

// TestRunParamColumnsAndDegenerateDistribution checks probabilistic
// sensitivity analysis through the command: a drawn parameter appears as
// a param.<path> column, and a fixed distribution gives exactly the
// results of the plain number.
func TestRunParamColumnsAndDegenerateDistribution(t *testing.T) {
	tmp := t.TempDir()
	runTo := func(dir string, sets ...string) [][]string {
		args := []string{"run", "--quiet", "--iterations", "5", "--seed", "2", "--out", dir}
		for _, s := range sets {
			args = append(args, "--set", s)
		}
		if _, stderr, code := reunify(t, append(args, "testdata/small.toml")...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		recs := readCSV(t, filepath.Join(dir, "iterations.csv"))
		if _, err := os.Stat(filepath.Join(dir, "acceptability.csv")); err != nil {
			t.Errorf("no acceptability.csv: %v", err)
		}
		return recs
	}
	plain := runTo(filepath.Join(tmp, "plain"))
	fixed := runTo(filepath.Join(tmp, "fixed"), "package.support.post.hr_reentry=fixed(0.7)")
	drawn := runTo(filepath.Join(tmp, "drawn"), "package.support.post.hr_reentry=lognormal(mean=0.7, sd=0.1)")
	col := "param.package.support.post.hr_reentry"
	if slices.Contains(plain[0], col) || fixed[0][len(fixed[0])-1] != col || drawn[0][len(drawn[0])-1] != col {
		t.Fatalf("headers: plain ends %q, fixed %q, drawn %q; want %s only when given as a distribution",
			plain[0][len(plain[0])-1], fixed[0][len(fixed[0])-1], drawn[0][len(drawn[0])-1], col)
	}
	values := map[string]bool{}
	for i := 1; i < len(fixed); i++ {
		row := fixed[i]
		if row[len(row)-1] != "0.7" {
			t.Errorf("fixed draw %s, want 0.7", row[len(row)-1])
		}
		if !slices.Equal(row[:len(row)-1], plain[i]) {
			t.Errorf("row %d: fixed(0.7) gives %v, the number 0.7 gives %v", i, row[:len(row)-1], plain[i])
		}
		values[drawn[i][len(drawn[i])-1]] = true
	}
	if len(values) != 5 {
		t.Errorf("5 iterations drew %d distinct values: %v", len(values), values)
	}
}

// TestRunCorrelatedParams runs a scenario whose two weekly costs are
// correlated 0.8 (Gaussian copula): their param.* columns in
// iterations.csv must have a Spearman correlation near 6/pi*asin(0.4) =
// 0.786 (its standard error here is about 0.02), where independent draws
// would give about 0.
func TestRunCorrelatedParams(t *testing.T) {
	src, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "weekly_cost = 600", `weekly_cost = "gamma(mean=600, sd=60)"`, 1)
	s = strings.Replace(s, "weekly_cost = 4500", `weekly_cost = "lognormal(mean=4500, sd=600)"`, 1)
	s += "\n[[correlation]]\nparams = [\"placement.foster.weekly_cost\", \"placement.residential.weekly_cost\"]\nrho = 0.8\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "corr.toml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "400", "--out", out, path); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs := readCSV(t, filepath.Join(out, "iterations.csv"))
	a := slices.Index(recs[0], "param.placement.foster.weekly_cost")
	b := slices.Index(recs[0], "param.placement.residential.weekly_cost")
	if a < 0 || b < 0 {
		t.Fatalf("no param columns in %v", recs[0])
	}
	var xs, ys []float64
	for _, r := range recs[1:] {
		if r[1] != "baseline" {
			continue
		}
		x, _ := strconv.ParseFloat(r[a], 64)
		y, _ := strconv.ParseFloat(r[b], 64)
		xs, ys = append(xs, x), append(ys, y)
	}
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(i, j int) int { return cmp.Compare(v[i], v[j]) })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	rx, ry := rank(xs), rank(ys)
	n := float64(len(rx))
	var d2 float64
	for i := range rx {
		d2 += (rx[i] - ry[i]) * (rx[i] - ry[i])
	}
	rs := 1 - 6*d2/(n*(n*n-1))
	if want := 6 / math.Pi * math.Asin(0.4); math.Abs(rs-want) > 0.08 {
		t.Errorf("Spearman correlation of the drawn costs %.3f, want about %.3f", rs, want)
	}
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}
