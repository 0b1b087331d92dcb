package validation

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"

	"github.com/reunify/reunify/output"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
)

// Unit says how a row's numbers read.
type Unit int

// Units of a row.
const (
	Share      Unit = iota // a proportion, shown as a percentage
	Pounds                 // money
	Difference             // a difference of proportions, in percentage points
)

// Row is one published figure set against the simulation.
type Row struct {
	Figure     string // what is compared
	Source     string // who published it
	Population string // which population the simulated value describes
	Scenario   string // the shipped scenario run (and any variant)
	Metric     string // the simulated metric
	Published  string // the figure as published
	Unit       Unit
	// Lo and Hi bound the band the published figure allows; Tolerance
	// says why the band is that wide. A direction row ("lower") has
	// Lo = -Inf and Hi = 0 and passes only when the whole Monte Carlo
	// interval (mean + 4 MCSE) is below 0.
	Lo, Hi    float64
	Tolerance string
	Direction bool
	// The simulated value across iterations.
	Mean, P2_5, P97_5, MCSE float64
	Pass                    bool
}

// Options controls a validation run.
type Options struct {
	Iterations int
	Seed       uint64
	Workers    int
	// Progress, if set, is incremented once per simulated iteration of
	// any of the runs; Runs says how many runs there are.
	Progress *atomic.Int64
}

// Runs is the number of simulation runs Run makes, for sizing a progress
// bar: Runs x Options.Iterations iterations in all.
const Runs = 17

// Run simulates the shipped scenarios in fsys (scenarios.FS, or a folder
// of edited copies) and returns one row per published figure.
func Run(ctx context.Context, fsys fs.FS, opt Options) ([]Row, error) {
	v := &validator{ctx: ctx, fsys: fsys, opt: opt}
	for _, step := range []func() error{v.england, v.substance, v.costStudy, v.residential, v.uea, v.authorities} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return v.rows, nil
}

type validator struct {
	ctx  context.Context
	fsys fs.FS
	opt  Options
	rows []Row
	// models are the scenarios built so far, by file name.
	models map[string]*sim.Model
}

