package report

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxTornadoBars is the most bars the tornado chart draws; tornado.csv
// has every parameter.
const maxTornadoBars = 12

// TornadoBar is one bar of the tornado chart: its label, and the two
// segments it is drawn as, each from From (the base case: the metric with
// every parameter at its mean, or the midpoint of the two ends for a
// tornado.csv without a base column) to the metric at the parameter's low
// and at its high value.
type TornadoBar struct {
	Label               string
	From, ToLow, ToHigh float64
}

// TornadoBars are the bars the chart draws of t, largest swing first.
func TornadoBars(t TornadoChart) []TornadoBar {
	rows := t.Rows[:min(len(t.Rows), maxTornadoBars)]
	out := make([]TornadoBar, len(rows))
	for i, r := range rows {
		from := r.Base
		if !finite(from) {
			from = (r.MetricAtLow + r.MetricAtHigh) / 2
		}
		out[i] = TornadoBar{Label: fmt.Sprintf("%s (%s to %s)", ParamLabel(r.Parameter), paramValue(r.Parameter, r.LowValue), paramValue(r.Parameter, r.HighValue)),
			From: from, ToLow: r.MetricAtLow, ToHigh: r.MetricAtHigh}
	}
	return out
}

func tornadoChart(cc chartContext, t TornadoChart) (*Chart, error) {
	if len(t.Rows) == 0 {
		return nil, nil
	}
	rows := t.Rows
	metric := rows[0].Metric
	xlabel, isMoney := metricLabel(cc, metric)
	ch := &Chart{Name: "tornado", Title: "What the result is most sensitive to"}
	if metric != "" {
		ch.Title = "What the " + strings.SplitN(xlabel, " (", 2)[0] + " is most sensitive to"
	}
	if t.Arm != "" {
		ch.Name += "-" + fileSafe(t.Arm)
		ch.Title += " (" + armLabel(t.Arm) + ")"
	}
	p := newPlot(ch.Title, xlabel, "")
	p.X.Tick.Marker = plot.TickerFunc(numberTicks)
	if isMoney {
		p.X.Tick.Marker = plot.TickerFunc(moneyTicks)
	}
	format := func(v float64) string {
		if isMoney {
			return money(v)
		}
		return round3(v)
	}
	bars := TornadoBars(t)
	n := len(bars)
	barH := 0.36
	var lowThumb, highThumb plot.Thumbnailer
	var desc []string
	lo, hi := math.Inf(1), math.Inf(-1)
	ticks := make(plot.ConstantTicks, n)
	for i, b := range bars {
		y := float64(n - 1 - i) // largest swing at the top
		ticks[i] = plot.Tick{Value: y, Label: b.Label}
		for _, seg := range []struct {
			end   float64
			color color.NRGBA
			thumb *plot.Thumbnailer
		}{{b.ToLow, okSky, &lowThumb}, {b.ToHigh, okVermillion, &highThumb}} {
			if !finite(seg.end, b.From) {
				continue
			}
			pg := band([]float64{b.From, seg.end}, []float64{y - barH, y - barH}, []float64{y + barH, y + barH}, seg.color)
			p.Add(pg)
			*seg.thumb = pg
			lo, hi = math.Min(lo, math.Min(seg.end, b.From)), math.Max(hi, math.Max(seg.end, b.From))
		}
		desc = append(desc, fmt.Sprintf("%s: result %s to %s", b.Label, format(b.ToLow), format(b.ToHigh)))
	}
	p.Y.Tick.Marker = ticks
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	base := rows[0].Base
	if finite(base) {
		p.Add(vline(base, -0.6, float64(n)-0.4, ink, vg.Points(1), nil))
	}
	if finite(lo, hi) {
		pad := (hi - lo) * 0.08
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
	if lowThumb != nil {
		ch.legend = append(ch.legend, legendEntry{"parameter at its low value", []plot.Thumbnailer{lowThumb}})
	}
	if highThumb != nil {
		ch.legend = append(ch.legend, legendEntry{"parameter at its high value", []plot.Thumbnailer{highThumb}})
	}
	ch.plot = p
	ch.Desc = "Tornado chart: the result when one parameter at a time is set to its low or its high value, largest swing first. " + strings.Join(desc, "; ") + "."
	ch.Note = "Each bar shows how far the result moves when one parameter goes from its low to its high value (its 95% range, or the low and high the scenario gives), the others held at their means, except any the scenario correlates with it (its [[correlation]] tables), which move with it to their conditional medians, so that a curve's linked points stay a valid curve. The longest bars are the figures most worth checking locally."
	if finite(base) {
		ch.Note = "Each bar starts at the base case (every parameter at its mean: " + format(base) + ", the vertical line) and runs to the result with one parameter at its low or its high value (its 95% range, or the low and high the scenario gives), the others at their means, except any the scenario correlates with it (its [[correlation]] tables), which move with it to their conditional medians, so that a curve's linked points stay a valid curve. The longest bars are the figures most worth checking locally."
	}
	if len(rows) > n {
		ch.Note += fmt.Sprintf(" The %d largest of %d are drawn; tornado.csv has every one.", n, len(rows))
	}
	return ch, nil
}

// AcceptabilityCaption is the acceptability curve's caption. The value on
// its axis is what an averted re-entry is worth beyond the costs the net
// saving already counts (the placements, social work and re-entry costs
// of the child's time back in care are in it): the child's and family's
// wellbeing. Valuing it at a year of care would count that cost twice.
const AcceptabilityCaption = "Read across from the value your authority places on one re-entry to care averted beyond the costs already counted (the placements, social work and re-entry costs avoided are already in the net saving, so this value is for the child's and family's wellbeing, not the cost of care) to the probability that the policy is worth it at that value. At £0 it is the probability of saving money. The thin line marks 50%."

func acceptabilityChart(cc chartContext, d *Charts) (*Chart, error) {
	if len(d.Acceptability) == 0 {
		return nil, nil
	}
	ch := &Chart{Name: "acceptability", Title: "Probability the policy is worth it"}
	p := newPlot(ch.Title, "value placed on one re-entry to care averted (£)", "probability the policy is worth it")
	p.X.Tick.Marker = plot.TickerFunc(moneyTicks)
	p.Y.Tick.Marker = plot.TickerFunc(percentTicks)
	var desc []string
	for a, c := range d.Acceptability {
		pts := make(plotter.XYs, 0, len(c.Value))
		for i := range c.Value {
			if finite(c.Value[i], c.Prob[i]) {
				pts = append(pts, plotter.XY{X: c.Value[i], Y: c.Prob[i]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", ch.Name, err)
		}
		l.Color, l.Width, l.Dashes = armColor(a+1), vg.Points(2), armDash(a+1)
		p.Add(l)
		ch.legend = append(ch.legend, legendEntry{armLabel(c.Arm) + " against " + armLabel(c.Baseline), []plot.Thumbnailer{l}})
		first, last := pts[0], pts[len(pts)-1]
		desc = append(desc, fmt.Sprintf("%s: %s at %s per re-entry averted, %s at %s", armLabel(c.Arm), percent0(first.Y), money(first.X), percent0(last.Y), money(last.X)))
	}
	p.Add(hline(0.5, ink))
	p.Y.Min, p.Y.Max = 0, 1
	ch.plot = p
	ch.Desc = "Cost-effectiveness acceptability curve: the probability that each policy is worth its cost, against the value placed on averting one re-entry to care. " + strings.Join(desc, "; ") + "."
	ch.Note = AcceptabilityCaption
	return ch, nil
}

// hlineP is a thin dashed horizontal line across the plot.
type hlineP struct {
	y float64
	c color.Color
}

// hline is a thin dashed horizontal line at y across the plot's x range.
func hline(y float64, c color.Color) plot.Plotter { return hlineP{y, c} }

// Plot implements plot.Plotter.
func (h hlineP) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLine2(draw.LineStyle{Color: h.c, Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}, c.Min.X, y, c.Max.X, y)
}

// fileSafe makes an arm name safe in a file name.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
