package charts

import (
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	chart "github.com/wcharczuk/go-chart/v2"
)

// textWidth estimates how wide a browser draws s at size: Han characters,
// kana and full-width forms one em (as every CJK font draws them), other
// characters about 0.6 em. go-chart's own measure knows only Roboto's
// glyphs and takes a Han character for a narrow box.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case wide(r):
			w += size
		case r == ' ' || r == '.' || r == ',' || r == ':' || r == '1':
			w += 0.35 * size
		default:
			w += 0.6 * size
		}
	}
	return w
}

func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) || r == '…' || r == '·'
}

// shorten cuts a label to maxLabel characters, ending with … when cut.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabel-1]) + "…"
}

// clean makes a value drawable: not negative, not NaN or infinite.
func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// niceMax is a round top for an axis whose largest value is v: four
// whole-numbered steps of a round size, with room above the largest bar
// for its value; 4 for an all-zero chart.
func niceMax(v float64) float64 {
	need := v * 1.12 / 4
	if need <= 1 {
		return 4
	}
	mag := math.Pow(10, math.Floor(math.Log10(need)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		step := m * mag
		if step >= need && step == math.Trunc(step) {
			return 4 * step
		}
	}
	return 40 * mag
}

// ticks are five ticks from 0 to top.
func ticks(top float64) []chart.Tick {
	out := make([]chart.Tick, 0, 5)
	for i := range 5 {
		v := top * float64(i) / 4
		out = append(out, chart.Tick{Value: v, Label: formatValue(v)})
	}
	return out
}

// formatValue writes a count without decimals and anything else with one
// at most.
func formatValue(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func intFormatter(v any) string {
	if f, ok := v.(float64); ok {
		return formatValue(f)
	}
	return ""
}

// barGeometry is go-chart's bar layout (bar_chart.go,
// calculateScaledTotalWidth): the width of each bar and the space between
// bars within canvas, so labels land under their bars.
func barGeometry(canvas chart.Box, n, barWidth, spacing int) (int, int) {
	if n*(barWidth+spacing) > canvas.Width() {
		less := canvas.Width() - n*barWidth
		if less > 0 {
			spacing = int(math.Ceil(float64(less) / float64(n)))
		} else {
			spacing = 0
		}
	}
	if n*(barWidth+spacing) > canvas.Width() {
		less := canvas.Width() - n*spacing
		if less > 0 {
			barWidth = int(math.Ceil(float64(less) / float64(n)))
		} else {
			barWidth = 0
		}
	}
	return barWidth, spacing
}

// titleElement draws the chart's title at the top left.
func titleElement(title string) chart.Renderable {
	return func(r chart.Renderer, _ chart.Box, _ chart.Style) {
		r.SetFontColor(textColor)
		r.SetFontSize(titleSize)
		r.Text(escapeText(title), 10, 22)
	}
}

// escapeText makes s safe as SVG text content: characters XML cannot hold
// (controls, invalid UTF-8) are dropped, markup characters escaped.
func escapeText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return html.EscapeString(s)
}
