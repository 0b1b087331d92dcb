package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/summary"
)

// Appraisal is the part of the report that makes the case for a funding
// bid: the base case beside the probabilistic result, what would have to
// be true, the cash flow, support spend beside the costs avoided, the
// assumption register and the value of information. Tables whose files
// the folder lacks are empty, with Missing saying why.
type Appraisal struct {
	// Pack is true for the folder of reunify appraise (it has
	// basecase.csv): the report then shows every section, saying so
	// where a file is missing.
	Pack          bool
	BaseCase      Table
	BaseCaseText  string
	Breakeven     Table
	BreakevenText []string
	CashFlow      []Table
	Offsets       Table
	Register      Table
	RegisterText  string
	VOI           Table
	VOIText       []string
}

// appraisal builds the appraisal's sections from the folder and the
// chart data.
func appraisal(f *resultdir.Folder, d *Charts) *Appraisal {
	a := &Appraisal{Pack: f.BaseCase != nil}
	if len(f.Arms) > 1 {
		a.baseCase(f)
		a.breakeven(f)
		for _, cf := range d.CashFlow {
			a.CashFlow = append(a.CashFlow, cashFlowTable(cf))
		}
		a.offsets(f, d)
		a.voi(f)
	}
	a.register(f)
	return a
}

// baseCase puts basecase.csv beside comparison.csv.
func (a *Appraisal) baseCase(f *resultdir.Folder) {
	if f.BaseCase == nil {
		return
	}
	t := &a.BaseCase
	t.Caption = "Base case (every uncertain figure at its mean, so only chance varies) beside the probabilistic result (every figure drawn from its distribution)"
	a.BaseCaseText = "The base case holds every uncertain figure at its mean; the probabilistic result draws each from its distribution in every simulation, as NICE and ISPOR practice expects. Where they differ, the spread of the figures matters, not only their central values."
	if len(f.Parameters) == 0 {
		t.Caption = "Base case beside the probabilistic result: with no uncertain figure they are the same run, so any spread is chance alone"
		a.BaseCaseText = "No figure of this scenario is given as a distribution, so the base case and the probabilistic result are the same model with the same children and random numbers: they agree, their intervals are chance alone, and neither says anything about the uncertainty in the figures."
	}
	t.Header = []Cell{{Value: "policy and measure"}, {Value: "base case"}, {Value: "probabilistic: mean and 95% interval"}}
	for _, arm := range f.Arms[1:] {
		for _, m := range []struct {
			metric, label string
			format        format
		}{{summary.ReentriesAverted, "re-entries averted", countFormat}, {summary.NetSaving, "net saving (discounted)", moneyFormat},
			{summary.ROI, "return on investment", roiFormat}, {summary.ProbCostSaving, "probability of saving money", format{value: percent0}}} {
			b, okb := f.BaseCaseOf(arm, m.metric)
			p, okp := f.ComparisonOf(arm, m.metric)
			if !okb && !okp {
				continue
			}
			bc, pc := Cell{Value: "n/a"}, Cell{Value: "n/a"}
			if okb {
				bc = m.format.cell(b.Mean, math.NaN(), math.NaN())
			}
			if okp {
				pc = m.format.cell(p.Mean, p.P2_5, p.P97_5)
			}
			t.Rows = append(t.Rows, []Cell{{Value: armLabel(arm) + ": " + m.label}, bc, pc})
		}
	}
}

// breakeven states what would have to be true, from breakeven.csv.
func (a *Appraisal) breakeven(f *resultdir.Folder) {
	if len(f.Breakeven) == 0 {
		return
	}
	t := &a.Breakeven
	t.Caption = "What would have to be true: where the policy breaks even"
	t.Header = []Cell{{Value: "figure"}, {Value: "in the scenario"}, {Value: "breaks even on average at"}, {Value: "saves money with 90% probability at"}, {Value: "range searched"}}
	for _, b := range f.Breakeven {
		prob := "not asked"
		if finite(b.Prob) {
			prob = "not within the range"
			if finite(b.ValueProb) {
				prob = round3(b.ValueProb)
			}
		}
		even := "not within the range"
		if finite(b.Value) {
			even = round3(b.Value)
		}
		t.Rows = append(t.Rows, []Cell{{Value: ParamLabel(b.Param)}, {Value: round3(b.Current)}, {Value: even}, {Value: prob},
			{Value: round3(b.Lo) + " to " + round3(b.Hi)}})
		current := math.NaN()
		if c, ok := f.ComparisonOf(b.Arm, b.Metric); ok {
			current = c.Mean
		}
		a.BreakevenText = append(a.BreakevenText, breakevenSentence(b, current))
	}
}

