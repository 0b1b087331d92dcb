package report

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

//go:embed report.html.tmpl
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"marker": func() template.HTML { return reportMarker },
}).Parse(reportTemplate))

// Report is everything the HTML report shows, formatted for people.
type Report struct {
	Name, Description string
	Horizon           string // "5 years"
	Money             string // "discounted at 3.5% a year, 2024 prices"
	Iterations        string // "1,000"
	// Warnings are the run's (summary.Warnings, as reunify run prints
	// them), shown in a box above the findings.
	Warnings []string
	Findings []string
	Arms     []ReportArm
	// Outcomes is the headline table of outcomes by arm; Policies the
	// table of each policy against the baseline.
	Outcomes Table
	Policies Table
	Charts   []ReportChart
	// Appraisal holds the sections of an appraisal pack, and those of any
	// folder: the cash flow, the assumption register.
	Appraisal *Appraisal
	Notes     []Footnote
	Run       [][2]string // about this run: label, value
}

// ReportArm is an arm and its support packages.
type ReportArm struct {
	Label, Name, Packages string
	Baseline              bool
}

// Table is a table of the report: a header row and body rows whose first
// cell names the row.
type Table struct {
	// Class is the table's style besides "headline": "register" for a
	// table of words (left-aligned).
	Class   string
	Caption string
	Notes   []Footnote // of the caption
	Header  []Cell
	Rows    [][]Cell
}

// Cell is a table cell: a value, its 95% interval (may be empty) and the
// ids of footnotes it refers to.
type Cell struct {
	Value, Interval string
	Notes           []Footnote
}

// ReportChart is a chart in the report.
type ReportChart struct {
	Name, Title, Note string
	SVG               template.HTML
}

// Footnote is a numbered note below the tables.
type Footnote struct {
	ID, Mark, Text string
}

// ErrBadFolder marks a report refused because of what the result folder
// holds (a missing or malformed file): bad input, not a failure.
var ErrBadFolder error = badFolder{}

type badFolder struct{}

func (badFolder) Error() string  { return "the folder cannot be reported" }
func (badFolder) BadInput() bool { return true }

// WriteReport reads the result folder dir and writes dir/report.html (a
// self-contained page with inline SVG charts and CSS, no scripts, fonts
// or links outside the file) and dir/charts/ with every chart as an SVG
// and a PNG file. dir must be a folder reunify wrote (it holds its
// manifest.json). The page and the charts are built in stages and put in
// place together through a Plan, replacing an earlier report and charts
// only if reunify wrote them: a failure leaves the earlier report as it
// was. It returns the path of the report.
func WriteReport(dir string) (string, error) { return WriteReportContext(context.Background(), dir) }

// WriteReportContext is WriteReport, abandoned (nothing put in place) if
// ctx is cancelled before the report lands.
func WriteReportContext(ctx context.Context, dir string) (string, error) {
	if _, err := resultdir.ReadManifest(filepath.Join(dir, resultdir.ManifestFile)); err != nil {
		return "", fmt.Errorf("report: %s is not a result folder reunify wrote, so no report is written into it: %w (%w)", dir, err, ErrBadFolder)
	}
	f, err := resultdir.LoadFolder(dir)
	if err != nil {
		return "", fmt.Errorf("%w (%w)", err, ErrBadFolder)
	}
	p, err := safefile.NewRewrite()
	if err != nil {
		return "", err
	}
	defer p.Abort()
	// The earlier report and charts are replaced only if they are as
	// reunify wrote and sealed them: a chart or an edit of yours is refused.
	owned := func(string) error { return resultdir.OwnedReport(dir) }
	cdir, err := p.Folder(filepath.Join(dir, resultdir.ChartsDir), owned)
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	page, err := p.File(filepath.Join(dir, resultdir.ReportFile), owned)
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if err := writeReport(f, page, cdir); err != nil {
		return "", err
	}
	if err := p.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return "", err
		}
		return "", fmt.Errorf("report: %w", err)
	}
	return filepath.Join(dir, resultdir.ReportFile), nil
}

