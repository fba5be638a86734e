package e2e

import (
	"testing"
	"time"
)

// TestUnitNoticesAt360: staff forward a problem (急难愁盼) to a handling
// unit; the unit, logged in at 360 px, sees the unread count on the
// header's bell, finds 新交办的急难愁盼问题 in 通知, and opening it marks it
// read and takes it to its inbox.
func TestUnitNoticesAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, unit := srv.seedAccounts(town)
	staffTok := srv.login("staff", staff.Phone, accountPass)
	var prob struct{ ID string }
	srv.mustAPI("POST", "/api/collections/problems/records", staffTok, map[string]any{
		"category": "道路交通", "description": "民情直通车来电：桥头村三组道路塌方，车辆无法通行", "village": town.Village, "source": "hotline",
	}, &prob)
	srv.mustAPI("PATCH", "/api/collections/problems/records/"+prob.ID, staffTok, map[string]any{"status": "forwarded", "unit": unit.ID}, nil)

	p := newPhone(t, srv.URL)
	p.loginAs("承办单位", unit.Phone, accountPass)
	p.waitJS("the unread count", `document.querySelector('#notice-bell .count')?.textContent === '1'`, 30*time.Second)
	p.goHash("#/notices")
	p.waitText("新交办的急难愁盼问题")
	p.waitText("桥头村三组道路塌方")
	checkRoleRules(t, p, "通知（承办单位）")
	p.clickIn("#notices", "查看")
	p.waitJS("the inbox", `location.hash === '#/inbox'`, 10*time.Second)
	p.waitText("交办事项")
	p.waitJS("no unread count", `document.querySelector('#notice-bell .count') === null`, 30*time.Second)
}
