package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/pii"
	"simeng/visitpace"
	yr "simeng/yearreport"
)

// The township's figures for a year (年度统计). Each is defined once here:
// its SQL condition both counts it and lists the records behind it (the
// drill-down), so a figure and its records cannot disagree; the
// definition is shown beside it and repeated in the README. A year is
// China time [Y-01-01, Y+1-01-01), {:from} and {:to} below.

// spec is one figure over one collection.
type spec struct {
	key, group, label, unit, definition string
	table                               string // the collection (alias t)
	cond                                string // the numerator's records
	den                                 string // a rate's denominator ("" = a count)
	distinct                            string // count distinct values of this column instead of rows
	// The drill-down's columns: when, what, and a detail.
	date, title, detail string
	mask                bool // the title is residents' text: numbers masked
}

// suggestionsYear are the year's suggestions that count (not spam).
const suggestionsYear = `t.received_at >= {:from} AND t.received_at < {:to} AND t.moderation != 'spam'`

var suggestionSourceLabels = []struct{ value, label string }{
	{"qr", "扫码"}, {"hotline", "热线"}, {"station", "联络站"}, {"paper", "来信"}, {"visit", "走访"}, {"enterprise", "企业直报"},
}

var meetingKindLabels = []struct{ value, label string }{
	{"congress_session", "镇人民代表大会"}, {"presidium", "主席团会议"}, {"party_committee", "党委人大工作会议"},
	{"training", "季度集训"}, {"wuchang", "屋场会"}, {"inquiry", "专题询问"}, {"duty_review", "述职评议会"},
}

