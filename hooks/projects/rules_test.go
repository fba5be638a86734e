package projects_test

import (
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the 民生实事 collections
// (guest, deputy, presidium, unit, another unit, staff, former staff;
// denied cases first). Writes that are the routes' (votes' status, the
// registers) are tested with the routes.
func TestProjectsRules(t *testing.T) {
	f := testapp.F(t)
	list := func(c string) string { return "/api/collections/" + c + "/records" }
	one := func(c, key string) string { return list(c) + "/" + f.IDs[key] }
	total := func(n string) []string { return []string{`"totalItems":` + n} }
	project := `{"year":2026,"title":"新建候选项目","description":"候选项目说明","source_kind":"other","est_funds":10}`
	cases := []testapp.RuleCase{
		// projects: guests read the public page only; a unit its own
		{Role: guest, Method: "GET", URL: list("projects"), Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: "GET", URL: list("projects"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "GET", URL: list("projects"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "GET", URL: one("projects", "project_chosen"), Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: "POST", URL: list("projects"), Body: project, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: "POST", URL: list("projects"), Body: project, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: "POST", URL: list("projects"), Body: project, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: "PATCH", URL: one("projects", "project_a"), Body: `{"title":"改名"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: "POST", URL: list("projects"), Body: `{"year":2026,"title":"直接入选","status":"chosen","source_kind":"other"}`, Status: 400, Contains: []string{`"status"`}},
		{Role: staff, Method: "PATCH", URL: one("projects", "project_a"), Body: `{"status":"chosen"}`, Status: 400, Contains: []string{`"status"`}},
		{Role: deputy, Method: "GET", URL: list("projects"), Status: 200, Contains: total("4")},
		{Role: unit, Method: "GET", URL: list("projects"), Status: 200, Contains: total("1")},
		{Role: staff, Method: "GET", URL: list("projects"), Status: 200, Contains: total("4")},
		{Role: presidium, Method: "POST", URL: list("projects"), Body: project, Status: 200, Contains: []string{`"status":"candidate"`}},
		{Role: staff, Method: "POST", URL: list("projects"), Body: project, Status: 200, Contains: []string{`"status":"candidate"`}},

		// milestones: a unit marks its own done, never moves a due date
		{Role: guest, Method: "GET", URL: list("project_milestones"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "GET", URL: list("project_milestones"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "PATCH", URL: one("project_milestones", "milestone_late"), Body: `{"done_at":"2026-01-02 00:00:00Z"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: "PATCH", URL: one("project_milestones", "milestone_late"), Body: `{"due":"2099-01-01 00:00:00Z"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: "PATCH", URL: one("project_milestones", "milestone_late"), Body: `{"done_at":"2026-01-02 00:00:00Z"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: "GET", URL: list("project_milestones"), Status: 200, Contains: total("2")},
		{Role: unit, Method: "GET", URL: list("project_milestones"), Status: 200, Contains: total("2")},
		{Role: unit, Method: "PATCH", URL: one("project_milestones", "milestone_late"), Body: `{"done_at":"2026-01-02 00:00:00Z","note":"已完成"}`, Status: 200, Contains: []string{`"overdue":false`}},
		{Role: staff, Method: "PATCH", URL: one("project_milestones", "milestone_open"), Body: `{"due":"2099-01-01 00:00:00Z"}`, Status: 200, Contains: []string{`2099-01-01`}},

		// reports: nobody but the project's unit and the office
		{Role: guest, Method: "GET", URL: list("project_reports"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "POST", URL: list("project_reports"), Body: `{"project":"` + f.IDs["project_chosen"] + `","text":"进展"}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit2, Method: "POST", URL: list("project_reports"), Body: `{"project":"` + f.IDs["project_chosen"] + `","text":"进展"}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: "POST", URL: list("project_reports"), Body: `{"project":"` + f.IDs["project_chosen"] + `","text":"进展"}`, Status: 400, Contains: []string{`"photos"`}},

		// votes and evaluations: drafts are the office's
		{Role: guest, Method: "GET", URL: list("votes"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "GET", URL: list("votes"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: "GET", URL: list("votes"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "POST", URL: list("votes"), Body: `{"year":2026}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: staff, Method: "PATCH", URL: one("votes", "vote_draft"), Body: `{"status":"counted","digest":"forged"}`, Status: 200, Contains: []string{`"status":"draft"`, `"digest":""`}},
		{Role: staff, Method: "GET", URL: list("votes"), Status: 200, Contains: total("1")},
		{Role: guest, Method: "GET", URL: list("evaluations"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "GET", URL: list("evaluations"), Status: 200, Contains: testapp.EmptyList},
		{Role: staff, Method: "GET", URL: list("evaluations"), Status: 200, Contains: total("1")},

		// the registers: the server's alone
		{Role: guest, Method: "GET", URL: list("ballot_register"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: "GET", URL: list("ballot_register"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "POST", URL: list("ballot_register"), Body: `{"vote":"` + f.IDs["vote_draft"] + `","deputy":"` + f.Deputy + `","method":"app"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: "POST", URL: list("ballot_register"), Body: `{"vote":"` + f.IDs["vote_draft"] + `","deputy":"` + f.Deputy + `","method":"paper"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: "POST", URL: list("evaluation_register"), Body: `{"evaluation":"` + f.IDs["evaluation_draft"] + `","deputy":"` + f.Deputy + `","method":"paper"}`, Status: 403, Contains: testapp.Forbidden},
	}
	testapp.RunRuleCases(t, cases)
}
