// Package charts draws the few charts the township reads instead of tables
// (趋势图, 分类图, 各村图) as small SVG documents with go-chart, for the PWA's
// presidium screens and the printed reports. It needs no file, font or
// network: go-chart embeds its Latin font.
//
// Two of go-chart's habits are corrected here:
//   - It measures text with its embedded Roboto, which has no Chinese
//     glyphs, so a Chinese label is measured at a fraction of its width and
//     labels overlap. Bar labels are drawn here instead, placed with
//     textWidth (a Han character is one em, as the browser's CJK fallback
//     font draws it) and turned 45° when they do not fit under their bar.
//   - Without an explicit range the y axis starts at the smallest value,
//     which draws the smallest bar with no height. The range here always
//     starts at zero and ends at a round number above the largest value.
//
// go-chart writes text into the SVG as given, so every label is escaped
// here first: labels come from villages, categories and residents' words.
package charts

import (
	"bytes"
	"fmt"
	"io"
	"math"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// Sizes of the drawing, in SVG units (the PWA draws it 100 % wide, about
// 340 px on a phone, so one unit is about one pixel there).
const (
	Width      = 360
	fontSize   = 14.0
	titleSize  = 16.0
	labelSize  = 14.0
	maxLabel   = 8 // runes of a bar label; longer ones are cut with …
	dpi        = 72.0
	titleSpace = 30
)

// Colours: the PWA's blue, and the grey of the grid.
var (
	barColor   = drawing.ColorFromHex("2563a8")
	lineColor  = drawing.ColorFromHex("2563a8")
	prevColor  = drawing.ColorFromHex("9aa7b5")
	textColor  = drawing.ColorFromHex("1f2933")
	axisColor  = drawing.ColorFromHex("6b7785")
	background = drawing.ColorWhite
)

// Bar is one bar: its label and value.
type Bar struct {
	Label string
	Value float64
}

// Point is one point of a trend (a month): its axis label and value.
type Point struct {
	Label string
	Value float64
}

// Bars draws a bar chart titled title. Values below zero count as zero; no
// bars draws an empty chart that says so.
func Bars(title string, bars []Bar) ([]byte, error) {
	if len(bars) == 0 {
		bars = []Bar{{Label: "暂无数据"}}
	}
	n := len(bars)
	maxV := 0.0
	for i := range bars {
		bars[i].Value = clean(bars[i].Value)
		maxV = max(maxV, bars[i].Value)
	}
	top := niceMax(maxV)

	// Room under the axis for the labels: level when each fits its slot,
	// else turned 45° (their height is then their width times sin 45°).
	slot := (Width - 20 - 36) / n // padding left and right, y axis labels
	widest := 0.0
	for _, b := range bars {
		widest = max(widest, textWidth(shorten(b.Label), labelSize))
	}
	rotate := widest > float64(slot)-4
	bottom, left := 28, 10
	if rotate {
		bottom = int(widest*math.Sin(math.Pi/4)) + 22
		// The first label reaches left of its bar.
		first := textWidth(shorten(bars[0].Label), labelSize) * math.Sqrt2 / 2
		left = max(left, int(first)-slot/2+12)
	}
	height := 200 + bottom

	bc := chart.BarChart{
		Width:  Width,
		Height: height,
		DPI:    dpi,
		Background: chart.Style{
			FillColor: background,
			// go-chart counts the bottom padding twice when it fits the
			// x axis in (bar_chart.go, getAdjustedCanvasBox): half of it
			// leaves bottom units under the axis.
			Padding: chart.Box{Top: titleSpace + 10, Left: left, Right: 10, Bottom: (bottom + 5) / 2},
		},
		BarWidth:   max(6, slot*3/5),
		BarSpacing: max(2, slot*2/5),
		XAxis:      chart.Style{StrokeColor: axisColor, StrokeWidth: 1, FontSize: labelSize},
		YAxis: chart.YAxis{
			Style:          chart.Style{FontSize: fontSize - 2, FontColor: axisColor, StrokeColor: axisColor, StrokeWidth: 1},
			Range:          &chart.ContinuousRange{Min: 0, Max: top},
			ValueFormatter: intFormatter,
			Ticks:          ticks(top),
		},
	}
	for _, b := range bars {
		bc.Bars = append(bc.Bars, chart.Value{Value: b.Value, Style: chart.Style{FillColor: barColor, StrokeColor: barColor, StrokeWidth: 1}})
	}
	bc.Elements = []chart.Renderable{
		titleElement(title),
		func(r chart.Renderer, canvas chart.Box, _ chart.Style) {
			width, spacing := barGeometry(canvas, n, bc.BarWidth, bc.BarSpacing)
			x := canvas.Left
			for _, b := range bars {
				center := x + spacing/2 + width/2
				// The value above its bar.
				r.SetFontColor(textColor)
				r.SetFontSize(labelSize)
				v := formatValue(b.Value)
				y := canvas.Bottom - int(b.Value/top*float64(canvas.Height())) - 4
				r.Text(v, center-int(textWidth(v, labelSize)/2), y)
				// The label under it.
				label := shorten(b.Label)
				w := textWidth(label, labelSize)
				if rotate {
					// Reads up and to the right, ending under the bar's centre.
					d := w * math.Sqrt2 / 2
					r.SetTextRotation(chart.DegreesToRadians(-45))
					r.Text(escapeText(label), center-int(d), canvas.Bottom+int(d)+12)
					r.ClearTextRotation()
				} else {
					r.Text(escapeText(label), center-int(w/2), canvas.Bottom+18)
				}
				x += width + spacing
			}
		},
	}
	return render(bc, title)
}

// Trend draws points as a line (a monthly trend), with an optional second
// line, previous, for the same months a year before (nil: none). Every
// label is shown if they fit, else every second, third… one.
func Trend(title string, points []Point, previous []float64) ([]byte, error) {
	if len(points) == 0 {
		points = []Point{{Label: "暂无数据"}}
	}
	if len(points) == 1 {
		// A line needs two points.
		points = append([]Point{{Label: ""}}, points...)
		if previous != nil {
			previous = append([]float64{0}, previous...)
		}
	}
	xs := make([]float64, len(points))
	ys := make([]float64, len(points))
	maxV := 0.0
	for i, p := range points {
		xs[i] = float64(i)
		ys[i] = clean(p.Value)
		maxV = max(maxV, ys[i])
	}
	for i := range previous {
		previous[i] = clean(previous[i])
		maxV = max(maxV, previous[i])
	}
	top := niceMax(maxV)
	series := []chart.Series{}
	if len(previous) == len(points) {
		series = append(series, chart.ContinuousSeries{XValues: xs, YValues: previous,
			Style: chart.Style{StrokeColor: prevColor, StrokeWidth: 2, StrokeDashArray: []float64{4, 3}}})
	}
	series = append(series, chart.ContinuousSeries{XValues: xs, YValues: ys,
		Style: chart.Style{StrokeColor: lineColor, StrokeWidth: 2.5, DotColor: lineColor, DotWidth: 2.5}})

	// Axis labels, thinned so that they do not touch.
	plot := float64(Width - 20 - 36)
	widest := 0.0
	for _, p := range points {
		widest = max(widest, textWidth(p.Label, labelSize))
	}
	every := 1
	for every < len(points) && (widest+6)*float64((len(points)+every-1)/every) > plot {
		every++
	}
	var xt []chart.Tick
	for i, p := range points {
		label := ""
		if (len(points)-1-i)%every == 0 {
			label = escapeText(p.Label)
		}
		xt = append(xt, chart.Tick{Value: float64(i), Label: label})
	}

	c := chart.Chart{
		Width:  Width,
		Height: 230,
		DPI:    dpi,
		Background: chart.Style{
			FillColor: background,
			Padding:   chart.Box{Top: titleSpace + 10, Left: 10, Right: 14, Bottom: 10},
		},
		XAxis: chart.XAxis{
			Style: chart.Style{FontSize: labelSize, FontColor: axisColor, StrokeColor: axisColor, StrokeWidth: 1},
			Ticks: xt,
			Range: &chart.ContinuousRange{Min: 0, Max: float64(len(points) - 1)},
		},
		YAxis: chart.YAxis{
			Style:          chart.Style{FontSize: fontSize - 2, FontColor: axisColor, StrokeColor: axisColor, StrokeWidth: 1},
			Range:          &chart.ContinuousRange{Min: 0, Max: top},
			ValueFormatter: intFormatter,
			Ticks:          ticks(top),
		},
		// go-chart draws the second axis's ticks even with no series on it.
		YAxisSecondary: chart.YAxis{Style: chart.Style{Hidden: true}},
		Series:         series,
		Elements:       []chart.Renderable{titleElement(title)},
	}
	return render(c, title)
}

// render draws c as SVG and adds the title for screen readers.
func render(c interface {
	Render(chart.RendererProvider, io.Writer) error
}, title string) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.Render(chart.SVG, &buf); err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	out := buf.Bytes()
	// <svg …>: put a <title> right after the opening tag.
	if i := bytes.IndexByte(out, '>'); i > 0 {
		head := append([]byte{}, out[:i+1]...)
		head = append(head, "<title>"+escapeText(title)+"</title>"...)
		out = append(head, out[i+1:]...)
	}
	return out, nil
}
