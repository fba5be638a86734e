package assessment

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// projectsSource reads the livelihood projects' loop (民生实事, R12) from
// its records, replacing the counts staff typed (deputy_activities kinds
// project_tracking and project_evaluation; see facts_recorded.go):
//
//   - votes_cast: the deputy is on the register (ballot_register) of a 票决
//     of the year, by app or on paper. The register says that they voted,
//     never what: the dossier lists the register row.
//   - project_evaluation: the deputy handed in a 年终评议 sheet of the year
//     (evaluation_register).
//   - project_tracking: each 专题视察 (an inspection of kind project) linked
//     to a 民生实事 project, for its recorder and every participant, by the
//     day it took place. (It also counts as an inspection under
//     activities, as every inspection does.)
//   - inquiries: each question the deputy asked in a 专题询问 of the year.
var projectsSource = factSource{
	name:    "民生实事",
	metrics: []string{scoring.MetricVotesCast, scoring.MetricProjectEvaluation, scoring.MetricProjectTracking, scoring.MetricInquiries},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"ballot_register":     registerTouches("votes", "vote"),
		"evaluation_register": registerTouches("evaluations", "evaluation"),
		"inspections":         trackingTouches,
		"inquiry_items":       inquiryTouches,
		"evaluations":         typedTouches("evaluations", "project_evaluation", "status != 'draft'"),
		"projects":            typedTouches("projects", "project_tracking", "status IN ('chosen','in_progress','done')"),
	},
	gather:   gatherProjects,
	entries:  projectEntries,
	recorded: projectsRecorded,
}

// registerTouches: a register row touches its deputy in its vote's (or
// evaluation's) year.
func registerTouches(parent, field string) func(core.App, *core.Record) ([]deputyYear, error) {
	return func(app core.App, r *core.Record) ([]deputyYear, error) {
		p, err := app.FindRecordById(parent, r.GetString(field))
		if err != nil {
			return nil, nil
		}
		return []deputyYear{{r.GetString("deputy"), p.GetInt("year")}}, nil
	}
}

func trackingTouches(_ core.App, r *core.Record) ([]deputyYear, error) {
	if r.GetString("kind") != "project" || r.GetString("project") == "" {
		return nil, nil
	}
	year := yearOf(r.GetDateTime("inspected_at"))
	var out []deputyYear
	for _, d := range inspectionDeputies(r.GetString("deputy"), r.GetStringSlice("participants")) {
		out = append(out, deputyYear{d, year})
	}
	return out, nil
}

func inquiryTouches(app core.App, r *core.Record) ([]deputyYear, error) {
	q, err := app.FindRecordById("inquiries", r.GetString("inquiry"))
	if err != nil {
		return nil, nil
	}
	return []deputyYear{{r.GetString("deputy"), q.GetInt("year")}}, nil
}

// typedTouches: the year's first record of a kind replaces what staff
// typed for it, so the deputies who had typed rows are rescored.
func typedTouches(collection, kind, where string) func(core.App, *core.Record) ([]deputyYear, error) {
	return func(app core.App, r *core.Record) ([]deputyYear, error) {
		filter := "year = {:y}"
		if where != "" {
			filter += " AND " + where
		}
		return typedHoldersIfFirst(app, collection, filter, r.GetInt("year"), kind)
	}
}

type registerRow struct {
	ID     string `db:"id"`
	Deputy string `db:"deputy"`
	Title  string `db:"title"`
	Method string `db:"method"`
	Date   string `db:"date"`
}

// registerRows are the register rows of the year's votes (or evaluations).
func registerRows(app core.App, register, parent, field, date string, year int, deputy string) ([]registerRow, error) {
	q := app.DB().Select("r.id AS id", "r.deputy AS deputy", "p.title AS title", "r.method AS method", "p."+date+" AS date").
		From(register+" r").InnerJoin(parent+" p", dbx.NewExp("p.id = r."+field)).
		Where(dbx.HashExp{"p.year": year})
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"r.deputy": deputy})
	}
	var rows []registerRow
	return rows, q.OrderBy("r.id").All(&rows)
}

type trackingRow struct {
	ID           string `db:"id"`
	Deputy       string `db:"deputy"`
	Participants string `db:"participants"`
	Subject      string `db:"subject"`
	InspectedAt  string `db:"inspected_at"`
}

