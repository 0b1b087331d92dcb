package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// fixtureDir is a hand-made result folder with three arms, six
// iterations, two years, a tornado.csv and an acceptability.csv.
const fixtureDir = "testdata/report/folder"

// dumpCharts writes every number behind every chart, as the CSV files
// write numbers, for golden files.
func dumpCharts(w io.Writer, c *Charts) {
	nums := func(xs []float64) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = resultdir.FormatNumber(x)
		}
		return strings.Join(s, " ")
	}
	for _, ns := range c.NetSaving {
		fmt.Fprintf(w, "net saving: %s against %s: mean %s, p2_5 %s, p97_5 %s, prob_cost_saving %s\n",
			ns.Arm, ns.Baseline, resultdir.FormatNumber(ns.Mean), resultdir.FormatNumber(ns.P2_5), resultdir.FormatNumber(ns.P97_5), resultdir.FormatNumber(ns.ProbCostSaving))
		fmt.Fprintf(w, "  values: %s\n", nums(ns.Values))
		for _, b := range ns.Bins {
			fmt.Fprintf(w, "  bin [%s, %s): %d\n", resultdir.FormatNumber(b.Lo), resultdir.FormatNumber(b.Hi), b.Count)
		}
	}
	for _, r := range c.Reentry {
		fmt.Fprintf(w, "re-entry curve: %s\n", r.Arm)
		for i, m := range r.Month {
			fmt.Fprintf(w, "  month %d: cum %s, p2_5 %s, p97_5 %s\n", m, resultdir.FormatNumber(r.Cum[i]), resultdir.FormatNumber(r.Lo[i]), resultdir.FormatNumber(r.Hi[i]))
		}
	}
	for _, f := range c.InCare {
		fmt.Fprintf(w, "children in care: %s\n", f.Arm)
		for i, y := range f.Year {
			fmt.Fprintf(w, "  year %d: mean %s, p2_5 %s, p50 %s, p97_5 %s\n", y, resultdir.FormatNumber(f.Mean[i]), resultdir.FormatNumber(f.P2_5[i]), resultdir.FormatNumber(f.P50[i]), resultdir.FormatNumber(f.P97_5[i]))
		}
	}
	fmt.Fprintf(w, "costs: %s\n", strings.Join(c.Costs.Metrics, ", "))
	for a, arm := range c.Costs.Arms {
		fmt.Fprintf(w, "  %s: %s (cost_total %s)\n", arm, nums(c.Costs.Mean[a]), resultdir.FormatNumber(c.Costs.Total[a]))
	}
	for _, t := range c.Tornado {
		fmt.Fprintf(w, "tornado: %q\n", t.Arm)
		for _, r := range t.Rows {
			fmt.Fprintf(w, "  %s: low %s -> %s, high %s -> %s, swing %s\n", r.Parameter, resultdir.FormatNumber(r.LowValue), resultdir.FormatNumber(r.MetricAtLow), resultdir.FormatNumber(r.HighValue), resultdir.FormatNumber(r.MetricAtHigh), resultdir.FormatNumber(r.Swing))
		}
	}
	for _, a := range c.Acceptability {
		fmt.Fprintf(w, "acceptability: %s against %s\n", a.Arm, a.Baseline)
		for i := range a.Value {
			fmt.Fprintf(w, "  %s: %s\n", resultdir.FormatNumber(a.Value[i]), resultdir.FormatNumber(a.Prob[i]))
		}
	}
}

