package assessment

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
	"simeng/vocab"
)

// suggestionsSource reads residents' suggestions (码上提建议, R6) sent to a
// deputy: acknowledged within 24 h, answered within 5 working days, and the
// satisfaction on closed cases. Only stored state counts (the stamps and
// the overdue flags the suggestions cron sets), never the clock, so a score
// changes only when a record does. A case still within its deadline is not
// counted either way; spam is ignored.
//
// A suggestion the deputy logged themself (source visit: what they heard
// on a visit, or anything entered_by them) is a problem they raised, not a
// resident's case they answered: it never counts toward their own
// timeliness or satisfaction, so logging and answering one's own cases
// cannot raise a score.
var suggestionsSource = factSource{
	name:     "群众建议",
	metrics:  []string{scoring.MetricAckOnTimeRatio, scoring.MetricFeedbackOnTimeRatio, scoring.MetricSatisfactionMean},
	recorded: suggestionsRecorded,
	reasons: map[string]string{
		scoring.MetricAckOnTimeRatio:      "本年度全镇没有计入考核的群众建议（已到期或已办理的）",
		scoring.MetricFeedbackOnTimeRatio: "本年度全镇没有计入考核的群众建议（已到期或已办理的）",
		scoring.MetricSatisfactionMean:    "本年度全镇没有群众满意度评价",
	},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"suggestions": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			return []deputyYear{{r.GetString("deputy"), yearOf(r.GetDateTime("received_at"))}}, nil
		},
	},
	gather:  gatherSuggestions,
	entries: suggestionEntries,
}

// satisfactionPoints map the resident's answer onto the 1–3 scale of the
// default satisfaction rule.
var satisfactionPoints = map[string]float64{"satisfied": 3, "basic": 2, "unsatisfied": 1}

type suggestionRow struct {
	ID              string `db:"id"`
	Deputy          string `db:"deputy"`
	Tracking        string `db:"tracking"`
	Category        string `db:"category"`
	Status          string `db:"status"`
	ReceivedAt      string `db:"received_at"`
	AckDue          string `db:"ack_due"`
	FeedbackDue     string `db:"feedback_due"`
	AcknowledgedAt  string `db:"acknowledged_at"`
	AnsweredAt      string `db:"answered_at"`
	AckOverdue      bool   `db:"ack_overdue"`
	FeedbackOverdue bool   `db:"feedback_overdue"`
	Satisfaction    string `db:"satisfaction"`
	Source          string `db:"source"`
	EnteredBy       string `db:"entered_by"`
}

// ownEntry reports whether the deputy logged the suggestion themself.
func (r suggestionRow) ownEntry() bool {
	return r.Source == "visit" || (r.EnteredBy != "" && r.EnteredBy == r.Deputy)
}

// countedSuggestions is the SQL condition of the suggestions that count
// toward a deputy's responsiveness (see suggestionsSource).
const countedSuggestions = "received_at >= {:from} AND received_at < {:to} AND deputy != '' AND moderation != 'spam'" +
	" AND source != 'visit' AND (entered_by = '' OR entered_by != deputy)"

func suggestionsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	out := map[string]bool{}
	for metric, cond := range map[string]string{
		scoring.MetricAckOnTimeRatio:      "(acknowledged_at != '' OR ack_overdue = TRUE)",
		scoring.MetricFeedbackOnTimeRatio: "(answered_at != '' OR feedback_overdue = TRUE)",
		scoring.MetricSatisfactionMean:    "satisfaction != ''",
	} {
		var n int
		err := app.DB().NewQuery("SELECT EXISTS (SELECT 1 FROM suggestions WHERE " + countedSuggestions + " AND " + cond + ")").
			Bind(dbx.Params{"from": span.from, "to": span.to}).Row(&n)
		if err != nil {
			return nil, err
		}
		out[metric] = n == 1
	}
	return out, nil
}

