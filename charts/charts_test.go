package charts

import (
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// wellFormed fails unless svg parses as XML from start to end.
func wellFormed(t testing.TB, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
		}
	}
}

// texts returns the SVG's text elements' contents, unescaped.
func texts(t testing.TB, svg []byte) []string {
	t.Helper()
	var out []string
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	in := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			in = v.Name.Local == "text" || v.Name.Local == "title"
		case xml.CharData:
			if in {
				out = append(out, string(v))
			}
		case xml.EndElement:
			in = false
		}
	}
}

var barPath = regexp.MustCompile(`<path\s+d="M (\d+) (\d+)\s+L (\d+) (\d+)\s+L (\d+) (\d+)\s+L (\d+) (\d+)\s+L \d+ \d+" style="[^"]*fill:rgba\(37,99,168`)

// barHeights are the heights of the drawn bars, left to right.
func barHeights(svg []byte) []int {
	var out []int
	for _, m := range barPath.FindAllStringSubmatch(string(svg), -1) {
		top, _ := strconv.Atoi(m[2])
		bottom, _ := strconv.Atoi(m[6])
		out = append(out, bottom-top)
	}
	return out
}

func TestBars(t *testing.T) {
	tests := []struct {
		name       string
		bars       []Bar
		wantTexts  []string
		wantRotate bool
	}{
		{"short labels stay level", []Bar{{"饮水", 3}, {"道路", 1}, {"其他", 2}}, []string{"饮水", "道路", "其他", "3", "1", "2"}, false},
		{"many long labels turn", []Bar{{"道路交通", 120}, {"饮水安全", 95}, {"医疗卫生", 40}, {"教育", 33}, {"养老助残", 20},
			{"就业增收", 12}, {"农业生产", 30}, {"生态环境", 28}, {"安全生产", 5}, {"社会保障", 44}, {"住房", 18}, {"矛盾纠纷", 9}, {"其他", 3}},
			[]string{"道路交通", "矛盾纠纷", "120", "3"}, true},
		{"a long village name is cut", []Bar{{"演示·龙潭社区第一居民小组", 5}}, []string{"演示·龙潭社区…"}, false},
		{"no data", nil, []string{"暂无数据", "0"}, false},
		{"all zero", []Bar{{"饮水", 0}, {"道路", 0}}, []string{"饮水", "道路"}, false},
		{"markup in a label is text", []Bar{{`<script>alert(1)</script>`, 2}, {`a&b"c`, 1}}, []string{"<script…", `a&b"c`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg, err := Bars("标题<b>", tt.bars)
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, svg)
			got := texts(t, svg)
			for _, w := range append(tt.wantTexts, "标题<b>") {
				if !contains(got, w) {
					t.Errorf("no text %q in %q", w, got)
				}
			}
			if strings.Contains(string(svg), "<script") || strings.Contains(string(svg), "<b>") {
				t.Error("markup from a label reached the SVG")
			}
			if rotated := strings.Contains(string(svg), "rotate(-45"); rotated != tt.wantRotate {
				t.Errorf("labels rotated = %v, want %v", rotated, tt.wantRotate)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.TrimSpace(v) == s {
			return true
		}
	}
	return false
}

// go-chart on its own draws the smallest bar with no height (its y axis
// starts at the smallest value): every bar with a value has a height here,
// in proportion.
func TestSmallestBarHasHeight(t *testing.T) {
	svg, err := Bars("x", []Bar{{"甲", 7}, {"乙", 5}, {"丙", 20}})
	if err != nil {
		t.Fatal(err)
	}
	h := barHeights(svg)
	if len(h) != 3 {
		t.Fatalf("%d bars drawn, want 3", len(h))
	}
	for i, v := range h {
		if v <= 0 {
			t.Errorf("bar %d has height %d", i, v)
		}
	}
	if !(h[1] < h[0] && h[0] < h[2]) {
		t.Errorf("heights %v not in proportion to 7, 5, 20", h)
	}
	ratio := float64(h[2]) / float64(h[1])
	if ratio < 3.5 || ratio > 4.5 {
		t.Errorf("20 vs 5 drawn %v times as high, want about 4", ratio)
	}
}

// Rotated labels end under their bar and never run off the left edge.
func TestRotatedLabelsStayInside(t *testing.T) {
	bars := []Bar{{"演示·龙潭社区", 3}, {"思蒙湾村", 5}, {"演示·桥头村", 4}, {"演示·枫木村", 1}, {"演示·竹园村", 2}, {"演示·新田村", 6}}
	svg, err := Bars("各村", bars)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`<text x="(-?\d+)" y="(-?\d+)" [^>]*rotate\(-45`)
	ms := re.FindAllStringSubmatch(string(svg), -1)
	if len(ms) != len(bars) {
		t.Fatalf("%d rotated labels, want %d", len(ms), len(bars))
	}
	for i, m := range ms {
		x, _ := strconv.Atoi(m[1])
		if x < 0 {
			t.Errorf("label %d starts at x=%d, off the chart", i, x)
		}
	}
}

func TestTrend(t *testing.T) {
	var pts []Point
	var prev []float64
	for m := 1; m <= 24; m++ {
		pts = append(pts, Point{Label: strconv.Itoa(2024+(m-1)/12) + "." + strconv.Itoa((m-1)%12+1), Value: float64(m)})
		prev = append(prev, float64(m/2))
	}
	svg, err := Trend("每月诉求<i>", pts, prev)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, svg)
	got := texts(t, svg)
	if !contains(got, "2025.12") {
		t.Errorf("the last month is not labelled: %q", got)
	}
	labelled := 0
	for _, p := range pts {
		if contains(got, p.Label) {
			labelled++
		}
	}
	if labelled == 0 || labelled == len(pts) {
		t.Errorf("%d of 24 month labels shown; at 360 units they must be thinned, not dropped", labelled)
	}
	if strings.Contains(string(svg), "<i>") {
		t.Error("title markup reached the SVG")
	}
	for _, in := range [][]Point{nil, {{Label: "2025.1", Value: 3}}} {
		svg, err := Trend("t", in, nil)
		if err != nil {
			t.Fatalf("%v: %v", in, err)
		}
		wellFormed(t, svg)
	}
}

