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

// TestUnknownKeyPlaces: a key the parameter table does not know is
// reported once, with its line and column and a did-you-mean, at any
// depth and whatever TOML form wrote it: a table header (whose parent
// tables are implicit, [histroy.older]), a dotted key, an inline table,
// an array of tables, inside an element of one. The key reported is the
// outermost unknown one: what is below it is part of it. (Keys whose
// parent table was implicit, or written by a dotted key, were silently
// ignored: explain still showed the file's history.older.hr_reentry.)
func TestUnknownKeyPlaces(t *testing.T) {
	st := string(Starter())
	la, err := os.ReadFile("../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	end := string(la) + "\n"
	tests := []struct{ name, src, key, msg string }{
		{"a misspelt table", "[hom]\nx = 1\n" + st, "hom", `did you mean "home"?`},
		{"in an inline table", strings.Replace(st, `eligible = { tiers = ["amber", "red"] }`, `eligible = { tiers = ["amber"], age_band = [1] }`, 1),
			"package.0.eligible.age_band", `did you mean "age_bands"?`},
		{"in an inline table in an element", strings.Replace(st, "hr_maltreatment = 0.8,", "hr_maltreatmnt = 0.8,", 1),
			"package.0.post.hr_maltreatmnt", `did you mean "hr_maltreatment"?`},
		{"in an array of tables", strings.Replace(st, "[[placement]]\nname = \"agency_foster\"", "[[placement]]\nnmae = \"x\"\nname = \"agency_foster\"", 1),
			"placement.2.nmae", `did you mean "name"?`},
		{"a dotted key", strings.Replace(st, "older = { hr_reentry = 1.3 }", "older.hr_reentry = 1.3\nolder.hr_rentry = 1", 1),
			"history.older.hr_rentry", `did you mean "hr_reentry"?`},
		{"a misspelt table's sub-table", end + "[histroy.older]\nhr_reentry = 1.5\n", "histroy", `did you mean "history"?`},
		{"a misspelt sub-table", end + "[history.oldr]\nhr_reentry = 1.5\n", "history.oldr", `did you mean "older"?`},
		{"a misspelt table three deep", end + "[home.reentri.x]\nmonths = [1]\n", "home.reentri", `did you mean "reentry"?`},
		{"two sub-tables of one misspelt table", end + "[histroy.older]\nhr_reentry = 1.5\n[histroy.short_care]\nhr_reentry = 1\n", "histroy", `did you mean "history"?`},
		{"a dotted key after the last table", st + "\nzz.a = 1\n", "arm.1.zz", "valid keys here: name, packages"},
		{"a dotted key at the top", "zz.a = 1\n" + string(la), "zz", "unknown key"},
		{"a misspelt dotted table", "histroy.older.hr_reentry = 2\n" + string(la), "histroy", `did you mean "history"?`},
		{"a dotted key in a known table", strings.Replace(string(la), "[costs]\n", "[costs]\nentri.x = 1\n", 1), "costs.entri", `did you mean "entry"?`},
		{"an inline table", "histroy = { older = { hr_reentry = 2 } }\n" + string(la), "histroy", `did you mean "history"?`},
		{"a key in an inline table in a table", strings.Replace(st, "older = { hr_reentry = 1.3 }", "older = { hr_reentry = 1.3, x = { y = 1 } }", 1), "history.older.x", "unknown key"},
		{"an array of tables", end + "[[histroy]]\nolder = 1\n", "histroy", `did you mean "history"?`},
		{"an array of tables below an element", end + "[[package.extra]]\nx = 1\n", "package.0.extra", "unknown key"},
		{"a misspelt table below an element", end + "[package.postt]\nmonths = 1\n", "package.0.postt", `did you mean "post"?`},
		{"a misspelt table below an element, dotted", end + "[[package]]\nname = \"p2\"\npostt.months = 1\n", "package.1.postt", `did you mean "post"?`},
		{"an inline array of tables", st + "\nhistroy = [{ older = 1 }]\n", "arm.1.histroy", "unknown key"},
		{"a table inside an array element", strings.Replace(string(la), "[[arm]]\nname = \"baseline\"\n", "[[arm]]\nname = \"baseline\"\n[arm.extra.x]\n", 1), "arm.0.extra", "unknown key"},
		{"a quoted key", end + "[\"histroy\".older]\nhr_reentry = 1.5\n", "histroy", `did you mean "history"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.src == st || tt.src == string(la) {
				t.Fatal("the case's replacement found nothing to replace")
			}
			_, err := LoadBytes("u.toml", []byte(tt.src), nil)
			ps, _ := AsProblems(err)
			n := 0
			for _, p := range ps {
				if p.Key == tt.key {
					n++
					if p.Line == 0 || p.Col == 0 || !strings.Contains(p.Msg, tt.msg) {
						t.Errorf("got %s, want a line, a column and %q", p, tt.msg)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: reported %d times in\n%v", tt.key, n, err)
			}
		})
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