func loadFixture(t *testing.T) *resultdir.Folder {
	t.Helper()
	f, err := resultdir.LoadFolder(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestChartDataGolden records the numbers behind every chart of the
// hand-made folder.
func TestChartDataGolden(t *testing.T) {
	var buf bytes.Buffer
	dumpCharts(&buf, ChartData(loadFixture(t)))
	resultstest.Golden(t, "report/chartdata.txt", buf.Bytes())
}

// readCells reads a CSV file of the fixture as rows of strings by column.
func readCells(t *testing.T, name string) []map[string]string {
	t.Helper()
	fh, err := os.Open(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
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

// same reports whether v is exactly the number written as cell.
func same(v float64, cell string) bool {
	if cell == "NA" {
		return math.IsNaN(v)
	}
	w, err := strconv.ParseFloat(cell, 64)
	return err == nil && math.Float64bits(v) == math.Float64bits(w)
}

// TestChartDataIsTheCSV checks every number behind the charts against the
// text of the CSV cell it comes from: bit for bit, nothing recomputed.
func TestChartDataIsTheCSV(t *testing.T) {
	c := ChartData(loadFixture(t))
	check := func(what string, v float64, cell string) {
		t.Helper()
		if !same(v, cell) {
			t.Errorf("%s: chart has %v, the CSV file %q", what, v, cell)
		}
	}
	// Re-entry curve: survival.csv, rows where cum_reentry is defined.
	n := 0
	for _, row := range readCells(t, resultdir.SurvivalFile) {
		if row["cum_reentry"] == "NA" {
			continue
		}
		m, _ := strconv.Atoi(row["month"])
		i := slices.IndexFunc(c.Reentry, func(r ReentryCurve) bool { return r.Arm == row["arm"] })
		j := slices.Index(c.Reentry[i].Month, m)
		if j < 0 {
			t.Fatalf("re-entry curve of %s lacks month %d", row["arm"], m)
		}
		what := fmt.Sprintf("survival %s month %d", row["arm"], m)
		check(what+" cum", c.Reentry[i].Cum[j], row["cum_reentry"])
		check(what+" p2_5", c.Reentry[i].Lo[j], row["cum_reentry_p2_5"])
		check(what+" p97_5", c.Reentry[i].Hi[j], row["cum_reentry_p97_5"])
		n++
	}
	points := 0
	for _, r := range c.Reentry {
		points += len(r.Month)
	}
	if points != n {
		t.Errorf("re-entry curves have %d points, survival.csv %d defined rows", points, n)
	}
	// Children in care: yearly.csv's in_care_end rows.
	n = 0
	for _, row := range readCells(t, resultdir.YearlyFile) {
		if row["metric"] != sim.MInCareEnd {
			continue
		}
		y, _ := strconv.Atoi(row["year"])
		i := slices.IndexFunc(c.InCare, func(f InCareFan) bool { return f.Arm == row["arm"] })
		j := slices.Index(c.InCare[i].Year, y)
		what := fmt.Sprintf("in care %s year %d", row["arm"], y)
		check(what+" mean", c.InCare[i].Mean[j], row["mean"])
		check(what+" p2_5", c.InCare[i].P2_5[j], row["p2_5"])
		check(what+" p50", c.InCare[i].P50[j], row["p50"])
		check(what+" p97_5", c.InCare[i].P97_5[j], row["p97_5"])
		n++
	}
	if n != 6 {
		t.Errorf("checked %d in-care rows, want 6", n)
	}
	// Costs: summary.csv means.
	for _, row := range readCells(t, resultdir.SummaryFile) {
		a := slices.Index(c.Costs.Arms, row["arm"])
		if k := slices.Index(c.Costs.Metrics, row["metric"]); k >= 0 {
			check("cost "+row["arm"]+" "+row["metric"], c.Costs.Mean[a][k], row["mean"])
		}
		if row["metric"] == sim.MCostTotal {
			check("cost total "+row["arm"], c.Costs.Total[a], row["mean"])
		}
	}
	// Net saving: comparison.csv for the interval; iterations.csv for the
	// values, baseline minus policy in the same iteration.
	for _, row := range readCells(t, resultdir.ComparisonFile) {
		i := slices.IndexFunc(c.NetSaving, func(n NetSavingChart) bool { return n.Arm == row["arm"] })
		switch row["metric"] {
		case summary.NetSaving:
			check("net saving mean "+row["arm"], c.NetSaving[i].Mean, row["mean"])
			check("net saving p2_5 "+row["arm"], c.NetSaving[i].P2_5, row["p2_5"])
			check("net saving p97_5 "+row["arm"], c.NetSaving[i].P97_5, row["p97_5"])
		case summary.ProbCostSaving:
			check("prob cost saving "+row["arm"], c.NetSaving[i].ProbCostSaving, row["mean"])
		}
	}
	cost := map[[2]string]float64{}
	var its []string
	for _, row := range readCells(t, resultdir.IterationsFile) {
		v, err := strconv.ParseFloat(row[sim.MCostTotalDiscounted], 64)
		if err != nil {
			t.Fatal(err)
		}
		cost[[2]string{row["iteration"], row["arm"]}] = v
		if row["arm"] == "baseline" {
			its = append(its, row["iteration"])
		}
	}
	for _, ns := range c.NetSaving {
		if len(ns.Values) != len(its) {
			t.Fatalf("%s: %d net savings for %d iterations", ns.Arm, len(ns.Values), len(its))
		}
		total := 0
		for j, it := range its {
			want := cost[[2]string{it, "baseline"}] - cost[[2]string{it, ns.Arm}]
			if math.Float64bits(ns.Values[j]) != math.Float64bits(want) {
				t.Errorf("%s iteration %s: net saving %v, want %v", ns.Arm, it, ns.Values[j], want)
			}
		}
		for _, b := range ns.Bins {
			total += b.Count
		}
		if total != len(its) {
			t.Errorf("%s: histogram counts %d values, want %d", ns.Arm, total, len(its))
		}
	}
	// Tornado and acceptability: the hand-made files.
	for _, row := range readCells(t, resultdir.TornadoFile) {
		i := slices.IndexFunc(c.Tornado[0].Rows, func(r resultdir.TornadoRow) bool { return r.Parameter == row["parameter"] })
		r := c.Tornado[0].Rows[i]
		check("tornado low "+r.Parameter, r.MetricAtLow, row["metric_at_low"])
		check("tornado high "+r.Parameter, r.MetricAtHigh, row["metric_at_high"])
		check("tornado low value "+r.Parameter, r.LowValue, row["low_value"])
		check("tornado high value "+r.Parameter, r.HighValue, row["high_value"])
	}
	for _, row := range readCells(t, resultdir.AcceptabilityFile) {
		i := slices.IndexFunc(c.Acceptability, func(a AcceptabilityCurve) bool { return a.Arm == row["arm"] })
		v, _ := strconv.ParseFloat(row["value_per_reentry_averted"], 64)
		j := slices.Index(c.Acceptability[i].Value, v)
		check("acceptability "+row["arm"]+" "+row["value_per_reentry_averted"], c.Acceptability[i].Prob[j], row["prob_worth_it"])
	}
}

// synthResults is a random but complete result set: three arms, n
// iterations, five years and survival to month 60, with the metrics the
// report uses. Its numbers have many digits, so that exact agreement
// means the numbers went through the files unchanged.
func synthResults(n int) *sim.Results {
	rng := rand.New(rand.NewPCG(1, 2))
	metrics := []string{sim.MReturnsHome, sim.MReentries, sim.MReentryRate12, sim.MReentryRate60,
		sim.MCostTotal, sim.MCostTotalDiscounted, sim.MCostPlacements, sim.MCostSocialWork,
		sim.MCostSupport, sim.MCostSupportDisc, sim.MCostOneOff}
	yearly := []string{sim.MEntries, sim.MInCareEnd}
	const years, months = 5, 60
	res := &sim.Results{
		Arms: []string{"baseline", "support", "more_support"}, Metrics: metrics, Yearly: yearly,
		Years: years, SurvivalMonths: months, TotalIterations: n,
	}
	for i := range n {
		res.Iterations = append(res.Iterations, i)
	}
	res.Outcomes = make([][]sim.Outcome, len(res.Arms))
	for a := range res.Arms {
		for range n {
			eff := 1 - 0.1*float64(a)
			place := 1.5e8 * eff * (1 + 0.05*rng.NormFloat64())
			sw := 2e7 * (1 + 0.02*rng.NormFloat64())
			sup := 1.6e6 * float64(a) * (1 + 0.1*rng.Float64())
			one := 3e6 * (1 + 0.03*rng.NormFloat64())
			total := place + sw + sup + one
			rate12 := 0.36 * eff * (1 + 0.05*rng.NormFloat64())
			o := sim.Outcome{
				Metrics: []float64{math.Round(540 + 25*rng.NormFloat64()), math.Round(216*eff + 17*rng.NormFloat64()),
					rate12, math.NaN(), total, total * 0.91, place, sw, sup, sup * 0.95, one},
			}
			for y := range years {
				o.Yearly = append(o.Yearly, math.Round(250+15*rng.NormFloat64()), math.Round(470+float64(y)*40*eff+15*rng.NormFloat64()))
			}
			for m := 0; m <= months; m++ {
				o.AtRisk = append(o.AtRisk, 540*math.Exp(-float64(m)/15))
				cum := rate12 * (1 - math.Exp(-float64(m)/8)) * 1.6
				if m == months {
					cum = math.NaN()
				}
				o.CumReentry = append(o.CumReentry, cum)
			}
			res.Outcomes[a] = append(res.Outcomes[a], o)
		}
	}
	return res
}

// writeSynth writes the result folder of synthResults(n) under t's temp
// folder.
func writeSynth(t testing.TB, n int) (string, *sim.Results) {
	t.Helper()
	res := synthResults(n)
	dir := filepath.Join(t.TempDir(), "synth")
	scen := "name = \"synthetic\"\ndescription = \"Synthetic results for tests.\"\nhorizon_years = 5\n\n[costs]\ndiscount_rate = 0.035\nprice_year = 2024\n"
	if err := resultdir.Write(dir, res, resultdir.NewManifest([]string{"run", "synth.toml"}, time.Now(), sim.Options{}), []byte(scen), false); err != nil {
		t.Fatal(err)
	}
	return dir, res
}

// TestChartDataMatchesResults writes a result folder, reads it back and
// checks that the numbers behind the charts are bit for bit those the
// engine's results give: the round trip through the CSV files loses
// nothing, and the net saving histogram has exactly comparison.csv's
// distribution.
func TestChartDataMatchesResults(t *testing.T) {
	dir, res := writeSynth(t, 200)
	f, err := resultdir.LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := ChartData(f)
	eq := func(what string, got, want float64) {
		t.Helper()
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	surv, _ := summary.Survival(res)
	for _, p := range surv {
		i := slices.IndexFunc(c.Reentry, func(r ReentryCurve) bool { return r.Arm == p.Arm })
		j := slices.Index(c.Reentry[i].Month, p.Month)
		if math.IsNaN(p.CumReentry) {
			if j >= 0 {
				t.Errorf("%s month %d: undefined, but on the chart", p.Arm, p.Month)
			}
			continue
		}
		eq(fmt.Sprintf("%s month %d cum", p.Arm, p.Month), c.Reentry[i].Cum[j], p.CumReentry)
		eq(fmt.Sprintf("%s month %d lo", p.Arm, p.Month), c.Reentry[i].Lo[j], p.CumReentryP2_5)
		eq(fmt.Sprintf("%s month %d hi", p.Arm, p.Month), c.Reentry[i].Hi[j], p.CumReentryP97_5)
	}
	k := slices.Index(res.Yearly, sim.MInCareEnd)
	for a, arm := range res.Arms {
		for y := range res.Years {
			xs := make([]float64, len(res.Iterations))
			for i, o := range res.Outcomes[a] {
				xs[i] = o.Yearly[y*len(res.Yearly)+k]
			}
			s := summary.Summarize(xs)
			fan := c.InCare[a]
			eq(fmt.Sprintf("%s year %d mean", arm, y+1), fan.Mean[y], s.Mean)
			eq(fmt.Sprintf("%s year %d p2_5", arm, y+1), fan.P2_5[y], s.P2_5)
			eq(fmt.Sprintf("%s year %d p97_5", arm, y+1), fan.P97_5[y], s.P97_5)
		}
		for m, metric := range c.Costs.Metrics {
			eq(arm+" "+metric, c.Costs.Mean[a][m], summary.Summarize(res.Column(a, metric)).Mean)
		}
	}
	cmp, _ := summary.Compare(res)
	for a := 1; a < len(res.Arms); a++ {
		saving, err := summary.NetSavings(res, a)
		if err != nil {
			t.Fatal(err)
		}
		ns := c.NetSaving[a-1]
		for i, want := range saving {
			eq(fmt.Sprintf("%s iteration %d net saving", ns.Arm, i), ns.Values[i], want)
		}
		// The histogram's values have comparison.csv's distribution.
		s := summary.Summarize(ns.Values)
		for _, row := range cmp {
			if row.Arm == ns.Arm && row.Metric == summary.NetSaving {
				eq(ns.Arm+" mean", ns.Mean, row.Mean)
				eq(ns.Arm+" p2_5 of the values", s.P2_5, ns.P2_5)
				eq(ns.Arm+" p97_5 of the values", s.P97_5, ns.P97_5)
				eq(ns.Arm+" prob_cost_saving of the values", summary.ProbPositive(ns.Values), ns.ProbCostSaving)
			}
		}
	}
}

func TestHistogram(t *testing.T) {
	xs := []float64{-31366, 0, 1e6, 2.5e6, 2577306.5, math.NaN(), 1234567.89}
	bins := histogram(xs, 30)
	width := bins[0].Hi - bins[0].Lo
	if width != 100000 {
		t.Errorf("width %v, want 100000 (a round number near range/30)", width)
	}
	total := 0
	for i, b := range bins {
		total += b.Count
		if i > 0 && b.Lo != bins[i-1].Hi {
			t.Errorf("bin %d starts at %v, the previous ends at %v", i, b.Lo, bins[i-1].Hi)
		}
		if r := b.Lo / width; r != math.Round(r) {
			t.Errorf("bin %d edge %v is not a multiple of the width", i, b.Lo)
		}
	}
	if total != 6 {
		t.Errorf("counted %d values, want the 6 defined ones", total)
	}
	if bins[0].Lo > -31366 || bins[len(bins)-1].Hi <= 2577306.5 {
		t.Errorf("bins [%v, %v) do not cover the values", bins[0].Lo, bins[len(bins)-1].Hi)
	}
	if got := histogram([]float64{5, 5, 5}, 30); len(got) != 1 || got[0].Count != 3 {
		t.Errorf("equal values: %+v, want one bin of 3", got)
	}
	if got := histogram([]float64{math.NaN()}, 30); got != nil {
		t.Errorf("no values: %+v, want nil", got)
	}
}

// copyFixture copies the hand-made folder to a temporary folder, leaving
// out the files named in skip.
func copyFixture(t *testing.T, skip ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "folder")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if slices.Contains(skip, e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(fixtureDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// headlineText renders the report's words and tables as text, for a
// golden file.
func headlineText(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n%s over %s; %s\n", r.Name, r.Description, r.Iterations, r.Horizon, r.Money)
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "finding: %s\n", f)
	}
	for _, a := range r.Arms {
		fmt.Fprintf(&b, "arm: %s (%s): %s, baseline %v\n", a.Label, a.Name, a.Packages, a.Baseline)
	}
	cell := func(c Cell) string {
		s := c.Value
		for _, n := range c.Notes {
			s += "[" + n.Mark + "]"
		}
		if c.Interval != "" {
			s += " (" + c.Interval + ")"
		}
		return s
	}
	for _, t := range []Table{r.Outcomes, r.Policies} {
		fmt.Fprintf(&b, "\n%s", t.Caption)
		for _, n := range t.Notes {
			fmt.Fprintf(&b, "[%s]", n.Mark)
		}
		b.WriteString("\n")
		var hs []string
		for _, h := range t.Header {
			hs = append(hs, cell(h))
		}
		fmt.Fprintf(&b, "%s\n", strings.Join(hs, " | "))
		for _, row := range t.Rows {
			var cs []string
			for _, c := range row {
				cs = append(cs, cell(c))
			}
			fmt.Fprintf(&b, "%s\n", strings.Join(cs, " | "))
		}
	}
	b.WriteString("\n")
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s. %s\n", n.Mark, n.Text)
	}
	for _, c := range r.Charts {
		fmt.Fprintf(&b, "chart %s: %s\n", c.Name, c.Title)
	}
	for _, kv := range r.Run {
		fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
	}
	return b.String()
}

// TestReportHeadlineGolden records the headline figures as the report
// shows them (formatted from the CSV files), the footnotes and the list
// of charts.
func TestReportHeadlineGolden(t *testing.T) {
	f := loadFixture(t)
	charts, err := BuildCharts(f, ChartData(f))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReport(f, charts)
	if err != nil {
		t.Fatal(err)
	}
	resultstest.Golden(t, "report/headline.txt", []byte(headlineText(r)))
}

var (
	// external finds references that would leave the file: scripts,
	// links, stylesheets, fonts, images by address.
	external = regexp.MustCompile(`(?i)<script|<link|<iframe|<img|@import|@font-face|url\(|src=|href="(?:https?:)?//|xlink:href="(?:https?:)?//`)
	svgTag   = regexp.MustCompile(`(?s)<svg .*?</svg>`)
)

func TestWriteReport(t *testing.T) {
	dir := copyFixture(t)
	path, err := WriteReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{
		"<title>fixture: results of reunify</title>",
		"&lt;two&gt; policies &amp; a baseline", // the description, escaped
		`<table class="headline">`,
		"Outcomes and costs of each arm over 2 years",
		"intensive support", "£200,000", "-£250,000", "n/a",
		"re-entry within 60 months cannot be estimated on a 2-year (24-month) horizon",
		"Wilson score interval",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if m := external.FindString(html); m != "" {
		t.Errorf("report.html refers outside itself: %q", m)
	}
	// In the page's order: the tornado and the acceptability curve in
	// sections of their own, then the others.
	wantCharts := []string{"tornado", "acceptability", "net-saving-support", "net-saving-intensive_support", "reentry-curve",
		"children-in-care", "costs-by-component"}
	svgs := svgTag.FindAllString(html, -1)
	if len(svgs) != len(wantCharts) {
		t.Errorf("report.html has %d inline charts, want %d", len(svgs), len(wantCharts))
	}
	for i, s := range svgs {
		if i < len(wantCharts) && !strings.Contains(s, `aria-labelledby="`+wantCharts[i]+`-title `+wantCharts[i]+`-desc"`) {
			t.Errorf("inline chart %d is not labelled as %s", i, wantCharts[i])
		}
		if !strings.Contains(s, `role="img"`) || !strings.Contains(s, "<title id=") || !strings.Contains(s, "<desc id=") {
			t.Errorf("inline chart %d lacks role, title or description", i)
		}
	}
	for _, name := range wantCharts {
		svg, err := os.ReadFile(filepath.Join(dir, resultdir.ChartsDir, name+".svg"))
		if err != nil {
			t.Error(err)
			continue
		}
		if !bytes.HasPrefix(svg, []byte("<?xml")) || !bytes.Contains(svg, []byte("<title id=\""+name+"-title\">")) || !bytes.Contains(svg, []byte("<desc id=")) {
			t.Errorf("%s.svg: not a standalone SVG with a title and a description", name)
		}
		if !bytes.Contains(svg, []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")) {
			t.Errorf("%s.svg: no fallback fonts", name)
		}
		png, err := os.ReadFile(filepath.Join(dir, resultdir.ChartsDir, name+".png"))
		if err != nil {
			t.Error(err)
			continue
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s.png is not a PNG", name)
		}
	}
	// No temporary files are left behind.
	for _, d := range []string{dir, filepath.Join(dir, resultdir.ChartsDir)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("left %s in %s", e.Name(), d)
			}
		}
	}
}

// TestWriteReportWithoutSensitivity: without tornado.csv and
// acceptability.csv, their charts are left out.
func TestWriteReportWithoutSensitivity(t *testing.T) {
	dir := copyFixture(t, resultdir.TornadoFile, resultdir.AcceptabilityFile, resultdir.ScenarioFile)
	path, err := WriteReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(path)
	for _, absent := range []string{`id="tornado"`, `id="acceptability"`} {
		if bytes.Contains(page, []byte(absent)) {
			t.Errorf("report.html has %s without its file", absent)
		}
	}
	for _, name := range []string{"tornado.svg", "acceptability.svg"} {
		if _, err := os.Stat(filepath.Join(dir, resultdir.ChartsDir, name)); err == nil {
			t.Errorf("wrote %s without its file", name)
		}
	}
	// Without scenario.toml the folder's name stands in for the scenario's.
	if !bytes.Contains(page, []byte("<h1>folder</h1>")) {
		t.Errorf("report.html does not fall back to the folder's name")
	}
}

// TestReportSize: the report of a 1,000-iteration run stays well under
// 2 MB (the charts are summaries; iterations are binned, not drawn).
func TestReportSize(t *testing.T) {
	dir, _ := writeSynth(t, 1000)
	path, err := WriteReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= 2<<20 {
		t.Errorf("report.html of 1,000 iterations is %d bytes, want under 2 MB", fi.Size())
	}
	t.Logf("report.html of 1,000 iterations and 3 arms: %d bytes", fi.Size())
}

func TestWilson(t *testing.T) {
	// By hand: z = 1.959964, centre (0.974 + z²/2000)/(1 + z²/1000) =
	// 0.9721869, half-width z·sqrt(0.974·0.026/1000 + z²/4e6)/(1 +
	// z²/1000) = 0.0100108: 0.9621762 to 0.9821961 (the interval of R's
	// prop.test without continuity correction).
	lo, hi := wilson(0.974, 1000)
	if math.Abs(lo-0.9621762) > 1e-6 || math.Abs(hi-0.9821961) > 1e-6 {
		t.Errorf("wilson(0.974, 1000) = %v, %v", lo, hi)
	}
	if lo, hi := wilson(1, 6); hi != 1 || lo <= 0.5 {
		t.Errorf("wilson(1, 6) = %v, %v", lo, hi)
	}
}

func TestTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, t := range ts {
			if t.Label != "" {
				out = append(out, t.Label)
			}
		}
		return out
	}
	if got := labels(moneyTicks(-1.3e6, 3.7e6)); !slices.Equal(got, []string{"−£1m", "£0", "£1m", "£2m", "£3m"}) {
		t.Errorf("money ticks %q", got)
	}
	if got := labels(percentTicks(0, 0.62)); !slices.Equal(got, []string{"0%", "20%", "40%", "60%"}) {
		t.Errorf("percent ticks %q", got)
	}
	if got := labels(wholeTicks(440, 660)); !slices.Equal(got, []string{"450", "500", "550", "600", "650"}) {
		t.Errorf("count ticks %q", got)
	}
}
