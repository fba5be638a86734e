package ledger

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	"simeng/inspectplan"
)

// The presidium's ledger views and the Excel exports the township's offices
// work in (R7). Presidium members and staff only.
func bindLedgerRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/ledger")
		g.BindFunc(access.RequirePresidiumOrOffice("只有主席团成员或工作人员可以查看和导出台账"))
		g.GET("/plan", planJSON)
		g.GET("/plan.xlsx", planXLSX)
		g.GET("/hazards.xlsx", hazardsXLSX)
		return se.Next()
	})
}

func planJSON(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	rows, err := buildPlan(e.App, year, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	quarters := make([]map[string]string, 0, 4)
	for _, p := range inspectplan.Quarters(year) {
		quarters = append(quarters, map[string]string{"quarter": p.String(), "label": p.Label()})
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "quarters": quarters, "sites": rows})
}

func planXLSX(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	f, err := planWorkbook(e.App, year, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return workbook.Send(e, f, fmt.Sprintf("inspection-plan-%d.xlsx", year), fmt.Sprintf("%d年安全生产执法检查季度计划.xlsx", year))
}

func hazardsXLSX(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	filter, err := hazardExportFilter(e, q)
	if err != nil {
		return err
	}
	f, err := hazardsWorkbook(e.App, filter, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	day := chinatime.Date(time.Now())
	return workbook.Send(e, f, "hazards-"+day+".xlsx", "隐患台账_"+day+".xlsx")
}
