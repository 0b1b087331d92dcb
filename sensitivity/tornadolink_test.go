package sensitivity

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/reunify/reunify/scenario"
)

// TestTornadoSettingsValidate: every run of every shipped scenario's
// tornado is a model the scenario's own validation accepts: set by
// --set to the bar's values (the varied parameter and those correlated
// with it), each scenario still loads and builds. Moving one point of a
// cumulative re-entry curve alone made the curve decrease, which
// validation refuses.
func TestTornadoSettingsValidate(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "scenarios", "*.toml"))
	linked := 0
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.LoadBytes(path, raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, params, err := sc.Build()
		if err != nil {
			t.Fatal(err)
		}
		build := FromBytes(path, raw, nil)
		for i := range params {
			if len(Linked(params, i)) > 0 {
				linked++
			}
			for _, high := range []bool{false, true} {
				var sets []string
				for p, v := range BarValues(params, i, high) {
					sets = append(sets, p+"="+strconv.FormatFloat(v, 'g', -1, 64))
				}
				if _, _, err := build(sets); err != nil {
					t.Errorf("%s: the tornado bar of %s (high %v) sets %s, which the scenario refuses: %v", filepath.Base(path), params[i].Path, high, strings.Join(sets, " "), err)
				}
			}
		}
	}
	if linked == 0 {
		t.Fatal("no shipped scenario has a correlated parameter: the test tests nothing")
	}
}
