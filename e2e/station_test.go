package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/chinatime"
)

// chinaDate is a China civil date n days from now.
func chinaDate(n int) string {
	return chinatime.In(time.Now()).AddDate(0, 0, n).Format(chinatime.DateLayout)
}

type stationSetup struct {
	ID, Roster, Today string
}

// seedStation creates a liaison station (one deputy a day) as staff would,
// generates and publishes a roster from today for a month, and puts the
// ordinary deputy on today's duty.
func (s *server) seedStation(town township, su string) stationSetup {
	s.t.Helper()
	var st struct{ ID string }
	s.mustAPI("POST", "/api/collections/stations/records", su, map[string]any{"name": "思蒙镇人大代表联络站", "code": "simeng",
		"address": "思蒙湾村集镇综合楼一楼", "duty_per_day": 1, "active": true}, &st)
	today := chinaDate(0)
	var roster struct {
		Roster string `json:"roster"`
	}
	s.mustAPI("POST", "/api/station/"+st.ID+"/roster", su, map[string]string{"from": today, "to": chinaDate(30)}, &roster)
	s.mustAPI("POST", "/api/station/rosters/"+roster.Roster+"/publish", su, map[string]any{}, nil)
	// Today need not be a market day: staff add the deputy (400 if the
	// rotation already put them there).
	s.api("POST", "/api/station/rosters/"+roster.Roster+"/duties", su, map[string]string{"date": today, "deputy": town.Deputy.ID}, nil)
	return stationSetup{ID: st.ID, Roster: roster.Roster, Today: today}
}

type stationDuty struct {
	ID     string `json:"id"`
	Date   string `json:"date"`
	Deputy string `json:"deputy"`
	Status string `json:"status"`
	Method string `json:"checkin_method"`
}

func (s *server) duties(su, station, from, to string) []stationDuty {
	s.t.Helper()
	var out struct {
		Items []stationDuty `json:"items"`
	}
	s.mustAPI("GET", "/api/station/duties?station="+station+"&from="+from+"&to="+to, su, nil, &out)
	return out.Items
}

// TestDutyCheckinFromWallQR: the station's wall QR of the day opens the
// PWA at #/duty on a phone not logged in; after the login the deputy is
// checked in once (server state: attended by QR), sees today's booking and
// marks it 未到; a forged code says why; the screen keeps the PWA's rules
// at 360 px.
func TestDutyCheckinFromWallQR(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.superToken()
	st := srv.seedStation(town, su)
	var code struct {
		Token string `json:"token"`
		URL   string `json:"url"`
	}
	srv.mustAPI("GET", "/api/station/"+st.ID+"/checkin-code?date="+st.Today, su, nil, &code)
	if !strings.Contains(code.URL, "/#/duty?t=") {
		t.Fatalf("wall QR URL %q", code.URL)
	}
	var booking struct{ ID string }
	srv.mustAPI("POST", "/api/collections/bookings/records", su, map[string]any{"station": st.ID, "date": st.Today,
		"code": "e2ebk234", "status": "booked", "description": "想问问低保怎么申请"}, &booking)

	p := newPhone(t, srv.URL)
	p.navigate("/#/duty?t=" + code.Token)
	p.waitText("登录后自动完成值班签到")
	p.fill("手机号", town.Deputy.Phone)
	p.fill("密码", deputyPass)
	p.click("登录")
	p.waitText("签到成功")
	p.waitText("想问问低保怎么申请")
	p.waitJS("the duty checked in", `document.querySelector('.duty-today')?.dataset.status === 'attended'`, 20*time.Second)
	if txt := p.text(); !strings.Contains(txt, "思蒙镇人大代表联络站") || !strings.Contains(txt, "已签到") {
		t.Errorf("duty screen after the check-in:\n%s", txt)
	}
	if h := eval[string](p, `location.hash`); h != "#/duty" {
		t.Errorf("hash after the check-in %q: the token should be forgotten", h)
	}
	checkA11y(t, p, "#/duty")
	var attended bool
	for _, d := range srv.duties(su, st.ID, st.Today, st.Today) {
		if d.Deputy == town.Deputy.ID {
			attended = d.Status == "attended" && d.Method == "qr"
		}
	}
	if !attended {
		t.Fatalf("duty on the server: %+v", srv.duties(su, st.ID, st.Today, st.Today))
	}

	p.clickByScript("未到")
	p.waitJS("booking marked", `document.querySelector('.booking')?.dataset.status === 'no_show'`, 20*time.Second)
	var b struct {
		Status string `json:"status"`
	}
	srv.mustAPI("GET", "/api/collections/bookings/records/"+booking.ID, su, nil, &b)
	if b.Status != "no_show" {
		t.Errorf("booking on the server: %q", b.Status)
	}

	p.goHash("#/duty?t=st." + st.ID + ".20260101.forged")
	p.waitText("签到未成功")
}

