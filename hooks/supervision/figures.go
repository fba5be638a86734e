package supervision

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/reports"
	yr "simeng/yearreport"
)

// The year's 专题询问 figures for the township statistics and each
// deputy's 述职 draft (issue 17), registered with package reports. An
// inquiry belongs to its year (field year); a question to its inquiry's.

const (
	figureGroup  = "民生实事"
	inquiriesKey = "inquiries_held"
	questionsKey = "inquiry_questions"
	answeredKey  = "inquiry_answered"
)

func bindFigures(app core.App) {
	reports.AddFigures(app, reports.FigureSource{Name: "专题询问", Figures: inquiryFigures, Records: inquiryRecords})
	reports.AddDutyFigures(app, reports.DutySource{Name: "专题询问", Duty: inquiryDuty})
}

const questionsOfYear = "inquiry IN (SELECT id FROM inquiries WHERE year = {:y})"

func inquiryFigures(app core.App, year int) ([]yr.Figure, error) {
	p := dbx.Params{"y": year}
	held, err := app.CountRecords(InquiriesCol, dbx.HashExp{"year": year, "status": "held"})
	if err != nil {
		return nil, err
	}
	asked, err := app.CountRecords(ItemsCol, dbx.NewExp(questionsOfYear, p))
	if err != nil {
		return nil, err
	}
	answered, err := app.CountRecords(ItemsCol, dbx.NewExp(questionsOfYear+" AND answer != ''", p))
	if err != nil {
		return nil, err
	}
	out := []yr.Figure{
		yr.Count(inquiriesKey, figureGroup, "召开专题询问", "次", "本年度状态为“已召开”的专题询问（工作计划要求每年选取3至5个项目或议题）。", int(held)),
		yr.Count(questionsKey, figureGroup, "专题询问中代表提问", "个", "本年度各专题询问中记录的代表提问数。", int(asked)),
		yr.Rate(answeredKey, figureGroup, "专题询问问题已答复", "已记录应询单位回答的提问 ÷ 全部提问。", int(answered), int(asked)),
	}
	for i := range out {
		out[i].Drill = true
	}
	return out, nil
}

func inquiryRecords(app core.App, year int, key string) ([]reports.DrillRow, bool, error) {
	p := dbx.Params{"y": year}
	switch key {
	case inquiriesKey:
		recs, err := app.FindRecordsByFilter(InquiriesCol, "year = {:y} && status = 'held'", "held_on", 0, 0, p)
		if err != nil {
			return nil, true, err
		}
		out := make([]reports.DrillRow, 0, len(recs))
		for _, r := range recs {
			out = append(out, reports.DrillRow{Collection: InquiriesCol, ID: r.Id, Date: chinatime.Date(r.GetDateTime("held_on").Time()),
				Title: r.GetString("topic"), Detail: "已召开"})
		}
		return out, true, nil
	case questionsKey, answeredKey:
		cond := questionsOfYear
		if key == answeredKey {
			cond += " AND answer != ''"
		}
		var rows []struct {
			ID       string `db:"id"`
			Created  string `db:"created"`
			Question string `db:"question"`
			Deputy   string `db:"deputy"`
			Answered string `db:"answered_at"`
		}
		err := app.DB().NewQuery(`SELECT i.id, i.created, i.question, i.answered_at,
			COALESCE((SELECT d.name FROM deputies d WHERE d.id = i.deputy), '') AS deputy
			FROM inquiry_items i WHERE ` + cond + ` ORDER BY i.created, i.id`).Bind(p).All(&rows)
		if err != nil {
			return nil, true, err
		}
		out := make([]reports.DrillRow, 0, len(rows))
		for _, r := range rows {
			detail := r.Deputy + "提问，未答复"
			if r.Answered != "" {
				detail = r.Deputy + "提问，已答复"
			}
			out = append(out, reports.DrillRow{Collection: ItemsCol, ID: r.ID, Date: storedDate(r.Created), Title: cut(r.Question, 80), Detail: detail})
		}
		return out, true, nil
	}
	return nil, false, nil
}

// inquiryDuty is a deputy's questions at the year's 专题询问 in their 述职
// draft.
func inquiryDuty(app core.App, deputy string, year int) (reports.DutyPart, error) {
	var part reports.DutyPart
	n, err := app.CountRecords(ItemsCol, dbx.NewExp(questionsOfYear+" AND deputy = {:d}", dbx.Params{"y": year, "d": deputy}))
	if err != nil {
		return part, err
	}
	part.Figures = []yr.Figure{yr.Count("inquiry_questions", "议案建议和监督", "专题询问中提问", "个",
		"本年度专题询问中记录为本人提出的问题数。", int(n))}
	if n > 0 {
		part.Sentences = []string{fmt.Sprintf("在专题询问中提出问题%d个", n)}
	}
	return part, nil
}

func storedDate(s string) string {
	t, err := time.Parse(chinatime.StoredLayout, s)
	if err != nil {
		return s
	}
	return chinatime.Date(t)
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
