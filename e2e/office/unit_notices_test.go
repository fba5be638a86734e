package office

import (
	"testing"
	"time"

	"simeng/e2e/internal/harness"
)

// TestUnitNoticesAt360: staff forward a problem (急难愁盼) to a handling
// unit; the unit, logged in at 360 px, sees the unread count on the
// header's bell, finds 新交办的急难愁盼问题 in 通知, and opening it marks it
// read and takes it to its inbox.
func TestUnitNoticesAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, unit := srv.SeedAccounts(town)
	staffTok := srv.Login("staff", staff.Phone, harness.AccountPass)
	var prob struct{ ID string }
	srv.MustAPI("POST", "/api/collections/problems/records", staffTok, map[string]any{
		"category": "道路交通", "description": "民情直通车来电：桥头村三组道路塌方，车辆无法通行", "village": town.Village, "source": "hotline",
	}, &prob)
	srv.MustAPI("PATCH", "/api/collections/problems/records/"+prob.ID, staffTok, map[string]any{"status": "forwarded", "unit": unit.ID}, nil)

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("承办单位", unit.Phone, harness.AccountPass)
	p.WaitJS("the unread count", `document.querySelector('#notice-bell .count')?.textContent === '1'`, 30*time.Second)
	p.GoHash("#/notices")
	p.WaitText("新交办的急难愁盼问题")
	p.WaitText("桥头村三组道路塌方")
	harness.CheckRoleRules(t, p, "通知（承办单位）")
	p.ClickIn("#notices", "查看")
	p.WaitJS("the inbox", `location.hash === '#/inbox'`, 10*time.Second)
	p.WaitText("交办事项")
	p.WaitJS("no unread count", `document.querySelector('#notice-bell .count') === null`, 30*time.Second)
}
