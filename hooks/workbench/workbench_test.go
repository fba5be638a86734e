package workbench_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/hooks/workbench"
	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

const (
	guest, deputy, presidium = testapp.RoleGuest, testapp.RoleDeputy, testapp.RolePresidium
	staff, formerStaff, unit = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
	superuser                = testapp.RoleSuperuser
)

func chinaInput(t time.Time) string { return chinatime.In(t).Format("2006-01-02T15:04") }

// Denied first; then the intake takes a past China time, refuses a future
// one, names bad fields, and seals the phone; today's list shows what is
// due.
func TestWorkbenchRoutes(t *testing.T) {
	f := testapp.F(t)
	intake := "/api/simeng/workbench/intake"
	today := "/api/simeng/workbench/today"
	past := chinaInput(time.Now().Add(-26 * time.Hour))
	good := `{"source":"hotline","received_at":"` + past + `","deputy":"` + f.Deputy + `","category":"饮水安全","content":"三组自来水浑浊已经一周。","resident_phone":"13912340077","consent":true}`
	future := `{"source":"paper","received_at":"` + chinaInput(time.Now().Add(2*time.Hour)) + `","category":"饮水安全","content":"三组自来水浑浊已经一周。"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: today, Status: 401, Contains: []string{`"status":401`}},
		{Role: deputy, Method: http.MethodGet, URL: today, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: intake, Body: good, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodPost, URL: intake, Body: good, Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodPost, URL: intake, Body: good, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: future, Status: 400, Contains: []string{`"received_at":{`, "不能晚于现在"}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"qr","received_at":"` + past + `"}`, Status: 400, Contains: []string{`"source":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"paper","received_at":"昨天"}`, Status: 400, Contains: []string{`"received_at":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"paper","received_at":"` + past + `","category":"饮水安全","content":"短"}`, Status: 400, Contains: []string{`"content":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"paper","received_at":"` + past + `","category":"饮水安全","content":"三组自来水浑浊已经一周。","resident_phone":"13912340077"}`,
			Status: 400, Contains: []string{`"consent":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: good, Status: 200, Contains: []string{`"tracking":"`},
			After: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByData("suggestions", "content", "三组自来水浑浊已经一周。")
				if err != nil {
					t.Fatal(err)
				}
				if r.GetString("resident_phone") == "13912340077" || r.GetString("resident_phone_masked") == "" {
					t.Fatal("the phone is not sealed")
				}
				at := r.GetDateTime("received_at").Time()
				if chinaInput(at) != past {
					t.Fatalf("received at %s, want %s China time", chinaInput(at), past)
				}
				// Received 26 h ago: its 24-hour response is overdue; overdue
				// items come first, oldest first.
				items, err := workbench.Today(app, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for i, it := range items {
					found = found || (it.ID == r.Id && it.Overdue && it.Label == "群众建议·待回应")
					if i > 0 && items[i-1].Overdue == it.Overdue && items[i-1].Due > it.Due {
						t.Fatalf("today's list out of order: %+v", items)
					}
					if i > 0 && !items[i-1].Overdue && it.Overdue {
						t.Fatalf("an overdue item after one that is not: %+v", items)
					}
				}
				if !found {
					t.Fatalf("today's list misses the overdue suggestion: %+v", items)
				}
			}},
		{Role: staff, Method: http.MethodGet, URL: today, Status: 200, Contains: []string{`"items":[`}},
		{Role: superuser, Method: http.MethodGet, URL: today, Status: 200, Contains: []string{`"items":[`}},
	})
}
