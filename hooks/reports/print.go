package reports

import (
	_ "embed"
	"html/template"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/internal/htmlpage"
	"simeng/hooks/internal/workbook"
	yr "simeng/yearreport"
)

//go:embed print.html
var printPage string

var printTemplate = template.Must(template.New("print").Parse(printPage))

// printCSP: no script, nothing loaded from elsewhere; the charts are inline
// SVG whose styles are attributes.
const printCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"

type figureGroup struct {
	Name    string
	Figures []yr.Figure
}

func grouped(s yr.Set) []figureGroup {
	var out []figureGroup
	for _, g := range s.Groups() {
		fg := figureGroup{Name: g}
		for _, f := range s {
			if f.Group == g {
				fg.Figures = append(fg.Figures, f)
			}
		}
		out = append(out, fg)
	}
	return out
}

type printData struct {
	Title, Subtitle, Status string
	Paragraphs              []yr.Paragraph
	Sign                    string
	AppendixTitle           string
	Groups                  []figureGroup
	Charts                  []template.HTML
	Printed, Note           string
}

func writePrint(e *core.RequestEvent, d printData) error {
	d.Printed = chinatime.In(time.Now()).Format("2006年1月2日")
	return htmlpage.Write(e, printTemplate, d, printCSP)
}

var statusLabels2 = map[string]string{"draft": "草稿", "final": "定稿"}

// reportWorkbook is a report as Excel: its figures (with definitions) and
// its text, a paragraph a row.
func reportWorkbook(title string, figures yr.Set, body string) (*excelize.File, error) {
	x := excelize.NewFile()
	var rows [][]string
	for _, f := range figures {
		num, den := "", ""
		if f.Rate {
			num, den = itoa(f.Numerator), itoa(f.Denominator)
		}
		rows = append(rows, []string{f.Group, f.Label, f.Short(), num, den, f.Definition})
	}
	if err := workbook.Table(x, "统计数据", title+" · 统计数据", []string{"类别", "指标", "数值", "分子", "分母", "统计口径"},
		rows, []float64{12, 24, 12, 8, 8, 70}); err != nil {
		return nil, err
	}
	var paras [][]string
	for i, p := range yr.Paragraphs(body) {
		paras = append(paras, []string{itoa(i + 1), p.Text})
	}
	if err := workbook.Table(x, "报告正文", title, []string{"段", "内容"}, paras, []float64{6, 110}); err != nil {
		return nil, err
	}
	x.DeleteSheet("Sheet1")
	return x, nil
}
