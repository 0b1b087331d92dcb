package scenario

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestHostileShapes are files that once took the loader seconds to
// minutes (found by FuzzLoad and by hand): thousands of unknown keys, a
// very long array, deep nesting of brackets, of dotted keys or of table
// headers, a huge file. Each must be answered with Problems, quickly,
// and a file refused for its shape names the line and column.
func TestHostileShapes(t *testing.T) {
	la, err := os.ReadFile("../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	end := string(la) + "\n"
	laLines := strings.Count(end, "\n")
	var keys, deepKeys strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&keys, "k%d = 1\n", i)
	}
	for i := range 4000 {
		fmt.Fprintf(&deepKeys, "z%d%s = 1\n", i, strings.Repeat(".k", 28))
	}
	dots := func(n int) string { return "zz" + strings.Repeat(".k", n-1) }
	tests := []struct {
		name, src, want string
		line, col       int // where a refused shape is, if not 0
	}{
		{"20000 unknown keys", keys.String(), "unknown key", 0, 0},
		{"an array of 50000 numbers", "x = [" + strings.Repeat("1,", 50000) + "]\n", "unknown key", 0, 0},
		{"arrays nested 10000 deep", "a = " + strings.Repeat("[", 10000), "nested more than", 1, 36},
		{"inline tables nested 10000 deep", "a = " + strings.Repeat("{a=", 10000), "nested more than", 1, 0},
		{"brackets in strings and comments do not count", "title = \"" + strings.Repeat("[", 100) + "\"\n# " + strings.Repeat("{", 100) + "\nx = '''\n" + strings.Repeat("[", 100) + "'''\n", "unknown key", 0, 0},
		{"a 5 MB file", "# " + strings.Repeat("x", 5<<20) + "\n", "is this the right file?", 0, 0},
		// Found independently: 76 s and 5.7 GB to validate, then exit 0.
		{"a dotted key 16000 deep", end + dots(16000) + " = 1\n", "nested more than 32 deep", laLines + 1, 0},
		{"a dotted key 16000 deep, spaced", end + strings.ReplaceAll(dots(16000), ".", " . ") + " = 1\n", "nested more than 32 deep", laLines + 1, 0},
		{"a quoted dotted key 16000 deep", end + strings.ReplaceAll(dots(16000), "k", `"k"`) + " = 1\n", "nested more than 32 deep", laLines + 1, 0},
		{"a table header 16000 deep", end + "[" + dots(16000) + "]\n", "nested more than 32 deep", laLines + 1, 0},
		{"an array-of-tables header 16000 deep", end + "[[" + dots(16000) + "]]\n", "nested more than 32 deep", laLines + 1, 0},
		{"a dotted key 16000 deep in an inline table", end + "a = { " + dots(16000) + " = 1 }\n", "nested more than 32 deep", laLines + 1, 0},
		{"a dotted key 16000 deep after a byte-order mark", "\xef\xbb\xbf" + dots(16000) + " = 1\n", "nested more than 32 deep", 1, 0},
		{"a dotted key 16000 deep on a line of its own in a multi-line array", end + "a = [\n" + dots(16000) + " = 1]\n", "nested more than 32 deep", laLines + 2, 0},
		// At the limit, and one beyond it, counting header, dotted key,
		// inline tables and arrays together.
		{"a key 32 deep", dots(32) + " = 1\n", "unknown key", 0, 0},
		{"a key 33 deep", dots(33) + " = 1\n", "nested more than 32 deep", 1, 0},
		{"a header 20 deep and a key 12 deep", "[" + dots(20) + "]\n" + dots(12) + " = 1\n", "unknown key", 0, 0},
		{"a header 20 deep and a key 13 deep", "[" + dots(20) + "]\n" + dots(13) + " = 1\n", "nested more than 32 deep", 2, 1},
		{"an array-of-tables header 20 deep and a key 12 deep", "[[" + dots(20) + "]]\n" + dots(12) + " = 1\n", "nested more than 32 deep", 2, 1},
		{"a key 16 deep holding a table with a key 16 deep", dots(16) + " = { " + dots(16) + " = 1 }\n", "unknown key", 0, 0},
		{"a key 16 deep holding a table with a key 17 deep", dots(16) + " = { " + dots(17) + " = 1 }\n", "nested more than 32 deep", 1, 0},
		{"a key 30 deep holding arrays 3 deep", dots(30) + " = [[[1]]]\n", "nested more than 32 deep", 1, 0},
		// Many keys, each deep: linear, but 16 s and 2.7 GB for 4 MB.
		{"4000 keys 29 deep", deepKeys.String(), "more than 100000 keys", 0, 0},
		{"200000 tables", strings.Repeat("[t]\n", 200000), "more than 100000 keys", 0, 0},
		{"an array of 200000 numbers", "x = [" + strings.Repeat("1,", 200000) + "]\n", "more than 100000 keys", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Now()
			_, err := LoadBytes("h.toml", []byte(tt.src), nil)
			took := time.Since(t0)
			ps, ok := AsProblems(err)
			if !ok || len(ps) == 0 || !strings.Contains(ps[0].String(), tt.want) {
				t.Fatalf("got %v, want a problem saying %q", firstLine(err), tt.want)
			}
			if tt.line > 0 && (ps[0].Line != tt.line || tt.col > 0 && ps[0].Col != tt.col) {
				t.Errorf("got %s, want line %d, column %d", ps[0], tt.line, tt.col)
			}
			if took > 10*time.Second { // about 0.1 s without -race
				t.Errorf("took %v", took)
			}
		})
	}
}

