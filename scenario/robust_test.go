package scenario

import (
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestLoadNoPanic mutates the starter at random: Load must never panic,
// and whatever it accepts must build, explain and round-trip.
func TestLoadNoPanic(t *testing.T) {
	lines := strings.Split(string(Starter()), "\n")
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		var out []string
		for _, l := range lines {
			switch r.IntN(30) {
			case 0:
				continue
			case 1:
				l = strings.Replace(l, "0.", "-0.", 1)
			case 2:
				l = strings.Replace(l, "=", "= [", 1)
			case 3:
				l = strings.Replace(l, "]", "", 1)
			case 4:
				l = strings.Replace(l, "1", "\"x\"", 1)
			case 5:
				l = strings.Replace(l, "e", "", 1)
			}
			out = append(out, l)
		}
		src := strings.Join(out, "\n")
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("panic %v on\n%s", e, src)
				}
			}()
			s, err := LoadBytes("f", []byte(src), nil)
			if err != nil {
				if _, ok := AsProblems(err); !ok {
					t.Fatalf("error is not Problems: %v", err)
				}
				return
			}
			if _, _, err := s.Build(); err != nil {
				t.Fatalf("Build after Load: %v\n%s", err, src)
			}
			if err := s.Explain(io.Discard); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadBytes("r", s.Resolved(), nil); err != nil {
				t.Fatalf("resolved: %v\n%s", err, s.Resolved())
			}
		}()
	}
}

// TestUnknownKeyPlaces checks unknown keys in tables, inline tables and
// arrays of tables, each reported once.
func TestUnknownKeyPlaces(t *testing.T) {
	st := string(Starter())
	tests := []struct{ src, key, msg string }{
		{"[hom]\nx = 1\n" + st, "hom", `did you mean "home"?`},
		{strings.Replace(st, `eligible = { tiers = ["amber", "red"] }`, `eligible = { tiers = ["amber"], age_band = [1] }`, 1),
			"package.0.eligible.age_band", `did you mean "age_bands"?`},
		{strings.Replace(st, "hr_maltreatment = 0.8,", "hr_maltreatmnt = 0.8,", 1),
			"package.0.post.hr_maltreatmnt", `did you mean "hr_maltreatment"?`},
		{strings.Replace(st, "[[placement]]\nname = \"agency_foster\"", "[[placement]]\nnmae = \"x\"\nname = \"agency_foster\"", 1),
			"placement.2.nmae", `did you mean "name"?`},
		{strings.Replace(st, "older = { hr_reentry = 1.3 }", "older.hr_reentry = 1.3\nolder.hr_rentry = 1", 1),
			"history.older.hr_rentry", `did you mean "hr_reentry"?`},
	}
	for _, tt := range tests {
		_, err := LoadBytes("u.toml", []byte(tt.src), nil)
		ps, _ := AsProblems(err)
		n := 0
		for _, p := range ps {
			if p.Key == tt.key {
				n++
				if p.Line == 0 || !strings.Contains(p.Msg, tt.msg) {
					t.Errorf("%s: got %s", tt.key, p)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: reported %d times in\n%v", tt.key, n, err)
		}
	}
}

// Per-band share maps decode themselves: their placement names must not be
// reported as unknown keys, while a misspelt name is still caught, once.
func TestPerBandShareMaps(t *testing.T) {
	if _, err := Load("../scenarios/local-authority.toml", nil); err != nil {
		t.Fatalf("local-authority.toml (per-band re-entry placements): %v", err)
	}
	data, err := os.ReadFile("../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), "{ kinship = 0.05, in_house_foster = 0.15,", "{ kinship = 0.05, in_house_fostr = 0.15,", 1)
	_, err = LoadBytes("la.toml", []byte(broken), nil)
	ps, ok := AsProblems(err)
	if !ok || len(ps) == 0 {
		t.Fatalf("misspelt placement in a per-band map: %v", err)
	}
	n := 0
	for _, p := range ps {
		if strings.Contains(p.Key, "reentry_placement_shares.4") && strings.Contains(p.Msg, "in_house_fostr") {
			n++
			if p.Line == 0 {
				t.Errorf("no line for %v", p)
			}
		}
	}
	if n != 1 {
		t.Errorf("want the misspelt name reported once, got %d:\n%v", n, ps)
	}
}