func TestNiceMax(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{0, 4}, {1, 4}, {3, 4}, {5, 8}, {7, 8}, {9, 12}, {95, 120}, {120, 160}, {300, 400}, {1000, 1200}} {
		if got := niceMax(tt.in); got != tt.want {
			t.Errorf("niceMax(%v) = %v, want %v", tt.in, got, tt.want)
		}
		if got := niceMax(tt.in); got < tt.in*1.1 {
			t.Errorf("niceMax(%v) = %v leaves no room above the largest bar", tt.in, got)
		}
	}
}

func TestTextWidth(t *testing.T) {
	if w := textWidth("饮水安全", 12); w != 48 {
		t.Errorf("four Han characters at 12: %v, want 48", w)
	}
	if a, b := textWidth("2025.1", 12), textWidth("饮水", 12); a >= 3*b {
		t.Errorf("digits measured too wide: %v vs %v", a, b)
	}
}

// Whatever a label holds, the SVG stays well-formed and holds it as text.
func FuzzBars(f *testing.F) {
	for _, s := range []string{"饮水", "<svg onload=x>", "a&amp;b", "]]>", "\x00\xff", "演示·桥头村", "\u202e"} {
		f.Add(s, 3.0)
	}
	f.Fuzz(func(t *testing.T, label string, v float64) {
		svg, err := Bars(label, []Bar{{label, v}, {"其他", 1}})
		if err != nil {
			t.Fatal(err)
		}
		wellFormed(t, svg)
		if strings.Contains(string(svg), "<svg onload") {
			t.Fatal("markup from a label reached the SVG")
		}
	})
}

// go-chart draws the unused second axis's ticks at an impossible place
// ("0.00" far off the drawing); no text is outside the drawing here.
func TestNoTextOffTheChart(t *testing.T) {
	pts := []Point{{"2026.1", 0}, {"2026.2", 0}, {"2026.3", 2}}
	svg, err := Trend("t", pts, []float64{0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`<text x="(-?\d+)" y="(-?\d+)"`)
	for _, m := range re.FindAllStringSubmatch(string(svg), -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		if x < 0 || y < 0 || x > Width || y > 400 {
			t.Errorf("text at %d,%d", x, y)
		}
	}
	if strings.Contains(string(svg), "0.00") {
		t.Error("the second axis is drawn")
	}
}
