package surveys

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/workbook"
	"simeng/hooks/roster"
	"simeng/survey"
)

// Sheets and headers of the export (tests read the file back by them).
const (
	SheetSummary = "汇总"
	SheetTexts   = "简答"
)

// SummaryHeaders come first in the summary sheet; one column per village
// group follows.
var (
	SummaryHeaders = []string{"题号", "题目", "题型", "选项", "人数", "占比"}
	TextHeaders    = []string{"题号", "题目", "村", "回答"}
)

func bindResults(app core.App) {
	guard := access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以查看调查结果。")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/surveys/{id}/results", surveyResults).BindFunc(guard)
		se.Router.GET("/api/surveys/{id}/results.xlsx", surveyWorkbook).BindFunc(guard)
		return se.Next()
	})
}

// Results is a survey's results as the presidium reads them.
type Results struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	ClosesAt string `json:"closes_at"`
	survey.Result
}

// ResultsOf summarises the survey id: counts per question, option and
// village group, short texts by group, no group under survey.MinGroup.
func ResultsOf(app core.App, id string) (Results, error) {
	s, err := app.FindRecordById(surveysCollection, id)
	if err != nil {
		return Results{}, err
	}
	texts, err := textsOf(app, s.Id)
	if err != nil {
		return Results{}, err
	}
	names := map[string]string{}
	return Results{
		ID: s.Id, Title: s.GetString("title"), Status: s.GetString("status"),
		ClosesAt: s.GetDateTime("closes_at").String(),
		Result: survey.Summarize(questionsOf(s), tallyOf(s), texts, func(village string) string {
			if n, ok := names[village]; ok {
				return n
			}
			names[village] = roster.VillageName(app, village)
			return names[village]
		}, survey.MinGroup),
	}, nil
}

func surveyResults(e *core.RequestEvent) error {
	r, err := ResultsOf(e.App, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("调查不存在。", nil)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, r)
}

func surveyWorkbook(e *core.RequestEvent) error {
	r, err := ResultsOf(e.App, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("调查不存在。", nil)
	}
	if err != nil {
		return err
	}
	f, err := resultsWorkbook(r, time.Now())
	if err != nil {
		return err
	}
	return workbook.Send(e, f, "survey-results.xlsx", r.Title+"-调查结果.xlsx")
}

var kindLabels = map[survey.Kind]string{survey.Single: "单选", survey.Multiple: "多选", survey.Text: "简答"}

// resultsWorkbook writes the results: a summary sheet (one row per option,
// a column per village group) and a sheet of the short texts by group.
func resultsWorkbook(r Results, now time.Time) (*excelize.File, error) {
	f := excelize.NewFile()
	title := fmt.Sprintf("《%s》调查结果（共%d份答卷，导出于%s）", r.Title, r.Respondents,
		chinatime.In(now).Format("2006-01-02 15:04"))
	headers := append([]string{}, SummaryHeaders...)
	for _, g := range r.Groups {
		headers = append(headers, fmt.Sprintf("%s（%d人）", g.Label, g.Respondents))
	}
	var rows [][]string
	if r.Suppressed {
		rows = append(rows, []string{"", fmt.Sprintf("回答人数不足%d人，为保护填写人，不显示结果。", r.MinGroup), "", "", strconv.Itoa(r.Respondents), ""})
	}
	var texts [][]string
	for i, q := range r.Questions {
		n := strconv.Itoa(i + 1)
		if q.Kind == survey.Text {
			rows = append(rows, append([]string{n, q.Title, kindLabels[q.Kind], "（见“简答”表）", strconv.Itoa(q.Answered), ""}, ints(q.AnsweredBy)...))
			for _, t := range q.Texts {
				texts = append(texts, []string{n, q.Title, t.Group, t.Text})
			}
			continue
		}
		for _, o := range q.Options {
			rows = append(rows, append([]string{n, q.Title, kindLabels[q.Kind], o.Label, strconv.Itoa(o.Count),
				fmt.Sprintf("%.1f%%", o.Share*100)}, ints(o.ByGroup)...))
		}
	}
	widths := []float64{6, 36, 8, 24, 8, 8}
	for range r.Groups {
		widths = append(widths, 14)
	}
	if err := workbook.Table(f, SheetSummary, title, headers, rows, widths); err != nil {
		return nil, err
	}
	if err := workbook.Table(f, SheetTexts, "《"+r.Title+"》简答题回答（按村和内容排列，不反映提交先后）", TextHeaders, texts, []float64{6, 30, 16, 60}); err != nil {
		return nil, err
	}
	return f, f.DeleteSheet("Sheet1")
}

func ints(ns []int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return out
}
