package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reunify/reunify/resultdir"
	"github.com/reunify/reunify/summary"
)

// chartContext is what the chart titles and labels say about the run.
type chartContext struct {
	horizon string // "5 years", or "the horizon"
	prices  string // "2024 prices", or ""
}

func newChartContext(f *resultdir.Folder) chartContext {
	cc := chartContext{horizon: "the horizon"}
	if h := f.Scenario.HorizonYears; finite(h) && h > 0 {
		cc.horizon = trimFloat(h) + " years"
		if h == 1 {
			cc.horizon = "1 year"
		}
	}
	if py := f.Scenario.PriceYear; finite(py) && py > 0 {
		cc.prices = trimFloat(py) + " prices"
	}
	return cc
}

// moneyUnit is the unit note of a money axis: "£, discounted, 2024
// prices".
func (cc chartContext) moneyUnit(discounted bool) string {
	parts := []string{"£"}
	if discounted {
		parts = append(parts, "discounted")
	} else {
		parts = append(parts, "undiscounted")
	}
	if cc.prices != "" {
		parts = append(parts, cc.prices)
	}
	return strings.Join(parts, ", ")
}

// armLabel is an arm's name for people: underscores become spaces.
func armLabel(arm string) string { return strings.ReplaceAll(arm, "_", " ") }

// BuildCharts draws every chart of the report from the chart data: the
// net saving of each policy, the re-entry curve, children in care, costs
// by component and, when present, the tornado and acceptability curves.
func BuildCharts(f *resultdir.Folder, d *Charts) ([]*Chart, error) {
	cc := newChartContext(f)
	var out []*Chart
	add := func(ch *Chart, err error) error {
		if ch != nil && err == nil {
			out = append(out, ch)
		}
		return err
	}
	for _, ns := range d.NetSaving {
		if err := add(netSavingChart(cc, ns)); err != nil {
			return nil, err
		}
	}
	for _, build := range []func(chartContext, *Charts) (*Chart, error){reentryChart, inCareChart, costChart} {
		if err := add(build(cc, d)); err != nil {
			return nil, err
		}
	}
	for _, t := range d.Tornado {
		if err := add(tornadoChart(cc, t)); err != nil {
			return nil, err
		}
	}
	for _, cf := range d.CashFlow {
		if err := add(cashFlowChart(cc, cf)); err != nil {
			return nil, err
		}
	}
	for _, o := range d.Offsets {
		if err := add(offsetChart(cc, o)); err != nil {
			return nil, err
		}
	}
	if err := add(acceptabilityChart(cc, d)); err != nil {
		return nil, err
	}
	return out, nil
}

