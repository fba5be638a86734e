package meetings_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of meetings: the meetings,
// attendance, staff-recorded activities and the meeting loop (agenda,
// resolutions), denied cases first.
func TestRulesMeetings(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/meetings/records"
	one := list + "/" + f.IDs["meeting_congress"]
	create := `{"title":"第二季度季度集训","kind":"training","starts_at":"2026-06-10 01:00:00.000Z","place":"镇政府"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"place":"别处"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: formerStaff, Method: http.MethodPatch, URL: one, Body: `{"place":"别处"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`, "人民代表大会"}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"季度集训"}},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"place":"镇政府三楼会议室"}`, Status: 200, Contains: []string{"三楼会议室"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"季度集训"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"kind":"party","starts_at":"x"}`, Status: 400,
			Contains: []string{`"title":{`, `"kind":{`, `"place":{`, `"starts_at":{`}},
		{Role: superuser, Method: http.MethodDelete, URL: one, Status: 204},
	})
}

func TestRulesAttendanceAndActivities(t *testing.T) {
	f := testapp.F(t)
	att := "/api/collections/meeting_attendance/records"
	leave := `{"meeting":"` + f.IDs["meeting_congress"] + `","deputy":"` + f.Deputy + `","status":"leave","leave_reason":"住院"}`
	acts := "/api/collections/deputy_activities/records"
	station := acts + "/" + f.IDs["activity_station"]
	// a typed proposal of a year before the platform kept proposals (the
	// fixture's year has proposal records, which refuse typed ones)
	newAct := `{"deputy":"` + f.Deputy + `","kind":"proposal","occurred_on":"2025-05-01 00:00:00.000Z","title":"关于修缮村道的建议"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: deputy, Method: http.MethodPost, URL: att, Body: leave, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: att, Body: leave, Status: 400, Contains: testapp.DeniedCreate},
		{Role: guest, Method: http.MethodGet, URL: acts, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: acts, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: station, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: acts, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: acts, Body: newAct, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPatch, URL: station, Body: `{"title":"改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: station, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodPost, URL: att, Body: leave, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodGet, URL: acts, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodPost, URL: att, Body: leave, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodGet, URL: station, Status: 200, Contains: []string{"逢九接待"}},
		{Role: presidium, Method: http.MethodGet, URL: acts, Status: 200, Contains: []string{`"totalItems":1`}},
		{Role: superuser, Method: http.MethodPost, URL: acts, Body: `{"deputy":"` + f.Deputy + `","kind":"nap","title":""}`, Status: 400,
			Contains: []string{`"kind":{`, `"title":{`, `"occurred_on":{`}},
		{Role: superuser, Method: http.MethodPost, URL: acts, Body: newAct, Status: 200, Contains: []string{"修缮村道"}},
		// staff record leave; a congress session's leave counts its length
		{Role: superuser, Method: http.MethodPost, URL: att, Body: leave, Status: 200,
			Contains: []string{`"status":"leave"`, `"half_days":4`, `"method":"staff"`, `"checked_in_at":""`},
			After: func(t testing.TB, app *tests.TestApp) {
				res := testapp.Score(t, app, f.Deputy)
				if it := testapp.Item(t, res, "congress_attendance"); it.Points != 2 || !strings.Contains(it.Explanation, "人代会请假 4 个半天×2") {
					t.Fatalf("congress attendance after 4 half-days of leave: %+v", it)
				}
			}},
		{Role: deputy, Method: http.MethodGet, URL: att, Status: 200, Contains: testapp.EmptyList},
		// staff do the same without superuser rights
		{Role: staff, Method: http.MethodPost, URL: att, Body: leave, Status: 200, Contains: []string{`"status":"leave"`, `"method":"staff"`}},
		{Role: staff, Method: http.MethodPost, URL: acts, Body: newAct, Status: 200, Contains: []string{"修缮村道"}},
		{Role: staff, Method: http.MethodDelete, URL: station, Status: 204},
	})
}

func TestRulesMeetingLoop(t *testing.T) {
	f := testapp.F(t)
	congress := f.IDs["meeting_congress"]
	for _, c := range []struct{ collection, body string }{
		{"meeting_agenda_items", `{"meeting":"` + congress + `","position":1,"title":"审议政府工作报告"}`},
		{"meeting_resolutions", `{"meeting":"` + congress + `","text":"批准政府工作报告","adopted":true}`},
	} {
		list := "/api/collections/" + c.collection + "/records"
		testapp.RunRuleCases(t, []testapp.RuleCase{
			{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
			{Role: guest, Method: http.MethodPost, URL: list, Body: c.body, Status: 400, Contains: testapp.DeniedCreate},
			{Role: deputy, Method: http.MethodPost, URL: list, Body: c.body, Status: 400, Contains: testapp.DeniedCreate},
			{Role: presidium, Method: http.MethodPost, URL: list, Body: c.body, Status: 400, Contains: testapp.DeniedCreate},
			{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":0`}},
			{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"meeting":"nosuchmeeting00"}`, Status: 400, Contains: []string{`"meeting":{`}},
			{Role: unit, Method: http.MethodPost, URL: list, Body: c.body, Status: 400, Contains: testapp.DeniedCreate},
			{Role: superuser, Method: http.MethodPost, URL: list, Body: c.body, Status: 200, Contains: []string{congress}},
			{Role: staff, Method: http.MethodPost, URL: list, Body: c.body, Status: 200, Contains: []string{congress}},
		})
	}
}

// The rows of the follow-through collections: progress reports are read by
// deputies and never edited or deleted through the API; the meeting rhythm
// is read by deputies and set by staff.
func TestRulesFollowThrough(t *testing.T) {
	progress := "/api/collections/meeting_task_progress/records"
	rhythm := "/api/collections/meeting_rhythm/records"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: progress, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: rhythm, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: rhythm, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: rhythm, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: progress, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: rhythm, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"inquiry","per":"year","count":3,"active":true}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"inquiry","per":"year","count":3,"active":true}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"inquiry","per":"year","count":3,"active":true}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodGet, URL: rhythm, Status: 200, Contains: []string{`"totalItems":4`, `"per":"half"`}},
		{Role: deputy, Method: http.MethodGet, URL: progress, Status: 200, Contains: []string{`"totalItems":0`}},
		// staff keep the plan's rhythm and read the progress reports
		{Role: staff, Method: http.MethodGet, URL: progress, Status: 200, Contains: []string{`"totalItems":0`}},
		{Role: staff, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"inquiry","per":"year","count":2,"active":true}`, Status: 200, Contains: []string{`"count":2`}},
		{Role: superuser, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"presidium","per":"quarter","count":1}`, Status: 400, Contains: []string{`"kind":{`}},
		{Role: superuser, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"inquiry","per":"month","count":0}`, Status: 400, Contains: []string{`"per":{`, `"count":{`}},
		{Role: superuser, Method: http.MethodPost, URL: rhythm, Body: `{"kind":"inquiry","per":"year","count":3,"active":true}`, Status: 200, Contains: []string{`"count":3`}},
	})
}
