package projects

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/reports"
	yr "simeng/yearreport"
)

// The year's figures of 民生实事 for the township statistics, the annual
// report draft and each deputy's 述职 draft (issue 17), registered with
// package reports. A project belongs to its year (field year: the year it
// is voted on and carried out); a milestone to its project's year. README
// "年度报告" repeats each definition.

// FigureGroup is the statistics' group of these figures.
const FigureGroup = "民生实事"

// chosenSQL are the projects the vote chose (and their later states).
const chosenSQL = "t.status IN ('chosen', 'in_progress', 'done')"

// figureSpec is one township figure: the records it counts (alias t) and
// how the drill-down lists them.
type figureSpec struct {
	key, label, unit, def string
	table                 string
	cond                  string // with {:y} the year, {:now} the moment
	date, title, detail   string
}

func figureSpecs() []figureSpec {
	project := func(key, label, cond, def string) figureSpec {
		return figureSpec{key: key, label: label, unit: "个", def: def, table: Collection, cond: "t.year = {:y} AND " + cond,
			date: "t.created", title: "t.title", detail: "t.status"}
	}
	milestone := func(key, label, cond, def string) figureSpec {
		return figureSpec{key: key, label: label, unit: "个", def: def, table: MilestonesCol,
			cond:  "t.project IN (SELECT p.id FROM projects p WHERE p.year = {:y} AND p.status IN ('chosen', 'in_progress', 'done')) AND " + cond,
			date:  "t.due",
			title: "(SELECT p.title FROM projects p WHERE p.id = t.project) || '：' || t.title", detail: "t.done_at"}
	}
	return []figureSpec{
		project("projects_candidates", "民生实事候选项目", "1 = 1",
			"本年度列入票决候选的民生实事项目数（含未选中的）。"),
		project("projects_chosen", "票决确定民生实事项目", chosenSQL,
			"本年度经人代会代表票决确定的项目数（状态为已选定、实施中或已完成）。"),
		project("projects_done", "其中已完成", "t.status = 'done'",
			"票决确定的项目中状态为“已完成”的个数（统计时的状态）。"),
		milestone("milestones_met", "按期完成的项目节点", "t.done_at != '' AND t.done_at <= t.due",
			"票决确定项目的节点中，在节点期限当天或之前标记完成的个数。"),
		milestone("milestones_overdue", "逾期未完成的项目节点", "t.done_at = '' AND t.due < {:now}",
			"票决确定项目的节点中，期限已过、统计时仍未完成的个数（每日定时任务同样标记逾期并督办）。"),
		{key: ballotsKey, label: "参加票决的代表人次", unit: "人次", table: RegisterCol,
			def:   "本年度民生实事票决（手机投票和纸质选票）登记已投票的代表人次；只计是否投票，不涉及投了谁。",
			cond:  "t.vote IN (SELECT v.id FROM votes v WHERE v.year = {:y})",
			date:  "(SELECT v.opened_at FROM votes v WHERE v.id = t.vote)",
			title: "(SELECT v.title FROM votes v WHERE v.id = t.vote)", detail: "t.method"},
	}
}

func figureParams(year int) dbx.Params {
	return dbx.Params{"y": year, "now": time.Now().UTC().Format("2006-01-02 15:04:05.000Z")}
}

func bindFigures(app core.App) {
	reports.AddFigures(app, reports.FigureSource{Name: FigureGroup, Figures: yearFigures, Records: yearFigureRecords})
	reports.AddDutyFigures(app, reports.DutySource{Name: FigureGroup, Duty: dutyPart})
}

func yearFigures(app core.App, year int) ([]yr.Figure, error) {
	p := figureParams(year)
	var out []yr.Figure
	for _, s := range figureSpecs() {
		var n int
		if err := app.DB().NewQuery(`SELECT count(*) FROM ` + s.table + ` t WHERE ` + s.cond).Bind(p).Row(&n); err != nil {
			return nil, fmt.Errorf("%s: %w", s.key, err)
		}
		f := yr.Count(s.key, FigureGroup, s.label, s.unit, s.def, n)
		f.Drill = true
		out = append(out, f)
	}
	good, rated, err := evaluationTotals(app, year)
	if err != nil {
		return nil, err
	}
	f := yr.Rate(evalKey, FigureGroup, "民生实事年终评议满意率（含基本满意）", evalDef, good, rated)
	f.Drill = true
	return append(out, f), nil
}

const evalKey = "projects_evaluation"
const evalDef = "本年度已结束的年终满意度测评中，代表对各项目评“满意”或“基本满意”的票数 ÷ 作了评价的票数（各项目合计；各项目结果见公开页和测评结果）。"

// closedEvaluations are the year's closed 年终评议 with their published
// results.
func closedEvaluations(app core.App, year int) ([]*core.Record, error) {
	return app.FindRecordsByFilter(EvaluationsCol, "year = {:y} && status = 'closed'", "closed_at", 0, 0, dbx.Params{"y": year})
}

func evaluationTotals(app core.App, year int) (good, rated int, err error) {
	evals, err := closedEvaluations(app, year)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range evals {
		var results []ProjectEvaluation
		raw, _ := json.Marshal(e.Get("results"))
		if err := json.Unmarshal(raw, &results); err != nil {
			return 0, 0, err
		}
		for _, r := range results {
			good += r.Satisfied + r.Basic
			rated += r.Rated
		}
	}
	return good, rated, nil
}

