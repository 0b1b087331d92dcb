package sensitivity

import (
	"fmt"
	"strings"
)

// Grid collects a sweep's axes as a command line gives them, in order:
// Param starts an axis, and Values or Range gives the last one its
// values (--param PATH --values a,b,c --param PATH2 --range 0:1:4).
type Grid struct {
	axes  []Axis
	given []bool // whether each axis has its values
}

// Param starts an axis for the scenario path path.
func (g *Grid) Param(path string) error {
	if strings.TrimSpace(path) == "" || strings.Contains(path, "=") {
		return fmt.Errorf("want a scenario path such as package.NAME.post.hr_reentry, got %q (the values go in --values or --range)", path)
	}
	g.axes = append(g.axes, Axis{Path: strings.TrimSpace(path)})
	g.given = append(g.given, false)
	return nil
}

// Values gives the last axis the values "a,b,c" (ParseValues).
func (g *Grid) Values(s string) error { return g.set("values", s, ParseValues) }

// Range gives the last axis the values "from:to:steps" (ParseRange).
func (g *Grid) Range(s string) error { return g.set("range", s, ParseRange) }

func (g *Grid) set(flag, s string, parse func(string) ([]float64, error)) error {
	n := len(g.axes)
	if n == 0 {
		return fmt.Errorf("give --param PATH first, then --%s", flag)
	}
	if g.given[n-1] {
		return fmt.Errorf("--param %s already has its values: give one --values or --range per --param", g.axes[n-1].Path)
	}
	vs, err := parse(s)
	if err != nil {
		return err
	}
	g.axes[n-1].Values, g.given[n-1] = vs, true
	return nil
}

// Axes returns the axes, or an *InputError if there are not one or two,
// each with its values.
func (g *Grid) Axes() ([]Axis, error) {
	if len(g.axes) == 0 || len(g.axes) > 2 {
		return nil, inputf("sweep: give one or two --param PATH, each followed by --values a,b,c or --range from:to:steps")
	}
	for i, a := range g.axes {
		if !g.given[i] {
			return nil, inputf("--param %s has no values: follow it with --values a,b,c or --range from:to:steps", a.Path)
		}
	}
	return g.axes, nil
}