// load returns a copy of a shipped scenario's model, free to change; each
// file is read and built once.
func (v *validator) load(name string) (*sim.Model, error) {
	if m, ok := v.models[name]; ok {
		return m.Clone(), nil
	}
	data, err := fs.ReadFile(v.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	sc, err := scenario.LoadBytes(name, data, nil)
	if err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	m, _, err := sc.Build()
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
	res, err := sim.Run(v.ctx, m, sim.Options{
		Iterations: v.opt.Iterations,
		Seed:       v.opt.Seed,
		Workers:    v.opt.Workers,
		Progress:   v.opt.Progress,
	})
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
	s := output.Summarize(xs)
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

// rounded is the band of a percentage published to the whole percent.
func rounded(p float64) (lo, hi float64, why string) {
	return p - 0.005, p + 0.005, "published to the whole percent (±0.5 points)"
}

func (v *validator) england() error {
	m, err := v.load("england.toml")
	if err != nil {
		return err
	}
	res, err := v.run(baselineOnly(m))
	if err != nil {
		return err
	}
	pop := "England, every return home over 10 years, today's practice"
	for _, c := range []struct {
		metric, figure, source string
		p                      float64
	}{
		{sim.MReentryRate3, "Back in care within 3 months of a return", "DfE and NSPCC 2024", 0.12},
		{sim.MReentryRate12, "Back in care within 12 months of a return", "DfE and NSPCC 2024", 0.20},
		{sim.MReentryRate60, "Back in care within 5 years of a return", "DfE 2013 (children who went home in 2006-07)", 0.30},
		{sim.MReentryRate72, "Back in care within 6 years of a return", "NSPCC 2024, Home Again", 0.35},
	} {
		lo, hi, why := rounded(c.p)
		v.add(Row{Figure: c.figure, Source: c.source, Population: pop, Scenario: "england.toml", Metric: c.metric,
			Published: pct(c.p), Lo: lo, Hi: hi, Tolerance: why}, res.Column(0, c.metric))
	}
	v.add(Row{Figure: "Returns home as a share of exits from care", Source: "DfE 2024 (29%); NSPCC briefing (34%)",
		Population: pop, Scenario: "england.toml", Metric: sim.MReturnShareOfExits, Published: "27%-34%",
		Lo: 0.27, Hi: 0.34, Tolerance: "the range of the published figures"}, res.Column(0, sim.MReturnShareOfExits))
	// Farmer 2011 followed 180 children: its 46% has a sampling error of
	// sqrt(0.46 x 0.54 / 180) = 3.7 points.
	se := math.Sqrt(0.46 * 0.54 / 180)
	v.add(Row{Figure: "Re-abused or neglected within 2 years of a return (unsupported)", Source: "Farmer 2011 (180 children)",
		Population: pop, Scenario: "england.toml", Metric: sim.MMaltreatmentRate24, Published: "46%",
		Lo: 0.46 - 1.96*se, Hi: 0.46 + 1.96*se, Tolerance: "1.96 standard errors of a share of 180 children (±7.3 points)"},
		res.Column(0, sim.MMaltreatmentRate24))
	// The published curve between 20% at 12 months and 30% at 60 months,
	// with a constant hazard in between, passes 22.6% at 24 months.
	at24 := 1 - 0.8*math.Pow(0.7/0.8, 12.0/48)
	v.add(Row{Figure: "Back in care within 2 years, while 46% are maltreated (maltreatment does not always end a return)",
		Source: "DfE and NSPCC 2024; DfE 2013 (interpolated)", Population: pop, Scenario: "england.toml",
		Metric: sim.MReentryRate24, Published: pct(at24), Lo: at24 - 0.02, Hi: at24 + 0.02,
		Tolerance: "interpolated between the published 12- and 60-month points (±2 points)"},
		res.Column(0, sim.MReentryRate24))
	return nil
}

func (v *validator) substance() error {
	for _, c := range []struct {
		prevalence float64
		figure     string
		p          float64
	}{
		{1, "Maltreated within 2 years of a return: parents misusing substances", 0.78},
		{0, "Maltreated within 2 years of a return: parents not misusing substances", 0.29},
	} {
		m, err := v.load("england.toml")
		if err != nil {
			return err
		}
		if err := setPrevalence(m, "parental_substance_misuse", c.prevalence); err != nil {
			return err
		}
		res, err := v.run(baselineOnly(m))
		if err != nil {
			return err
		}
		who := "every"
		if c.prevalence == 0 {
			who = "no"
		}
		v.add(Row{Figure: c.figure, Source: "Farmer 2011", Scenario: fmt.Sprintf("england.toml, substance misuse prevalence %v", c.prevalence),
			Population: "England, every return home, " + who + " parent misusing substances", Metric: sim.MMaltreatmentRate24,
			Published: pct(c.p), Lo: c.p - 0.05, Hi: c.p + 0.05, Tolerance: "within 5 points"},
			res.Column(0, sim.MMaltreatmentRate24))
	}
	return nil
}

func (v *validator) costStudy() error {
	m, err := v.load("england-2013.toml")
	if err != nil {
		return err
	}
	res, err := v.run(m)
	if err != nil {
		return err
	}
	pop := "the 10,080 children who went home in 2012-13 (national cost study)"
	returns, reentries := res.Column(0, sim.MReturnsHome), res.Column(0, sim.MReentries)
	share := make([]float64, len(returns))
	for i := range share {
		share[i] = reentries[i] / returns[i]
	}
	lo, hi, why := rounded(0.47)
	v.add(Row{Figure: "Returns that broke down", Source: "Holmes 2014 via NSPCC (4,738 of 10,080)", Population: pop,
		Scenario: "england-2013.toml", Metric: "reentries / returns_home", Published: "47%", Lo: lo, Hi: hi, Tolerance: why}, share)
	failed := 4738 * 61614.0
	v.add(Row{Figure: "Yearly cost of failed returns", Source: "Holmes 2014 (4,738 x £61,614; reported as about £300m)",
		Population: pop, Scenario: "england-2013.toml", Metric: sim.MCostOneOff + " (baseline)", Published: "£291.9m",
		Unit: Pounds, Lo: failed * 0.97, Hi: failed * 1.03, Tolerance: "within 3%"}, res.Column(0, sim.MCostOneOff))
	support := 10080 * 5627.0
	v.add(Row{Figure: "Yearly cost of supporting every return", Source: "Holmes 2014 (10,080 x £5,627; reported as about £56m)",
		Population: pop, Scenario: "england-2013.toml", Metric: sim.MCostSupport + " (support_every_return)", Published: "£56.7m",
		Unit: Pounds, Lo: support * 0.97, Hi: support * 1.03, Tolerance: "within 3%"}, res.Column(1, sim.MCostSupport))
	return nil
}

func (v *validator) residential() error {
	m, err := v.load("residential-step-down.toml")
	if err != nil {
		return err
	}
	res, err := v.run(baselineOnly(m))
	if err != nil {
		return err
	}
	k := slices.Index(res.Yearly, sim.MCostPlacements)
	year1 := make([]float64, len(res.Outcomes[0]))
	for i, o := range res.Outcomes[0] {
		year1[i] = o.Yearly[k]
	}
	v.add(Row{Figure: "Yearly cost of 11 children in high-cost residential placements", Source: "NSPCC 2024, Home Again (Coventry)",
		Population: "one authority's 11 highest-cost children, first year, today's practice", Scenario: "residential-step-down.toml",
		Metric: "year 1 " + sim.MCostPlacements, Published: "about £4m", Unit: Pounds, Lo: 3.6e6, Hi: 4.4e6,
		Tolerance: "±10%: the quote is \"close to about £4 million\""}, year1)
	return nil
}

// uea checks the directions of the UEA 2020 study: each factor makes a
// stable return (24 months at home) less likely. Each factor is compared
// present in every child against absent in every child, in a cohort
// returning home, with the same random numbers, so the difference is the
// factor's alone.
func (v *validator) uea() error {
	cohort := func() (*sim.Model, error) {
		m, err := v.load("england.toml")
		if err != nil {
			return nil, err
		}
		m = baselineOnly(m)
		m.Horizon = 36
		m.Cohort = sim.Population{
			Count:              20000,
			AgeShares:          m.Entries.AgeShares,
			PlacementShares:    m.Entries.PlacementShares,
			MeanMonthsInCare:   12,
			PriorFailedReturns: 0.1,
		}
		m.Stock.Count, m.Entries.PerMonth = 0, 0
		return m, nil
	}
	// force returns a change that makes a history factor present (or
	// absent) in every child: its ratios become a risk factor of
	// prevalence 1 (or 0).
	force := func(get func(h *sim.History) *sim.Ratios) func(m *sim.Model, on bool) error {
		return func(m *sim.Model, on bool) error {
			r := get(&m.History)
			m.Factors = append(m.Factors, sim.Factor{Name: "forced", Prevalence: []float64{zeroOne(on)}, HR: *r})
			*r = sim.One
			return nil
		}
	}
	factor := func(name string) func(m *sim.Model, on bool) error {
		return func(m *sim.Model, on bool) error { return setPrevalence(m, name, zeroOne(on)) }
	}
	for _, c := range []struct {
		figure string
		set    func(m *sim.Model, on bool) error
	}{
		{"Older at return (12-17): stable returns less likely", force(func(h *sim.History) *sim.Ratios { return &h.Older })},
		{"Deprivation: stable returns less likely", factor("deprivation")},
		{"3 or more placements: stable returns less likely", force(func(h *sim.History) *sim.Ratios { return &h.ManyPlacements })},
		{"Under 6 months in care before the return: stable returns less likely", force(func(h *sim.History) *sim.Ratios { return &h.ShortCare })},
		{"A previous failed return: stable returns less likely", force(func(h *sim.History) *sim.Ratios { return &h.PriorFailure })},
	} {
		var stable [2][]float64
		for i, on := range []bool{true, false} {
			m, err := cohort()
			if err != nil {
				return err
			}
			if err := c.set(m, on); err != nil {
				return err
			}
			res, err := v.run(m)
			if err != nil {
				return err
			}
			stable[i] = res.Column(0, sim.MStableRate24)
		}
		diff := make([]float64, len(stable[0]))
		for i := range diff {
			diff[i] = stable[0][i] - stable[1][i]
		}
		v.add(Row{Figure: c.figure, Source: "UEA 2020 (2,208 children)", Scenario: "england.toml, a returning cohort",
			Population: "20,000 children returning home, with the factor against without it (same random numbers)",
			Metric:     "difference in " + sim.MStableRate24, Published: "lower", Unit: Difference, Direction: true,
			Lo: math.Inf(-1), Hi: 0, Tolerance: "below 0 by more than 4 Monte Carlo standard errors"}, diff)
	}
	return nil
}

func (v *validator) authorities() error {
	for _, c := range []struct {
		file string
		p    float64
	}{{"authority-low-reentry.toml", 0.11}, {"authority-high-reentry.toml", 0.59}} {
		m, err := v.load(c.file)
		if err != nil {
			return err
		}
		res, err := v.run(baselineOnly(m))
		if err != nil {
			return err
		}
		lo, hi, why := rounded(c.p)
		v.add(Row{Figure: "Back in care within 5 years: " + strings.TrimSuffix(strings.TrimPrefix(c.file, "authority-"), ".toml") + " authority",
			Source: "DfE, in the NSPCC briefing (11% to 59% between authorities)", Population: "one authority's returns home over 7 years",
			Scenario: c.file, Metric: sim.MReentryRate60, Published: pct(c.p), Lo: lo, Hi: hi, Tolerance: why}, res.Column(0, sim.MReentryRate60))
	}
	return nil
}

func pct(p float64) string { return strconv.FormatFloat(100*p, 'f', 1, 64) + "%" }

// Header is the header row of validation.csv.
var Header = []string{"figure", "source", "population", "scenario", "metric", "published",
	"pass_low", "pass_high", "tolerance", "simulated_mean", "simulated_p2_5", "simulated_p97_5", "mcse", "pass"}

// WriteCSV writes the rows as validation.csv.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write(Header)
	for _, r := range rows {
		cw.Write([]string{r.Figure, r.Source, r.Population, r.Scenario, r.Metric, r.Published,
			output.FormatNumber(r.Lo), output.FormatNumber(r.Hi), r.Tolerance,
			output.FormatNumber(r.Mean), output.FormatNumber(r.P2_5), output.FormatNumber(r.P97_5),
			output.FormatNumber(r.MCSE), strconv.FormatBool(r.Pass)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable prints the rows for a person: figure, published value, the
// simulated mean with its 95% interval across iterations, and the verdict.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tpublished\tsimulated (95% interval)\tpass band\tresult")
	for _, r := range rows {
		verdict := "pass"
		if !r.Pass {
			verdict = "FAIL"
		}
		band := r.show(r.Lo) + " to " + r.show(r.Hi)
		if r.Direction {
			band = "below 0"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s (%s to %s)\t%s\t%s\n", r.Figure, r.Published,
			r.show(r.Mean), r.show(r.P2_5), r.show(r.P97_5), band, verdict)
	}
	return tw.Flush()
}

func (r Row) show(x float64) string {
	switch r.Unit {
	case Pounds:
		return "£" + strconv.FormatFloat(x/1e6, 'f', 1, 64) + "m"
	case Difference:
		return strconv.FormatFloat(100*x, 'f', 1, 64) + " pts"
	}
	return pct(x)
}

// Failed counts the rows that did not pass.
func Failed(rows []Row) int {
	n := 0
	for _, r := range rows {
		if !r.Pass {
			n++
		}
	}
	return n
}
