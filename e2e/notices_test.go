package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestNoticesOfflineAt360: a suggestion the office registers for a deputy
// becomes an in-app notice; the deputy's phone pulls it with the sync,
// shows the unread count in the header, lists it offline, and the read
// mark made offline reaches the server once the phone is back online.
func TestNoticesOfflineAt360(t *testing.T) {
	requireBrowser(t)
	srv := startServer(t)
	town := srv.seedTownship()
	staff, _ := srv.seedAccounts(town)
	staffTok := srv.login("staff", staff.Phone, accountPass)
	srv.mustAPI("POST", "/api/collections/suggestions/records", staffTok, map[string]any{
		"source": "hotline", "deputy": town.Deputy.ID, "category": "饮水安全", "content": "三组自来水浑浊已经一周。",
		"received_at": time.Now().Add(-time.Hour).UTC().Format(pbTime),
	}, nil)

	p := newPhone(t, srv.URL)
	p.loginAs("人大代表", town.Deputy.Phone, deputyPass)
	p.waitJS("unread badge", `document.querySelector('#notice-bell .count')?.textContent === '1'`, 30*time.Second)
	checkRoleRules(t, p, "首页（通知角标）")

	p.setNetwork(true, 0, 0)
	p.goHash("#/notices")
	p.waitText("新的群众建议")
	if txt := p.text(); !strings.Contains(txt, "饮水安全") || !strings.Contains(txt, "未读") {
		t.Fatalf("notices offline:\n%s", txt)
	}
	checkRoleRules(t, p, "#/notices")
	p.clickIn("#notices", "查看")
	p.waitJS("badge gone", `document.querySelector('#notice-bell .count') === null`, 10*time.Second)

	p.setNetwork(false, 0, 0)
	su := srv.superToken()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out struct {
			Items []struct {
				ReadAt string `json:"read_at"`
			} `json:"items"`
		}
		srv.mustAPI("GET", "/api/collections/notices/records?filter=(deputy='"+town.Deputy.ID+"')", su, nil, &out)
		if len(out.Items) != 1 {
			t.Fatalf("notices on the server: %d, want 1", len(out.Items))
		}
		if out.Items[0].ReadAt != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the read mark never reached the server")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
