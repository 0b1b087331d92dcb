package scenario

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds the loader arbitrary bytes and an arbitrary --set
// override. Whatever the input, LoadBytes must not panic and must either
// return Problems (every one with a message) or a scenario that builds,
// explains and reloads from its resolved form.
//
// The seed corpus is every shipped scenario, every test scenario (most of
// them broken on purpose), the starter, and a handful of hostile files;
// crashers found by the fuzzer are kept under testdata/fuzz/FuzzLoad and
// so rerun as regression tests by every "go test".
func FuzzLoad(f *testing.F) {
	var seeds [][]byte
	for _, pat := range []string{"../scenarios/*.toml", "testdata/*.toml"} {
		files, _ := filepath.Glob(pat)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, b)
			}
		}
	}
	seeds = append(seeds, Starter(),
		nil,
		[]byte("\x00\x01\x02\xff\xfe binary"),
		[]byte("\xef\xbb\xbfname = \"bom\"\n"),
		[]byte("name = \"\xff\xfe not utf-8\"\n"),
		[]byte("horizon_years = 1e308\n"),
		[]byte("horizon_years = nan\n[stock]\ncount = inf\n"),
		[]byte("[stock]\ncount = 1000000000\n"),
		[]byte("horizon_years = 1000\n"),
		[]byte("[[arm]]\n[[arm]]\n[[arm]]\n"),
		[]byte("a = "+strings.Repeat("[", 40)), // deeper and longer: TestHostileShapes
		[]byte("x = \""+strings.Repeat("a", 1000)+"\"\n"),
		[]byte("[a.b.c.d.e.f.g]\n[a.b.c.d.e.f.g]\n"),
		[]byte("weekly_cost = \"gamma(mean=-1, sd=0)\"\n"),
		// Misspelt tables at every depth and in every form (silently
		// ignored when the parent was implicit): TestUnknownKeyPlaces.
		[]byte("[histroy.older]\nhr_reentry = 1.5\n"),
		[]byte("zz.a = 1\n[[arm]]\nname = \"a\"\nzz.a = 1\n"),
		[]byte("histroy = { older = { hr_reentry = 1.5 } }\n"),
		[]byte("[[package]]\nname = \"p\"\n[package.postt]\nmonths = 1\n[[package.x]]\n[home.reentri.x]\n"),
		[]byte("[costs]\nentri.x = 1\n[history]\nolder = { hr_reentry = 1.3, x = { y = 1 } }\n"),
		// Keys nested deep by dots, headers and inline tables together
		// (quadratic in the decoder): TestHostileShapes.
		[]byte("zz"+strings.Repeat(".k", 40)+" = 1\n"),
		[]byte("["+strings.Repeat("k.", 20)+"k]\n"+strings.Repeat("k.", 12)+"k = 1\n"),
		[]byte("[["+strings.Repeat("\"k\" . ", 40)+"k]]\n"),
		[]byte("\xef\xbb\xbfa = { "+strings.Repeat("k.", 16)+"k = { "+strings.Repeat("k.", 16)+"k = [[1]] } }\n"),
		[]byte("a = [\n"+strings.Repeat("k.", 40)+"k = 1]\nb = \"\"\"x\"\"\"\"\n"+strings.Repeat("k.", 40)+"k = 1\n"),
	)
	sets := []string{"", "horizon_years=3", "entries.per_year=1e9", "package.0.post.hr_reentry=nan",
		"arm.5.name=x", "=", "care.return_home_per_year.9.9=1", "stock.count=-1",
		`correlation=[{params=["placement.0.weekly_cost", "costs.entry"], rho=0.7}]`,
		`package=[{name="x", uptak=1, post={months=1}}]`, "factor=[]", "correlation=[1, 2]"}
	for i, s := range seeds {
		f.Add(s, sets[i%len(sets)])
	}
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var overrides []string
		if set != "" {
			overrides = []string{set}
		}
		s, err := LoadBytes("fuzz.toml", data, overrides)
		if err != nil {
			ps, ok := AsProblems(err)
			if !ok {
				t.Fatalf("error is not Problems: %v", err)
			}
			for _, p := range ps {
				if p.Msg == "" {
					t.Fatalf("problem without a message: %#v", p)
				}
			}
			return
		}
		if _, _, err := s.Build(); err != nil {
			t.Fatalf("Build after a clean Load: %v", err)
		}
		if err := s.Explain(io.Discard); err != nil {
			t.Fatalf("Explain: %v", err)
		}
		if _, err := LoadBytes("resolved.toml", s.Resolved(), nil); err != nil {
			t.Fatalf("the resolved scenario does not load: %v\n%s", err, s.Resolved())
		}
	})
}
