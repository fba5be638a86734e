package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/surveys"
	"simeng/survey"
)

// SurveyQuestions are the questions of the fixture's surveys: q1 single
// choice (required), q2 multiple choice (at most 2), q3 short text.
const SurveyQuestions = `[
	{"id":"q1","kind":"single","title":"您家是否有留守儿童？","options":["有","没有"],"required":true},
	{"id":"q2","kind":"multiple","title":"放学后孩子主要由谁照看？","options":["祖父母","亲戚邻居","无人照看","其他"],"max":2},
	{"id":"q3","kind":"text","title":"您对课后看护有什么建议？"}
]`

// Surveys: IDs["survey_open"] (open a week more, every village, no phone
// asked), IDs["survey_phone"] (open, village A only, one per phone),
// IDs["survey_closed"] (closed after 6 responses: 5 from village A, 1
// from village B; q1 有 ×4, 没有 ×2), IDs["survey_draft"]; public codes in
// IDs["…_code"].
func seedSurveys(app core.App, f *Fixture) error {
	col := mustCollection(app, "surveys")
	week := time.Now().Add(7 * 24 * time.Hour).UTC()
	for _, row := range []struct {
		key, title, status string
		villages           []string
		phone              bool
	}{
		{"survey_open", "留守儿童课后看护需求微调研", "open", nil, false},
		{"survey_phone", "思蒙湾村集镇停车场微协商", "open", []string{f.VillageA}, true},
		{"survey_closed", "桥头村饮水管护费标准微调研", "open", nil, false},
		{"survey_draft", "农村自建房安全微调研（草稿）", "draft", nil, false},
	} {
		s := core.NewRecord(col)
		s.Set("title", row.title)
		s.Set("intro", "匿名填写，约需2分钟。")
		s.Set("questions", SurveyQuestions)
		s.Set("status", row.status)
		s.Set("closes_at", week)
		s.Set("villages", row.villages)
		s.Set("require_phone", row.phone)
		if err := app.Save(s); err != nil {
			return err
		}
		f.IDs[row.key] = s.Id
		f.IDs[row.key+"_code"] = s.GetString("code")
	}
	for i := range 6 {
		village := f.VillageA
		if i == 5 {
			village = f.VillageB
		}
		a := survey.Answers{Choices: map[string][]int{"q1": {i % 3 / 2}, "q2": {0}}, Texts: map[string]string{}}
		if i == 0 {
			a.Texts["q3"] = "希望村里办个四点半课堂。"
		}
		if err := surveys.RecordResponse(app, f.IDs["survey_closed"], a, village, ""); err != nil {
			return err
		}
	}
	closed, err := app.FindRecordById(col, f.IDs["survey_closed"])
	if err != nil {
		return err
	}
	closed.Set("status", "closed")
	return app.Save(closed)
}