func trackingRows(app core.App, span yearSpan, deputy string) ([]trackingRow, error) {
	q := app.DB().Select("id", "deputy", "participants", "subject", "inspected_at").From("inspections").
		Where(dbx.NewExp("kind = 'project' AND project != '' AND inspected_at >= {:from} AND inspected_at < {:to}",
			dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.NewExp("(deputy = {:d} OR EXISTS (SELECT 1 FROM json_each(participants) WHERE value = {:d}))", dbx.Params{"d": deputy}))
	}
	var rows []trackingRow
	return rows, q.OrderBy("inspected_at", "id").All(&rows)
}

type inquiryRow struct {
	ID       string `db:"id"`
	Deputy   string `db:"deputy"`
	Topic    string `db:"topic"`
	Question string `db:"question"`
	Created  string `db:"created"`
}

func inquiryRows(app core.App, year int, deputy string) ([]inquiryRow, error) {
	q := app.DB().Select("i.id AS id", "i.deputy AS deputy", "q.topic AS topic", "i.question AS question", "i.created AS created").
		From("inquiry_items i").InnerJoin("inquiries q", dbx.NewExp("q.id = i.inquiry")).Where(dbx.HashExp{"q.year": year})
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"i.deputy": deputy})
	}
	var rows []inquiryRow
	return rows, q.OrderBy("i.created", "i.id").All(&rows)
}

func eachTracker(r trackingRow, deputy string, fn func(d string)) {
	var participants []string
	_ = json.Unmarshal([]byte(r.Participants), &participants)
	for _, d := range inspectionDeputies(r.Deputy, participants) {
		if deputy == "" || d == deputy {
			fn(d)
		}
	}
}

func gatherProjects(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	votes, err := registerRows(app, "ballot_register", "votes", "vote", "opened_at", span.year, deputy)
	if err != nil {
		return err
	}
	for _, r := range votes {
		sheet.add(r.Deputy, scoring.MetricVotesCast, 1, r.ID) // a flag: any vote of the year
	}
	evals, err := registerRows(app, "evaluation_register", "evaluations", "evaluation", "opened_at", span.year, deputy)
	if err != nil {
		return err
	}
	for _, r := range evals {
		sheet.add(r.Deputy, scoring.MetricProjectEvaluation, 1, r.ID)
	}
	tracks, err := trackingRows(app, span, deputy)
	if err != nil {
		return err
	}
	for _, r := range tracks {
		eachTracker(r, deputy, func(d string) { sheet.add(d, scoring.MetricProjectTracking, 1, r.ID) })
	}
	questions, err := inquiryRows(app, span.year, deputy)
	if err != nil {
		return err
	}
	for _, r := range questions {
		sheet.add(r.Deputy, scoring.MetricInquiries, 1, r.ID)
	}
	return nil
}

var methodLabels = map[string]string{"app": "手机投票", "paper": "纸质选票"}

func projectEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	var out []dossierEntry
	votes, err := registerRows(app, "ballot_register", "votes", "vote", "opened_at", span.year, deputy)
	if err != nil {
		return nil, err
	}
	for _, r := range votes {
		out = append(out, dossierEntry{DeputyID: r.Deputy, Date: r.Date, Source: "民生实事", Kind: "参加票决",
			Title: r.Title, Detail: methodLabels[r.Method] + "（只记录已投票，不记录投票内容）", Collection: "ballot_register", ID: r.ID})
	}
	evals, err := registerRows(app, "evaluation_register", "evaluations", "evaluation", "opened_at", span.year, deputy)
	if err != nil {
		return nil, err
	}
	for _, r := range evals {
		out = append(out, dossierEntry{DeputyID: r.Deputy, Date: r.Date, Source: "民生实事", Kind: "年终评议",
			Title: r.Title, Detail: "已提交评议表（评议表不记名）", Collection: "evaluation_register", ID: r.ID})
	}
	tracks, err := trackingRows(app, span, deputy)
	if err != nil {
		return nil, err
	}
	for _, r := range tracks {
		eachTracker(r, deputy, func(d string) {
			out = append(out, dossierEntry{DeputyID: d, Date: r.InspectedAt, Source: "民生实事", Kind: "跟踪问效（专题视察）",
				Title: r.Subject, Collection: "inspections", ID: r.ID})
		})
	}
	questions, err := inquiryRows(app, span.year, deputy)
	if err != nil {
		return nil, err
	}
	for _, r := range questions {
		out = append(out, dossierEntry{DeputyID: r.Deputy, Date: r.Created, Source: "民生实事", Kind: "专题询问提问",
			Title: r.Topic, Detail: r.Question, Collection: "inquiry_items", ID: r.ID})
	}
	return out, nil
}
