package scenario

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHostileShapes are files that once took the loader seconds to
// minutes (found by FuzzLoad and by hand): thousands of unknown keys, a
// very long array, deep nesting, a huge file. Each must be answered with
// Problems, quickly.
func TestHostileShapes(t *testing.T) {
	var keys strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&keys, "k%d = 1\n", i)
	}
	tests := []struct{ name, src, want string }{
		{"20000 unknown keys", keys.String(), "unknown key"},
		{"an array of 100000 numbers", "x = [" + strings.Repeat("1,", 100000) + "]\n", "unknown key"},
		{"arrays nested 10000 deep", "a = " + strings.Repeat("[", 10000), "nested more than"},
		{"inline tables nested 10000 deep", "a = " + strings.Repeat("{a=", 10000), "nested more than"},
		{"brackets in strings and comments do not count", "title = \"" + strings.Repeat("[", 100) + "\"\n# " + strings.Repeat("{", 100) + "\nx = '''\n" + strings.Repeat("[", 100) + "'''\n", "unknown key"},
		{"a 5 MB file", "# " + strings.Repeat("x", 5<<20) + "\n", "is this the right file?"},
	}
	for _, tt := range tests {
		t0 := time.Now()
		_, err := LoadBytes("h.toml", []byte(tt.src), nil)
		took := time.Since(t0)
		ps, ok := AsProblems(err)
		if !ok || len(ps) == 0 || !strings.Contains(ps[0].String(), tt.want) {
			t.Errorf("%s: got %v, want a problem saying %q", tt.name, firstLine(err), tt.want)
		}
		if took > 10*time.Second { // about 0.1 s without -race
			t.Errorf("%s: took %v", tt.name, took)
		}
	}
}

func firstLine(err error) string {
	if err == nil {
		return "no error"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
