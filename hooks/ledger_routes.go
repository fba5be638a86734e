package hooks

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/inspectplan"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// The presidium's ledger views and the Excel exports the township's offices
// work in (R7). Presidium members and staff only.
func bindLedgerRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/ledger")
		g.Bind(apis.RequireAuth("deputies", core.CollectionNameSuperusers))
		g.BindFunc(requirePresidiumOrStaff)
		g.GET("/plan", planJSON)
		g.GET("/plan.xlsx", planXLSX)
		g.GET("/hazards.xlsx", hazardsXLSX)
		return se.Next()
	})
}

func requirePresidiumOrStaff(e *core.RequestEvent) error {
	if !isPresidiumOrStaff(e.Auth) {
		return e.ForbiddenError("只有主席团成员或工作人员可以查看和导出台账", nil)
	}
	return e.Next()
}

// yearParam reads ?year=, defaulting to the current year in China time.
func yearParam(e *core.RequestEvent) (int, error) {
	raw := e.Request.URL.Query().Get("year")
	if raw == "" {
		return inspectplan.Of(time.Now()).Year, nil
	}
	y, err := strconv.Atoi(raw)
	if err != nil || y < 2020 || y > 2100 {
		return 0, e.BadRequestError("年份无效", validation.Errors{
			"year": validation.NewError("validation_invalid_year", "年份须是2020到2100之间的整数，例如 2026"),
		})
	}
	return y, nil
}

func planJSON(e *core.RequestEvent) error {
	year, err := yearParam(e)
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
	year, err := yearParam(e)
	if err != nil {
		return err
	}
	f, err := planWorkbook(e.App, year, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return sendWorkbook(e, f, fmt.Sprintf("inspection-plan-%d.xlsx", year), fmt.Sprintf("%d年安全生产执法检查季度计划.xlsx", year))
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
	return sendWorkbook(e, f, "hazards-"+day+".xlsx", "隐患台账_"+day+".xlsx")
}

// sendWorkbook sends f as a download named name (Chinese, for browsers that
// read filename*) or ascii (for those that do not).
func sendWorkbook(e *core.RequestEvent, f *excelize.File, ascii, name string) error {
	defer f.Close()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return e.InternalServerError("", err)
	}
	h := e.Response.Header()
	h.Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	return e.Blob(http.StatusOK, xlsxType, buf.Bytes())
}
