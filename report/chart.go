package report

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is one chart of a report, drawn with gonum.org/v1/plot. Its SVG
// carries Title and Desc as <title> and <desc> (read by screen readers
// and shown as a tooltip); its PNG is for pasting into documents.
type Chart struct {
	// Name is the chart's file name without extension, e.g.
	// "reentry-curve".
	Name string
	// Title is the chart's heading, also drawn on the chart.
	Title string
	// Desc describes the chart in words, for people who cannot see it.
	Desc string
	// Note says how to read the chart; the report prints it below.
	Note string

	plot   *plot.Plot
	legend []legendEntry
}

type legendEntry struct {
	name  string
	thumb []plot.Thumbnailer
}

// Chart size: the width of A4 text (21 cm less 2.5 cm margins) and a
// height that keeps a 16:10 shape with the legend below.
var (
	chartWidth  = 16 * vg.Centimeter
	chartHeight = 10.5 * vg.Centimeter
	pngDPI      = 200
)

// The Okabe-Ito palette, safe for the common colour-vision deficiencies
// and distinct in greyscale when paired with the line dashes below.
var (
	okBlue       = color.NRGBA{0x00, 0x72, 0xB2, 0xFF}
	okVermillion = color.NRGBA{0xD5, 0x5E, 0x00, 0xFF}
	okGreen      = color.NRGBA{0x00, 0x9E, 0x73, 0xFF}
	okPurple     = color.NRGBA{0xCC, 0x79, 0xA7, 0xFF}
	okOrange     = color.NRGBA{0xE6, 0x9F, 0x00, 0xFF}
	okSky        = color.NRGBA{0x56, 0xB4, 0xE9, 0xFF}
	ink          = color.NRGBA{0x22, 0x22, 0x22, 0xFF}
	gridGrey     = color.NRGBA{0xDD, 0xDD, 0xDD, 0xFF}
	bandGrey     = color.NRGBA{0x00, 0x00, 0x00, 0x14}

	armColors = []color.NRGBA{okBlue, okVermillion, okGreen, okPurple, okOrange, okSky}
	armDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}
)

func armColor(i int) color.NRGBA { return armColors[i%len(armColors)] }
func armDash(i int) []vg.Length  { return armDashes[i%len(armDashes)] }

// translucent returns c with opacity a (0-255).
func translucent(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// sans is the font of every chart: Liberation Sans, which has the
// metrics of Arial, so the SVG lays out the same where only Arial or
// Helvetica is installed.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the report's fonts, sizes and grid.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	return newPlotGrid(title, xlabel, ylabel, true)
}

// newPlotGrid is newPlot with or without vertical grid lines.
func newPlotGrid(title, xlabel, ylabel string, vertical bool) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 11)
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = vg.Points(8)
	p.Title.TextStyle.Color = ink
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 9.5)
		ax.Label.TextStyle.Color = ink
		ax.Tick.Label.Font = font.From(sans, 8.5)
		ax.Tick.Label.Color = ink
		ax.Color = ink
		ax.Tick.Color = ink
		ax.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	g := plotter.NewGrid()
	g.Vertical.Color = gridGrey
	g.Horizontal.Color = gridGrey
	g.Vertical.Width = vg.Points(0.5)
	if !vertical {
		g.Vertical.Color = nil
	}
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	return p
}

// legendFont is the font of the legend below a chart.
var legendFont = font.From(sans, 8.5)

// draw lays the chart on canvas c: the plot above, the legend in rows
// below it.
func (ch *Chart) draw(c draw.Canvas) {
	leg := plot.NewLegend()
	leg.TextStyle.Font = legendFont
	leg.TextStyle.Color = ink
	leg.ThumbnailWidth = vg.Points(18)
	em := leg.TextStyle.Rectangle(" ").Max.X
	rowH := leg.TextStyle.Rectangle("Mg").Max.Y + vg.Points(4)

	// Lay the legend entries out in rows, left to right.
	type placed struct {
		e    legendEntry
		x, y vg.Length
	}
	var items []placed
	width := c.Max.X - c.Min.X
	pad := vg.Points(10)
	x, row := pad, 0
	for _, e := range ch.legend {
		w := leg.ThumbnailWidth + em + leg.TextStyle.Rectangle(e.name).Max.X + 2*em
		if x+w > width-pad && x > pad {
			x, row = pad, row+1
		}
		items = append(items, placed{e, x, vg.Length(row)})
		x += w
	}
	legendH := vg.Length(0)
	if len(items) > 0 {
		legendH = (vg.Length(row)+1)*rowH + vg.Points(6)
	}
	plotArea := c
	plotArea.Min.Y += legendH
	plotArea.Max.X -= vg.Points(16) // room for the last tick label
	if drawable(ch.plot) {
		ch.plot.Draw(plotArea)
	}
	for _, it := range items {
		l := plot.NewLegend()
		l.TextStyle = leg.TextStyle
		l.ThumbnailWidth = leg.ThumbnailWidth
		l.Left, l.Top = true, true
		l.Add(it.e.name, it.e.thumb...)
		top := c.Min.Y + legendH - vg.Points(2) - it.y*rowH
		l.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Min.X + it.x, Y: top - rowH},
			Max: vg.Point{X: c.Max.X, Y: top},
		}})
	}
}