// TestLoadIsLinear loads each shape of file at two sizes, four times
// apart, and checks that the bytes allocated grow no faster than the
// file: a loader quadratic in some construct (a dotted key or a table
// header 16,000 deep took 76 s and 5.7 GB) allocates about 16 times as
// much for the larger. Allocated bytes, not time: they do not drift with
// the machine's load.
func TestLoadIsLinear(t *testing.T) {
	la, err := os.ReadFile("../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	lines := func(format string) func(n int) string {
		return func(n int) string {
			var b strings.Builder
			for i := range n {
				fmt.Fprintf(&b, format, i)
			}
			return b.String()
		}
	}
	shapes := []struct {
		name string
		n    int // the smaller size
		gen  func(n int) string
	}{
		{"a dotted key n deep", 1000, func(n int) string { return "zz" + strings.Repeat(".k", n) + " = 1\n" }},
		{"a table header n deep", 1000, func(n int) string { return "[zz" + strings.Repeat(".k", n) + "]\n" }},
		{"an array-of-tables header n deep", 1000, func(n int) string { return "[[zz" + strings.Repeat(".k", n) + "]]\n" }},
		{"arrays n deep", 1000, func(n int) string { return "zz = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n" }},
		{"keys 30 deep", 150, lines("z%d.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k = 1\n")},
		{"tables", 1500, lines("[t%d]\n")},
		{"sub-tables of an unknown table", 1500, lines("[zz.t%d]\n")},
		{"sub-tables of a known table", 1500, lines("[history.t%d]\n")},
		{"arrays of tables", 1500, func(n int) string { return strings.Repeat("[[zz]]\n", n) }},
		{"arms", 1500, lines("[[arm]]\nname = \"a%d\"\n")},
		{"keys in one table", 1500, lines("zz.k%d = 1\n")},
		{"keys in a known table", 1500, lines("costs.k%d = 1\n")},
		{"a long key", 10000, func(n int) string { return strings.Repeat("k", n) + " = 1\n" }},
		{"a long quoted key", 10000, func(n int) string { return `"` + strings.Repeat("k", n) + `" = 1` + "\n" }},
		{"a long string", 10000, func(n int) string { return `zz = "` + strings.Repeat("x", n) + `"` + "\n" }},
		{"a long multi-line string", 10000, func(n int) string { return `zz = """` + strings.Repeat("x\n", n) + `"""` + "\n" }},
		{"comments", 10000, func(n int) string { return strings.Repeat("# c\n", n) }},
		{"an array of numbers", 1500, func(n int) string { return "zz = [" + strings.Repeat("1.5, ", n) + "]\n" }},
		{"an inline table of many keys", 1500, func(n int) string { return "zz = {" + lines("k%d = 1, ")(n) + "a = 1 }\n" }},
		{"an array of inline tables", 1500, func(n int) string { return "zz = [" + strings.Repeat("{ a = 1 }, ", n) + "]\n" }},
		{"unknown keys with a suggestion", 1500, lines("[costs]\nentri%d = 1\n")},
	}
	alloc := func(src string) uint64 {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		LoadBytes("l.toml", []byte(src), nil)
		runtime.ReadMemStats(&m1)
		return m1.TotalAlloc - m0.TotalAlloc
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			small, large := string(la)+"\n"+sh.gen(sh.n), string(la)+"\n"+sh.gen(4*sh.n)
			a, b := alloc(small), alloc(large)
			// Linear: b/a is at most 4 (less for the scenario's share);
			// quadratic: about 16. A megabyte of slack for small numbers.
			if b > 6*a+1<<20 {
				t.Errorf("%d bytes: %.1f MB allocated; %d bytes: %.1f MB (%.1f times as much for %.1f times the bytes)",
					len(small), float64(a)/1e6, len(large), float64(b)/1e6, float64(b)/float64(a), float64(len(large))/float64(len(small)))
			}
		})
	}
}

func firstLine(err error) string {
	if err == nil {
		return "no error"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// TestPlacementsAreBounded: the model holds a move share from each
// placement type to each other, so the placements, unlike every other
// construct, cost the square of their number; Load (which builds the
// model to check the correlations) takes MaxPlacements within tens of
// megabytes and refuses one more before building anything.
func TestPlacementsAreBounded(t *testing.T) {
	la, err := os.ReadFile("../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadBytes("la.toml", la, nil)
	if err != nil {
		t.Fatal(err)
	}
	have := len(s.Placements)
	src := func(n int) []byte {
		var b strings.Builder
		b.Write(la)
		for i := range n - have {
			fmt.Fprintf(&b, "\n[[placement]]\nname = \"p%d\"\nweekly_cost = 1\nmove_to = { kinship = 1 }\n", i)
		}
		return []byte(b.String())
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	if _, err := LoadBytes("l.toml", src(MaxPlacements), nil); err != nil {
		t.Fatalf("%d placements: %v", MaxPlacements, firstLine(err))
	}
	runtime.ReadMemStats(&m1)
	if a := m1.TotalAlloc - m0.TotalAlloc; a > 64<<20 {
		t.Errorf("%d placements: %.0f MB allocated", MaxPlacements, float64(a)/1e6)
	}
	_, err = LoadBytes("l.toml", src(MaxPlacements+1), nil)
	ps, ok := AsProblems(err)
	if !ok || len(ps) != 1 || ps[0].Key != "placement" || !strings.Contains(ps[0].Msg, "at most 1000") {
		t.Errorf("%d placements: got %v, want one problem at placement saying at most 1000", MaxPlacements+1, err)
	}
}
