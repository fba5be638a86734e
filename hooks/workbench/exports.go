package workbench

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/fielderr"
)

// Export is one download of the workbench's 导出 section: every Excel
// workbook the platform makes, as the route that makes it (the capability
// owns the route and its rules; this list only gathers them).
type Export struct {
	Group string `json:"group"` // the section heading: 考核, 议案建议, 监督, …
	Label string `json:"label"`
	Path  string `json:"path"` // GET, with the office's token
	Name  string `json:"name"` // the file name to save it under
}

// Exports lists every export staff may download for year: the yearly
// workbooks, then one per issued supervision report, survey and deputy's
// duty report (述职报告) of the year, and the annual work report once it
// exists.
func Exports(app core.App, year int) ([]Export, error) {
	y := strconv.Itoa(year)
	out := []Export{
		{"考核", "代表履职考核得分表", "/api/assessment/export.xlsx?year=" + y, y + "年度代表履职考核.xlsx"},
		{"议案建议", "议案建议办理台账", "/api/proposals/export.xlsx?year=" + y, y + "年议案建议办理台账.xlsx"},
		{"民生实事", "民生实事项目台账", "/api/projects/export.xlsx?year=" + y, y + "年民生实事项目台账.xlsx"},
		{"执法检查", "安全生产执法检查季度计划", "/api/ledger/plan.xlsx?year=" + y, y + "年安全生产执法检查季度计划.xlsx"},
		{"执法检查", "隐患台账", "/api/ledger/hazards.xlsx", "隐患台账.xlsx"},
		{"群众诉求", "群众诉求清单", "/api/simeng/analysis/export.xlsx?period=" + y, "群众诉求清单_" + y + ".xlsx"},
		{"学习园地", "学习园地阅读情况", "/api/learning/reads.xlsx", "学习园地阅读情况.xlsx"},
	}
	params := dbx.Params{"y": year}
	if annual, err := app.FindRecordsByFilter("annual_reports", "year = {:y}", "", 1, 0, params); err != nil {
		return nil, err
	} else if len(annual) > 0 {
		out = append(out, Export{"报告", "主席团年度工作报告", "/api/simeng/reports/annual/" + y + ".xlsx", "思蒙镇人大主席团" + y + "年工作报告.xlsx"})
	}
	reports, err := app.FindRecordsByFilter("supervision_reports", `year = {:y} && status = "issued"`, "number,created", 0, 0, params)
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		out = append(out, Export{"监督", "监督通报整改事项：" + cut(r.GetString("title"), 24),
			"/api/supervision-reports/" + r.Id + "/export.xlsx", "监督通报整改事项_" + r.GetString("number") + ".xlsx"})
	}
	// A survey is the year's if it closes in that year in China: one closing
	// at 01:00 on 1 January is already the new year's, although in UTC it
	// closed on 31 December.
	from, to := chinatime.Span(year)
	surveys, err := app.FindRecordsByFilter("surveys", `status != "draft" && closes_at >= {:from} && closes_at < {:to}`, "closes_at", 0, 0,
		dbx.Params{"from": from, "to": to})
	if err != nil {
		return nil, err
	}
	for _, s := range surveys {
		out = append(out, Export{"调查", "调查结果：" + cut(s.GetString("title"), 24), "/api/surveys/" + s.Id + "/results.xlsx", s.GetString("title") + "-调查结果.xlsx"})
	}
	duty, err := app.FindRecordsByFilter("duty_reports", "year = {:y}", "created", 0, 0, params)
	if err != nil {
		return nil, err
	}
	for _, d := range duty {
		name := ""
		if dep, err := app.FindRecordById("deputies", d.GetString("deputy")); err == nil {
			name = dep.GetString("name")
		}
		out = append(out, Export{"述职", name + y + "年度述职报告", "/api/simeng/reports/duty/" + d.Id + ".xlsx", name + y + "年度述职报告.xlsx"})
	}
	return out, nil
}

// handleExports answers GET /api/simeng/workbench/exports?year=2026 (this
// year in China by default).
func handleExports(e *core.RequestEvent) error {
	year := chinatime.CurrentYear()
	if v := e.Request.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2020 || y > 2100 {
			return e.BadRequestError("年度不正确。", fielderr.New("year", "validation_invalid_year", "年度须为 2020 到 2100 之间的年份。"))
		}
		year = y
	}
	items, err := Exports(e.App, year)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "items": items})
}
