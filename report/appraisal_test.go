package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// appraisalDir is the pack of reunify appraise on the local-authority
// scenario at 10 iterations, with a hand-made voi.csv in the columns the
// run writes (value_per_reentry_averted, parameter, evpi).
const appraisalDir = "testdata/appraisal"

func loadAppraisal(t *testing.T) *resultdir.Folder {
	t.Helper()
	f, err := resultdir.LoadFolder(appraisalDir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// cells reads a CSV file of dir as rows of strings by column.
func cells(t *testing.T, dir, name string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// cellNum parses a CSV cell exactly.
func cellNum(t *testing.T, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("cell %q: %v", s, err)
	}
	return v
}

// dumpAppraisal writes every number behind the appraisal's charts and
// tables, as the CSV files write numbers, for a golden file.
func dumpAppraisal(w *bytes.Buffer, f *resultdir.Folder, c *Charts) {
	n := resultdir.FormatNumber
	for _, t := range c.Tornado {
		fmt.Fprintf(w, "tornado bars: %q\n", t.Arm)
		for _, b := range TornadoBars(t) {
			fmt.Fprintf(w, "  %s: from %s to %s and %s\n", b.Label, n(b.From), n(b.ToLow), n(b.ToHigh))
		}
	}
	for _, cf := range c.CashFlow {
		fmt.Fprintf(w, "cash flow: %s against %s, payback year %d\n", cf.Arm, cf.Baseline, cf.Payback)
		for i, y := range cf.Year {
			fmt.Fprintf(w, "  year %d: baseline %s, policy %s, net saving %s, running total %s, support %s, placements avoided %s\n",
				y, n(cf.BaselineCost[i]), n(cf.PolicyCost[i]), n(cf.NetSaving[i]), n(cf.Cumulative[i]), n(cf.Support[i]), n(cf.PlacementsAvoided[i]))
		}
	}
	for _, o := range c.Offsets {
		fmt.Fprintf(w, "support and savings: %s:", o.Arm)
		for k, v := range o.values() {
			fmt.Fprintf(w, " %s %s;", offsetParts[k].label, n(v))
		}
		fmt.Fprintln(w)
	}
	for _, b := range f.Breakeven {
		fmt.Fprintf(w, "breakeven: %s: current %s, value %s, value_prob %s (prob %s), bracket %s to %s\n", b.Param, n(b.Current), n(b.Value), n(b.ValueProb), n(b.Prob), n(b.Lo), n(b.Hi))
	}
	for _, v := range f.VOI {
		fmt.Fprintf(w, "voi: %s at %s: %s\n", v.Parameter, n(v.Value), n(v.EVPI))
	}
	for _, b := range f.BaseCase {
		if b.Metric == summary.NetSaving || b.Metric == summary.ReentriesAverted {
			fmt.Fprintf(w, "base case: %s %s: %s\n", b.Arm, b.Metric, n(b.Mean))
		}
	}
}

// appraisalText renders the appraisal's sections as text.
func appraisalText(a *Appraisal) string {
	var b strings.Builder
	table := func(t Table) {
		if len(t.Rows) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s\n", t.Caption)
		for _, row := range t.Rows {
			var cs []string
			for _, c := range row {
				s := c.Value
				if c.Interval != "" {
					s += " (" + c.Interval + ")"
				}
				cs = append(cs, s)
			}
			fmt.Fprintf(&b, "%s\n", strings.Join(cs, " | "))
		}
	}
	table(a.BaseCase)
	table(a.Breakeven)
	for _, s := range a.BreakevenText {
		fmt.Fprintf(&b, "%s\n", s)
	}
	for _, t := range a.CashFlow {
		table(t)
	}
	table(a.Offsets)
	fmt.Fprintf(&b, "\n%s\n", a.RegisterText)
	table(a.Register)
	table(a.VOI)
	for _, s := range a.VOIText {
		fmt.Fprintf(&b, "%s\n", s)
	}
	return b.String()
}

// TestAppraisalGolden records the numbers behind the appraisal's charts
// and tables, and its sections as the report words them.
func TestAppraisalGolden(t *testing.T) {
	f := loadAppraisal(t)
	c := ChartData(f)
	var buf bytes.Buffer
	dumpAppraisal(&buf, f, c)
	resultstest.Golden(t, "appraisal-chartdata.txt", buf.Bytes())
	charts, err := BuildCharts(f, c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReport(f, charts)
	if err != nil {
		t.Fatal(err)
	}
	resultstest.Golden(t, "appraisal-sections.txt", []byte(headlineText(r)+appraisalText(r.Appraisal)))
}

// TestAppraisalChartsAreTheCSV checks the numbers behind the new charts
// against the CSV cells they come from: the cash flow's costs are
// yearly.csv's cells bit for bit and its net saving their difference; the
// support-and-savings bars are comparison.csv's cells (negated for a cost
// avoided); the tornado's bars start at tornado.csv's base cell.
func TestAppraisalChartsAreTheCSV(t *testing.T) {
	f := loadAppraisal(t)
	c := ChartData(f)
	yearly := map[string]string{}
	for _, r := range cells(t, appraisalDir, resultdir.YearlyFile) {
		yearly[r["arm"]+"/"+r["year"]+"/"+r["metric"]] = r["mean"]
	}
	if len(c.CashFlow) != 1 {
		t.Fatalf("%d cash flows, want 1", len(c.CashFlow))
	}
	cf := c.CashFlow[0]
	if len(cf.Year) != 5 {
		t.Fatalf("cash flow of %d years, want 5", len(cf.Year))
	}
	cum := 0.0
	for i, y := range cf.Year {
		key := func(arm, m string) string { return fmt.Sprintf("%s/%d/%s", arm, y, m) }
		base := cellNum(t, yearly[key(cf.Baseline, sim.MCostTotalDiscounted)])
		pol := cellNum(t, yearly[key(cf.Arm, sim.MCostTotalDiscounted)])
		if !same(cf.BaselineCost[i], yearly[key(cf.Baseline, sim.MCostTotalDiscounted)]) || !same(cf.PolicyCost[i], yearly[key(cf.Arm, sim.MCostTotalDiscounted)]) {
			t.Errorf("year %d: costs %v and %v are not the cells", y, cf.BaselineCost[i], cf.PolicyCost[i])
		}
		if cf.NetSaving[i] != base-pol {
			t.Errorf("year %d: net saving %v, want %v - %v", y, cf.NetSaving[i], base, pol)
		}
		cum += base - pol
		if cf.Cumulative[i] != cum {
			t.Errorf("year %d: running total %v, want %v", y, cf.Cumulative[i], cum)
		}
		if !same(cf.Support[i], yearly[key(cf.Arm, sim.MCostSupport)]) {
			t.Errorf("year %d: support %v, cell %s", y, cf.Support[i], yearly[key(cf.Arm, sim.MCostSupport)])
		}
		if (cf.Payback == y) != (cum >= 0 && (i == 0 || cf.Cumulative[i-1] < 0) && (cf.Payback == 0 || cf.Payback >= y)) && cf.Payback == y {
			t.Errorf("payback year %d, but the running total there is %v", cf.Payback, cum)
		}
	}
	for _, r := range cells(t, appraisalDir, resultdir.ComparisonFile) {
		for k, p := range offsetParts {
			if r["metric"] == p.metric && c.Offsets[0].values()[k] != p.sign*cellNum(t, r["mean"]) {
				t.Errorf("%s: bar %v, comparison.csv %s", p.label, c.Offsets[0].values()[k], r["mean"])
			}
		}
	}
	rows := cells(t, appraisalDir, resultdir.TornadoFile)
	bars := TornadoBars(c.Tornado[0])
	if len(bars) != min(len(rows), maxTornadoBars) {
		t.Fatalf("%d bars for %d rows", len(bars), len(rows))
	}
	for i, b := range bars {
		if !same(b.From, rows[i]["base"]) || !same(b.ToLow, rows[i]["metric_at_low"]) || !same(b.ToHigh, rows[i]["metric_at_high"]) {
			t.Errorf("bar %d (%s): from %v to %v and %v; tornado.csv %v", i, b.Label, b.From, b.ToLow, b.ToHigh, rows[i])
		}
	}
}

// TestTornadoBarsStartAtTheBaseCase: every bar starts at the base case
// (the metric with every parameter at its mean), not at the midpoint of
// its ends, even when the base lies outside the bar's two ends; only a
// tornado.csv without a base column falls back to the midpoint.
func TestTornadoBarsStartAtTheBaseCase(t *testing.T) {
	rows := []resultdir.TornadoRow{
		{Parameter: "package.s.post.hr_reentry", LowValue: 0.5, HighValue: 0.9, MetricAtLow: 600000, MetricAtHigh: -100000, Swing: 700000, Metric: summary.NetSaving, Base: 100000},
		{Parameter: "costs.entry", LowValue: 1000, HighValue: 3000, MetricAtLow: 150000, MetricAtHigh: 120000, Swing: 30000, Metric: summary.NetSaving, Base: 100000},
	}
	for _, b := range TornadoBars(TornadoChart{Rows: rows}) {
		if b.From != 100000 {
			t.Errorf("%s starts at %v, want the base case 100000", b.Label, b.From)
		}
	}
	// The midpoint of the first bar would be 250000: not where it starts.
	old := slicesClone(rows)
	for i := range old {
		old[i].Base = math.NaN()
	}
	if b := TornadoBars(TornadoChart{Rows: old}); b[0].From != 250000 {
		t.Errorf("without a base column the bar starts at %v, want the midpoint 250000", b[0].From)
	}
	// The drawn chart puts its base line at the base case and names the
	// metric and its unit on the axis.
	f := loadAppraisal(t)
	c := ChartData(f)
	ch, err := tornadoChart(newChartContext(f), c.Tornado[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := ch.plot.X.Label.Text; got != "net saving (£, discounted, 2024 prices)" {
		t.Errorf("tornado axis %q", got)
	}
	if !strings.Contains(ch.Note, "starts at the base case") {
		t.Errorf("tornado note %q does not say the bars start at the base case", ch.Note)
	}
}

func slicesClone(rows []resultdir.TornadoRow) []resultdir.TornadoRow {
	return append([]resultdir.TornadoRow(nil), rows...)
}

// TestParamLabelsAndValuesAreReadable: labels are words, not paths, and
// values are rounded, never in exponent notation.
func TestParamLabelsAndValuesAreReadable(t *testing.T) {
	for path, want := range map[string]string{
		"package.post_return_support.post.hr_reentry": "post return support: re-entry hazard ratio after return",
		"param.package.support.uptake":                "support: uptake",
		"placement.childrens_home.weekly_cost":        "childrens home weekly cost",
		"home.reentry.cumulative.1":                   "re-entry curve, point 2",
		"costs.social_work_per_month":                 "cost of social work a month",
	} {
		if got := ParamLabel(path); got != want {
			t.Errorf("ParamLabel(%q) = %q, want %q", path, got, want)
		}
	}
	for v, want := range map[float64]string{0.482598375: "0.483", 4012.6: "4,010", 1e-7: "0.0000001", 1.25e12: "1,250,000,000,000", 0: "0", -0.0311: "-0.0311", 1000: "1,000"} {
		if got := round3(v); got != want {
			t.Errorf("round3(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestAppraisalReportWordsEverySection: the page of a pack has every
// section, money never in exponent notation, and the acceptability
// caption values an averted re-entry beyond the costs already counted.
func TestAppraisalReportWordsEverySection(t *testing.T) {
	dir := t.TempDir()
	for _, e := range mustReadDir(t, appraisalDir) {
		b, err := os.ReadFile(filepath.Join(appraisalDir, e))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path, err := WriteReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, id := range []string{"findings-h", "headline-h", "basecase-h", "tornado-h", "breakeven-h", "cashflow-h", "offsets-h", "register-h", "voi-h", "acceptability-h", "notes-h"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("the report lacks the section %s", id)
		}
	}
	text := svgTag.ReplaceAllString(page[:strings.Index(page, `id="run-h"`)], "") // not the checksums
	if m := exponent.FindString(text); m != "" {
		t.Errorf("the report writes a number in exponent notation: %q", m)
	}
	for _, want := range []string{"pay back", "beyond the costs already counted", "wellbeing, not the cost of care", "uncertain figures", "the most that research"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(page, "61,614") {
		t.Error("the report still suggests valuing an averted re-entry at a year of care")
	}
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestIntervalNoteSaysWhatItIncludes: with uncertain figures the note
// names them; without, it says the interval is chance alone.
func TestIntervalNoteSaysWhatItIncludes(t *testing.T) {
	f := &resultdir.Folder{Parameters: []string{"a", "b"}, PerIteration: &sim.Results{Iterations: make([]int, 100)}}
	if got := intervalNote(f, "100"); !strings.Contains(got, "2 uncertain figures") || strings.Contains(got, "chance alone") {
		t.Errorf("with parameters: %q", got)
	}
	// Too few iterations: the interval is not said to include the
	// uncertainty (at 1 iteration it is a single simulation's value).
	for _, n := range []int{1, 2, summary.MinIterations - 1} {
		f.PerIteration.Iterations = make([]int, n)
		if got := intervalNote(f, fmt.Sprint(n)); strings.Contains(got, "includes the uncertainty") || !strings.Contains(got, "too few") {
			t.Errorf("%d iterations: %q", n, got)
		}
	}
	f.Parameters = nil
	if got := intervalNote(f, "10"); !strings.Contains(got, "chance alone") || strings.Contains(got, "uncertain figures (") {
		t.Errorf("without parameters: %q", got)
	}
}

// TestBreakevenDirection: the side on which the policy saves money comes
// from the slope, in both directions, whether value_prob or the
// scenario's own result tells it; a hazard ratio above the break-even is
// never called the effect "needed".
func TestBreakevenDirection(t *testing.T) {
	nan := math.NaN()
	hr := "package.p.post.hr_reentry"
	for _, c := range []struct {
		name    string
		row     resultdir.BreakevenRow
		current float64
		side    string
	}{
		{"saves at the scenario's value, break-even above it", resultdir.BreakevenRow{Param: hr, Value: 0.838, Current: 0.7, ValueProb: nan}, 5000, "below"},
		{"costs at the scenario's value, break-even below it", resultdir.BreakevenRow{Param: hr, Value: 0.6, Current: 0.7, ValueProb: nan}, -5000, "below"},
		{"saves at the scenario's value, break-even below it (rising slope)", resultdir.BreakevenRow{Param: hr, Value: 0.6, Current: 0.7, ValueProb: nan}, 5000, "above"},
		{"value_prob below the break-even", resultdir.BreakevenRow{Param: hr, Value: 0.838, Current: 0.7, ValueProb: 0.6, Prob: 0.9}, nan, "below"},
		{"value_prob above the break-even", resultdir.BreakevenRow{Param: "package.p.uptake", Value: 0.4, Current: 0.8, ValueProb: 0.6, Prob: 0.9}, nan, "above"},
		{"nothing tells", resultdir.BreakevenRow{Param: hr, Value: 0.838, Current: 0.838, ValueProb: nan}, nan, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := savingSide(c.row, c.current); got != c.side {
				t.Fatalf("savingSide = %q, want %q", got, c.side)
			}
			s := breakevenSentence(c.row, c.current)
			if c.side != "" && !strings.Contains(s, "saves money on average when the "+ParamLabel(c.row.Param)+" is "+c.side) {
				t.Errorf("the sentence does not say the saving side %q: %s", c.side, s)
			}
			if strings.Contains(s, "above") && strings.Contains(s, "stronger") || strings.Contains(s, "below") && strings.Contains(s, "weaker") {
				t.Errorf("the sentence gets the effect's direction wrong: %s", s)
			}
		})
	}
}

// TestPaybackWithoutSpend: a policy that spends nothing on support (an
// arm with no packages) is not said to pay back.
func TestPaybackWithoutSpend(t *testing.T) {
	cf := CashFlowChart{Year: []int{1, 2}, Support: []float64{0, 0}, NetSaving: []float64{0, 0}, Cumulative: []float64{0, 0}, Payback: 1}
	if s := paybackText(cf); strings.Contains(s, "pays back") || !strings.Contains(s, "no spend to pay back") {
		t.Errorf("no spend: %q", s)
	}
	cf.Support = []float64{100, 100}
	if s := paybackText(cf); !strings.Contains(s, "pays back in year 1") {
		t.Errorf("with spend: %q", s)
	}
}

// TestVOIMissingReason: a pack without voi.csv says the true reason, from
// summary's rule: too few iterations at 1, 2 and 29 (not "needs an
// uncertain figure and two arms"), no uncertain figure when none is.
func TestVOIMissingReason(t *testing.T) {
	for _, c := range []struct {
		iterations int
		params     []string
		want       string
	}{
		{1, []string{"a"}, "1 iterations are too few"}, {2, []string{"a"}, "2 iterations are too few"},
		{summary.MinIterations - 1, []string{"a", "b"}, fmt.Sprintf("%d iterations are too few", summary.MinIterations-1)},
		{100, nil, "no figure of the scenario is uncertain"},
	} {
		f := &resultdir.Folder{Arms: []string{"baseline", "policy"}, Parameters: c.params,
			PerIteration: &sim.Results{Iterations: make([]int, c.iterations)}}
		a := &Appraisal{Pack: true}
		a.voi(f)
		if len(a.VOIText) != 1 || !strings.Contains(a.VOIText[0], c.want) {
			t.Errorf("%d iterations, %d parameters: %q, want it to say %q", c.iterations, len(c.params), a.VOIText, c.want)
		}
	}
}

// TestBaseCaseWithNothingUncertain: with no uncertain figure the base-case
// section does not say the probabilistic result draws figures from their
// distributions; it says the spread is chance alone.
func TestBaseCaseWithNothingUncertain(t *testing.T) {
	cmp := []summary.Comparison{{Arm: "policy", Baseline: "baseline", Metric: summary.NetSaving, Mean: 1, P2_5: 0, P97_5: 2}}
	for _, params := range [][]string{nil, {"a"}} {
		f := &resultdir.Folder{Arms: []string{"baseline", "policy"}, Parameters: params, BaseCase: cmp, Comparison: cmp}
		a := &Appraisal{Pack: true}
		a.baseCase(f)
		text := a.BaseCaseText + " " + a.BaseCase.Caption
		if draws := strings.Contains(text, "draws each") || strings.Contains(text, "drawn from its distribution"); draws == (params == nil) {
			t.Errorf("%d parameters: %q", len(params), text)
		}
		if params == nil && !strings.Contains(text, "chance alone") {
			t.Errorf("no parameters: %q does not say chance alone", text)
		}
	}
}

// TestParamValueMoney: a cost is shown in pounds, a rate or ratio not.
func TestParamValueMoney(t *testing.T) {
	for path, want := range map[string]string{
		"costs.entry": "£2,000", "package.p.post.cost_per_month": "£2,000", "placement.childrens_home.weekly_cost": "£2,000",
		"package.p.post.hr_reentry": "2,000", "param.costs.reentry": "£2,000",
	} {
		if got := paramValue(path, 2000); got != want {
			t.Errorf("paramValue(%s) = %q, want %q", path, got, want)
		}
	}
}