// breakevenSentence says one break-even row in words.
// current is the mean of the searched metric at the scenario's value
// (the probabilistic run's), NaN if unknown.
func breakevenSentence(b resultdir.BreakevenRow, current float64) string {
	name := ParamLabel(b.Param)
	if !finite(b.Value) {
		s := fmt.Sprintf("No value of the %s from %s to %s makes the policy break even on average: its mean net saving keeps one sign across that range.", name, round3(b.Lo), round3(b.Hi))
		if strings.HasSuffix(b.Param, ".uptake") {
			s += " Support is paid only for the families who take it up, so uptake scales the spending and the savings together: it changes the size of the result, not its sign."
		}
		return s
	}
	s := fmt.Sprintf("The policy breaks even on average when the %s is %s (the scenario assumes %s)", name, round3(b.Value), round3(b.Current))
	if finite(b.ValueProb) {
		s += fmt.Sprintf(", and saves money with %s probability when it is %s", percent0(b.Prob), round3(b.ValueProb))
	} else if finite(b.Prob) {
		s += fmt.Sprintf("; no value in the range searched makes it save money with %s probability, because the other uncertain figures still move the result", percent0(b.Prob))
	}
	if side := savingSide(b, current); side != "" {
		s += fmt.Sprintf(". It saves money on average when the %s is %s %s", name, side, round3(b.Value))
		if strings.Contains(b.Param, "hr_") {
			// A lower hazard ratio is fewer re-entries: a stronger effect.
			s += fmt.Sprintf(" (a %s effect than that)", map[bool]string{true: "stronger", false: "weaker"}[side == "below"])
		}
	}
	return s + "."
}

// savingSide is the side of the break-even value on which the policy
// saves money, "below" or "above", from the sign of the slope: the value
// that saves money with the higher probability lies on the saving side,
// else the scenario's value does when the policy saves money there. ""
// when neither tells.
func savingSide(b resultdir.BreakevenRow, current float64) string {
	var below bool
	switch {
	case finite(b.ValueProb) && b.ValueProb != b.Value:
		below = b.ValueProb < b.Value
	case finite(current) && finite(b.Current) && current != b.Target && b.Current != b.Value:
		below = (current > b.Target) == (b.Current < b.Value)
	default:
		return ""
	}
	return map[bool]string{true: "below", false: "above"}[below]
}

// cashFlowTable is the year-by-year table of one policy.
func cashFlowTable(cf CashFlowChart) Table {
	t := Table{Caption: fmt.Sprintf("Cash flow of %s against %s, year by year. %s.", armLabel(cf.Arm), armLabel(cf.Baseline), paybackText(cf))}
	t.Header = []Cell{{Value: "year"}, {Value: "support spend (undiscounted)"}, {Value: "placement costs avoided (undiscounted)"}, {Value: "net saving in the year (discounted)"}, {Value: "running total (discounted)"}}
	for i, y := range cf.Year {
		t.Rows = append(t.Rows, []Cell{{Value: strconv.Itoa(y)}, {Value: money(cf.Support[i])}, {Value: money(cf.PlacementsAvoided[i])}, {Value: money(cf.NetSaving[i])}, {Value: money(cf.Cumulative[i])}})
	}
	return t
}

// offsets tabulates each policy's support spend beside the costs it
// avoids, with their 95% intervals.
func (a *Appraisal) offsets(f *resultdir.Folder, d *Charts) {
	if len(d.Offsets) == 0 {
		return
	}
	t := &a.Offsets
	t.Caption = "Support spend beside the costs it avoids over the horizon (undiscounted): mean and 95% interval"
	t.Header = []Cell{{Value: "policy"}}
	for _, p := range offsetParts {
		t.Header = append(t.Header, Cell{Value: p.label})
	}
	for _, o := range d.Offsets {
		row := []Cell{{Value: armLabel(o.Arm)}}
		for _, p := range offsetParts {
			c, ok := f.ComparisonOf(o.Arm, p.metric)
			if !ok {
				row = append(row, Cell{Value: "n/a"})
				continue
			}
			lo, hi := p.sign*c.P2_5, p.sign*c.P97_5
			row = append(row, moneyFormat.cell(p.sign*c.Mean, math.Min(lo, hi), math.Max(lo, hi)))
		}
		t.Rows = append(t.Rows, row)
	}
}

