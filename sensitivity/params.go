package sensitivity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/reunify/reunify/scenario"
)

// ParamError explains a --param path the scenario does not have, or a
// value it cannot take: bad input, with what to give instead.
func ParamError(path string, err error) error {
	msg := err.Error()
	if !strings.HasPrefix(msg, "--param ") {
		msg = "--param " + path + ": " + msg
	}
	return inputf("%s\n(give a scenario key path as --set takes it, e.g. package.NAME.post.hr_reentry, placement.NAME.weekly_cost or entries.per_year; \"reunify explain SCENARIO.toml\" lists them)", msg)
}

// CheckParam builds the scenario with the parameter path at v, before
// any simulation, and returns a ParamError if it cannot.
func CheckParam(build BuildFunc, path string, v float64) error {
	if _, _, err := build([]string{path + "=" + strconv.FormatFloat(v, 'g', -1, 64)}); err != nil {
		return ParamError(path, err)
	}
	return nil
}

// NewBreakevenConfig checks a break-even search of the parameter path
// of job (built by build) for where metric reaches target, within lo and
// hi (NaN for the default bracket), and returns its configuration, with
// the parameter's current value looked up.
func NewBreakevenConfig(job *scenario.File, build BuildFunc, path string, metric Metric, target, lo, hi float64) (BreakevenConfig, error) {
	cur, err := job.Lookup(path)
	if err != nil {
		return BreakevenConfig{}, ParamError(path, fmt.Errorf("--param %w", err))
	}
	if err := CheckParam(build, path, cur.Mean()); err != nil {
		return BreakevenConfig{}, err
	}
	if _, err := metric.Resolve(job.Model); err != nil {
		return BreakevenConfig{}, err
	}
	return BreakevenConfig{Path: path, Metric: metric, Target: target, Lo: lo, Hi: hi, Current: cur}, nil
}
