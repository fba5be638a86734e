package surveys_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks/surveys"
	"simeng/internal/testapp"
)

// The role × collection × operation matrix of surveys, denied cases first.
func TestRulesSurveys(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/surveys/records"
	open := list + "/" + f.IDs["survey_open"]
	draft := list + "/" + f.IDs["survey_draft"]
	create := `{"title":"村道路灯微调研","questions":[{"kind":"single","title":"路灯够不够？","options":["够","不够"]}],"status":"draft","closes_at":"2099-01-01 00:00:00.000Z"}`
	refusedCreate := []string{`"status":400`, `"data":{}`}
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: refusedCreate},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: refusedCreate},
		{Role: deputy, Method: http.MethodPatch, URL: open, Body: `{"title":"改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: open, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: open, Body: `{"responses":99}`, Status: 404, Contains: testapp.NotFoundBody},
		// The counts are not in the body's reach: a hidden field, and the
		// server puts them back whoever saves.
		{Role: presidium, Method: http.MethodPatch, URL: list + "/" + f.IDs["survey_closed"], Body: `{"tally":{"respondents":{"":99}}}`, Status: 200,
			Absent: []string{`"tally"`}, After: func(t testing.TB, app *tests.TestApp) { wantResponses(t, app, f.IDs["survey_closed"], 6) }},
		{Role: superuser, Method: http.MethodPatch, URL: list + "/" + f.IDs["survey_closed"], Body: `{"tally":{"respondents":{"":99}},"responses":99}`, Status: 200,
			Contains: []string{`"responses":6`}, After: func(t testing.TB, app *tests.TestApp) { wantResponses(t, app, f.IDs["survey_closed"], 6) }},
		{Role: presidium, Method: http.MethodPatch, URL: open, Body: `{"status":"draft"}`, Status: 400, Contains: []string{`"status":{`}},
		{Role: presidium, Method: http.MethodPatch, URL: list + "/" + f.IDs["survey_closed"], Body: `{"status":"open"}`, Status: 400, Contains: []string{`"status":{`}},
		{Role: presidium, Method: http.MethodPatch, URL: list + "/" + f.IDs["survey_closed"], Body: `{"questions":[{"kind":"text","title":"换个问题"}]}`, Status: 400,
			Contains: []string{`"questions":{`, "不能再修改"}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: strings.Replace(create, `"options":["够","不够"]`, `"options":["够"]`, 1), Status: 400,
			Contains: []string{`"questions":{`, "第1题"}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: `{"title":"","questions":"x","status":"closed"}`, Status: 400,
			Contains: []string{`"title":{`, `"questions":{`, `"closes_at":{`, `"status":{`}},
		// Deputies see every survey past its draft; nobody sees the counts.
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":3`}, Absent: []string{`"tally"`, f.IDs["survey_draft"]}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}, Absent: []string{`"tally"`}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}, Absent: []string{`"tally"`}},
		{Role: superuser, Method: http.MethodGet, URL: list + "/" + f.IDs["survey_closed"], Status: 200, Contains: []string{`"responses":6`}, Absent: []string{`"tally"`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 200,
			Contains: []string{`"id":"q1"`, `"created_by":"王主席（主席团）"`, `"responses":0`}},
		{Role: presidium, Method: http.MethodDelete, URL: draft, Status: 204},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"created_by":"工作人员 staff@test.simeng"`}},
	})
}

// wantResponses fails unless the survey's counts still hold n responses.
func wantResponses(t testing.TB, app core.App, id string, n int) {
	t.Helper()
	res, err := surveys.ResultsOf(app, id)
	if err != nil || res.Respondents != n {
		t.Fatalf("survey %s holds %d responses (%v), want %d", id, res.Respondents, err, n)
	}
}

// Single answers are nobody's to read: the records API is closed to the
// short texts and the phone hashes for every role, staff included.
func TestRulesAnonymousAnswers(t *testing.T) {
	app := testapp.New(t)
	var text string
	if err := app.DB().NewQuery("SELECT id FROM survey_texts LIMIT 1").Row(&text); err != nil {
		t.Fatal(err)
	}
	var cases []testapp.RuleCase
	for _, c := range []string{"survey_texts", "survey_participations"} {
		list := "/api/collections/" + c + "/records"
		for _, role := range []string{guest, deputy, presidium, inactive, superuser} {
			cases = append(cases, testapp.RuleCase{Role: role, Method: http.MethodGet, URL: list, Status: 403, Contains: testapp.Forbidden})
		}
		for _, role := range []string{presidium, superuser} {
			cases = append(cases, testapp.RuleCase{Role: role, Method: http.MethodPost, URL: list,
				Body: `{"survey":"x","question":"q1","key":"k","text":"伪造的回答"}`, Status: 403, Contains: testapp.Forbidden})
		}
	}
	one := "/api/collections/survey_texts/records/" + text
	cases = append(cases,
		testapp.RuleCase{Role: superuser, Method: http.MethodGet, URL: one, Status: 403, Contains: testapp.Forbidden},
		testapp.RuleCase{Role: superuser, Method: http.MethodPatch, URL: one, Body: `{"text":"改写"}`, Status: 403, Contains: testapp.Forbidden},
		testapp.RuleCase{Role: superuser, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
	)
	testapp.RunRuleCases(t, cases)
}

// The results: presidium and staff only.
func TestRulesResults(t *testing.T) {
	f := testapp.F(t)
	res := "/api/surveys/" + f.IDs["survey_closed"] + "/results"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: res, Status: 401, Contains: []string{`"status":401`}},
		{Role: inactive, Method: http.MethodGet, URL: res, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: res, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: res + ".xlsx", Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodGet, URL: "/api/surveys/nosuchsurvey000/results", Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodGet, URL: res, Status: 200, Contains: []string{`"respondents":6`, `"suppressed":false`}},
		{Role: superuser, Method: http.MethodGet, URL: res, Status: 200, Contains: []string{`"respondents":6`}},
	})
}