func netSavingChart(cc chartContext, ns NetSavingChart) (*Chart, error) {
	ch := &Chart{
		Name:  "net-saving-" + fileSafe(ns.Arm),
		Title: fmt.Sprintf("Net saving of %s against %s over %s", armLabel(ns.Arm), armLabel(ns.Baseline), cc.horizon),
	}
	p := newPlot(ch.Title, "net saving ("+cc.moneyUnit(true)+"); below 0 the policy costs more", "share of simulations")
	p.X.Tick.Marker = plot.TickerFunc(moneyTicks)
	p.Y.Tick.Marker = plot.TickerFunc(percentTicks)
	n := 0
	for _, b := range ns.Bins {
		n += b.Count
	}
	var save, cost []plotter.HistogramBin
	top := 0.0
	for _, b := range ns.Bins {
		share := float64(b.Count) / float64(max(n, 1))
		top = math.Max(top, share)
		hb := plotter.HistogramBin{Min: b.Lo, Max: b.Hi, Weight: share}
		if b.Lo >= 0 {
			save = append(save, hb)
		} else {
			cost = append(cost, hb)
		}
	}
	ymax := top * 1.08
	if ymax == 0 {
		ymax = 1
	}
	if finite(ns.P2_5, ns.P97_5) {
		iv := band([]float64{ns.P2_5, ns.P97_5}, []float64{0, 0}, []float64{ymax, ymax}, bandGrey)
		p.Add(iv)
		ch.legend = append(ch.legend, legendEntry{"95% interval: " + moneyInterval(summary.Stats{P2_5: ns.P2_5, P97_5: ns.P97_5}), []plot.Thumbnailer{iv}})
	}
	for _, h := range []struct {
		bins  []plotter.HistogramBin
		color color.NRGBA
		name  string
	}{{save, okBlue, "simulations where it saves money"}, {cost, okVermillion, "simulations where it costs more"}} {
		if len(h.bins) == 0 {
			continue
		}
		hist := &plotter.Histogram{Bins: h.bins, Width: h.bins[0].Max - h.bins[0].Min, FillColor: h.color}
		hist.LineStyle.Color = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
		hist.LineStyle.Width = vg.Points(0.4)
		p.Add(hist)
		ch.legend = append(ch.legend, legendEntry{h.name, []plot.Thumbnailer{hist}})
	}
	p.Add(vline(0, 0, ymax, ink, vg.Points(0.8), nil))
	if finite(ns.Mean) {
		m := vline(ns.Mean, 0, ymax, ink, vg.Points(1.8), []vg.Length{vg.Points(5), vg.Points(2.5)})
		p.Add(m)
		ch.legend = append(ch.legend, legendEntry{"mean: " + money(ns.Mean), []plot.Thumbnailer{m}})
	}
	p.Y.Min, p.Y.Max = 0, ymax
	ch.plot = p
	ch.Desc = fmt.Sprintf("Histogram of the net saving of %s against %s over %s in %s simulations (%s). Mean %s; 95%% interval %s; the policy saves money in %s of simulations.",
		armLabel(ns.Arm), armLabel(ns.Baseline), cc.horizon, thousands(float64(n)), cc.moneyUnit(true),
		money(ns.Mean), moneyInterval(summary.Stats{P2_5: ns.P2_5, P97_5: ns.P97_5}), percent0(ns.ProbCostSaving))
	ch.Note = "Each bar counts the simulations whose net saving (the baseline's discounted cost minus the policy's) falls in its range. Blue bars save money, orange bars cost more. The grey band is the 95% interval; the dashed line is the mean."
	return ch, nil
}

func reentryChart(cc chartContext, d *Charts) (*Chart, error) {
	ch := &Chart{Name: "reentry-curve", Title: "Children back in care after a return home"}
	p := newPlot(ch.Title, "months since the return home", "share of returns that re-entered care")
	p.Y.Tick.Marker = plot.TickerFunc(percentTicks)
	p.X.Tick.Marker = plot.TickerFunc(monthTicks)
	var desc []string
	maxMonth := 0
	for a, rc := range d.Reentry {
		if len(rc.Month) == 0 {
			continue
		}
		if err := addFan(p, ch, a, rc.Arm, rc.Month, rc.Cum, rc.Lo, rc.Hi, false); err != nil {
			return nil, err
		}
		maxMonth = max(maxMonth, slices.Max(rc.Month))
		for _, m := range []int{12, 24} {
			for i, mm := range rc.Month {
				if mm == m {
					desc = append(desc, fmt.Sprintf("%s: %s within %d months (95%% interval %s to %s)", armLabel(rc.Arm), percent(rc.Cum[i]), m, percent(rc.Lo[i]), percent(rc.Hi[i])))
				}
			}
		}
	}
	p.Y.Min = 0
	p.X.Min = 0
	if maxMonth > 0 {
		// End the axis at the next whole year: the horizon, usually.
		p.X.Max = math.Ceil(float64(maxMonth)/12) * 12
	}
	ch.plot = p
	ch.Desc = "Kaplan-Meier estimate of the share of children returned home who re-entered care, by months since the return, for each arm, with its 95% interval across simulations."
	if len(desc) > 0 {
		ch.Desc += " " + strings.Join(desc, "; ") + "."
	}
	ch.Note = "The line is the mean share of returns home that broke down by each month since the return (Kaplan-Meier, allowing for children followed for less time); the band holds 95% of simulations. A lower curve means more returns last."
	return ch, nil
}

