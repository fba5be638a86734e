package station_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// A hotline call logged by staff is a suggestion with source hotline, its
// clocks from the time of the call, the caller's phone sealed; bad input
// is a 400 naming the field. The hotline number shows on the public pages.
func TestHotlineCallIsASuggestion(t *testing.T) {
	f := testapp.F(t)
	call := `{"received_at":"2026-09-30T10:00:00+08:00","deputy":"` + f.Deputy2 + `","category":"道路交通","content":"电话反映桥头村道路塌方","resident_name":"周大爷","resident_phone":"139 0000 1111","consent":true}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: `{"category":"其他","content":"短"}`, Status: 400, Contains: badField("content")},
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: `{"category":"乱写","content":"电话反映的问题"}`, Status: 400, Contains: badField("category")},
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: `{"category":"其他","content":"电话反映的问题","received_at":"昨天"}`, Status: 400, Contains: badField("received_at")},
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: `{"category":"其他","content":"电话反映的问题","received_at":"2099-01-01T00:00:00+08:00"}`, Status: 400, Contains: badField("received_at")},
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: `{"category":"其他","content":"电话反映的问题","resident_phone":"13900001111"}`, Status: 400, Contains: badField("consent")},
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: `{"category":"其他","content":"电话反映的问题","deputy":"` + f.Inactive + `"}`, Status: 400, Contains: badField("deputy")},
		{Role: superuser, Method: http.MethodPost, URL: "/api/station/hotline-calls", Body: call, Status: 200,
			Contains: []string{`"source":"hotline"`, `"received_at":"2026-09-30 02:00:00.000Z"`, `"ack_due":"2026-10-01 02:00:00.000Z"`, `"feedback_due":"2026-10-13 15:59:59.999Z"`, `"tracking":"`},
			After: func(t testing.TB, app *tests.TestApp) {
				s, err := app.FindFirstRecordByData("suggestions", "content", "电话反映桥头村道路塌方")
				if err != nil || s.GetString("resident_phone_masked") != "139****1111" || s.GetString("resident_phone") == "13900001111" || s.GetString("deputy") != f.Deputy2 {
					t.Fatalf("hotline suggestion: %v %v", err, s)
				}
			}},
	})
}
