package validation

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// Unit says how a row's numbers read.
type Unit int

// Units of a row.
const (
	Share      Unit = iota // a proportion, shown as a percentage
	Pounds                 // money
	Difference             // a difference of proportions, in percentage points
)

// Role says what a published figure did in building the shipped
// scenarios.
type Role string

// The roles of a row.
const (
	// Calibrated: the figure was used to set a parameter, so the row
	// checks the calibration still holds (a regression test), not that
	// the model predicts anything.
	Calibrated Role = "calibrated"
	// Predicted: no parameter was set from the figure, so the row tests
	// what the model predicts. A predicted row that fails is a finding
	// about the model, reported in docs/validation.md, never a number to
	// tune a scenario to.
	Predicted Role = "predicted"
)

// Row is one published figure set against the simulation.
type Row struct {
	Figure     string // what is compared
	Role       Role
	Source     string // who published it
	Population string // which population the simulated value describes
	Scenario   string // the shipped scenario run (and any variant)
	Metric     string // the simulated metric
	Published  string // the figure as published
	Unit       Unit
	// Lo and Hi bound the band the published figure allows: its own
	// precision (its rounding and, for a figure from a sample, 1.96
	// standard errors of that sample), never slack chosen to pass;
	// Tolerance says what the precision is. A direction row ("lower") has
	// Lo = -Inf and Hi = 0 and passes only when the whole Monte Carlo
	// interval (mean + 4 MCSE) is below 0.
	Lo, Hi    float64
	Tolerance string
	Direction bool
	// The simulated value across iterations.
	Mean, P2_5, P97_5, MCSE float64
	Pass                    bool
}

// Files are the shipped scenario files Run reads from its fs.FS.
var Files = []string{"england.toml", "england-2013.toml", "residential-step-down.toml", "authority-low-reentry.toml", "authority-high-reentry.toml"}

// Runs is the number of simulation runs Run makes, for sizing a progress
// bar: Runs x opt.Iterations iterations in all.
const Runs = 18

// Run simulates the shipped scenarios in fsys (scenarios.FS, or a Folder
// of edited copies) and returns one row per published figure. Every run
// uses opt's Iterations, Seed, Workers and Progress (incremented once per
// simulated iteration of any of the runs); the runs set their own
// parameters and write no event log.
func Run(ctx context.Context, fsys fs.FS, opt sim.Options) ([]Row, error) {
	opt.Params, opt.Shard, opt.Shards, opt.Events = nil, 0, 0, nil
	v := &validator{ctx: ctx, fsys: fsys, opt: opt}
	for _, step := range []func() error{v.england, v.substance, v.costStudy, v.residential, v.uea, v.repeatFailures, v.authorities} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return v.rows, nil
}

type validator struct {
	ctx  context.Context
	fsys fs.FS
	opt  sim.Options
	rows []Row
	// models are the scenarios built so far, by file name.
	models map[string]*sim.Model
}

// load returns a copy of a shipped scenario's base-case model, free to
// change; each file is read and built once.
func (v *validator) load(name string) (*sim.Model, error) {
	if m, ok := v.models[name]; ok {
		return m.Clone(), nil
	}
	if !slices.Contains(Files, name) {
		return nil, fmt.Errorf("validation: %s is not in Files", name)
	}
	data, err := fs.ReadFile(v.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	label := name
	if f, ok := v.fsys.(*Folder); ok {
		label = filepath.Join(f.Dir, name)
	}
	sc, err := scenario.LoadBytes(label, data, nil)
	if err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	// The base case: every uncertain figure at its mean (docs/validation.md).
	m, _, err := sc.BaseCase().Build()
	if err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	if v.models == nil {
		v.models = map[string]*sim.Model{}
	}
	v.models[name] = m
	return m.Clone(), nil
}

// setPrevalence gives every child (p = 1) or no child (p = 0) the named
// risk factor.
func setPrevalence(m *sim.Model, name string, p float64) error {
	k := slices.IndexFunc(m.Factors, func(f sim.Factor) bool { return f.Name == name })
	if k < 0 {
		return fmt.Errorf("validation: the scenario has no risk factor %s", name)
	}
	m.Factors[k].Prevalence = []float64{p}
	return nil
}

// zeroOne is 1 if on, else 0: a prevalence that gives a factor to every
// child or to none.
func zeroOne(on bool) float64 {
	if on {
		return 1
	}
	return 0
}

func (v *validator) run(m *sim.Model) (*sim.Results, error) {
	res, err := sim.Run(v.ctx, m, v.opt)
	if err != nil {
		return nil, fmt.Errorf("validation: simulating %s: %w", m.Name, err)
	}
	return res, nil
}

// baselineOnly drops the policy arms: the published figures describe
// today's practice.
func baselineOnly(m *sim.Model) *sim.Model {
	m.Arms = m.Arms[:1]
	return m
}

// add records a row from the per-iteration values xs.
func (v *validator) add(r Row, xs []float64) {
	s := summary.Summarize(xs)
	r.Mean, r.P2_5, r.P97_5, r.MCSE = s.Mean, s.P2_5, s.P97_5, s.MCSE
	se := r.MCSE
	if math.IsNaN(se) {
		se = 0
	}
	if r.Direction {
		r.Pass = r.Mean+4*se < r.Hi
	} else {
		r.Pass = r.Mean >= r.Lo-4*se && r.Mean <= r.Hi+4*se
	}
	v.rows = append(v.rows, r)
}
