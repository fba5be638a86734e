package suggestions_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of suggestions, calendar
// overrides and abuse events, denied cases first.
func TestRulesSuggestions(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/suggestions/records"
	a := list + "/" + f.IDs["suggestion_a"]
	answered := list + "/" + f.IDs["suggestion_a_answered"]
	b := list + "/" + f.IDs["suggestion_b"]
	visit := `{"source":"visit","deputy":"` + f.Deputy + `","category":"饮水安全","content":"三组的自来水浑浊"}`
	hotline := `{"source":"hotline","deputy":"` + f.Deputy2 + `","category":"道路交通","content":"电话反映桥头村道路塌方","received_at":"2026-09-30 02:00:00.000Z","resident_phone":"139 0000 1111","resident_name":"周大爷","consent":true}`
	phone, masked := testapp.ResidentPhone, "139****5678"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: a, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: a, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: list, Body: visit, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy2, Method: http.MethodPost, URL: list, Body: visit, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"source":"qr","deputy":"` + f.Deputy + `","category":"其他","content":"冒充扫码提交的"}`, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"source":"visit","deputy":"` + f.Deputy + `","category":"其他","content":"自己答复自己的","status":"closed"}`, Status: 400, Contains: badField("status")},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"source":"visit","deputy":"` + f.Deputy + `","category":"其他","content":"未来的时间","received_at":"2099-01-01 00:00:00.000Z"}`, Status: 400, Contains: badField("received_at")},
		{Role: deputy2, Method: http.MethodPatch, URL: a, Body: `{"status":"acknowledged"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodPatch, URL: a, Body: `{"status":"acknowledged"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"content":"改写群众的话"}`, Status: 400, Contains: badField("content")},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"deputy":"` + f.Deputy2 + `"}`, Status: 400, Contains: badField("deputy")},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"feedback_due":"2099-01-01 00:00:00.000Z"}`, Status: 400, Contains: badField("feedback_due")},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"status":"closed"}`, Status: 400, Contains: badField("status")},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"status":"answered"}`, Status: 400, Contains: badField("reply")},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"satisfaction":"satisfied"}`, Status: 400, Contains: badField("satisfaction")},
		{Role: deputy, Method: http.MethodPatch, URL: answered, Body: `{"status":"received"}`, Status: 400, Contains: badField("status")},
		{Role: guest, Method: http.MethodDelete, URL: a, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodDelete, URL: a, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: a, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: a, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: a, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodPost, URL: list, Body: hotline, Status: 400, Contains: []string{`"status":400`}},
		{Role: unit, Method: http.MethodPatch, URL: a, Body: `{"status":"acknowledged"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodGet, URL: a, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodPost, URL: list, Body: hotline, Status: 400, Contains: []string{`"status":400`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"source":"hotline","category":"其他","content":"电话反映的问题","resident_phone":"12345"}`, Status: 400, Contains: badField("resident_phone")},
		// personal data: masked for the presidium, in full for the handling deputy and staff
		{Role: presidium, Method: http.MethodGet, URL: a, Status: 200, Contains: []string{masked, `"resident_name_masked":"陈**"`}, Absent: []string{phone, testapp.ResidentName, `"ip_hash"`, `"resident_phone_hash"`}},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`, f.IDs["tracking_a"], phone, testapp.ResidentName}, Absent: []string{f.IDs["tracking_b"], `"ip_hash"`, "v1:"}},
		{Role: superuser, Method: http.MethodGet, URL: a, Status: 200, Contains: []string{phone, testapp.ResidentName, `"ip_hash"`}, Absent: []string{"v1:"}},
		{Role: staff, Method: http.MethodGet, URL: a, Status: 200, Contains: []string{phone, testapp.ResidentName}, Absent: []string{"v1:", `"ip_hash"`, `"resident_phone_hash"`}},
		// allowed
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":3`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: visit, Status: 200, Contains: []string{`"status":"received"`, `"feedback_due":"2`, `"tracking":"`}},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"status":"acknowledged"}`, Status: 200, Contains: []string{`"status":"acknowledged"`, `"acknowledged_at":"2`}},
		{Role: deputy, Method: http.MethodPatch, URL: a, Body: `{"status":"answered","reply":"已联系交通站，本周内修复。"}`, Status: 200,
			Contains: []string{`"status":"answered"`, `"answered_at":"2`, `"replied_by":"` + f.Deputy + `"`}},
		{Role: deputy, Method: http.MethodPatch, URL: answered, Body: `{"status":"answered"}`, Status: 200, Contains: []string{`"status":"answered"`}}, // an outbox replay
		{Role: deputy, Method: http.MethodPatch, URL: answered, Body: `{"status":"closed"}`, Status: 200, Contains: []string{`"closed_at":"2`}},
		{Role: presidium, Method: http.MethodPatch, URL: b, Body: `{"status":"answered","reply":"主席团已督办，镇交通站下周施工。"}`, Status: 200, Contains: []string{`"replied_by":"` + f.Presidium + `"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: hotline, Status: 200,
			Contains: []string{`"source":"hotline"`, `"resident_phone_masked":"139****1111"`, `"ack_due":"2026-10-01 02:00:00.000Z"`, `"feedback_due":"2026-10-13 15:59:59.999Z"`},
			After: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByData("suggestions", "content", "电话反映桥头村道路塌方")
				if err != nil || r.GetString("resident_phone") == "13900001111" || r.GetString("resident_name_masked") != "周**" {
					t.Fatalf("hotline record: %v", err)
				}
			}},
		{Role: superuser, Method: http.MethodPatch, URL: a, Body: `{"moderation":"spam","moderation_note":"广告"}`, Status: 200, Contains: []string{`"moderation":"spam"`}},
		{Role: superuser, Method: http.MethodDelete, URL: a, Status: 204},
		// staff do the office's intake and handling without superuser rights
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":3`, phone}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: hotline, Status: 200,
			Contains: []string{`"source":"hotline"`, `"resident_phone":"13900001111"`, `"resident_name":"周大爷"`, `"feedback_due":"2026-10-13 15:59:59.999Z"`},
			After: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByData("suggestions", "content", "电话反映桥头村道路塌方")
				if err != nil || r.GetString("resident_phone") == "13900001111" || r.GetString("resident_phone_masked") != "139****1111" || r.GetString("resident_name_masked") != "周**" {
					t.Fatalf("hotline record by staff: %v", err)
				}
				// issue 12: the resident's name is sealed at rest like the phone
				if !strings.HasPrefix(r.GetString("resident_name"), "v1:") || !strings.HasPrefix(r.GetString("resident_phone"), "v1:") {
					t.Fatalf("stored name %q phone %q", r.GetString("resident_name"), r.GetString("resident_phone"))
				}
			}},
		{Role: staff, Method: http.MethodPatch, URL: b, Body: `{"status":"closed"}`, Status: 200, Contains: []string{`"closed_at":"2`}},
		{Role: staff, Method: http.MethodPatch, URL: a, Body: `{"moderation":"spam","moderation_note":"广告"}`, Status: 200, Contains: []string{`"moderation":"spam"`}},
		{Role: staff, Method: http.MethodPost, URL: "/api/simeng/suggestions/by-phone", Body: `{"phone":"` + phone + `"}`, Status: 200, Contains: []string{f.IDs["tracking_a"]}},
		{Role: unit, Method: http.MethodPost, URL: "/api/simeng/suggestions/by-phone", Body: `{"phone":"` + phone + `"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: "/api/simeng/suggestions/by-phone", Body: `{"phone":"` + phone + `"}`, Status: 403, Contains: testapp.Forbidden},
	})
}

func TestRulesCalendarOverridesAndAbuseEvents(t *testing.T) {
	overrides := "/api/collections/calendar_overrides/records"
	abuse := "/api/collections/suggestion_abuse_events/records"
	day := `{"date":"2026-10-12","workday":false,"name":"测试假日"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: overrides, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: overrides, Body: day, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPost, URL: overrides, Body: day, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: overrides, Body: day, Status: 400, Contains: testapp.DeniedCreate},
		{Role: superuser, Method: http.MethodPost, URL: overrides, Body: `{"date":"2026-02-30","name":"无效"}`, Status: 400, Contains: badField("date")},
		{Role: superuser, Method: http.MethodPost, URL: overrides, Body: `{"date":"12/10/2026","name":"无效"}`, Status: 400, Contains: badField("date")},
		{Role: guest, Method: http.MethodGet, URL: abuse, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: abuse, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodGet, URL: abuse, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodPost, URL: abuse, Body: `{"kind":"honeypot"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: abuse, Body: `{"kind":"honeypot"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: abuse, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPost, URL: overrides, Body: day, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodGet, URL: overrides, Status: 200, Contains: []string{`"totalItems":0`}},
		{Role: superuser, Method: http.MethodPost, URL: overrides, Body: day, Status: 200, Contains: []string{"测试假日"}},
		{Role: superuser, Method: http.MethodGet, URL: abuse, Status: 200, Contains: []string{`"items":[]`}},
		{Role: staff, Method: http.MethodGet, URL: abuse, Status: 200, Contains: []string{`"items":[]`}},
		{Role: staff, Method: http.MethodPost, URL: overrides, Body: day, Status: 200, Contains: []string{"测试假日"}},
	})
}
