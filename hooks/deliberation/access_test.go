package deliberation_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of 云端议事 topics, denied cases
// first.
func TestRulesTopics(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/topics/records"
	draft := list + "/" + f.IDs["topic_draft"]
	open := list + "/" + f.IDs["topic_open"]
	create := `{"title":"村道硬化先后顺序","background":"今年的村道硬化资金有限，先修哪几条，请代表和群众议一议。","audience":"both","status":"draft","deadline":"2099-01-01 00:00:00.000Z"}`
	// PocketBase answers a create its rule refuses with a bare 400.
	refusedCreate := []string{`"status":400`, `"data":{}`}
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: refusedCreate},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: refusedCreate},
		{Role: deputy, Method: http.MethodGet, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: refusedCreate},
		{Role: deputy, Method: http.MethodPatch, URL: open, Body: `{"title":"改了"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: open, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: refusedCreate},
		{Role: formerStaff, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodPatch, URL: open, Body: `{"title":"改了"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodDelete, URL: open, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodPatch, URL: open, Body: `{"code":"aaaaaaaaaa"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: open, Body: `{"code":"aaaaaaaaaa"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: open, Body: `{"outcome":"problem","outcome_id":"x"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: open, Body: `{"status":"closed"}`, Status: 400, Contains: []string{`"conclusion":{`}},
		{Role: presidium, Method: http.MethodPatch, URL: open, Body: `{"status":"draft"}`, Status: 400, Contains: []string{`"status":{`, "不能从"}},
		{Role: presidium, Method: http.MethodPatch, URL: list + "/" + f.IDs["topic_closed"], Body: `{"conclusion":"改写结论内容，改写结论内容。"}`, Status: 400,
			Contains: []string{`"conclusion":{`, "不能再修改"}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: `{"title":"","audience":"all","status":"open"}`, Status: 400,
			Contains: []string{`"title":{`, `"audience":{`, `"deadline":{`, `"background":{`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: strings.Replace(create, "2099-01-01", "2020-01-01", 1), Status: 200,
			Contains: []string{`"status":"draft"`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: strings.Replace(strings.Replace(create, "2099-01-01", "2020-01-01", 1), `"draft"`, `"open"`, 1), Status: 400,
			Contains: []string{`"deadline":{`, "晚于现在"}},
		// what deputies see: everything but the draft
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":3`}, Absent: []string{f.IDs["topic_draft"]}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: strings.Replace(create, `"draft"`, `"open"`, 1), Status: 200,
			Contains: []string{`"status":"open"`, `"opened_by":"王主席（主席团）"`, `"code":"`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: strings.Replace(create, `"draft",`, `"draft","code":"chosen1234","opened_by":"别人",`, 1), Status: 200,
			Absent: []string{"chosen1234", "别人"}},
		{Role: presidium, Method: http.MethodDelete, URL: draft, Status: 204},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: strings.Replace(create, `"draft"`, `"open"`, 1), Status: 200, Contains: []string{`"status":"open"`, `"code":"`}},
		{Role: staff, Method: http.MethodDelete, URL: draft, Status: 204},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"code":"`}},
		{Role: superuser, Method: http.MethodDelete, URL: open, Status: 204},
	})
}

// Comments: deputies read deputies' and approved residents' comments; the
// presidium reads all and moderates, and changes nothing else; nobody but
// staff writes through the records API (deputies write through the sync
// routes, residents through the public page).
func TestRulesTopicComments(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/topic_comments/records"
	pending := list + "/" + f.IDs["comment_pending"]
	mine := list + "/" + f.IDs["comment_deputy"]
	create := `{"topic":"` + f.IDs["topic_open"] + `","body":"我来说两句，支持这个方案。"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: pending, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: mine, Body: `{"body":"改一改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: pending, Body: `{"moderation":"approved"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: pending, Body: `{"body":"替群众改写"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: pending, Body: `{"seq":1}`, Status: 400, Contains: []string{`"seq":{`}},
		{Role: presidium, Method: http.MethodPatch, URL: pending, Body: `{"moderation":"published"}`, Status: 400, Contains: []string{`"moderation":{`}},
		{Role: presidium, Method: http.MethodDelete, URL: pending, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy2, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}, Absent: []string{f.IDs["comment_pending"], "ip_hash"}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":3`}, Absent: []string{"ip_hash"}},
		{Role: presidium, Method: http.MethodPatch, URL: pending, Body: `{"moderation":"approved","moderation_note":"内容合适"}`, Status: 200,
			Contains: []string{`"moderation":"approved"`, `"moderated_by":"王主席（主席团）"`},
			After: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindRecordById("topic_comments", f.IDs["comment_pending"])
				if err != nil || r.GetDateTime("moderated_at").IsZero() {
					t.Fatalf("moderation not stamped: %v", err)
				}
			}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"author":"resident"`, `"moderation":"pending"`}},
		{Role: superuser, Method: http.MethodDelete, URL: pending, Status: 204},
	})
}

// The conversion route: presidium and staff only; a topic converts once
// it is closed.
func TestRulesConvert(t *testing.T) {
	f := testapp.F(t)
	closed := "/api/deliberation/topics/" + f.IDs["topic_closed"] + "/convert"
	open := "/api/deliberation/topics/" + f.IDs["topic_open"] + "/convert"
	body := `{"to":"problem","category":"饮水安全","village":"` + f.VillageB + `"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodPost, URL: closed, Body: body, Status: 401, Contains: []string{`"status":401`}},
		{Role: inactive, Method: http.MethodPost, URL: closed, Body: body, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: closed, Body: body, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: open, Body: body, Status: 400, Contains: []string{`"to":{`, "形成结论后"}},
		{Role: presidium, Method: http.MethodPost, URL: closed, Body: `{"to":"problem"}`, Status: 400, Contains: []string{`"category":{`}},
		{Role: presidium, Method: http.MethodPost, URL: closed, Body: `{"to":"meeting"}`, Status: 400, Contains: []string{`"to":{`}},
		{Role: presidium, Method: http.MethodPost, URL: closed, Body: `not json`, Status: 400, Contains: []string{`"to":{`}},
		{Role: presidium, Method: http.MethodPost, URL: "/api/deliberation/topics/nosuchtopic0000/convert", Body: body, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPost, URL: closed, Body: body, Status: 200, Contains: []string{`"outcome":"problem"`}},
		{Role: superuser, Method: http.MethodPost, URL: closed, Body: body, Status: 200, Contains: []string{`"outcome":"problem"`}},
	})
}

// What the public forms' abuse guard turned away is for staff only.
func TestRulesPublicFormEvents(t *testing.T) {
	list := "/api/collections/public_form_events/records"
	body := `{"form":"survey","key":"abcdefghij","kind":"honeypot","window":"2026-03-05T09:00","count":1}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: body, Status: 403, Contains: testapp.Forbidden},
		{Role: superuser, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":0`}},
	})
}
