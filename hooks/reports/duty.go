package reports

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	"simeng/hooks/visits"
	"simeng/visitpace"
	yr "simeng/yearreport"
)

// activityLabels name deputy_activities kinds in a 述职 draft.
var activityLabels = map[string]string{
	"station_duty": "联络站值班接待", "report_to_voters": "向选民述职", "proposal": "提交议案建议",
	"golden_idea": "建议获评“金点子”", "project_tracking": "民生实事跟踪问效", "project_evaluation": "民生实事年终评议",
	"research_report": "撰写调研报告", "supervision_activity": "主席团活动和视察",
}

var activityOrder = []string{"station_duty", "proposal", "golden_idea", "project_tracking", "project_evaluation", "research_report", "supervision_activity"}

// dutyInput is the deputy's year from their own records.
func dutyInput(app core.App, dep *core.Record, year int) (yr.DutyInput, error) {
	in := yr.DutyInput{Year: year, Name: dep.GetString("name")}
	if v, err := app.FindRecordById("villages", dep.GetString("village")); err == nil {
		in.Village = v.GetString("name")
	}
	rule, err := visits.Rule(app, year)
	if err != nil {
		return in, err
	}
	in.Required = rule.Required
	vs, err := visits.YearVisits(app, year, dep.Id, false)
	if err != nil {
		return in, err
	}
	t := visitpace.Count(year, visits.ByDeputy(vs)[dep.Id])
	in.Households, in.Visits = t.Households, t.Visits
	for _, n := range t.MonthVisits {
		if n > 0 {
			in.MonthsVisited++
		}
	}

	p := params(year)
	p["d"] = dep.Id
	count := func(q string) (int, error) {
		var n int
		err := app.DB().NewQuery(q).Bind(p).Row(&n)
		return n, err
	}
	sugg := `SELECT count(*) FROM suggestions t WHERE t.deputy = {:d} AND ` + suggestionsYear
	if in.Suggestions, err = count(sugg); err != nil {
		return in, err
	}
	if in.Answered, err = count(sugg + ` AND t.status IN ('answered', 'transferred', 'closed')`); err != nil {
		return in, err
	}
	if in.AnsweredOnTime, err = count(sugg + ` AND t.answered_at != '' AND t.answered_at <= t.feedback_due`); err != nil {
		return in, err
	}
	if in.Problems, err = count(`SELECT count(*) FROM problems t WHERE t.deputy = {:d} AND t.source != 'suggestion'
		AND t.created >= {:from} AND t.created < {:to}`); err != nil {
		return in, err
	}
	var att []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := app.DB().NewQuery(`SELECT a.status, count(*) AS n FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting
		WHERE a.deputy = {:d} AND m.starts_at >= {:from} AND m.starts_at < {:to} GROUP BY a.status`).Bind(p).All(&att); err != nil {
		return in, err
	}
	for _, a := range att {
		in.MeetingsExpected += a.N
		switch a.Status {
		case "present":
			in.MeetingsPresent += a.N
		case "leave":
			in.Leave += a.N
		}
	}
	inspections, err := count(`SELECT count(*) FROM inspections t WHERE t.inspected_at >= {:from} AND t.inspected_at < {:to}
		AND (t.deputy = {:d} OR EXISTS (SELECT 1 FROM json_each(t.participants) j WHERE j.value = {:d}))`)
	if err != nil {
		return in, err
	}
	in.Activities = append(in.Activities, yr.Named{Name: "执法检查和视察", N: inspections})
	var acts []struct {
		Kind string `db:"kind"`
		N    int    `db:"n"`
	}
	if err := app.DB().NewQuery(`SELECT kind, count(*) AS n FROM deputy_activities WHERE deputy = {:d}
		AND occurred_on >= {:from} AND occurred_on < {:to} GROUP BY kind`).Bind(p).All(&acts); err != nil {
		return in, err
	}
	byKind := map[string]int{}
	for _, a := range acts {
		byKind[a.Kind] = a.N
	}
	replaced := map[string]bool{}
	for _, src := range dutySources(app) {
		part, err := src.Duty(app, dep.Id, year)
		if err != nil {
			return in, fmt.Errorf("%s: %w", src.Name, err)
		}
		in.More = append(in.More, part.Figures...)
		in.Oversight = append(in.Oversight, part.Sentences...)
		for _, k := range part.Replaces {
			replaced[k] = true
		}
	}
	for _, k := range activityOrder {
		if !replaced[k] {
			in.Activities = append(in.Activities, yr.Named{Name: activityLabels[k], N: byKind[k]})
		}
	}

	if score, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}", dbx.Params{"d": dep.Id, "y": year}); err == nil {
		total := score.GetFloat("total")
		in.Score, in.Grade = &total, score.GetString("grade")
		var rank, of int
		if err := app.DB().NewQuery(`SELECT count(*) FROM assessment_scores WHERE year = {:y} AND total > {:t}`).
			Bind(dbx.Params{"y": year, "t": total}).Row(&rank); err == nil {
			in.Rank = rank + 1
		}
		if err := app.DB().NewQuery(`SELECT count(*) FROM assessment_scores WHERE year = {:y}`).Bind(dbx.Params{"y": year}).Row(&of); err == nil {
			in.Of = of
		}
	}

	var reviews []struct {
		Title       string `db:"title"`
		StartsAt    string `db:"starts_at"`
		Satisfied   int    `db:"satisfied"`
		Basic       int    `db:"basic"`
		Unsatisfied int    `db:"unsatisfied"`
	}
	if err := app.DB().NewQuery(`SELECT m.title, m.starts_at, r.satisfied, r.basic, r.unsatisfied FROM duty_reviews r
		JOIN meetings m ON m.id = r.meeting WHERE r.deputy = {:d} AND m.starts_at >= {:from} AND m.starts_at < {:to}
		ORDER BY m.starts_at`).Bind(p).All(&reviews); err != nil {
		return in, err
	}
	for _, r := range reviews {
		in.Reviews = append(in.Reviews, yr.Review{Date: displayDate(r.StartsAt), Meeting: r.Title,
			Satisfied: r.Satisfied, Basic: r.Basic, Unsatisfied: r.Unsatisfied})
	}
	return in, nil
}