var statusLabels = map[string]string{"candidate": "候选", "chosen": "已选定", "not_chosen": "未选中", "in_progress": "实施中", "done": "已完成",
	"app": "手机投票", "paper": "纸质选票"}

// yearFigureRecords lists the records a figure counts.
func yearFigureRecords(app core.App, year int, key string) ([]reports.DrillRow, bool, error) {
	if key == evalKey {
		evals, err := closedEvaluations(app, year)
		if err != nil {
			return nil, true, err
		}
		var out []reports.DrillRow
		for _, e := range evals {
			out = append(out, reports.DrillRow{Collection: EvaluationsCol, ID: e.Id, Date: chinatime.Date(e.GetDateTime("closed_at").Time()),
				Title: e.GetString("title"), Detail: fmt.Sprintf("%d名代表参加测评", e.GetInt("registered"))})
		}
		return out, true, nil
	}
	if key == ballotsKey {
		// The statistics link to the votes, one row each with its count,
		// rather than list which deputies voted.
		rows, err := votesOf(app, year)
		return rows, true, err
	}
	for _, s := range figureSpecs() {
		if s.key != key {
			continue
		}
		var rows []struct {
			ID     string `db:"id"`
			Date   string `db:"date"`
			Title  string `db:"title"`
			Detail string `db:"detail"`
		}
		err := app.DB().NewQuery(`SELECT t.id, COALESCE(` + s.date + `, '') AS date, COALESCE(` + s.title + `, '') AS title,
			COALESCE(` + s.detail + `, '') AS detail FROM ` + s.table + ` t WHERE ` + s.cond + ` ORDER BY date, t.id`).
			Bind(figureParams(year)).All(&rows)
		if err != nil {
			return nil, true, err
		}
		out := make([]reports.DrillRow, len(rows))
		for i, r := range rows {
			detail := statusLabels[r.Detail]
			if s.table == MilestonesCol {
				detail = "未完成"
				if r.Detail != "" {
					detail = "完成于 " + storedDate(r.Detail)
				}
			}
			out[i] = reports.DrillRow{Collection: s.table, ID: r.ID, Date: storedDate(r.Date), Title: r.Title, Detail: detail}
		}
		return out, true, nil
	}
	return nil, false, nil
}

const ballotsKey = "project_ballots"

// votesOf are the year's votes with how many deputies voted in each.
func votesOf(app core.App, year int) ([]reports.DrillRow, error) {
	var rows []struct {
		ID     string `db:"id"`
		Title  string `db:"title"`
		Opened string `db:"opened_at"`
		N      int    `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT v.id, v.title, v.opened_at, (SELECT count(*) FROM ballot_register r WHERE r.vote = v.id) AS n
		FROM votes v WHERE v.year = {:y} AND v.status != 'draft' ORDER BY v.opened_at, v.id`).Bind(dbx.Params{"y": year}).All(&rows)
	out := make([]reports.DrillRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, reports.DrillRow{Collection: VotesCol, ID: r.ID, Date: storedDate(r.Opened), Title: r.Title,
			Detail: fmt.Sprintf("%d名代表投票", r.N)})
	}
	return out, err
}

func storedDate(s string) string {
	t, err := time.Parse(chinatime.StoredLayout, s)
	if err != nil {
		return s
	}
	return chinatime.Date(t)
}

// dutyPart is a deputy's 民生实事 in their 述职 draft: the votes they cast
// (票决, that they voted, never how) and the 年终评议 they took part in.
// Once the year has an evaluation, its records replace the count staff
// typed (deputy_activities kind project_evaluation).
func dutyPart(app core.App, deputy string, year int) (reports.DutyPart, error) {
	var part reports.DutyPart
	p := dbx.Params{"y": year, "d": deputy}
	var votes, evals, yearEvals int
	if err := app.DB().NewQuery(`SELECT count(*) FROM ballot_register r JOIN votes v ON v.id = r.vote
		WHERE v.year = {:y} AND r.deputy = {:d}`).Bind(p).Row(&votes); err != nil {
		return part, err
	}
	if err := app.DB().NewQuery(`SELECT count(*) FROM evaluation_register r JOIN evaluations e ON e.id = r.evaluation
		WHERE e.year = {:y} AND r.deputy = {:d}`).Bind(p).Row(&evals); err != nil {
		return part, err
	}
	if err := app.DB().NewQuery(`SELECT count(*) FROM evaluations WHERE year = {:y} AND status != 'draft'`).Bind(p).Row(&yearEvals); err != nil {
		return part, err
	}
	const g = "议案建议和监督"
	part.Figures = []yr.Figure{
		yr.Count("project_votes", g, "参加民生实事票决", "次", "本年度本人登记投票（手机或纸质选票）的民生实事票决次数。", votes),
		yr.Count("project_evaluations", g, "参加民生实事年终评议", "次", "本年度本人提交测评表的民生实事年终满意度测评次数。", evals),
	}
	if votes > 0 {
		part.Sentences = append(part.Sentences, fmt.Sprintf("参加民生实事项目票决%d次", votes))
	}
	if evals > 0 {
		part.Sentences = append(part.Sentences, fmt.Sprintf("参加民生实事年终满意度测评%d次", evals))
	}
	if yearEvals > 0 {
		part.Replaces = []string{"project_evaluation"}
	}
	return part, nil
}
