package analysis

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simeng/charts"
	"simeng/demand"
)

// Chart is one of the analysis' charts as SVG, for the PWA (drawn through
// an <img>) and the printed reports (inline).
func Chart(app core.App, name string, p demand.Period) ([]byte, error) {
	return chartFor(app, &viewer{kind: kindStaff}, filters{period: p}, name)
}

func chartFor(app core.App, v *viewer, f filters, name string) ([]byte, error) {
	switch name {
	case "trend":
		months, err := monthly(app, v, f)
		if err != nil {
			return nil, err
		}
		// The last 12 months, the 12 before them dashed.
		last := months[len(months)-12:]
		var pts []charts.Point
		var prev []float64
		for i, m := range last {
			pts = append(pts, charts.Point{Label: shortMonth(m.Month), Value: float64(m.Count)})
			prev = append(prev, float64(months[i].Count))
		}
		return charts.Trend("每月诉求件数（虚线为上一年同期）", pts, prev)
	case "categories", "villages", "sources":
		o, err := buildOverview(app, v, f)
		if err != nil {
			return nil, err
		}
		list, title := o.Categories, "各类诉求件数"
		switch name {
		case "villages":
			list, title = o.Villages, "各村（社区）诉求件数"
		case "sources":
			list, title = o.Sources, "各来源诉求件数"
		}
		var bars []charts.Bar
		for _, c := range list {
			if c.Count > 0 {
				label := c.Label
				if name == "sources" {
					label = strings.TrimPrefix(strings.TrimPrefix(label, "群众建议·"), "急难愁盼问题·")
				}
				bars = append(bars, charts.Bar{Label: label, Value: float64(c.Count)})
			}
		}
		return charts.Bars(title+"（"+f.period.Label()+"）", bars)
	}
	return nil, errUnknownChart
}

var errUnknownChart = fmt.Errorf("unknown chart")

// shortMonth writes 2025-03 as 2025.3 for an axis.
func shortMonth(m string) string {
	if len(m) == 7 {
		return m[:4] + "." + strings.TrimPrefix(m[5:], "0")
	}
	return m
}

func chartRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(e.Request.PathValue("chart"), ".svg")
	svg, err := chartFor(e.App, v, f, name)
	if err == errUnknownChart {
		return e.NotFoundError("没有这个图表。", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	return e.Blob(http.StatusOK, "image/svg+xml; charset=utf-8", svg)
}