// addFan draws arm a's fan on p at the whole numbers at: the band from lo
// to hi where both are defined, then the mean as a line (with the arm's
// markers if points), and adds its legend entry, band first, to ch.
func addFan(p *plot.Plot, ch *Chart, a int, arm string, at []int, mean, lo, hi []float64, points bool) error {
	xs := make([]float64, len(at))
	for i, x := range at {
		xs[i] = float64(x)
	}
	var thumbs []plot.Thumbnailer
	if l, h, ok := definedBand(xs, lo, hi); ok {
		b := band(l.x, l.y, h.y, translucent(armColor(a), 0x38))
		p.Add(b)
		thumbs = append(thumbs, b)
	}
	var pts plotter.XYs
	for i := range xs {
		if finite(mean[i]) { // a mean that is NA (an edited file) is left out
			pts = append(pts, plotter.XY{X: xs[i], Y: mean[i]})
		}
	}
	if len(pts) == 0 {
		return nil
	}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return fmt.Errorf("chart %s: %w", ch.Name, err)
	}
	l.Color, l.Width, l.Dashes = armColor(a), vg.Points(2), armDash(a)
	if points {
		s.Color, s.Shape, s.Radius = armColor(a), armGlyph(a), vg.Points(3)
		p.Add(l, s)
		thumbs = append(thumbs, l, s)
	} else {
		p.Add(l)
		thumbs = append(thumbs, l)
	}
	ch.legend = append(ch.legend, legendEntry{armLabel(arm) + " (line: mean; band: 95% interval)", thumbs})
	return nil
}

// xy is a series of points.
type xy struct{ x, y []float64 }

// definedBand returns the points of lo and hi where both are defined.
func definedBand(xs, lo, hi []float64) (xy, xy, bool) {
	var l, h xy
	for i := range xs {
		if finite(lo[i], hi[i]) {
			l.x, l.y = append(l.x, xs[i]), append(l.y, lo[i])
			h.x, h.y = append(h.x, xs[i]), append(h.y, hi[i])
		}
	}
	return l, h, len(l.x) > 1
}

// monthTicks puts major ticks every 6, 12 or 24 months.
func monthTicks(min, max float64) []plot.Tick {
	step := 6.0
	switch span := max - min; {
	case span > 96:
		step = 24
	case span > 36:
		step = 12
	}
	var out []plot.Tick
	if !finite(min, max) {
		return nil
	}
	for v := math.Ceil(min/step) * step; v <= max+1e-9 && len(out) < maxTicks; v += step {
		out = append(out, plot.Tick{Value: v, Label: trimFloat(v)})
	}
	return out
}

// yearTicks puts a tick at every whole year.
func yearTicks(min, max float64) []plot.Tick {
	if !finite(min, max) {
		return nil
	}
	step := math.Max(1, niceStep((max-min)/maxTicks)) // every year, up to 50 years
	var out []plot.Tick
	for v := math.Ceil(min/step) * step; v <= max+1e-9 && len(out) < maxTicks; v += step {
		out = append(out, plot.Tick{Value: v, Label: "year " + trimFloat(v)})
	}
	return out
}

func inCareChart(cc chartContext, d *Charts) (*Chart, error) {
	ch := &Chart{Name: "children-in-care", Title: "Children in care at the end of each year"}
	p := newPlot(ch.Title, "year of the simulation", "children in care")
	p.Y.Tick.Marker = plot.TickerFunc(wholeTicks)
	p.X.Tick.Marker = plot.TickerFunc(yearTicks)
	var desc []string
	lastYear := 0
	for a, fan := range d.InCare {
		if len(fan.Year) == 0 {
			continue
		}
		if err := addFan(p, ch, a, fan.Arm, fan.Year, fan.Mean, fan.P2_5, fan.P97_5, true); err != nil {
			return nil, err
		}
		lastYear = max(lastYear, slices.Max(fan.Year))
		k := len(fan.Year) - 1
		desc = append(desc, fmt.Sprintf("%s: %s at the end of year %d (95%% interval %s to %s)", armLabel(fan.Arm), thousands(fan.Mean[k]), fan.Year[k], thousands(fan.P2_5[k]), thousands(fan.P97_5[k])))
	}
	if lastYear > 0 {
		p.X.Min, p.X.Max = 0.8, float64(lastYear)+0.2
	}
	ch.plot = p
	ch.Desc = "Fan chart of the number of children in care at the end of each year, for each arm: the mean and the 95% interval across simulations."
	if len(desc) > 0 {
		ch.Desc += " " + strings.Join(desc, "; ") + "."
	}
	ch.Note = "The line is the mean number of children in care at each year's end; the band holds 95% of simulations."
	return ch, nil
}

// armGlyph is the marker shape of arm i, distinct without colour.
func armGlyph(i int) draw.GlyphDrawer {
	switch i % 4 {
	case 0:
		return draw.CircleGlyph{}
	case 1:
		return draw.TriangleGlyph{}
	case 2:
		return draw.SquareGlyph{}
	}
	return draw.PyramidGlyph{}
}