// dutyFigures are the deputy's figures printed with their draft.
func dutyFigures(in yr.DutyInput) yr.Set {
	const g1, g2, g3 = "联系群众", "建议办理", "会议和考核"
	s := yr.Set{
		yr.Count("households", g1, "走访农户", "户", "本年度走访的不同农户数（补录到已结算年度的不计）。", in.Households),
		yr.Count("visits", g1, "走访记录", "次", "本年度走访记录条数。", in.Visits),
		yr.Count("problems", g1, "提交“急难愁盼”问题", "个", "本人登记的问题数（群众建议转入的不重复计）。", in.Problems),
		yr.Count("suggestions", g2, "收到群众建议", "件", "群众通过代表码、热线、联络站等交本人办理的建议（不含垃圾信息）。", in.Suggestions),
		yr.Rate("answered", g2, "已答复或办结", "已答复、已转交或已办结的件数 ÷ 收到的件数。", in.Answered, in.Suggestions),
		yr.Rate("on_time", g2, "5个工作日内答复", "5个工作日内答复的件数 ÷ 收到的件数。", in.AnsweredOnTime, in.Suggestions),
		yr.Rate("attendance", g3, "会议出席", "出席的会议次数 ÷ 登记了出席情况的会议次数。", in.MeetingsPresent, in.MeetingsExpected),
	}
	s = append(s, in.More...)
	if in.Score != nil {
		f := yr.Count("score", g3, "量化考核得分", "分", "本年度量化考核总分（以考核结果为准）。", 0)
		v := *in.Score
		f.Value, f.Numerator = &v, int(v)
		s = append(s, f)
	}
	return s
}

