package proposals

import (
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/reports"
	"simeng/proposal"
	"simeng/workdays"
	yr "simeng/yearreport"
)

// The year's figures of 议案建议 for the township statistics, the annual
// report draft and each deputy's 述职 draft (issue 17), registered with
// package reports. A proposal belongs to the year it was submitted in
// (field year, China time); the rates are package proposal's (InScope,
// Concluded, Rates), as the 办结率 screen shows them. README "年度报告"
// repeats each definition.

// FigureGroup is the statistics' group of these figures.
const FigureGroup = "议案建议"

// figure is one township figure: its definition and which of the year's
// proposals it counts (num) out of which (den, nil for a count).
type figure struct {
	key, label, def string
	num, den        func(p proposal.Proposal) bool
}

func submitted(p proposal.Proposal) bool { return p.Status != proposal.Withdrawn }

func inScope(p proposal.Proposal) bool { return proposal.InScope(p) }

func figureSpecs(cfg proposal.Config, cal *workdays.Calendar, now time.Time) []figure {
	return []figure{
		{key: "proposals_submitted", label: "代表提出议案建议",
			def: "本年度提交的议案建议件数（不含尚在邀请附议、未提交的，不含提交后撤回的）。", num: submitted},
		{key: "proposals_motions", label: "其中议案",
			def: "提交时类型为“议案”的件数（含后来转为建议的）。",
			num: func(p proposal.Proposal) bool { return submitted(p) && p.Type == proposal.Motion }},
		{key: "proposals_suggestions", label: "其中建议",
			def: "提交时类型为“建议”的件数。",
			num: func(p proposal.Proposal) bool { return submitted(p) && p.Type == proposal.Suggestion }},
		{key: "proposals_registered", label: "立案（应办件）",
			def: "经主席团或工作人员审查立案（含议案转为建议）的件数，即办结率的分母；不予立案、撤回、并案的不计。",
			num: inScope},
		{key: "proposals_completion", label: "议案建议办结率",
			def: "办结件数 ÷ 立案件数。办结：代表已作最终评价，或答复后评价期限内代表未评价（视为办结）；只有答复、尚在评价期内的不算办结。",
			num: func(p proposal.Proposal) bool { return proposal.InScope(p) && proposal.Concluded(p, cfg, cal, now) },
			den: inScope},
		{key: "proposals_satisfaction", label: "议案建议满意率（含基本满意）",
			def: "代表评价为“满意”或“基本满意”的件数 ÷ 代表作了最终评价的件数；逾期未评价视为办结的不计入分母。",
			num: func(p proposal.Proposal) bool { return ratedFinal(p) && p.Rating.Counts() },
			den: func(p proposal.Proposal) bool { return ratedFinal(p) }},
		{key: "proposals_full_satisfaction", label: "议案建议满意率（仅满意）",
			def: "代表评价为“满意”的件数 ÷ 代表作了最终评价的件数。",
			num: func(p proposal.Proposal) bool { return ratedFinal(p) && p.Rating == proposal.Satisfied },
			den: func(p proposal.Proposal) bool { return ratedFinal(p) }},
	}
}

// ratedFinal is a proposal closed by its sponsor's final rating (Rates'
// Rated).
func ratedFinal(p proposal.Proposal) bool {
	return proposal.InScope(p) && p.Status == proposal.Closed && p.Closure == proposal.ClosedRated && p.Rating.Valid()
}

const goldenKey = "proposals_golden"
const goldenDef = "本年度评为“金点子”的议案建议件数（按评选年度计，每年至多2件，可由工作人员调整）。"

func bindFigures(app core.App) {
	reports.AddFigures(app, reports.FigureSource{Name: FigureGroup, Figures: yearFigures, Records: yearFigureRecords})
	reports.AddDutyFigures(app, reports.DutySource{Name: FigureGroup, Duty: dutyPart})
}

// yearContext reads what the figures need: the settings, the calendar
// (for the rating window) and the year's proposals with their records.
func yearContext(app core.App, year int) ([]figure, []*core.Record, []proposal.Proposal, error) {
	s, err := ReadSettings(app)
	if err != nil {
		return nil, nil, nil, err
	}
	cal, err := calendar.Of(app)
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	recs, err := yearRecords(app, year)
	if err != nil {
		return nil, nil, nil, err
	}
	ps := make([]proposal.Proposal, len(recs))
	for i, r := range recs {
		ps[i] = fromRecord(r)
	}
	return figureSpecs(s.Config, cal, now), recs, ps, nil
}