func specs() []spec {
	suggestion := func(key, label, cond, den, def string) spec {
		return spec{key: key, group: yr.GroupSuggestions, label: label, unit: "件", definition: def, table: "suggestions",
			cond: cond, den: den, date: "t.received_at", title: "t.content", detail: "t.status", mask: true}
	}
	out := []spec{
		{key: "households_visited", group: yr.GroupContact, label: "走访农户", unit: "户", table: "visits",
			cond: "t.visited_at >= {:from} AND t.visited_at < {:to} AND t.late = FALSE", distinct: "t.household",
			definition: "走访时间在本年度的走访记录涉及的不同农户数（同一户多次走访计一户；补录到已结算年度的走访不计）。",
			date:       "t.visited_at", title: "(SELECT h.head_name FROM households h WHERE h.id = t.household)", detail: "(SELECT d.name FROM deputies d WHERE d.id = t.deputy)"},
		{key: "visits", group: yr.GroupContact, label: "走访记录", unit: "次", table: "visits",
			cond:       "t.visited_at >= {:from} AND t.visited_at < {:to}",
			definition: "走访时间在本年度的走访记录条数（含补录）。",
			date:       "t.visited_at", title: "(SELECT h.head_name FROM households h WHERE h.id = t.household)", detail: "(SELECT d.name FROM deputies d WHERE d.id = t.deputy)"},
		suggestion("suggestions_received", "收到群众建议", suggestionsYear, "",
			"收到时间在本年度的群众建议（扫码、热线、联络站、来信、走访、企业直报），不含审核为垃圾信息的。"),
	}
	for _, s := range suggestionSourceLabels {
		out = append(out, suggestion("suggestions_"+s.value, "其中"+s.label, suggestionsYear+" AND t.source = '"+s.value+"'", "",
			"收到群众建议中来源为“"+s.label+"”的件数。"))
	}
	out = append(out,
		suggestion("ack_24h", "24小时内响应率", suggestionsYear+" AND t.acknowledged_at != '' AND t.acknowledged_at <= t.ack_due", suggestionsYear,
			"收到后24小时内（不晚于响应期限）响应的件数 ÷ 收到的件数。"),
		suggestion("feedback_5d", "5个工作日内答复率", suggestionsYear+" AND t.answered_at != '' AND t.answered_at <= t.feedback_due", suggestionsYear,
			"收到次日起5个工作日内（不晚于反馈期限，含法定节假日和调休）答复的件数 ÷ 收到的件数。"),
		suggestion("closed_rate", "办结率", suggestionsYear+" AND t.status = 'closed'", suggestionsYear,
			"状态为“已办结”的件数 ÷ 收到的件数（统计时的状态）。"),
		suggestion("satisfied_rate", "满意率（含基本满意）", suggestionsYear+" AND t.satisfaction IN ('satisfied', 'basic')", suggestionsYear+" AND t.satisfaction != ''",
			"群众评价为“满意”或“基本满意”的件数 ÷ 群众作了评价的件数。"),
		suggestion("very_satisfied_rate", "满意率（仅满意）", suggestionsYear+" AND t.satisfaction = 'satisfied'", suggestionsYear+" AND t.satisfaction != ''",
			"群众评价为“满意”的件数 ÷ 群众作了评价的件数。"),
		spec{key: "problems_raised", group: yr.GroupProblems, label: "“急难愁盼”问题", unit: "个", table: "problems",
			cond:       "t.created >= {:from} AND t.created < {:to}",
			definition: "本年度登记到“急难愁盼”问题清单的问题数（走访、群众建议转入、热线、联络站、视察）。",
			date:       "t.created", title: "t.description", detail: "t.status", mask: true},
		spec{key: "problems_forwarded", group: yr.GroupProblems, label: "“代表直通车”转办", unit: "个", table: "problems",
			cond:       "t.forwarded_at >= {:from} AND t.forwarded_at < {:to}",
			definition: "转办时间在本年度的问题数（通过“代表直通车”转交镇党委政府或部门）。",
			date:       "t.forwarded_at", title: "t.description", detail: "t.forwarded_to", mask: true},
		spec{key: "problems_closed", group: yr.GroupProblems, label: "问题办结", unit: "个", table: "problems",
			cond:       "t.closed_at >= {:from} AND t.closed_at < {:to}",
			definition: "办结时间在本年度的问题数。",
			date:       "t.closed_at", title: "t.description", detail: "t.status", mask: true},
		spec{key: "inspection_plan_done", group: yr.GroupSupervision, label: "季度检查计划完成率", table: "inspection_plan",
			cond: "t.quarter LIKE {:year_q} AND t.status = 'done'", den: "t.quarter LIKE {:year_q}",
			definition: "本年度四个季度安全生产执法检查计划中已完成的场所次数 ÷ 计划的场所次数。",
			date:       "t.quarter", title: "(SELECT s.name FROM inspection_sites s WHERE s.id = t.site)", detail: "t.status"},
		spec{key: "inspections", group: yr.GroupSupervision, label: "执法检查", unit: "次", table: "inspections",
			cond:       "t.inspected_at >= {:from} AND t.inspected_at < {:to}",
			definition: "检查时间在本年度的执法检查、视察记录数。",
			date:       "t.inspected_at", title: "COALESCE(NULLIF(t.subject, ''), (SELECT s.name FROM inspection_sites s WHERE s.id = t.site), '')", detail: "t.kind"},
		spec{key: "hazards_found", group: yr.GroupSupervision, label: "发现隐患", unit: "处", table: "hazards",
			cond:       "t.created >= {:from} AND t.created < {:to}",
			definition: "本年度登记到隐患台账的隐患数。",
			date:       "t.created", title: "t.title", detail: "t.status"},
		spec{key: "hazards_closed", group: yr.GroupSupervision, label: "隐患整改销号", unit: "处", table: "hazards",
			cond:       "t.closed_at >= {:from} AND t.closed_at < {:to}",
			definition: "销号时间在本年度的隐患数。",
			date:       "t.closed_at", title: "t.title", detail: "t.status"},
		spec{key: "hazards_overdue", group: yr.GroupSupervision, label: "逾期未整改隐患", unit: "处", table: "hazards",
			cond:       "t.created < {:end} AND t.deadline < {:end} AND t.status NOT IN ('verified', 'closed')",
			definition: "截至年底（当年为截至今天）整改期限已过、仍未验收或销号的隐患数。",
			date:       "t.deadline", title: "t.title", detail: "t.status"},
	)
	for _, k := range meetingKindLabels {
		out = append(out, spec{key: "meetings_" + k.value, group: yr.GroupMeetings, label: k.label, unit: "次", table: "meetings",
			cond:       "t.starts_at >= {:from} AND t.starts_at < {:to} AND t.kind = '" + k.value + "'",
			definition: "开始时间在本年度、类型为“" + k.label + "”的会议数。",
			date:       "t.starts_at", title: "t.title", detail: "t.place"})
	}
	attendance := "(SELECT m.starts_at FROM meetings m WHERE m.id = t.meeting) >= {:from} AND (SELECT m.starts_at FROM meetings m WHERE m.id = t.meeting) < {:to}"
	out = append(out,
		spec{key: "attendance_rate", group: yr.GroupMeetings, label: "代表出席率", table: "meeting_attendance",
			cond: attendance + " AND t.status = 'present'", den: attendance,
			definition: "本年度会议中登记为“出席”的人次 ÷ 登记了出席情况（出席、请假、缺席）的人次。",
			date:       "(SELECT m.starts_at FROM meetings m WHERE m.id = t.meeting)",
			title:      "(SELECT m.title FROM meetings m WHERE m.id = t.meeting)", detail: "(SELECT d.name FROM deputies d WHERE d.id = t.deputy)"},
		spec{key: "duty_reviews", group: yr.GroupReviews, label: "向选民述职", unit: "人次", table: "duty_reviews",
			cond:       "(SELECT m.starts_at FROM meetings m WHERE m.id = t.meeting) >= {:from} AND (SELECT m.starts_at FROM meetings m WHERE m.id = t.meeting) < {:to}",
			definition: "本年度述职评议会上登记了评议结果的代表人次。",
			date:       "(SELECT m.starts_at FROM meetings m WHERE m.id = t.meeting)",
			title:      "(SELECT d.name FROM deputies d WHERE d.id = t.deputy)", detail: "(SELECT m.title FROM meetings m WHERE m.id = t.meeting)"},
	)
	return out
}