func findDuty(app core.App, deputy string, year int) (*core.Record, error) {
	r, err := app.FindFirstRecordByFilter("duty_reports", "deputy = {:d} && year = {:y}", dbx.Params{"d": deputy, "y": year})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// dutyGenerate is POST /api/simeng/reports/duty?year=[&deputy=]: the
// deputy's 述职 draft from their own records, made the first time; asked
// again it is returned as the deputy edited it, unless regenerate=1. A
// deputy makes their own; the presidium and staff anyone's.
func dutyGenerate(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	deputy := e.Request.URL.Query().Get("deputy")
	switch {
	case deputy == "" && access.IsDeputyAccount(e.Auth):
		deputy = e.Auth.Id
	case deputy == "":
		return e.BadRequestError("请选择代表", fielderr.New("deputy", "validation_required", "请选择代表"))
	case deputy != e.Auth.Id && !access.IsPresidiumOrOffice(e.Auth):
		return e.ForbiddenError("只能生成本人的述职报告。", nil)
	}
	dep, err := e.App.FindRecordById("deputies", deputy)
	if err != nil {
		return e.BadRequestError("代表不存在", fielderr.New("deputy", "validation_not_found", "代表不存在"))
	}
	regenerate := e.Request.URL.Query().Get("regenerate") == "1"
	r, err := findDuty(e.App, deputy, year)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if r != nil && !regenerate {
		return e.JSON(http.StatusOK, r)
	}
	if r != nil && r.GetString("status") == "final" {
		return e.BadRequestError("述职报告已定稿", fielderr.New("status", "validation_final", "述职报告已定稿，不能重新生成；如需重新生成，请先改回草稿"))
	}
	r, err = GenerateDuty(e.App, dep, year)
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, r)
}

// GenerateDuty makes (or makes again) a deputy's 述职 draft for year from
// their records, as a draft.
func GenerateDuty(app core.App, dep *core.Record, year int) (*core.Record, error) {
	r, err := findDuty(app, dep.Id, year)
	if err != nil {
		return nil, err
	}
	in, err := dutyInput(app, dep, year)
	if err != nil {
		return nil, err
	}
	if r == nil {
		col, err := app.FindCollectionByNameOrId("duty_reports")
		if err != nil {
			return nil, err
		}
		r = core.NewRecord(col)
		r.Set("deputy", dep.Id)
		r.Set("year", year)
	}
	r.Set("body", yr.DutyDraft(in))
	r.Set("status", "draft")
	r.Set("figures", dutyFigures(in))
	r.Set("generated_at", types.NowDateTime())
	return r, app.Save(r)
}

// dutyFor finds a 述职 report the caller may read: its deputy, the
// presidium, staff.
func dutyFor(e *core.RequestEvent, id string) (*core.Record, *core.Record, error) {
	r, err := e.App.FindRecordById("duty_reports", id)
	if err != nil || (!access.IsSelf(e.Auth, r.GetString("deputy")) && !access.IsPresidiumOrOffice(e.Auth)) {
		return nil, nil, e.NotFoundError("没有找到这份述职报告。", nil)
	}
	dep, err := e.App.FindRecordById("deputies", r.GetString("deputy"))
	if err != nil {
		return nil, nil, e.NotFoundError("没有找到这份述职报告。", nil)
	}
	return r, dep, nil
}

func dutyPrint(e *core.RequestEvent) error {
	r, dep, err := dutyFor(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	year := r.GetInt("year")
	sub := fmt.Sprintf("思蒙镇人大代表 · %d年度", year)
	if v, err := e.App.FindRecordById("villages", dep.GetString("village")); err == nil {
		sub = v.GetString("name") + " · " + sub
	}
	return writePrint(e, printData{
		Title:         dep.GetString("name") + "代表履职情况报告",
		Subtitle:      sub,
		Status:        statusLabels2[r.GetString("status")],
		Paragraphs:    withoutTitle(r.GetString("body")),
		Sign:          fmt.Sprintf("报告人：%s　　%s", dep.GetString("name"), chinatime.In(r.GetDateTime("updated").Time()).Format("2006年1月2日")),
		AppendixTitle: fmt.Sprintf("%d年度履职数据", year),
		Groups:        grouped(reportFigures(r)),
		Note:          "数据取自平台的走访、建议、会议签到和考核记录",
	})
}

func dutyXLSX(e *core.RequestEvent) error {
	id, ok := strings.CutSuffix(e.Request.PathValue("file"), ".xlsx")
	if !ok {
		return e.NotFoundError("", nil)
	}
	r, dep, err := dutyFor(e, id)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s%d年度履职情况报告", dep.GetString("name"), r.GetInt("year"))
	x, err := reportWorkbook(title, reportFigures(r), r.GetString("body"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	return workbook.Send(e, x, fmt.Sprintf("duty-report-%d-%s.xlsx", r.GetInt("year"), r.Id), title+".xlsx")
}
