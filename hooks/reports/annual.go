package reports

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/demand"
	"simeng/hooks/analysis"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	yr "simeng/yearreport"
)

func itoa(i int) string { return strconv.Itoa(i) }

// annualInput gathers what the annual draft is made from.
func annualInput(app core.App, year int) (yr.AnnualInput, error) {
	figures, err := Stats(app, year)
	if err != nil {
		return yr.AnnualInput{}, err
	}
	p, _ := demand.ParsePeriod(itoa(year))
	sum, err := analysis.Summarize(app, p)
	if err != nil {
		return yr.AnnualInput{}, err
	}
	in := yr.AnnualInput{Year: year, Figures: figures, Hotspots: sum.Hotspots, Recurring: sum.Recurring, Terms: sum.Terms}
	for _, c := range sum.Categories {
		in.Categories = append(in.Categories, yr.Named{Name: c.Name, N: c.N})
	}
	return in, nil
}

func findAnnual(app core.App, year int) (*core.Record, error) {
	r, err := app.FindFirstRecordByFilter("annual_reports", "year = {:y}", dbx.Params{"y": year})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// annualGenerate is POST /api/simeng/reports/annual?year=: the year's
// draft, made from the statistics and the analysis the first time; asked
// again it is returned as the presidium edited it, unless regenerate=1
// (which a final report refuses).
func annualGenerate(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	regenerate := e.Request.URL.Query().Get("regenerate") == "1"
	r, err := findAnnual(e.App, year)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if r != nil && !regenerate {
		return e.JSON(http.StatusOK, r)
	}
	if r != nil && r.GetString("status") == "final" {
		return e.BadRequestError("报告已定稿", fielderr.New("status", "validation_final", "报告已定稿，不能重新生成；如需重新生成，请先改回草稿"))
	}
	r, err = GenerateAnnual(e.App, year, actorName(e.Auth))
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, r)
}

// GenerateAnnual makes (or makes again) the year's annual report draft
// from the statistics and the analysis, as a draft; by names who asked.
func GenerateAnnual(app core.App, year int, by string) (*core.Record, error) {
	r, err := findAnnual(app, year)
	if err != nil {
		return nil, err
	}
	in, err := annualInput(app, year)
	if err != nil {
		return nil, err
	}
	if r == nil {
		col, err := app.FindCollectionByNameOrId("annual_reports")
		if err != nil {
			return nil, err
		}
		r = core.NewRecord(col)
		r.Set("year", year)
	}
	r.Set("body", yr.AnnualDraft(in))
	r.Set("status", "draft")
	r.Set("figures", in.Figures)
	r.Set("generated_at", types.NowDateTime())
	r.Set("updated_by", by)
	return r, app.Save(r)
}

// reportFigures reads the figures stored with a draft.
func reportFigures(r *core.Record) yr.Set {
	var s yr.Set
	raw, _ := json.Marshal(r.Get("figures"))
	_ = json.Unmarshal(raw, &s)
	return s
}

func annualFor(e *core.RequestEvent, raw string) (*core.Record, int, error) {
	year, err := yearParam(e, raw)
	if err != nil {
		return nil, 0, err
	}
	r, err := findAnnual(e.App, year)
	if err != nil {
		return nil, 0, e.InternalServerError("", err)
	}
	if r == nil {
		return nil, 0, e.NotFoundError(fmt.Sprintf("%d年度工作报告还没有生成初稿。", year), nil)
	}
	return r, year, nil
}

// annualPrint is the A4 page of the annual report: its text, then the
// year's charts and figures with their definitions as an appendix.
func annualPrint(e *core.RequestEvent) error {
	r, year, err := annualFor(e, e.Request.PathValue("year"))
	if err != nil {
		return err
	}
	p, _ := demand.ParsePeriod(itoa(year))
	var charts []template.HTML
	for _, name := range []string{"trend", "categories", "villages", "sources"} {
		svg, err := analysis.Chart(e.App, name, p)
		if err != nil {
			return e.InternalServerError("", err)
		}
		charts = append(charts, template.HTML(svg)) // escaped by package charts
	}
	return writePrint(e, printData{
		Title:         fmt.Sprintf("思蒙镇人民代表大会主席团%d年工作报告", year),
		Subtitle:      "（提请镇人民代表大会审议）",
		Status:        statusLabels2[r.GetString("status")],
		Paragraphs:    withoutTitle(r.GetString("body")),
		Sign:          "思蒙镇人民代表大会主席团",
		AppendixTitle: fmt.Sprintf("%d年度统计数据和群众诉求图表", year),
		Groups:        grouped(reportFigures(r)),
		Charts:        charts,
		Note:          "统计数据为生成初稿时的数据，口径见各项说明",
	})
}

// withoutTitle drops the draft's own first line when it is its title (the
// page prints the title itself).
func withoutTitle(body string) []yr.Paragraph {
	ps := yr.Paragraphs(body)
	if len(ps) > 0 && (strings.Contains(ps[0].Text, "工作报告") || strings.Contains(ps[0].Text, "履职情况报告")) && !strings.Contains(ps[0].Text, "\n") {
		return ps[1:]
	}
	return ps
}

func annualXLSX(e *core.RequestEvent) error {
	file := e.Request.PathValue("file")
	raw, ok := strings.CutSuffix(file, ".xlsx")
	if !ok {
		return e.NotFoundError("", nil)
	}
	r, year, err := annualFor(e, raw)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("思蒙镇人大主席团%d年工作报告", year)
	x, err := reportWorkbook(title, reportFigures(r), r.GetString("body"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	return workbook.Send(e, x, fmt.Sprintf("annual-report-%d.xlsx", year), title+".xlsx")
}

func actorName(auth *core.Record) string {
	if auth == nil {
		return ""
	}
	if auth.IsSuperuser() {
		return "工作人员 " + auth.Email()
	}
	return auth.GetString("name")
}