// params are the year's bounds: {:from} {:to}, {:end} (the year's end or
// now, whichever is first) and {:year_q} (2025-Q%).
func params(year int) dbx.Params {
	from, to := chinatime.Span(year)
	end := to
	if now := time.Now().UTC().Format(chinatime.StoredLayout); now < end {
		end = now
	}
	return dbx.Params{"from": from, "to": to, "end": end, "year_q": fmt.Sprintf("%d-Q%%", year)}
}

func (s spec) count(app core.App, cond string, p dbx.Params) (int, error) {
	what := "count(*)"
	if s.distinct != "" && cond == s.cond {
		what = "count(DISTINCT " + s.distinct + ")"
	}
	var n int
	err := app.DB().NewQuery(`SELECT ` + what + ` FROM ` + s.table + ` t WHERE ` + cond).Bind(p).Row(&n)
	return n, err
}

func (s spec) figure(app core.App, p dbx.Params) (yr.Figure, error) {
	n, err := s.count(app, s.cond, p)
	if err != nil {
		return yr.Figure{}, fmt.Errorf("%s: %w", s.key, err)
	}
	var f yr.Figure
	if s.den == "" {
		f = yr.Count(s.key, s.group, s.label, s.unit, s.definition, n)
	} else {
		d, err := s.count(app, s.den, p)
		if err != nil {
			return yr.Figure{}, fmt.Errorf("%s: %w", s.key, err)
		}
		f = yr.Rate(s.key, s.group, s.label, s.definition, n, d)
	}
	f.Drill = true
	return f, nil
}

// Stats computes the year's figures: the built-in ones in order, then the
// figures of every registered source (AddFigures).
func Stats(app core.App, year int) (yr.Set, error) {
	p := params(year)
	var out yr.Set
	for _, s := range specs() {
		f, err := s.figure(app, p)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
		if s.key == "visits" {
			met, err := deputiesMet(app, year)
			if err != nil {
				return nil, err
			}
			out = append(out, met)
		}
		if s.key == "duty_reviews" {
			approval, err := dutyApproval(app, p)
			if err != nil {
				return nil, err
			}
			out = append(out, approval)
		}
	}
	for _, src := range figureSources(app) {
		fs, err := src.Figures(app, year)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		out = append(out, fs...)
	}
	return out, nil
}

// deputiesMet is the share of active deputies who visited the required
// number of households: the year's stored results once it is closed, the
// live count (package visitpace, as the progress screen counts) before.
func deputiesMet(app core.App, year int) (yr.Figure, error) {
	const def = "走访不同农户数达到本年度要求（默认12户）的代表 ÷ 在任代表；年度结算后以结算结果为准。"
	var active []string
	if err := app.DB().NewQuery(`SELECT id FROM deputies WHERE active = TRUE`).Column(&active); err != nil {
		return yr.Figure{}, err
	}
	met, err := metDeputies(app, year)
	if err != nil {
		return yr.Figure{}, err
	}
	n := 0
	for _, id := range active {
		if met[id] {
			n++
		}
	}
	f := yr.Rate("deputies_met", yr.GroupContact, "走访达标代表", def, n, len(active))
	f.Drill = true
	return f, nil
}

// metDeputies are the deputies who met the ≥12 households rule in year.
func metDeputies(app core.App, year int) (map[string]bool, error) {
	out := map[string]bool{}
	var closed []struct {
		Deputy string `db:"deputy"`
		Met    bool   `db:"met"`
	}
	err := app.DB().NewQuery(`SELECT r.deputy, r.met FROM visit_year_results r
		WHERE r.year = {:y} AND EXISTS (SELECT 1 FROM visit_years y WHERE y.year = {:y} AND y.closed_at != '')`).
		Bind(dbx.Params{"y": year}).All(&closed)
	if err != nil {
		return nil, err
	}
	if len(closed) > 0 {
		for _, r := range closed {
			out[r.Deputy] = r.Met
		}
		return out, nil
	}
	rule, err := visits.Rule(app, year)
	if err != nil {
		return nil, err
	}
	vs, err := visits.YearVisits(app, year, "", false)
	if err != nil {
		return nil, err
	}
	for d, list := range visits.ByDeputy(vs) {
		out[d] = visitpace.Count(year, list).Households >= rule.Required
	}
	return out, nil
}