func costChart(cc chartContext, d *Charts) (*Chart, error) {
	c := d.Costs
	if len(c.Arms) == 0 {
		return nil, nil
	}
	ch := &Chart{Name: "costs-by-component", Title: "Cost over " + cc.horizon + " by component"}
	p := newPlotGrid(ch.Title, "", "mean cost over "+cc.horizon+" ("+cc.moneyUnit(false)+")", false)
	p.Y.Tick.Marker = plot.TickerFunc(moneyTicks)
	colors := []color.NRGBA{okBlue, okSky, okGreen, okOrange, okPurple}
	width := vg.Points(math.Min(90, 300/float64(len(c.Arms))))
	var prev *plotter.BarChart
	top := 0.0
	for k, label := range c.Labels {
		vals := make(plotter.Values, len(c.Arms))
		for a := range c.Arms {
			v := c.Mean[a][k]
			if !finite(v) {
				v = 0
			}
			vals[a] = v
		}
		bc, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", ch.Name, err)
		}
		bc.Color = colors[k%len(colors)]
		bc.LineStyle.Color = color.White
		bc.LineStyle.Width = vg.Points(0.5)
		if prev != nil {
			bc.StackOn(prev)
		}
		prev = bc
		p.Add(bc)
		ch.legend = append(ch.legend, legendEntry{label, []plot.Thumbnailer{bc}})
	}
	var totals plotter.XYLabels
	var desc []string
	for a, arm := range c.Arms {
		t := c.Total[a]
		if !finite(t) {
			t = 0
			for _, v := range c.Mean[a] {
				if finite(v) {
					t += v
				}
			}
		}
		top = math.Max(top, t)
		totals.XYs = append(totals.XYs, plotter.XY{X: float64(a), Y: t})
		totals.Labels = append(totals.Labels, money(t))
		var parts []string
		for k, label := range c.Labels {
			parts = append(parts, label+" "+money(c.Mean[a][k]))
		}
		desc = append(desc, fmt.Sprintf("%s: total %s (%s)", armLabel(arm), money(t), strings.Join(parts, ", ")))
	}
	lbl, err := plotter.NewLabels(totals)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", ch.Name, err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i] = text.Style{Font: font.From(sans, 9), Color: ink, XAlign: draw.XCenter, Handler: p.TextHandler}
		lbl.TextStyle[i].Font.Weight = xfont.WeightBold
	}
	lbl.Offset = vg.Point{Y: vg.Points(4)}
	p.Add(lbl)
	names := make([]string, len(c.Arms))
	for a, arm := range c.Arms {
		names[a] = armLabel(arm)
	}
	p.NominalX(names...)
	p.X.Tick.Label.Font = font.From(sans, 9.5)
	p.X.Min, p.X.Max = -0.7, float64(len(c.Arms)-1)+0.7
	p.Y.Min, p.Y.Max = 0, top*1.12
	if top == 0 {
		p.Y.Max = 1
	}
	ch.plot = p
	ch.Desc = fmt.Sprintf("Stacked bars of the mean cost of each arm over %s by component (%s). %s.", cc.horizon, cc.moneyUnit(false), strings.Join(desc, "; "))
	ch.Note = "Each bar is an arm's mean total cost over the horizon, undiscounted, split into its components; the figure above the bar is the total. The headline table's costs are discounted, so they are lower."
	return ch, nil
}

// metricLabel names a metric for an axis, with its unit (money in
// cc.moneyUnit, discounted), and says whether it is money.
func metricLabel(cc chartContext, metric string) (string, bool) {
	m := "(" + cc.moneyUnit(true) + ")"
	switch metric {
	case summary.NetSaving:
		return "net saving " + m, true
	case summary.IncrementalCost:
		return "incremental cost " + m, true
	case summary.CostPerReentryAverted:
		return "cost per re-entry averted " + m, true
	case summary.ROI:
		return "return on investment (£ per £1 of support)", false
	case summary.ReentriesAverted:
		return "re-entries averted (children)", false
	case "":
		return "result at the parameter's low and high value", false
	}
	if strings.HasPrefix(metric, "cost_") {
		return strings.ReplaceAll(metric, "_", " ") + " (£)", true
	}
	return strings.ReplaceAll(metric, "_", " "), false
}