func suggestionRows(app core.App, span yearSpan, deputy string) ([]suggestionRow, error) {
	var rows []suggestionRow
	err := eachSuggestionRow(app, span, deputy, func(r *suggestionRow) { rows = append(rows, *r) })
	return rows, err
}

// eachSuggestionRow calls fn with each suggestion of span sent to deputy
// ("" = every deputy), oldest first, scanned by hand in the order of the
// columns selected: a recompute reads a county's year of them (50,000),
// and scanning by reflection into a growing slice cost most of that read.
// fn must not keep r.
func eachSuggestionRow(app core.App, span yearSpan, deputy string, fn func(r *suggestionRow)) error {
	q := app.DB().Select("id", "deputy", "tracking", "category", "status", "received_at", "ack_due", "feedback_due",
		"acknowledged_at", "answered_at", "ack_overdue", "feedback_overdue", "satisfaction", "source", "entered_by").
		From("suggestions").
		Where(dbx.NewExp("received_at >= {:from} AND received_at < {:to} AND deputy != '' AND moderation != 'spam'",
			dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"deputy": deputy})
	}
	rows, err := q.OrderBy("received_at", "id").Build().Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var r suggestionRow
	for rows.Next() {
		err := rows.Scan(&r.ID, &r.Deputy, &r.Tracking, &r.Category, &r.Status, &r.ReceivedAt, &r.AckDue, &r.FeedbackDue,
			&r.AcknowledgedAt, &r.AnsweredAt, &r.AckOverdue, &r.FeedbackOverdue, &r.Satisfaction, &r.Source, &r.EnteredBy)
		if err != nil {
			return err
		}
		fn(&r)
	}
	return rows.Err()
}

// onTime: 1 done by the deadline, 0 done late or flagged overdue, -1 not
// decided yet. Stored dates share one format, so strings compare as times.
func onTime(doneAt, due string, overdue bool) float64 {
	switch {
	case doneAt != "" && due != "" && doneAt <= due:
		return 1
	case doneAt != "" || overdue:
		return 0
	}
	return -1
}

func gatherSuggestions(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	return eachSuggestionRow(app, span, deputy, func(r *suggestionRow) {
		if r.ownEntry() {
			return
		}
		if v := onTime(r.AcknowledgedAt, r.AckDue, r.AckOverdue); v >= 0 {
			sheet.addOutOf(r.Deputy, scoring.MetricAckOnTimeRatio, v, r.ID)
		}
		if v := onTime(r.AnsweredAt, r.FeedbackDue, r.FeedbackOverdue); v >= 0 {
			sheet.addOutOf(r.Deputy, scoring.MetricFeedbackOnTimeRatio, v, r.ID)
		}
		if p, ok := satisfactionPoints[r.Satisfaction]; ok {
			sheet.addOutOf(r.Deputy, scoring.MetricSatisfactionMean, p, r.ID)
		}
	})
}

// suggestionEntries name the case by tracking code and category, never by
// its text or the resident (X2).
func suggestionEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := suggestionRows(app, span, deputy)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, len(rows))
	for i, r := range rows {
		detail := map[float64]string{1: "24小时内响应", 0: "响应超时", -1: "待响应"}[onTime(r.AcknowledgedAt, r.AckDue, r.AckOverdue)] +
			"，" + map[float64]string{1: "按时反馈", 0: "反馈超时", -1: "待反馈"}[onTime(r.AnsweredAt, r.FeedbackDue, r.FeedbackOverdue)]
		if r.Satisfaction != "" {
			detail += "，群众评价：" + vocab.Label(vocab.Satisfaction, r.Satisfaction)
		}
		if r.ownEntry() {
			detail = "代表本人登记（走访中听到的建议，属于代表反映的问题），不计入本人的响应、反馈和满意度"
		}
		out[i] = dossierEntry{DeputyID: r.Deputy, Date: r.ReceivedAt, Source: "群众建议", Kind: r.Category,
			Title: "建议 " + r.Tracking, Detail: detail, Collection: "suggestions", ID: r.ID}
	}
	return out, nil
}
