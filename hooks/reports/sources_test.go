package reports_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"simeng/internal/testapp"
)

// seedSources writes a year (2021, long past, which no fixture touches, so a due date has passed) of proposals,
// projects, milestones, a vote, a closed evaluation and an inquiry straight
// into the tables, so the counts below are known exactly.
func seedSources(t *testing.T, c *testapp.Server) {
	t.Helper()
	f := testapp.F(t)
	exec := func(q string, p dbx.Params) {
		t.Helper()
		if _, err := c.App.DB().NewQuery(q).Bind(p).Execute(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	const at = "2021-03-01 02:00:00.000Z"
	prop := func(id, typ, status, sponsor, co, rating, closure string, golden int) {
		exec(`INSERT INTO proposals (id, number, type, status, title, body, sponsor, co_confirmed, year, submitted_at, rating, closure,
			golden_year, reply_class, answered_at, closed_at) VALUES ({:id}, {:id}, {:type}, {:status}, '修缮思蒙湾村机耕道', '机耕道破损',
			{:sponsor}, {:co}, 2021, {:at}, {:rating}, {:closure}, {:golden}, CASE WHEN {:status} = 'closed' THEN 'A' ELSE '' END,
			CASE WHEN {:status} = 'closed' THEN {:at} ELSE '' END, CASE WHEN {:status} = 'closed' THEN {:at} ELSE '' END)`,
			dbx.Params{"id": id, "type": typ, "status": status, "sponsor": sponsor, "co": co, "rating": rating, "closure": closure,
				"golden": golden, "at": at})
	}
	co := `["` + f.Deputy + `"]`
	prop("p2021aaaaaaaaa1", "motion", "closed", f.Presidium, co, "satisfied", "rated", 2021)
	prop("p2021aaaaaaaaa2", "suggestion", "closed", f.Presidium, "[]", "unsatisfied", "rated", 0)
	prop("p2021aaaaaaaaa3", "suggestion", "closed", f.Deputy2, co, "basic", "rated", 0)
	prop("p2021aaaaaaaaa4", "suggestion", "assigned", f.Deputy2, "[]", "", "", 0)
	prop("p2021aaaaaaaaa5", "suggestion", "rejected", f.Deputy, "[]", "", "", 0)
	prop("p2021aaaaaaaaa6", "suggestion", "withdrawn", f.Deputy, "[]", "", "", 0)

	project := func(id, status string) {
		exec(`INSERT INTO projects (id, year, title, description, source_kind, status) VALUES ({:id}, 2021, {:id}, '村道硬化', 'other', {:s})`,
			dbx.Params{"id": id, "s": status})
	}
	project("pj2021aaaaaaaa1", "in_progress")
	project("pj2021aaaaaaaa2", "done")
	project("pj2021aaaaaaaa3", "not_chosen")
	ms := func(id, project, due, done string) {
		exec(`INSERT INTO project_milestones (id, project, title, due, done_at) VALUES ({:id}, {:p}, '开工', {:due}, {:done})`,
			dbx.Params{"id": id, "p": project, "due": due, "done": done})
	}
	ms("ms2021aaaaaaaa1", "pj2021aaaaaaaa1", "2021-04-30 15:59:59.000Z", "2021-04-20 02:00:00.000Z") // met
	ms("ms2021aaaaaaaa2", "pj2021aaaaaaaa1", "2021-05-30 15:59:59.000Z", "2021-06-02 02:00:00.000Z") // done late
	ms("ms2021aaaaaaaa3", "pj2021aaaaaaaa2", "2021-06-30 15:59:59.000Z", "")                         // overdue now
	ms("ms2021aaaaaaaa4", "pj2021aaaaaaaa3", "2021-06-30 15:59:59.000Z", "")                         // not chosen: not counted

	exec(`INSERT INTO votes (id, year, title, candidates, seats, max_choices, status, opened_at)
		VALUES ('vt2021aaaaaaaa1', 2021, '2021年民生实事票决', '["pj2021aaaaaaaa1"]', 1, 1, 'counted', {:at})`, dbx.Params{"at": at})
	for i, d := range []string{f.Deputy, f.Deputy2, f.Presidium} {
		exec(`INSERT INTO ballot_register (id, vote, deputy, method) VALUES ({:id}, 'vt2021aaaaaaaa1', {:d}, 'app')`,
			dbx.Params{"id": "br2021aaaaaaaa" + string(rune('1'+i)), "d": d})
	}
	results, _ := json.Marshal([]map[string]any{
		{"project": "pj2021aaaaaaaa1", "title": "a", "satisfied": 2, "basic": 1, "unsatisfied": 1, "rated": 4},
		{"project": "pj2021aaaaaaaa2", "title": "b", "satisfied": 3, "basic": 0, "unsatisfied": 0, "rated": 3},
	})
	exec(`INSERT INTO evaluations (id, year, title, status, registered, closed_at, results)
		VALUES ('ev2021aaaaaaaa1', 2021, '2021年民生实事年终评议', 'closed', 4, {:at}, {:r})`, dbx.Params{"at": at, "r": string(results)})
	exec(`INSERT INTO evaluation_register (id, evaluation, deputy, method) VALUES ('er2021aaaaaaaa1', 'ev2021aaaaaaaa1', {:d}, 'app')`,
		dbx.Params{"d": f.Deputy})

	exec(`INSERT INTO inquiries (id, year, topic, status, held_on) VALUES ('iq2021aaaaaaaa1', 2021, '村道硬化进度', 'held', {:at})`, dbx.Params{"at": at})
	exec(`INSERT INTO inquiries (id, year, topic, status) VALUES ('iq2021aaaaaaaa2', 2021, '饮水安全', 'planned')`, nil)
	exec(`INSERT INTO inquiry_items (id, inquiry, deputy, question, answer, created) VALUES
		('qi2021aaaaaaaa1', 'iq2021aaaaaaaa1', {:d}, '何时完工？', '六月底完工', {:at}),
		('qi2021aaaaaaaa2', 'iq2021aaaaaaaa1', {:d}, '资金是否到位？', '', {:at})`, dbx.Params{"d": f.Deputy, "at": at})
}

// The proposals, 民生实事 and 专题询问 figures of a seeded year: counts by
// type, 立案, 办结率 and 满意率 as package proposal defines them, 金点子;
// projects chosen and done, milestones met and overdue, ballots, the
// evaluation's satisfaction; inquiries and questions. Each has a
// definition and lists the records it counts.
func TestProposalAndProjectFigures(t *testing.T) {
	c := testapp.NewServer(t)
	seedSources(t, c)
	s := stats(t, c, "2021")
	want := map[string][2]int{ // numerator, denominator
		"proposals_submitted": {5, 0}, "proposals_motions": {1, 0}, "proposals_suggestions": {4, 0},
		"proposals_registered": {4, 0}, "proposals_completion": {3, 4}, "proposals_satisfaction": {2, 3},
		"proposals_full_satisfaction": {1, 3}, "proposals_golden": {1, 0},
		"projects_candidates": {3, 0}, "projects_chosen": {2, 0}, "projects_done": {1, 0},
		"milestones_met": {1, 0}, "milestones_overdue": {1, 0}, "project_ballots": {3, 0}, "projects_evaluation": {6, 7},
		"inquiries_held": {1, 0}, "inquiry_questions": {2, 0}, "inquiry_answered": {1, 2},
	}
	for key, w := range want {
		got, ok := s[key]
		if !ok {
			t.Errorf("%s missing", key)
			continue
		}
		if got.Numerator != w[0] || got.Denominator != w[1] {
			t.Errorf("%s = %d/%d, want %d/%d", key, got.Numerator, got.Denominator, w[0], w[1])
		}
		if !got.Drill {
			t.Errorf("%s does not list its records", key)
		}
	}
	drill := func(key string) []map[string]any {
		r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/reports/stats/"+key+"/records?year=2021", nil)
		var out struct {
			Total int              `json:"totalItems"`
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		return out.Items
	}
	for key, w := range want {
		if n := len(drill(key)); key != "project_ballots" && key != "projects_evaluation" && n != w[0] {
			t.Errorf("%s lists %d records, want %d", key, n, w[0])
		}
	}
	// The ballots link to the vote, one row, naming no deputy.
	if rows := drill("project_ballots"); len(rows) != 1 || rows[0]["collection"] != "votes" || !strings.Contains(rows[0]["detail"].(string), "3名") {
		t.Errorf("ballots drill = %v", rows)
	}
	if rows := drill("proposals_completion"); rows[0]["collection"] != "proposals" {
		t.Errorf("completion drill = %v", rows)
	}
	c.Must(http.StatusForbidden, deputy, http.MethodGet, "/api/simeng/reports/stats/proposals_submitted/records?year=2021", nil)

	// The annual draft has its 议案建议和民生实事 section from these figures.
	r := c.Must(http.StatusOK, presidium, http.MethodPost, "/api/simeng/reports/annual?year=2021", nil)
	if body := string(r.Body); !strings.Contains(body, "议案建议和民生实事") || !strings.Contains(body, "议案建议办结率75%（3/4）") {
		t.Errorf("annual draft lacks the proposals' section: %s", body)
	}

	// The deputy's 述职 draft tells their proposals, votes, evaluations and
	// questions from the records.
	r = c.Must(http.StatusOK, deputy, http.MethodPost, "/api/simeng/reports/duty?year=2021", nil)
	var duty struct {
		Body    string           `json:"body"`
		Figures []map[string]any `json:"figures"`
	}
	if err := json.Unmarshal(r.Body, &duty); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"提出议案建议和参与监督", "附议议案建议2件", "参加民生实事项目票决1次", "参加民生实事年终满意度测评1次", "在专题询问中提出问题2个"} {
		if !strings.Contains(duty.Body, want) {
			t.Errorf("duty draft lacks %q:\n%s", want, duty.Body)
		}
	}
	// led: a rejected one counts as submitted, the withdrawn one does not
	if !strings.Contains(duty.Body, "领衔提出议案建议1件，其中立案0件") {
		t.Errorf("duty draft miscounts the led proposals:\n%s", duty.Body)
	}
	got := map[string]float64{}
	for _, f := range duty.Figures {
		if v, ok := f["value"].(float64); ok {
			got[f["key"].(string)] = v
		}
	}
	for k, v := range map[string]float64{"proposals_led": 1, "proposals_led_accepted": 0, "proposals_co": 2, "project_votes": 1,
		"project_evaluations": 1, "inquiry_questions": 2} {
		if got[k] != v {
			t.Errorf("duty figure %s = %v, want %v", k, got[k], v)
		}
	}
}