// register lists every uncertain parameter of the scenario as run, with
// its distribution, 95% range and source.
func (a *Appraisal) register(f *resultdir.Folder) {
	if f.Scenario.TOML == nil {
		a.RegisterText = "The folder has no scenario.toml, so its assumptions cannot be listed."
		return
	}
	sc, err := scenario.LoadBytes(resultdir.ScenarioFile, f.Scenario.TOML, nil)
	var us []scenario.Uncertain
	if err == nil {
		us, err = sc.Uncertain()
	}
	if err != nil {
		a.RegisterText = "The folder's scenario.toml cannot be read back, so its assumptions cannot be listed: " + err.Error()
		return
	}
	if len(us) == 0 {
		a.RegisterText = "No figure of this scenario is given as a distribution: every input is held fixed, so the intervals of this report reflect chance alone, not the uncertainty in the figures."
		return
	}
	assumed := 0
	t := &a.Register
	t.Class = "register"
	t.Caption = fmt.Sprintf("Assumption register: the %d uncertain figures, each drawn from its distribution in every simulation", len(us))
	t.Header = []Cell{{Value: "figure"}, {Value: "mean"}, {Value: "95% range"}, {Value: "distribution"}, {Value: "source"}}
	for _, u := range us {
		src := u.Source
		if src == "" {
			src = "not given"
		}
		if strings.HasPrefix(strings.ToLower(src), "assumption") {
			assumed++
		}
		t.Rows = append(t.Rows, []Cell{{Value: ParamLabel(u.Path) + " (" + u.Path + ")"}, {Value: paramValue(u.Path, u.Dist.Mean())},
			{Value: paramValue(u.Path, u.Dist.Quantile(0.025)) + " to " + paramValue(u.Path, u.Dist.Quantile(0.975))}, {Value: u.Dist.Kind}, {Value: src}})
	}
	a.RegisterText = fmt.Sprintf("%d of the %d are marked as assumptions: no published source gives them, so they are the figures to replace with your own first.", assumed, len(us))
}

// voiValues are the values of an averted re-entry at which the value of
// information table is shown, when voi.csv has them.
var voiValues = []float64{0, 20000, 50000}

