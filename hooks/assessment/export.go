package assessment

import (
	_ "embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/htmlpage"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	"simeng/hooks/internal/yearlog"
)

// displayDate shows a stored UTC date as the Beijing calendar date.
func displayDate(s string) string {
	d, err := types.ParseDateTime(s)
	if err != nil || d.IsZero() {
		return ""
	}
	return d.Time().In(chinatime.Location()).Format("2006-01-02")
}

func assessmentExport(e *core.RequestEvent) error {
	if !access.IsPresidiumOrOffice(e.Auth) {
		return e.ForbiddenError("只有主席团成员和工作人员可以导出", nil)
	}
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	ds, err := buildDossiers(e.App, year, nil)
	if err != nil {
		return err
	}
	f, err := dossierWorkbook(year, ds)
	if err != nil {
		return err
	}
	return workbook.Send(e, f, fmt.Sprintf("assessment-%d.xlsx", year), fmt.Sprintf("%d年度代表履职考核.xlsx", year))
}

// SummarySheet is the name of the export's first sheet.
const SummarySheet = "汇总"

// dossierWorkbook is the Excel export: a summary ranked by total with one
// column per rule item, then one sheet per deputy with the breakdown and
// every record that counted.
func dossierWorkbook(year int, ds []dossier) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return nil, err
	}

	w := workbook.NewRows(f, SummarySheet)
	w.Row(fmt.Sprintf("%d年度代表履职量化考核汇总", year))
	w.Style(title)
	required := 0
	if len(ds) > 0 {
		required = ds[0].Required
	}
	header := []any{"排名", "姓名", "村（社区）", "走访户数", fmt.Sprintf("是否达到%d户", required), "基础分", "加分", "总分", "等次", "等次说明"}
	if len(ds) > 0 {
		for _, it := range ds[0].Result.Items {
			header = append(header, fmt.Sprintf("%s（%g）", it.Title, it.Max))
		}
	}
	w.Row(header...)
	w.Style(bold)
	for _, d := range ds {
		line := []any{d.Rank, d.Deputy.Name, d.Deputy.Village, d.Households, metText(d.Met), d.Result.Base, d.Result.Bonus, d.Result.Total, d.Result.Grade, d.Result.CapReason}
		for _, it := range d.Result.Items {
			line = append(line, it.Points)
		}
		w.Row(line...)
	}
	if len(ds) > 0 {
		w.Row()
		if len(ds[0].Inert) == 0 {
			w.Row("暂不计分", "无：本年度各考核项都有数据来源和记录")
		}
		for _, in := range ds[0].Inert {
			w.Row("暂不计分", in.Title, in.Reason)
		}
	}
	if w.Err() != nil {
		return nil, w.Err()
	}
	_ = f.SetColWidth(SummarySheet, "B", "C", 14)
	_ = f.SetColWidth(SummarySheet, "E", "E", 14)
	_ = f.SetColWidth(SummarySheet, "J", "J", 40)

	used := map[string]bool{SummarySheet: true}
	for i, d := range ds {
		name := workbook.SheetName(fmt.Sprintf("%02d %s", i+1, d.Deputy.Name), used)
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		w := workbook.NewRows(f, name)
		w.Row(fmt.Sprintf("%s %d年度履职档案", d.Deputy.Name, year))
		w.Style(title)
		w.Row("村（社区）", d.Deputy.Village, "届次", d.Deputy.Term)
		w.Row("总分", d.Result.Total, "等次", d.Result.Grade, "排名", fmt.Sprintf("%d/%d", d.Rank, d.Of))
		w.Row("走访户数", d.Households, fmt.Sprintf("要求%d户", d.Required), metText(d.Met))
		w.Row("计分", d.Result.Summary)
		if d.Result.CapReason != "" {
			w.Row("等次说明", d.Result.CapReason)
		}
		w.Row()
		w.Row("类别", "考核项", "得分", "满分", "说明", "数据来源")
		w.Style(bold)
		for _, it := range d.Result.Items {
			points := any(it.Points)
			if it.NotScored {
				points = "不计分"
			}
			w.Row(it.Group, it.Title, points, it.Max, it.Explanation, strings.Join(it.Sources, "、"))
		}
		for _, h := range d.History {
			w.Row(historyLine(h)...)
		}
		w.Row()
		w.Row("日期", "来源", "类型", "事项", "情况")
		w.Style(bold)
		for _, en := range d.Entries {
			w.Row(displayDate(en.Date), en.Source, en.Kind, en.Title, en.Detail)
		}
		if w.Err() != nil {
			return nil, w.Err()
		}
		_ = f.SetColWidth(name, "A", "D", 14)
		_ = f.SetColWidth(name, "E", "E", 60)
	}
	return f, nil
}

// metText says whether the households requirement was met.
func metText(met bool) string {
	if met {
		return "达到"
	}
	return "未达到"
}

// historyLine is one close or reopen of the year, for the deputy's sheet.
func historyLine(h yearlog.Entry) []any {
	what := map[string]string{"close": "关账", "reopen": "重新开账"}[h.Action]
	if h.Ledger == yearlog.Visits {
		what = "走访年度" + map[string]string{"close": "结算", "reopen": "重新开账"}[h.Action]
	}
	line := []any{"关账记录", what, displayDate(h.At.String()), h.ActorLabel, h.Reason}
	for _, c := range h.Changes {
		if c.HadBefore {
			line = append(line, fmt.Sprintf("%g → %g", c.Before, c.After))
		} else {
			line = append(line, fmt.Sprintf("%g", c.After))
		}
	}
	return line
}

//go:embed print.html
var printPage string

var printTemplate = template.Must(template.New("print").Funcs(template.FuncMap{
	"date": displayDate,
}).Parse(printPage))

// assessmentPrint is the printable 履职档案. It needs the same login as the
// JSON (the PWA fetches it with its token and opens it for printing); it runs
// no script and loads nothing from elsewhere.
func assessmentPrint(e *core.RequestEvent) error {
	d, err := oneDossier(e)
	if err != nil {
		return err
	}
	return htmlpage.Write(e, printTemplate, map[string]any{"D": d, "Printed": time.Now().In(chinatime.Location()).Format("2006-01-02")},
		"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:")
}
