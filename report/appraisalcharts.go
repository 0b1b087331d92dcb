package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// cashFlowChart draws a policy's net saving in each year as bars (blue
// where it saves, vermillion where it costs) and the running total as a
// line, from d.CashFlow.
func cashFlowChart(cc chartContext, cf CashFlowChart) (*Chart, error) {
	ch := &Chart{Name: "cash-flow-" + fileSafe(cf.Arm),
		Title: fmt.Sprintf("Net saving of %s year by year", armLabel(cf.Arm))}
	p := newPlotGrid(ch.Title, "year", "net saving against "+armLabel(cf.Baseline)+" ("+cc.moneyUnit(true)+")", false)
	p.Y.Tick.Marker = plot.TickerFunc(moneyTicks)
	p.X.Tick.Marker = plot.TickerFunc(wholeTicks)
	lo, hi := 0.0, 0.0
	var save, cost plotter.XYs
	for i, y := range cf.Year {
		v := cf.NetSaving[i]
		if !finite(v) {
			continue
		}
		pt := plotter.XY{X: float64(y), Y: v}
		if v >= 0 {
			save = append(save, pt)
		} else {
			cost = append(cost, pt)
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for _, h := range []struct {
		pts  plotter.XYs
		c    color.NRGBA
		name string
	}{{save, okBlue, "years it saves money"}, {cost, okVermillion, "years it costs more"}} {
		for _, pt := range h.pts {
			b := band([]float64{pt.X - 0.35, pt.X + 0.35}, []float64{0, 0}, []float64{pt.Y, pt.Y}, h.c)
			p.Add(b)
			if pt == h.pts[0] {
				ch.legend = append(ch.legend, legendEntry{h.name, []plot.Thumbnailer{b}})
			}
		}
	}
	var cum plotter.XYs
	for i, y := range cf.Year {
		if finite(cf.Cumulative[i]) {
			cum = append(cum, plotter.XY{X: float64(y), Y: cf.Cumulative[i]})
			lo, hi = math.Min(lo, cf.Cumulative[i]), math.Max(hi, cf.Cumulative[i])
		}
	}
	if len(cum) > 0 {
		l, pts, err := plotter.NewLinePoints(cum)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", ch.Name, err)
		}
		l.Color, l.Width = ink, vg.Points(2)
		pts.Color = ink
		p.Add(l, pts)
		ch.legend = append(ch.legend, legendEntry{"running total", []plot.Thumbnailer{l, pts}})
	}
	p.Add(hline(0, ink))
	pad := math.Max((hi-lo)*0.08, 1)
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	if n := len(cf.Year); n > 0 {
		p.X.Min, p.X.Max = float64(cf.Year[0])-0.6, float64(cf.Year[n-1])+0.6
	}
	ch.plot = p
	var desc []string
	for i, y := range cf.Year {
		desc = append(desc, fmt.Sprintf("year %d %s (running total %s)", y, money(cf.NetSaving[i]), money(cf.Cumulative[i])))
	}
	ch.Desc = "Bar chart of the net saving in each year, with its running total: " + strings.Join(desc, "; ") + "."
	ch.Note = "Each bar is the year's mean discounted cost of " + armLabel(cf.Baseline) + " less that of " + armLabel(cf.Arm) + " (below zero the policy costs more that year); the line is the running total. " + paybackText(cf) + "."
	return ch, nil
}

// paybackText says when the policy pays back its support.
func paybackText(cf CashFlowChart) string {
	known := slices.ContainsFunc(cf.Support, func(v float64) bool { return !math.IsNaN(v) })
	if known && !slices.ContainsFunc(cf.Support, func(v float64) bool { return v != 0 && !math.IsNaN(v) }) {
		return "It spends nothing on support (it has no package taken up), so there is no spend to pay back"
	}
	if cf.Payback > 0 {
		return "It pays back in year " + strconv.Itoa(cf.Payback) + ", when the running total first reaches zero"
	}
	return "It does not pay back within the " + strconv.Itoa(len(cf.Year)) + "-year horizon: the running total stays below zero"
}

// offsetChart draws a policy's support spend beside the costs it
// avoids, from d.Offsets.
func offsetChart(cc chartContext, o OffsetChart) (*Chart, error) {
	ch := &Chart{Name: "support-and-savings-" + fileSafe(o.Arm),
		Title: fmt.Sprintf("Support spend of %s beside the costs it avoids", armLabel(o.Arm))}
	p := newPlotGrid(ch.Title, "", "mean over the horizon ("+cc.moneyUnit(false)+")", false)
	p.Y.Tick.Marker = plot.TickerFunc(moneyTicks)
	vals := o.values()
	names := make([]string, len(offsetParts))
	top, bottom := 0.0, 0.0
	var desc []string
	for k, part := range offsetParts {
		names[k] = part.short
		v := vals[k]
		if !finite(v) {
			continue
		}
		c := okGreen
		if k == 0 {
			c = okOrange
		}
		p.Add(band([]float64{float64(k) - 0.35, float64(k) + 0.35}, []float64{0, 0}, []float64{v, v}, c))
		top, bottom = math.Max(top, v), math.Min(bottom, v)
		desc = append(desc, part.label+" "+money(v))
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	pad := math.Max((top-bottom)*0.1, 1)
	p.Y.Min, p.Y.Max = bottom-pad*boolf(bottom < 0), top+pad
	ch.plot = p
	ch.Desc = "Bar chart: " + strings.Join(desc, "; ") + "."
	ch.Note = "The first bar is what the policy spends on support; the others are the costs it avoids (the baseline's mean cost less the policy's; a negative bar is a cost it adds). Undiscounted, over the whole horizon; the net saving in the tables is discounted."
	return ch, nil
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