// drawable reports whether the axes of p span finite ranges that floats
// can step through: a plot of numbers near the largest floats would
// overflow its coordinates (and its rasteriser loop for ever).
func drawable(p *plot.Plot) bool {
	for _, ax := range []plot.Axis{p.X, p.Y} {
		if !finite(ax.Min, ax.Max, ax.Max-ax.Min) || math.Abs(ax.Min) > 1e17 || math.Abs(ax.Max) > 1e17 {
			return false
		}
	}
	return true
}

// SVG renders the chart as a standalone SVG document with an accessible
// title and description.
func (ch *Chart) SVG() ([]byte, error) { return ch.svg(false) }

// InlineSVG renders the chart as an <svg> element for an HTML page: no
// XML declaration, and a width that follows the page.
func (ch *Chart) InlineSVG() ([]byte, error) { return ch.svg(true) }

func (ch *Chart) svg(inline bool) ([]byte, error) {
	cv := vgsvg.New(chartWidth, chartHeight)
	ch.draw(draw.New(cv))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %s: %w", ch.Name, err)
	}
	return accessibleSVG(buf.Bytes(), ch.Name, ch.Title, ch.Desc, inline)
}

// PNG renders the chart as a PNG image at pngDPI dots per inch.
func (ch *Chart) PNG() ([]byte, error) {
	cv := vgimg.NewWith(vgimg.UseWH(chartWidth, chartHeight), vgimg.UseDPI(pngDPI))
	dc := draw.New(cv)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	ch.draw(dc)
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %s: %w", ch.Name, err)
	}
	return buf.Bytes(), nil
}

// accessibleSVG edits the SVG that vgsvg writes: it adds role="img", a
// <title> and a <desc> (referenced by aria-labelledby), names fallback
// fonts with the same metrics as Liberation Sans, and for inline use
// drops the XML prologue and lets the width follow the page.
func accessibleSVG(svg []byte, id, title, desc string, inline bool) ([]byte, error) {
	s := string(svg)
	start := strings.Index(s, "<svg ")
	if start < 0 {
		return nil, fmt.Errorf("chart %s: no <svg> element in the renderer's output", id)
	}
	end := strings.IndexByte(s[start:], '>')
	if end < 0 {
		return nil, fmt.Errorf("chart %s: unterminated <svg> element", id)
	}
	end += start
	tag := s[start:end]
	if inline {
		// Keep the viewBox; let CSS set the size.
		tag = replaceAttr(tag, "width", "100%")
		tag = removeAttr(tag, "height")
	}
	tid, did := id+"-title", id+"-desc"
	var b strings.Builder
	if !inline {
		b.WriteString(s[:start])
	}
	b.WriteString(tag)
	fmt.Fprintf(&b, ` role="img" aria-labelledby="%s %s">`, tid, did)
	fmt.Fprintf(&b, "\n<title id=\"%s\">%s</title>\n<desc id=\"%s\">%s</desc>", tid, html.EscapeString(title), did, html.EscapeString(desc))
	body := s[end+1:]
	body = strings.ReplaceAll(body, "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	b.WriteString(body)
	return []byte(b.String()), nil
}

// replaceAttr sets attribute name="..." in an element's start tag.
func replaceAttr(tag, name, value string) string {
	i := strings.Index(tag, " "+name+"=\"")
	if i < 0 {
		return tag + " " + name + "=\"" + value + "\""
	}
	j := strings.IndexByte(tag[i+len(name)+3:], '"')
	return tag[:i] + " " + name + "=\"" + value + "\"" + tag[i+len(name)+3+j+1:]
}

// removeAttr drops attribute name from an element's start tag.
func removeAttr(tag, name string) string {
	i := strings.Index(tag, " "+name+"=\"")
	if i < 0 {
		return tag
	}
	j := strings.IndexByte(tag[i+len(name)+3:], '"')
	return tag[:i] + tag[i+len(name)+3+j+1:]
}

// niceTicks returns labelled ticks at a round step (1, 2, 2.5 or 5 times
// a power of ten) giving about five to eight labels between min and max,
// with one unlabelled minor tick between each pair, labelled by label.
func niceTicks(min, max float64, label func(v, step float64) string) []plot.Tick {
	if !(max > min) || !finite(min, max, max-min) {
		return nil
	}
	step := niceStep((max - min) / 6)
	first := math.Ceil(min/step - 1e-9)
	// An axis far from zero relative to its span (1e15 to 1e15+1) has
	// ticks that floats cannot tell apart: draw none rather than loop.
	if !(step > 0) || !finite(first) || math.Abs(first) > 1<<50 {
		return nil
	}
	var out []plot.Tick
	for i := first; i <= first+maxTicks; i++ {
		v := i * step
		if v > max+step*1e-9 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, plot.Tick{Value: v, Label: label(v, step)})
		if m := v + step/2; m <= max {
			out = append(out, plot.Tick{Value: m})
		}
	}
	if len(out) > 0 && out[0].Value-step/2 >= min {
		out = append(out, plot.Tick{Value: out[0].Value - step/2})
	}
	return out
}