// voi says which uncertainty is worth resolving, from voi.csv.
func (a *Appraisal) voi(f *resultdir.Folder) {
	if len(f.VOI) == 0 {
		if a.Pack {
			why := summary.NoVOIReason(len(f.Parameters), len(f.Arms), iterations(f))
			if why == "" {
				why = "the run that made the folder did not write it"
			}
			a.VOIText = []string{"This folder has no " + resultdir.VOIFile + ", so the value of information is not shown: " + why + "."}
		}
		return
	}
	var values []float64
	for _, v := range voiValues {
		if slices.ContainsFunc(f.VOI, func(r summary.VOIPoint) bool { return r.Value == v }) {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		values = []float64{f.VOI[0].Value}
	}
	at := func(param string, v float64) float64 {
		for _, r := range f.VOI {
			if r.Parameter == param && r.Value == v {
				return r.EVPI
			}
		}
		return math.NaN()
	}
	var params []string
	for _, r := range f.VOI {
		if r.Parameter != summary.AllParameters && !slices.Contains(params, r.Parameter) {
			params = append(params, r.Parameter)
		}
	}
	slices.SortStableFunc(params, func(x, y string) int { return cmp.Compare(nz(at(y, values[0])), nz(at(x, values[0]))) })
	t := &a.VOI
	t.Caption = "Value of information: the most that research removing an uncertainty would be worth, in pounds per decision over the horizon (discounted)"
	t.Header = []Cell{{Value: "uncertainty resolved"}}
	for _, v := range values {
		t.Header = append(t.Header, Cell{Value: "valuing an averted re-entry at " + money(v)})
	}
	row := func(label, param string) []Cell {
		r := []Cell{{Value: label}}
		for _, v := range values {
			r = append(r, Cell{Value: money(at(param, v))})
		}
		return r
	}
	t.Rows = append(t.Rows, row("every uncertain figure together", summary.AllParameters))
	shown := params[:min(len(params), 10)]
	for _, p := range shown {
		t.Rows = append(t.Rows, row(ParamLabel(p), p))
	}
	v0 := values[0]
	a.VOIText = append(a.VOIText, fmt.Sprintf("Valuing an averted re-entry at %s beyond the costs already counted, perfect information on every uncertain figure would be worth at most %s to this decision.", money(v0), money(at(summary.AllParameters, v0))))
	if len(shown) > 0 && nz(at(shown[0], v0)) > 0 {
		a.VOIText = append(a.VOIText, fmt.Sprintf("The uncertainty most worth resolving is the %s: research that pinned it down would be worth up to %s; research costing more is not worth doing for this decision.", ParamLabel(shown[0]), money(at(shown[0], v0))))
	} else {
		a.VOIText = append(a.VOIText, "No single figure's uncertainty is worth resolving at this value: the decision would not change.")
	}
	if len(params) > len(shown) {
		a.VOIText = append(a.VOIText, fmt.Sprintf("The %d figures worth most are listed; %s has all %d.", len(shown), resultdir.VOIFile, len(params)))
	}
}

// nz is v, or 0 for NaN (for sorting).
func nz(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// folderWarnings are the warnings reunify run printed for the folder's
// run (summary.Warnings), from what the folder holds: its iterations'
// net savings and its uncertain parameters' names.
func folderWarnings(f *resultdir.Folder) []string {
	if f.PerIteration == nil {
		return nil
	}
	res := *f.PerIteration
	res.ParamNames = f.Parameters
	return summary.Warnings(&res)
}

// intervalNote says exactly what the 95% intervals include.
func intervalNote(f *resultdir.Folder, its string) string {
	chance := "chance: which children enter care, return home, are harmed and come back"
	if n, it := len(f.Parameters), iterations(f); n > 0 && it < summary.MinIterations {
		return fmt.Sprintf("Each figure is the mean over %s simulations; below it, the 95%% interval: the middle 95%% of simulations (2.5th to 97.5th percentile). The scenario's %d uncertain figures are drawn in every simulation, but %s simulations are too few for the interval to measure their uncertainty or %s (at least %d are needed): treat it as no interval at all, and run more iterations.", its, n, its, chance, summary.MinIterations)
	} else if n > 0 {
		return fmt.Sprintf("Each figure is the mean over %s simulations; below it, the 95%% interval: the middle 95%% of simulations (2.5th to 97.5th percentile). It includes the uncertainty in the scenario's %d uncertain figures (each drawn from its distribution in every simulation; the assumption register lists them) and %s. It does not include uncertainty in the figures held fixed or in the model's structure.", its, n, chance)
	}
	return fmt.Sprintf("Each figure is the mean over %s simulations; below it, the 95%% interval: the middle 95%% of simulations (2.5th to 97.5th percentile). No figure of this scenario is given as a distribution, so the interval is chance alone (%s); it does not include any uncertainty in the scenario's figures.", its, strings.TrimPrefix(chance, "chance: "))
}

// sectionCharts are the name prefixes of the charts the report shows in
// sections of their own, not under "Charts".
var sectionCharts = []string{"tornado", "cash-flow-", "support-and-savings-", "acceptability"}

// ChartsNamed returns the report's charts whose names start with prefix.
func (r *Report) ChartsNamed(prefix string) []ReportChart {
	var out []ReportChart
	for _, c := range r.Charts {
		if strings.HasPrefix(c.Name, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// OtherCharts returns the charts not shown in a section of their own.
func (r *Report) OtherCharts() []ReportChart {
	var out []ReportChart
	for _, c := range r.Charts {
		if !slices.ContainsFunc(sectionCharts, func(p string) bool { return strings.HasPrefix(c.Name, p) }) {
			out = append(out, c)
		}
	}
	return out
}

// packFindings are the key findings an appraisal pack adds: the first
// policy's base case, what would have to be true, and when it pays back.
func packFindings(f *resultdir.Folder, d *Charts, a *Appraisal) []string {
	if !a.Pack || len(f.Arms) < 2 {
		return nil
	}
	arm := f.Arms[1]
	var out []string
	if b, ok := f.BaseCaseOf(arm, summary.NetSaving); ok && finite(b.Mean) {
		verb, v := "saves %s against %s", b.Mean
		if v < 0 {
			verb, v = "costs %s more than %s", -v
		}
		out = append(out, fmt.Sprintf("In the base case, with every uncertain figure at its mean, %s "+verb+".", armLabel(arm), money(v), armLabel(f.Arms[0])))
	}
	if len(a.BreakevenText) > 0 {
		out = append(out, a.BreakevenText[0])
	}
	for _, cf := range d.CashFlow {
		if cf.Arm == arm {
			out = append(out, paybackText(cf)+".")
		}
	}
	return out
}
