package resultdir

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/reunify/reunify/internal/safefile"
)

// ScenarioInfo is what the report shows of the scenario as run, from the
// folder's scenario.toml. Numbers that are not plain numbers there (a
// distribution, say) are NaN.
type ScenarioInfo struct {
	Name, Description string
	HorizonYears      float64
	PriceYear         float64
	DiscountRate      float64
	// Packages of each arm, by arm name.
	Packages map[string][]string
	// TOML is the file as read (nil without one): the report reads the
	// assumption register from it.
	TOML []byte
}

// loadScenario reads the name, description, horizon, price year, discount
// rate and arms from scenario.toml, loosely: the report only shows them.
func (f *Folder) loadScenario() error {
	f.Scenario = ScenarioInfo{HorizonYears: math.NaN(), PriceYear: math.NaN(), DiscountRate: math.NaN(), Packages: map[string][]string{}}
	path := filepath.Join(f.Dir, ScenarioFile)
	var raw map[string]any
	b, err := safefile.ReadSmall(path, maxScenarioBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if d := nestingDepth(b); d > maxNesting {
		return fmt.Errorf("report: %s: arrays or tables nested %d deep (at most %d): is this the scenario reunify wrote?", path, d, maxNesting)
	}
	if _, err := toml.Decode(string(b), &raw); err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	s := &f.Scenario
	s.TOML = b
	s.Name, _ = raw["name"].(string)
	s.Description, _ = raw["description"].(string)
	s.HorizonYears = tomlNumber(raw["horizon_years"])
	if c, ok := raw["costs"].(map[string]any); ok {
		s.PriceYear = tomlNumber(c["price_year"])
		s.DiscountRate = tomlNumber(c["discount_rate"])
	}
	if arms, ok := raw["arm"].([]map[string]any); ok {
		for _, a := range arms {
			name, _ := a["name"].(string)
			pk := []string{}
			if ps, ok := a["packages"].([]any); ok {
				for _, p := range ps {
					if s, ok := p.(string); ok {
						pk = append(pk, s)
					}
				}
			}
			s.Packages[name] = pk
		}
	}
	return nil
}

// tomlNumber is a TOML integer or float as a float64, or NaN.
func tomlNumber(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

// Bounds on the scenario.toml the report reads back (as the scenario
// loader's).
const (
	maxScenarioBytes = 4 << 20
	maxNesting       = 32
)

// nestingDepth is the deepest nesting of [ and { in a TOML text outside
// strings and comments (table headers count one): a cheap guard before
// decoding, which takes minutes on a file nested thousands deep.
func nestingDepth(b []byte) int {
	depth, deepest := 0, 0
	var quote byte
	comment := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case comment:
			comment = c != '\n'
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			comment = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
	}
	return deepest
}
