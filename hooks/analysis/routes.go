package analysis

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/demand"
	"simeng/hooks/internal/fielderr"
)

// bindRoutes binds the analysis routes (unknown /api/ paths get hooks/web's
// JSON 404).
func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/simeng/analysis")
		g.BindFunc(identify)
		g.GET("/overview", overviewRoute).BindFunc(requireScope("overview", false))
		g.GET("/terms", termsRoute).BindFunc(requireScope("terms", false))
		g.GET("/terms/villages", villageTermsRoute).BindFunc(requireScope("terms", false))
		g.GET("/recurring", recurringRoute).BindFunc(requireScope("recurring", false))
		g.GET("/search", searchRoute).BindFunc(requireScope("search", true))
		g.GET("/records", recordsRoute).BindFunc(requireScope("records", true))
		g.GET("/export.xlsx", exportRoute).BindFunc(requireScope("export", false))
		g.GET("/charts/{chart}", chartRoute).BindFunc(requireScope("charts", false))
		g.POST("/segment", segmentPreview).BindFunc(requireOffice)
		g.POST("/words/import", importWords).BindFunc(requireOffice)
		g.POST("/rebuild", rebuildRoute).BindFunc(requireOffice)
		g.POST("/dept-keys", createDeptKey).BindFunc(requireOffice)
		return se.Next()
	})
}

func rebuildRoute(e *core.RequestEvent) error {
	start := time.Now()
	n, err := Rebuild(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"demands": n, "took_ms": time.Since(start).Milliseconds()})
}

// filters are what the views and the search narrow to.
type filters struct {
	period   demand.Period
	village  string
	category string
	state    string
	kind     string // a source's collection
	channel  string // within kind
	q        string
}

// parseFilters reads ?period= (2025, 2025-Q1, 2025-03; default this
// quarter), village, category, status (open, in_progress, answered,
// closed), source (suggestions, suggestions:hotline, problems…) and q.
func parseFilters(e *core.RequestEvent, v *viewer) (filters, error) {
	q := e.Request.URL.Query()
	var f filters
	errs := validation.Errors{}
	if p := q.Get("period"); p != "" {
		period, err := demand.ParsePeriod(p)
		if err != nil {
			errs["period"] = validation.NewError("validation_invalid_period", err.Error())
		}
		f.period = period
	} else {
		f.period = demand.PeriodOf(demand.Quarter, time.Now())
	}
	f.village = strings.TrimSpace(q.Get("village"))
	if f.village != "" && !v.seesVillage(f.village) {
		errs["village"] = validation.NewError("validation_not_allowed", "无权查看该村（社区）的诉求")
	}
	f.category = strings.TrimSpace(q.Get("category"))
	if utf8.RuneCountInString(f.category) > 40 {
		errs["category"] = validation.NewError("validation_invalid_category", "类别无效")
	}
	f.state = q.Get("status")
	if f.state != "" && !slices.Contains(stateOrder, f.state) {
		errs["status"] = validation.NewError("validation_invalid_status", "状态应为 open（待办理）、in_progress（办理中）、answered（已答复）或 closed（已办结）")
	}
	if src := q.Get("source"); src != "" {
		f.kind, f.channel, _ = strings.Cut(src, ":")
		if deskOf(e.App).sourceOf(f.kind) == nil {
			errs["source"] = validation.NewError("validation_invalid_source", "来源无效")
		}
	}
	f.q = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.q) > 100 {
		errs["q"] = validation.NewError("validation_too_long", "检索词不能超过100字")
	}
	if len(errs) > 0 {
		return f, e.BadRequestError("查询条件有误", errs)
	}
	return f, nil
}

// span is the period as stored UTC strings [from, to).
func span(p demand.Period) (string, string) {
	return p.Start.UTC().Format(chinatime.StoredLayout), p.End().UTC().Format(chinatime.StoredLayout)
}

// where is the SQL condition over demand_index (alias s) of f and the
// viewer's limits; withPeriod false leaves the period out.
func (f filters) where(v *viewer, withPeriod bool) ([]string, dbx.Params) {
	var where []string
	params := dbx.Params{}
	if withPeriod {
		from, to := span(f.period)
		where = append(where, "s.at >= {:from}", "s.at < {:to}")
		params["from"], params["to"] = from, to
	}
	for _, c := range []struct{ col, val string }{
		{"village", f.village}, {"category", f.category}, {"state", f.state}, {"kind", f.kind}, {"channel", f.channel},
	} {
		if c.val != "" {
			where = append(where, "s."+c.col+" = {:f_"+c.col+"}")
			params["f_"+c.col] = c.val
		}
	}
	return v.scoped(where, params), params
}

func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// periodJSON describes a period for the PWA.
func periodJSON(p demand.Period) map[string]any {
	return map[string]any{"key": p.Key(), "kind": p.Kind, "label": p.Label(),
		"prev": p.Prev().Key(), "next": p.Next().Key(), "current": p.Contains(time.Now())}
}

// badParam is a 400 naming one query parameter.
func badParam(e *core.RequestEvent, field, message string) error {
	return e.BadRequestError(message, fielderr.New(field, "validation_invalid", message))
}
