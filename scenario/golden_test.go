package scenario

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with the file testdata/golden/name, or rewrites the
// file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\ngot:  %q\nwant: %q", path, i+1, g, w)
			}
		}
	}
}

// goldenScenarios are the scenarios whose explain output and resolved
// form are kept byte for byte: every shipped scenario, the starter, and a
// scenario using every kind of key (distributions on every kind of
// number, both hazard forms, eligibility, capacity, correlations).
func goldenScenarios(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("../scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped scenarios: %v", err)
	}
	files = append(files, "testdata/golden/everything.toml")
	out := map[string][]byte{"starter": Starter()}
	for _, f := range files {
		out[strings.TrimSuffix(filepath.Base(f), ".toml")] = mustRead(t, f)
	}
	return out
}

// TestGoldenExplainAndResolved keeps explain's output and the resolved
// scenario (scenario.toml in every result folder) of each golden scenario
// byte-identical, also with overrides given by --set.
func TestGoldenExplainAndResolved(t *testing.T) {
	type variant struct {
		name string
		sets []string
	}
	variants := []variant{{"", nil}}
	for name, src := range goldenScenarios(t) {
		vs := variants
		if name == "local-authority" {
			vs = append(vs, variant{"set", []string{
				`package.post_return_support.post.hr_reentry={ dist = "lognormal", mean = 0.7, sd = 0.1 }`,
				`placement.childrens_home.weekly_cost="gamma(mean=4500, sd=300)"`,
				`care.return_home_per_year.1.2="gamma(mean=0.3, sd=0.03)"`,
				`home.reentry.cumulative.0=0.06`,
				`package.post_return_support.capacity.places=25`,
				`package.post_return_support.eligible={ tiers = ["amber"] }`,
				`tiers.amber=1.4`,
				`history.older.hr_return=0.9`,
				`costs.price_year=2023`,
			}})
		}
		for _, v := range vs {
			id := name
			if v.name != "" {
				id += "-" + v.name
			}
			t.Run(id, func(t *testing.T) {
				s, err := LoadBytes(name+".toml", src, v.sets)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := s.Explain(&b); err != nil {
					t.Fatal(err)
				}
				golden(t, "explain/"+id+".txt", b.Bytes())
				golden(t, "resolved/"+id+".toml", s.Resolved())
			})
		}
	}
}

// TestGoldenProblems keeps the message of every bad test file, and of bad
// overrides, byte-identical: the file:line:col: key: message lines a user
// reads.
func TestGoldenProblems(t *testing.T) {
	files, err := filepath.Glob("testdata/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	var b bytes.Buffer
	report := func(what string, err error) {
		fmt.Fprintf(&b, "== %s\n", what)
		if err == nil {
			b.WriteString("ok\n")
			return
		}
		fmt.Fprintf(&b, "%v\n", err)
	}
	for _, f := range files {
		_, err := Load(f, nil)
		report(f, err)
	}
	for _, set := range []string{
		"horizon_yeras=3", "package.suport.post.hr_reentry=1", "package.3.post.hr_reentry=1",
		"home.maltreatment_reentry_probability.x=1", "horizon_years", "name=[1, 2]",
		"home.maltreatment_reentry_probability=1.5", "package.support.post.hr_reentry=0",
		"costs.discount_rate=true", "costs.entry=-1", `costs.entry="gamma(mean=-1, sd=1)"`,
		"history.older.hr_rentry=2", "history.oldr.hr_reentry=2", "stock.count=1.5",
		"placement.foster.weekly_cost=nan", "placement.fostr.weekly_cost=1",
		`factor.substance.hr_reentry="normal(mean=1, sd=0.1)"`, "tiers.red=0.5",
		"package.support.pre.months=-1", "costs.price_year=1066",
		`package.support.uptake={ dist = "beta", mean = 0.8 }`, "arm.support.packages=[\"nope\"]",
	} {
		_, err := Load("testdata/minimal.toml", []string{set})
		report("testdata/minimal.toml --set "+set, err)
	}
	// Hand-made breakages of minimal.toml: unknown keys and wrong types in
	// every kind of table.
	minimal := string(mustRead(t, "testdata/minimal.toml"))
	for _, c := range []struct{ old, new string }{
		{"", "\n[costs]\nentyr = 1\n"},
		{"", "\n[costs]\nzzzzzzzzzzzz = 1\n"},
		{"^", "costs = 5\n"},
		{"", "\n[[costs]]\nentry = 1\n"},
		{"", "\n[tiers]\namber = [1]\n"},
		{"", "\n[history]\nolder = { hr_zzzzzzzzzzz = 1 }\n"},
		{"", "\n[history]\noldr = { hr_reentry = 1 }\n"},
		{"", "\n[history.older]\nhr_reentry = 2\nhr_return = \"x\"\n"},
		{"", "\n[history]\nolder = 3\n"},
		{"", "\n[home.x]\ny = 1\n"},
		{"", "\n[stock]\ncount = \"many\"\n"},
		{"^", "stock = 3\n"},
		{"^", "history = { older = { hr_reentry = \"beta(mean=2, sd=1)\" } }\n"},
		{"post = { months = 12,", "pre = 5\npost = { months = 12,"},
		{"post = { months = 12,", "pre = { monhts = 2 }\npost = { months = 12,"},
		{"post = { months = 12,", "pre.months = 2\npre.hr_return = \"lognormal(mean=1, sd=0.1)\"\npost = { months = 12,"},
		{"hr_reentry = 0.7 }", "hr_reentry = { dist = \"lognormal\", mean = 0.7, sd = 0.1, sauce = 1 } }"},
		{"hr_reentry = 1.6", "hr_reentry = 1.6\nhr_reentr = 1"},
		{"weekly_cost = 500", "weekly_cost = true"},
		{"weekly_cost = 500", "weekly_cost = [500]"},
		{"weekly_cost = 500", "weekly_cost = { mean = 1 }"},
		{"horizon_years = 5", "horizon_years = 5\nhorizon_years = 6"},
		{"[[arm]]\nname = \"baseline\"", "[[arm]]\nname = \"baseline\"\nzz = 1"},
	} {
		src := minimal + c.new
		if c.old == "^" {
			src = c.new + minimal
		} else if c.old != "" {
			if !strings.Contains(minimal, c.old) {
				t.Fatalf("minimal.toml lacks %q", c.old)
			}
			src = strings.Replace(minimal, c.old, c.new, 1)
		}
		_, err := LoadBytes("minimal.toml", []byte(src), nil)
		report(fmt.Sprintf("minimal.toml with %q for %q", c.new, c.old), err)
	}
	golden(t, "problems.txt", b.Bytes())
}