// maxTicks bounds the labelled ticks of an axis: about six are asked
// for, so more means numbers beyond what floats can step through.
const maxTicks = 50

// moneyTicks labels an axis in pounds, in one unit chosen from the axis
// range: £1.5m, £250k or £250.
func moneyTicks(min, max float64) []plot.Tick {
	big := math.Max(math.Abs(min), math.Abs(max))
	size, unit := 1.0, ""
	switch {
	case big >= 1e9:
		size, unit = 1e9, "bn"
	case big >= 1e6:
		size, unit = 1e6, "m"
	case big >= 1e4:
		size, unit = 1e3, "k"
	}
	return niceTicks(min, max, func(v, _ float64) string {
		if v == 0 {
			return "£0"
		}
		v /= size
		sign := ""
		if v < 0 {
			sign, v = "−", -v
		}
		return sign + "£" + trimFloat(v) + unit
	})
}

// percentTicks labels an axis of proportions as percentages.
func percentTicks(min, max float64) []plot.Tick {
	return niceTicks(min, max, func(v, _ float64) string {
		return trimFloat(math.Round(v*1e6)/1e4) + "%"
	})
}

// numberTicks labels an axis of plain numbers, with thousands separators
// from 1,000 up.
func numberTicks(min, max float64) []plot.Tick {
	return niceTicks(min, max, func(v, _ float64) string {
		if math.Abs(v) >= 1000 {
			return thousands(v)
		}
		return trimFloat(v)
	})
}

// wholeTicks labels an axis of counts with thousands separators.
func wholeTicks(min, max float64) []plot.Tick {
	ticks := niceTicks(min, max, func(v, _ float64) string { return thousands(v) })
	// Counts: no ticks between whole numbers.
	out := ticks[:0]
	for _, t := range ticks {
		if t.Value == math.Trunc(t.Value) {
			out = append(out, t)
		}
	}
	return out
}

// trimFloat formats v with up to 3 decimals and no trailing zeros.
func trimFloat(v float64) string {
	return strings.TrimRight(strings.TrimRight(fixed(v, 3), "0"), ".")
}

// vline is a vertical line at x from y0 to y1.
func vline(x, y0, y1 float64, c color.Color, width vg.Length, dashes []vg.Length) *plotter.Line {
	l, _ := plotter.NewLine(plotter.XYs{{X: x, Y: y0}, {X: x, Y: y1}})
	l.Color = c
	l.Width = width
	l.Dashes = dashes
	return l
}

// band is the filled area between lo and hi over xs.
func band(xs, lo, hi []float64, c color.Color) *plotter.Polygon {
	ring := make(plotter.XYs, 0, 2*len(xs))
	for i := range xs {
		ring = append(ring, plotter.XY{X: xs[i], Y: lo[i]})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: xs[i], Y: hi[i]})
	}
	pg, _ := plotter.NewPolygon(ring)
	pg.Color = c
	pg.LineStyle.Width = 0
	return pg
}

// finite reports whether every value is finite.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