// WriteReports writes the report of every result folder of dirs in turn
// (WriteReportContext), printing each one's path on stdout unless quiet.
// An interrupt (ctx cancelled) leaves the folder under way and its earlier
// report untouched, and says so.
func WriteReports(ctx context.Context, stdout io.Writer, dirs []string, quiet bool) error {
	for _, dir := range dirs {
		path, err := WriteReportContext(ctx, dir)
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("report: interrupted; %s and its earlier report are untouched", dir)
		}
		if err != nil {
			return fmt.Errorf("%w; nothing was written and earlier results are untouched%s", err, safefile.Hint(err, "another folder"))
		}
		if !quiet {
			fmt.Fprintf(stdout, "report in %s\n", path)
		}
	}
	return nil
}

// reportMarker is in the head of every report.html reunify writes.
const reportMarker = `<meta name="generator" content="reunify">`

// WriteReportFiles writes report.html and charts/ into the result
// folder dir as WriteReport does, but in place: call it on a folder
// being built in a Plan's stage (reunify run --report), which lands
// with the report in it or not at all. The report names the folder as
// shownAs, where it will be.
func WriteReportFiles(dir, shownAs string) error {
	f, err := resultdir.LoadFolder(dir)
	if err != nil {
		return err
	}
	f.Dir = shownAs
	cdir := filepath.Join(dir, resultdir.ChartsDir)
	if err := os.Mkdir(cdir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return writeReport(f, filepath.Join(dir, resultdir.ReportFile), cdir)
}

// writeReport writes the report of the folder f to path and its charts
// into cdir.
func writeReport(f *resultdir.Folder, path, cdir string) error {
	data := ChartData(f)
	charts, err := BuildCharts(f, data)
	if err != nil {
		return fmt.Errorf("%w (%w)", err, ErrBadFolder)
	}
	rep, err := NewReport(f, charts)
	if err != nil {
		return fmt.Errorf("%w (%w)", err, ErrBadFolder)
	}
	var page bytes.Buffer
	if err := reportTmpl.Execute(&page, rep); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	files := map[string][]byte{}
	for _, ch := range charts {
		svg, err := ch.SVG()
		if err != nil {
			return err
		}
		png, err := ch.PNG()
		if err != nil {
			return err
		}
		files[ch.Name+".svg"], files[ch.Name+".png"] = svg, png
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := writeBytes(filepath.Join(cdir, name), files[name]); err != nil {
			return err
		}
	}
	// The seal lists the page's and every chart's sha256: what a later
	// report or --force may replace (resultdir.OwnedReport).
	sealed, err := resultdir.SealReport(page.Bytes(), files)
	if err != nil {
		return err
	}
	return writeBytes(path, sealed)
}

// writeBytes writes b to path, synced.
func writeBytes(path string, b []byte) error {
	if err := safefile.Create(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// footnotes collects the footnotes of a report in order of first use.
type footnotes struct {
	notes []Footnote
}

// ref returns the footnote id, adding it with this text if it is new.
func (fs *footnotes) ref(id, text string) Footnote {
	for _, n := range fs.notes {
		if n.ID == id {
			return n
		}
	}
	n := Footnote{ID: id, Mark: strconv.Itoa(len(fs.notes) + 1), Text: text}
	fs.notes = append(fs.notes, n)
	return n
}

// iterations is the number of iterations of the folder's
// iterations.csv.
func iterations(f *resultdir.Folder) int {
	if f.PerIteration == nil {
		return 0
	}
	return len(f.PerIteration.Iterations)
}

// NewReport formats the folder's headline figures and the charts for the
// HTML template.
func NewReport(f *resultdir.Folder, charts []*Chart) (*Report, error) {
	cc := newChartContext(f)
	r := &Report{
		Name:        f.Scenario.Name,
		Description: f.Scenario.Description,
		Horizon:     cc.horizon,
		Iterations:  thousands(float64(iterations(f))),
		Warnings:    folderWarnings(f),
	}
	if r.Name == "" {
		r.Name = filepath.Base(f.Dir)
	}
	var money []string
	if dr := f.Scenario.DiscountRate; finite(dr) {
		money = append(money, "future costs discounted at "+trimFloat(100*dr)+"% a year")
	} else {
		money = append(money, "future costs discounted")
	}
	if cc.prices != "" {
		money = append(money, "at "+cc.prices)
	}
	r.Money = strings.Join(money, ", ")
	var fn footnotes

	// The arms.
	for i, arm := range f.Arms {
		pk, ok := f.Scenario.Packages[arm]
		desc := "not recorded in scenario.toml"
		if ok {
			desc = "no support packages"
			if len(pk) > 0 {
				labels := make([]string, len(pk))
				for j, p := range pk {
					labels[j] = armLabel(p)
				}
				desc = strings.Join(labels, ", ")
			}
		}
		r.Arms = append(r.Arms, ReportArm{Label: armLabel(arm), Name: arm, Packages: desc, Baseline: i == 0})
	}

	// Outcomes by arm.
	ivNote := fn.ref("fn-interval", intervalNote(f, r.Iterations))
	cols := []struct {
		head, metric string
		format       format
	}{
		{"returns home", sim.MReturnsHome, countFormat},
		{"re-entries to care", sim.MReentries, countFormat},
		{"re-entry within 12 months", sim.MReentryRate12, percentFormat},
		{"re-entry within 60 months", sim.MReentryRate60, percentFormat},
		{"total cost (discounted)", sim.MCostTotalDiscounted, moneyFormat},
	}
	r.Outcomes.Caption = "Outcomes and costs of each arm over " + cc.horizon + ": mean and 95% interval"
	r.Outcomes.Notes = []Footnote{ivNote}
	r.Outcomes.Header = []Cell{{Value: "arm"}}
	for _, c := range cols {
		r.Outcomes.Header = append(r.Outcomes.Header, Cell{Value: c.head})
	}
	for _, arm := range f.Arms {
		row := []Cell{{Value: armLabel(arm)}}
		for _, c := range cols {
			s, ok := f.Summary[resultdir.ArmMetric{Arm: arm, Metric: c.metric}]
			if !ok {
				row = append(row, Cell{Value: "n/a", Notes: []Footnote{fn.ref("fn-missing", "n/a: the result folder does not have this metric (it was written by an older version).")}})
				continue
			}
			cell := c.format.cell(s.Mean, s.P2_5, s.P97_5)
			if math.IsNaN(s.Mean) {
				cell.Notes = []Footnote{fn.ref("fn-na-"+c.metric, naReason(f, c.metric))}
			}
			row = append(row, cell)
		}
		r.Outcomes.Rows = append(r.Outcomes.Rows, row)
	}

	// Each policy against the baseline.
	r.Policies.Caption = "Each policy against " + armLabel(f.Arms[0]) + " over " + cc.horizon + ": mean and 95% interval"
	r.Policies.Notes = []Footnote{ivNote}
	roiNote := fn.ref("fn-roi", "Return on investment: the net saving divided by the policy's discounted support cost. £0.50 means every £1 spent on support comes back as £1.50 of lower costs elsewhere, a net gain of 50p; below £0 the policy costs more than it saves.")
	probNote := fn.ref("fn-prob", fmt.Sprintf("Probability of saving money: the share of simulations in which the net saving is above zero. Its interval is the Monte Carlo uncertainty of that share from %s simulations (Wilson score interval); run more iterations to narrow it.", r.Iterations))
	r.Policies.Header = []Cell{{Value: "policy"}, {Value: "re-entries averted"}, {Value: "net saving (discounted)"},
		{Value: "return on investment", Notes: []Footnote{roiNote}}, {Value: "probability of saving money", Notes: []Footnote{probNote}}}
	for _, arm := range f.Arms[1:] {
		row := []Cell{{Value: armLabel(arm)}}
		for _, m := range []struct {
			metric string
			format format
		}{{summary.ReentriesAverted, countFormat}, {summary.NetSaving, moneyFormat}, {summary.ROI, roiFormat}} {
			c, ok := f.ComparisonOf(arm, m.metric)
			if !ok {
				c.Mean = math.NaN()
			}
			cell := m.format.cell(c.Mean, c.P2_5, c.P97_5)
			if math.IsNaN(c.Mean) {
				cell.Notes = append(cell.Notes, fn.ref("fn-na-"+m.metric, naComparison(m.metric)))
			}
			row = append(row, cell)
		}
		cell := Cell{Value: "n/a"}
		if c, ok := f.ComparisonOf(arm, summary.ProbCostSaving); ok && !math.IsNaN(c.Mean) {
			lo, hi := wilson(c.Mean, iterations(f))
			cell.Value = percent0(c.Mean)
			if finite(lo, hi) {
				cell.Interval = percent0(lo) + " to " + percent0(hi)
			}
		}
		row = append(row, cell)
		r.Policies.Rows = append(r.Policies.Rows, row)
		r.Findings = append(r.Findings, finding(f, cc, arm))
	}

	fn.ref("fn-money", fmt.Sprintf("Money is in pounds, %s. Costs are over the scenario's horizon of %s for all the children the scenario follows: those in care at the start, those returning home and new entries.", r.Money, cc.horizon))
	r.Notes = fn.notes

	for _, ch := range charts {
		svg, err := ch.InlineSVG()
		if err != nil {
			return nil, err
		}
		r.Charts = append(r.Charts, ReportChart{Name: ch.Name, Title: ch.Title, Note: ch.Note, SVG: template.HTML(svg)})
	}
	data := ChartData(f)
	r.Appraisal = appraisal(f, data)
	r.Findings = append(r.Findings, packFindings(f, data, r.Appraisal)...)

	// About this run.
	r.Run = append(r.Run, [2]string{"result folder", f.Dir})
	if m := f.Manifest; m != nil {
		r.Run = append(r.Run,
			[2]string{"scenario file", m.Scenario},
			[2]string{"scenario SHA-256", m.ScenarioSHA256},
			[2]string{"iterations", thousands(float64(m.Iterations))},
			[2]string{"seed", strconv.FormatUint(m.Seed, 10)},
			[2]string{"shard", m.Shard},
			[2]string{"run", m.Start.UTC().Format("2 January 2006 15:04 MST")},
			[2]string{"program", strings.TrimSpace(m.Program + " " + m.Version + " (commit " + m.Commit + ", " + m.GoVersion + ")")},
			[2]string{"command", strings.Join(m.CommandLine, " ")},
		)
	} else {
		r.Run = append(r.Run, [2]string{"iterations", r.Iterations})
	}
	return r, nil
}

// finding is the one-sentence result of a policy, for the top of the
// report.
func finding(f *resultdir.Folder, cc chartContext, arm string) string {
	base := armLabel(f.Arms[0])
	var b strings.Builder
	fmt.Fprintf(&b, "Over %s, %s", cc.horizon, armLabel(arm))
	if c, ok := f.ComparisonOf(arm, summary.ReentriesAverted); ok && finite(c.Mean) {
		verb := "averts"
		mean, lo, hi := c.Mean, c.P2_5, c.P97_5
		if mean < 0 {
			verb, mean, lo, hi = "adds", -mean, -hi, -lo
		}
		fmt.Fprintf(&b, " %s %s re-entries to care on average (95%% interval %s to %s)", verb, count(mean), count(lo), count(hi))
	}
	if c, ok := f.ComparisonOf(arm, summary.NetSaving); ok && finite(c.Mean) {
		if b.Len() > 0 {
			b.WriteString(" and")
		}
		support := ""
		if s, ok := f.Summary[resultdir.ArmMetric{Arm: arm, Metric: sim.MCostSupportDisc}]; ok && finite(s.Mean) && s.Mean > 0 {
			support = money(s.Mean) + ", discounted" // beside the offsets table's undiscounted spend
		}
		if c.Mean >= 0 {
			fmt.Fprintf(&b, " saves %s against %s (95%% interval %s)", money(c.Mean), base, moneyInterval(summary.Stats{P2_5: c.P2_5, P97_5: c.P97_5}))
			if support != "" {
				fmt.Fprintf(&b, ", after paying for its own support (%s)", support)
			}
		} else {
			// Say it as a cost, with the interval of the extra cost.
			fmt.Fprintf(&b, " costs %s more than %s (95%% interval %s)", money(-c.Mean), base, moneyInterval(summary.Stats{P2_5: -c.P97_5, P97_5: -c.P2_5}))
			if support != "" {
				fmt.Fprintf(&b, ", including its own support (%s)", support)
			}
			if icer, ok := f.ComparisonOf(arm, summary.CostPerReentryAverted); ok && finite(icer.Mean) && icer.Mean > 0 {
				fmt.Fprintf(&b, ": about %s for each re-entry averted", money(icer.Mean))
			}
		}
	}
	b.WriteString(".")
	if c, ok := f.ComparisonOf(arm, summary.ProbCostSaving); ok && finite(c.Mean) {
		fmt.Fprintf(&b, " It saves money in %s of simulations.", percent0(c.Mean))
	}
	return b.String()
}

// format formats a value and a 95% interval for a table cell.
type format struct {
	value    func(float64) string
	interval func(lo, hi float64) string // nil: value(lo) + " to " + value(hi)
}

var (
	countFormat   = format{value: count}
	percentFormat = format{value: percent}
	// Money intervals share one unit: "-£0.03m to £2.58m".
	moneyFormat = format{value: money, interval: func(lo, hi float64) string { return moneyInterval(summary.Stats{P2_5: lo, P97_5: hi}) }}
	roiFormat   = format{value: roiValue}
)

// cell formats a mean and its 95% interval.
func (f format) cell(mean, lo, hi float64) Cell {
	c := Cell{Value: f.value(mean)}
	switch {
	case !finite(lo, hi):
	case f.interval != nil:
		c.Interval = f.interval(lo, hi)
	default:
		c.Interval = f.value(lo) + " to " + f.value(hi)
	}
	return c
}

// roiValue formats a return on investment as pounds per pound spent on
// support: £0.81, -£0.02.
func roiValue(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	if v < 0 && s != "0.00" {
		return "-£" + s
	}
	return "£" + s
}

// naReason says why a metric of an arm is undefined in every simulation.
func naReason(f *resultdir.Folder, metric string) string {
	months := 0
	if _, err := fmt.Sscanf(strings.TrimPrefix(metric, "reentry_rate_"), "%dm", &months); err == nil && months > 0 {
		if h := f.Scenario.HorizonYears; finite(h) && float64(months) >= 12*h {
			last := -1
			for _, p := range f.Survival {
				if !math.IsNaN(p.CumReentry) {
					last = max(last, p.Month)
				}
			}
			reason := fmt.Sprintf("n/a: re-entry within %d months cannot be estimated on a %s-year (%s-month) horizon, because no child who returns home can be followed for a full %d months.", months, trimFloat(h), trimFloat(12*h), months)
			if last >= 0 {
				reason += fmt.Sprintf(" The re-entry curve below goes as far as the results allow (month %d).", last)
			}
			return reason
		}
		return fmt.Sprintf("n/a: re-entry within %d months is undefined in every simulation: no child returned home.", months)
	}
	return "n/a: undefined in every simulation."
}

// naComparison says why a comparison metric is undefined.
func naComparison(metric string) string {
	switch metric {
	case summary.ROI:
		return "n/a: the return on investment is undefined when the policy has no support cost."
	case summary.CostPerReentryAverted:
		return "n/a: undefined when no re-entries are averted."
	}
	return "n/a: undefined in every simulation."
}

// wilson is the 95% Wilson score interval of a proportion p estimated
// from n trials; NaN if n is 0.
func wilson(p float64, n int) (lo, hi float64) {
	if n <= 0 || math.IsNaN(p) {
		return math.NaN(), math.NaN()
	}
	const z = 1.959963984540054
	nf := float64(n)
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return math.Max(0, centre-half), math.Min(1, centre+half)
}