func yearFigures(app core.App, year int) ([]yr.Figure, error) {
	specs, _, ps, err := yearContext(app, year)
	if err != nil {
		return nil, err
	}
	var out []yr.Figure
	for _, f := range specs {
		num, den := 0, 0
		for _, p := range ps {
			if f.num(p) {
				num++
			}
			if f.den != nil && f.den(p) {
				den++
			}
		}
		var fig yr.Figure
		if f.den == nil {
			fig = yr.Count(f.key, FigureGroup, f.label, "件", f.def, num)
		} else {
			fig = yr.Rate(f.key, FigureGroup, f.label, f.def, num, den)
		}
		fig.Drill = true
		out = append(out, fig)
	}
	golden, err := goldenRecords(app, year)
	if err != nil {
		return nil, err
	}
	g := yr.Count(goldenKey, FigureGroup, "评为“金点子”", "件", goldenDef, len(golden))
	g.Drill = true
	return append(out, g), nil
}

func goldenRecords(app core.App, year int) ([]*core.Record, error) {
	return app.FindRecordsByFilter(Collection, "golden_year = {:y}", "number", 0, 0, dbx.Params{"y": year})
}

// yearFigureRecords lists the proposals a figure counts (a rate's
// numerator), in number order.
func yearFigureRecords(app core.App, year int, key string) ([]reports.DrillRow, bool, error) {
	if key == goldenKey {
		recs, err := goldenRecords(app, year)
		return drillRows(recs), true, err
	}
	specs, recs, ps, err := yearContext(app, year)
	if err != nil {
		return nil, false, err
	}
	i := slices.IndexFunc(specs, func(f figure) bool { return f.key == key })
	if i < 0 {
		return nil, false, nil
	}
	var picked []*core.Record
	for j, p := range ps {
		if specs[i].num(p) {
			picked = append(picked, recs[j])
		}
	}
	return drillRows(picked), true, nil
}

func drillRows(recs []*core.Record) []reports.DrillRow {
	out := make([]reports.DrillRow, 0, len(recs))
	for _, r := range recs {
		date := ""
		if t := r.GetDateTime("submitted_at"); !t.IsZero() {
			date = chinatime.Date(t.Time())
		}
		out = append(out, reports.DrillRow{Collection: Collection, ID: r.Id, Date: date,
			Title: r.GetString("number") + " " + r.GetString("title"), Detail: proposal.Status(r.GetString("status")).Label()})
	}
	return out
}

// dutyPart is a deputy's proposals in their 述职 draft: those they led
// (领衔) and co-sponsored (附议, confirmed in their own app) that were
// submitted in the year, how many were accepted (立案), and their 金点子.
// Once the year has any submitted proposal, these replace the counts
// staff typed (deputy_activities kinds proposal and golden_idea), as the
// assessment does.
func dutyPart(app core.App, deputy string, year int) (reports.DutyPart, error) {
	var part reports.DutyPart
	recs, err := yearRecords(app, year)
	if err != nil {
		return part, err
	}
	led, ledAccepted, co := 0, 0, 0
	any := false
	for _, r := range recs {
		p := fromRecord(r)
		if p.Status == proposal.Withdrawn {
			continue
		}
		any = true
		if p.Sponsor == deputy {
			led++
			if proposal.InScope(p) {
				ledAccepted++
			}
		}
		if slices.Contains(r.GetStringSlice("co_confirmed"), deputy) {
			co++
		}
	}
	golden, err := app.CountRecords(Collection, dbx.HashExp{"golden_year": year, "sponsor": deputy})
	if err != nil {
		return part, err
	}
	const g = "议案建议和监督"
	part.Figures = []yr.Figure{
		yr.Count("proposals_led", g, "领衔提出议案建议", "件", "本年度本人领衔提交的议案建议（不含撤回的）。", led),
		yr.Count("proposals_led_accepted", g, "其中立案", "件", "本人领衔的议案建议中经审查立案（含转为建议）的件数。", ledAccepted),
		yr.Count("proposals_co", g, "附议议案建议", "件", "本年度提交的议案建议中本人在手机上确认附议的件数。", co),
		yr.Count("proposals_golden", g, "获评“金点子”", "件", "本人领衔、本年度评为“金点子”的议案建议件数。", int(golden)),
	}
	if led > 0 {
		part.Sentences = append(part.Sentences, fmt.Sprintf("领衔提出议案建议%d件，其中立案%d件", led, ledAccepted))
	}
	if co > 0 {
		part.Sentences = append(part.Sentences, fmt.Sprintf("附议议案建议%d件", co))
	}
	if golden > 0 {
		part.Sentences = append(part.Sentences, fmt.Sprintf("%d件建议被评为“金点子”", golden))
	}
	if any || golden > 0 {
		part.Replaces = []string{"proposal", "golden_idea"}
	}
	return part, nil
}