// TestReceptionOfflineSyncedOnce: on duty without signal the deputy logs a
// resident received (with their consent, name and phone); it is kept
// across an offline reload, syncs once when the signal returns and becomes
// one suggestion (source station) on the server; the phone then forgets
// the resident's phone.
func TestReceptionOfflineSyncedOnce(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.superToken()
	st := srv.seedStation(town, su)
	deputyToken := srv.login("deputies", town.Deputy.Phone, deputyPass)

	p := newPhone(t, srv.URL)
	p.login(town.Deputy.Phone)
	p.waitServiceWorker()
	p.goHash("#/duty") // online once: the duty is kept on the phone
	p.waitText("今天您在思蒙镇人大代表联络站值班")

	p.setNetwork(true, 0, 0)
	srv.Stop()
	p.goHash("#/reception")
	p.waitJS("station chosen offline", `document.querySelector('#rc-station')?.value === '`+st.ID+`'`, 20*time.Second)
	p.fill("群众反映的事项", "演示：集镇到桥头村的路有几处坑洼，赶集日摩托车容易摔倒。")
	p.fill("群众姓名（选填）", "米大姐")
	p.fill("群众手机号（选填）", "13912345678")
	p.clickByScript("群众同意留下姓名、手机号，用于答复")
	p.clickByScript("保存接待记录")
	p.waitText("已保存到本机：这次接待")
	checkA11y(t, p, "#/reception")
	p.do("reload offline", 20*time.Second, chromedp.Reload())
	p.waitJS("reception kept offline", `document.querySelectorAll('article.reception[data-state="pending"]').length === 1`, 20*time.Second)

	srv.Start()
	p.setNetwork(false, 0, 0)
	p.waitJS("reception synced", `document.querySelector('article.reception')?.dataset.state === 'synced'`, 60*time.Second)
	id := eval[string](p, `document.querySelector('article.reception').dataset.id`)
	if n := pulledIDs(t, srv, deputyToken, "station_receptions")[id]; n != 1 {
		t.Errorf("reception pulled %d times, want 1", n)
	}
	var list struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			Deputy string `json:"deputy"`
			Phone  string `json:"resident_phone_masked"`
		} `json:"items"`
	}
	srv.mustAPI("GET", "/api/collections/suggestions/records?filter="+urlQuery("source='station'"), su, nil, &list)
	if list.TotalItems != 1 || list.Items[0].Deputy != town.Deputy.ID || list.Items[0].Phone != "139****5678" {
		t.Fatalf("station suggestions on the server: %+v", list)
	}
	local := evalWithin[string](p, `new Promise((res) => { const r = indexedDB.open('simeng'); r.onsuccess = () => {
		const g = r.result.transaction('records').objectStore('records').getAll();
		g.onsuccess = () => res(JSON.stringify(g.result.filter((x) => x.collection === 'station_receptions').map((x) => x.data))); }; })`, 10*time.Second)
	if strings.Contains(local, "13912345678") || strings.Contains(local, "米大姐") {
		t.Errorf("the phone keeps the resident's contact after the sync: %s", local)
	}
}

// TestSwapAcceptedInTheApp: a deputy asks a colleague to cover a duty; the
// colleague sees the request in the PWA and accepts it; the roster on the
// server has the colleague on that day.
func TestSwapAcceptedInTheApp(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.superToken()
	st := srv.seedStation(town, su)
	var day string
	for _, d := range srv.duties(su, st.ID, chinaDate(2), chinaDate(30)) {
		if d.Deputy == town.Deputy.ID {
			day = d.Date
			break
		}
	}
	if day == "" {
		t.Fatal("the deputy has no duty in the coming month")
	}
	deputyToken := srv.login("deputies", town.Deputy.Phone, deputyPass)
	var swap struct{ ID string }
	srv.mustAPI("POST", "/api/station/swaps", deputyToken, map[string]string{"kind": "cover", "other": town.Presidium.ID, "date": day, "note": "那天要去县里开会"}, &swap)

	p := newPhone(t, srv.URL)
	p.login(town.Presidium.Phone)
	p.goHash("#/roster")
	p.waitText("请我换班（1）")
	if txt := p.text(); !strings.Contains(txt, town.Deputy.Name) || !strings.Contains(txt, "那天要去县里开会") {
		t.Errorf("roster screen:\n%s", txt)
	}
	checkA11y(t, p, "#/roster")
	p.clickByScript("同意")
	p.waitText("已同意换班，排班已更新。")
	p.waitJS("the duty on the list", fmt.Sprintf(`document.querySelector('.duty[data-date=%q]') !== null`, day), 20*time.Second)
	on := srv.duties(su, st.ID, day, day)
	if len(on) != 1 || on[0].Deputy != town.Presidium.ID {
		t.Fatalf("duties on %s after the swap: %+v", day, on)
	}
	var s struct {
		Status string `json:"status"`
	}
	if code := srv.api("GET", "/api/collections/duty_swaps/records/"+swap.ID, deputyToken, nil, &s); code != http.StatusOK || s.Status != "accepted" {
		t.Errorf("swap: %d %+v", code, s)
	}
}