// dutyApproval is the share of 满意 and 基本满意 votes at the year's 述职评议.
func dutyApproval(app core.App, p dbx.Params) (yr.Figure, error) {
	var row struct {
		Good  int `db:"good"`
		Total int `db:"total"`
	}
	err := app.DB().NewQuery(`SELECT COALESCE(SUM(t.satisfied + t.basic), 0) AS good,
		COALESCE(SUM(t.satisfied + t.basic + t.unsatisfied), 0) AS total
		FROM duty_reviews t JOIN meetings m ON m.id = t.meeting
		WHERE m.starts_at >= {:from} AND m.starts_at < {:to}`).Bind(p).One(&row)
	if err != nil {
		return yr.Figure{}, err
	}
	return yr.Rate("duty_approval", yr.GroupReviews, "述职评议满意票占比",
		"本年度述职评议中“满意”和“基本满意”的票数 ÷ 全部评议票数。", row.Good, row.Total), nil
}

// DrillRow is one record behind a figure.
type DrillRow struct {
	Collection string `json:"collection"`
	ID         string `json:"id"`
	Date       string `json:"date"`
	Title      string `json:"title"`
	Detail     string `json:"detail"`
}

// drill lists a page of the records behind the figure key.
func drill(app core.App, year int, key string, page, perPage int) ([]DrillRow, int, bool, error) {
	if key == "deputies_met" {
		rows, err := metRows(app, year)
		start := min((page-1)*perPage, len(rows))
		return rows[start:min(start+perPage, len(rows))], len(rows), true, err
	}
	p := params(year)
	for _, s := range specs() {
		if s.key != key {
			continue
		}
		var total int
		if err := app.DB().NewQuery(`SELECT count(*) FROM ` + s.table + ` t WHERE ` + s.cond).Bind(p).Row(&total); err != nil {
			return nil, 0, true, err
		}
		p["limit"], p["offset"] = perPage, (page-1)*perPage
		var rows []struct {
			ID     string `db:"id"`
			Date   string `db:"date"`
			Title  string `db:"title"`
			Detail string `db:"detail"`
		}
		err := app.DB().NewQuery(`SELECT t.id, COALESCE(` + s.date + `, '') AS date, COALESCE(` + s.title + `, '') AS title,
			COALESCE(` + s.detail + `, '') AS detail FROM ` + s.table + ` t WHERE ` + s.cond +
			` ORDER BY date DESC, t.id LIMIT {:limit} OFFSET {:offset}`).Bind(p).All(&rows)
		if err != nil {
			return nil, 0, true, err
		}
		out := make([]DrillRow, len(rows))
		for i, r := range rows {
			title := r.Title
			switch {
			case s.mask:
				title = pii.MaskNumbersInText(cutRunes(title, 80))
			case s.table == "visits":
				title = "户主 " + pii.MaskName(title) // a household's head is personal data
			}
			out[i] = DrillRow{Collection: s.table, ID: r.ID, Date: displayDate(r.Date), Title: title, Detail: detailLabel(s.table, r.Detail)}
		}
		return out, total, true, nil
	}
	return nil, 0, false, nil
}

// metRows lists the deputies who met the rule.
func metRows(app core.App, year int) ([]DrillRow, error) {
	met, err := metDeputies(app, year)
	if err != nil {
		return nil, err
	}
	deps, err := app.FindRecordsByFilter("deputies", "active = true", "name", 0, 0)
	if err != nil {
		return nil, err
	}
	var out []DrillRow
	for _, d := range deps {
		if met[d.Id] {
			out = append(out, DrillRow{Collection: "deputies", ID: d.Id, Title: d.GetString("name"), Detail: "达到走访要求"})
		}
	}
	return out, nil
}

var statusLabels = map[string]map[string]string{
	"suggestions":     {"received": "待响应", "acknowledged": "办理中", "answered": "已答复", "transferred": "已转交", "closed": "已办结"},
	"problems":        {"open": "待办理", "forwarded": "已转交", "answered": "已答复", "closed": "已办结"},
	"hazards":         {"open": "待整改", "rectifying": "整改中", "rectified": "已整改", "verified": "已验收", "closed": "已销号"},
	"inspection_plan": {"due": "待检查", "done": "已完成", "missed": "未完成"},
	"inspections":     {"safety": "安全生产检查", "environment": "法治护绿", "enterprise": "法治护企", "project": "专题视察"},
}

func detailLabel(table, v string) string {
	if l := statusLabels[table][v]; l != "" {
		return l
	}
	return v
}

// displayDate is a stored time as a China date, or the value as it is
// (a quarter).
func displayDate(s string) string {
	t, err := time.Parse(chinatime.StoredLayout, s)
	if err != nil {
		return s
	}
	return chinatime.Date(t)
}

func cutRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
