package field

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

type stationSetup struct {
	ID, Roster, Today string
}

// seedStation creates a liaison station (one deputy a day) as staff would,
// generates and publishes a roster from today for a month, and puts the
// ordinary deputy on today's duty.
func seedStation(t testing.TB, s *harness.Server, town harness.Township, su string) stationSetup {
	t.Helper()
	var st struct{ ID string }
	s.MustAPI("POST", "/api/collections/stations/records", su, map[string]any{"name": "思蒙镇人大代表联络站", "code": "simeng",
		"address": "思蒙湾村集镇综合楼一楼", "duty_per_day": 1, "active": true}, &st)
	today := harness.ChinaDate(0)
	var roster struct {
		Roster string `json:"roster"`
	}
	s.MustAPI("POST", "/api/station/"+st.ID+"/roster", su, map[string]string{"from": today, "to": harness.ChinaDate(30)}, &roster)
	s.MustAPI("POST", "/api/station/rosters/"+roster.Roster+"/publish", su, map[string]any{}, nil)
	// Today need not be a market day: staff add the deputy (400 if the
	// rotation already put them there).
	s.API("POST", "/api/station/rosters/"+roster.Roster+"/duties", su, map[string]string{"date": today, "deputy": town.Deputy.ID}, nil)
	return stationSetup{ID: st.ID, Roster: roster.Roster, Today: today}
}

type stationDuty struct {
	ID     string `json:"id"`
	Date   string `json:"date"`
	Deputy string `json:"deputy"`
	Status string `json:"status"`
	Method string `json:"checkin_method"`
}

func duties(t testing.TB, s *harness.Server, su, station, from, to string) []stationDuty {
	t.Helper()
	var out struct {
		Items []stationDuty `json:"items"`
	}
	s.MustAPI("GET", "/api/station/duties?station="+station+"&from="+from+"&to="+to, su, nil, &out)
	return out.Items
}

// TestDutyCheckinFromWallQR: the station's wall QR of the day opens the
// PWA at #/duty on a phone not logged in; after the login the deputy is
// checked in once (server state: attended by QR), sees today's booking and
// marks it 未到; a forged code says why; the screen keeps the PWA's rules
// at 360 px.
func TestDutyCheckinFromWallQR(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.SuperToken()
	st := seedStation(t, srv, town, su)
	var code struct {
		Token string `json:"token"`
		URL   string `json:"url"`
	}
	srv.MustAPI("GET", "/api/station/"+st.ID+"/checkin-code?date="+st.Today, su, nil, &code)
	if !strings.Contains(code.URL, "/#/duty?t=") {
		t.Fatalf("wall QR URL %q", code.URL)
	}
	var booking struct{ ID string }
	srv.MustAPI("POST", "/api/collections/bookings/records", su, map[string]any{"station": st.ID, "date": st.Today,
		"code": "e2ebk234", "status": "booked", "description": "想问问低保怎么申请"}, &booking)

	p := harness.NewPhone(t, srv.URL)
	p.Navigate("/#/duty?t=" + code.Token)
	p.WaitText("登录后自动完成值班签到")
	p.Fill("手机号", town.Deputy.Phone)
	p.Fill("密码", harness.DeputyPass)
	p.Click("登录")
	p.WaitText("签到成功")
	p.WaitText("想问问低保怎么申请")
	p.WaitJS("the duty checked in", `document.querySelector('.duty-today')?.dataset.status === 'attended'`, 20*time.Second)
	if txt := p.Text(); !strings.Contains(txt, "思蒙镇人大代表联络站") || !strings.Contains(txt, "已签到") {
		t.Errorf("duty screen after the check-in:\n%s", txt)
	}
	if h := harness.Eval[string](p, `location.hash`); h != "#/duty" {
		t.Errorf("hash after the check-in %q: the token should be forgotten", h)
	}
	harness.CheckA11y(t, p, "#/duty")
	var attended bool
	for _, d := range duties(t, srv, su, st.ID, st.Today, st.Today) {
		if d.Deputy == town.Deputy.ID {
			attended = d.Status == "attended" && d.Method == "qr"
		}
	}
	if !attended {
		t.Fatalf("duty on the server: %+v", duties(t, srv, su, st.ID, st.Today, st.Today))
	}

	p.ClickByScript("未到")
	p.WaitJS("booking marked", `document.querySelector('.booking')?.dataset.status === 'no_show'`, 20*time.Second)
	var b struct {
		Status string `json:"status"`
	}
	srv.MustAPI("GET", "/api/collections/bookings/records/"+booking.ID, su, nil, &b)
	if b.Status != "no_show" {
		t.Errorf("booking on the server: %q", b.Status)
	}

	p.GoHash("#/duty?t=st." + st.ID + ".20260101.forged")
	p.WaitText("签到未成功")
}

// TestReceptionOfflineSyncedOnce: on duty without signal the deputy logs a
// resident received (with their consent, name and phone); it is kept
// across an offline reload, syncs once when the signal returns and becomes
// one suggestion (source station) on the server; the phone then forgets
// the resident's phone.
func TestReceptionOfflineSyncedOnce(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.SuperToken()
	st := seedStation(t, srv, town, su)
	deputyToken := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)

	p := harness.NewPhone(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()
	p.GoHash("#/duty") // online once: the duty is kept on the phone
	p.WaitText("今天您在思蒙镇人大代表联络站值班")

	p.SetNetwork(true, 0, 0)
	srv.Stop()
	p.GoHash("#/reception")
	p.WaitJS("station chosen offline", `document.querySelector('#rc-station')?.value === '`+st.ID+`'`, 20*time.Second)
	p.Fill("群众反映的事项", "演示：集镇到桥头村的路有几处坑洼，赶集日摩托车容易摔倒。")
	p.Fill("群众姓名（选填）", "米大姐")
	p.Fill("群众手机号（选填）", "13912345678")
	p.ClickByScript("群众同意留下姓名、手机号，用于答复")
	p.ClickByScript("保存接待记录")
	p.WaitText("已保存到本机：这次接待")
	harness.CheckA11y(t, p, "#/reception")
	p.Do("reload offline", 20*time.Second, chromedp.Reload())
	p.WaitJS("reception kept offline", `document.querySelectorAll('article.reception[data-state="pending"]').length === 1`, 20*time.Second)

	srv.Start()
	p.SetNetwork(false, 0, 0)
	p.WaitJS("reception synced", `document.querySelector('article.reception')?.dataset.state === 'synced'`, 60*time.Second)
	id := harness.Eval[string](p, `document.querySelector('article.reception').dataset.id`)
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
	srv.MustAPI("GET", "/api/collections/suggestions/records?filter="+url.QueryEscape("source='station'"), su, nil, &list)
	if list.TotalItems != 1 || list.Items[0].Deputy != town.Deputy.ID || list.Items[0].Phone != "139****5678" {
		t.Fatalf("station suggestions on the server: %+v", list)
	}
	local := harness.EvalWithin[string](p, `new Promise((res) => { const r = indexedDB.open('simeng'); r.onsuccess = () => {
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
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.SuperToken()
	st := seedStation(t, srv, town, su)
	var day string
	for _, d := range duties(t, srv, su, st.ID, harness.ChinaDate(2), harness.ChinaDate(30)) {
		if d.Deputy == town.Deputy.ID {
			day = d.Date
			break
		}
	}
	if day == "" {
		t.Fatal("the deputy has no duty in the coming month")
	}
	deputyToken := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	var swap struct{ ID string }
	srv.MustAPI("POST", "/api/station/swaps", deputyToken, map[string]string{"kind": "cover", "other": town.Presidium.ID, "date": day, "note": "那天要去县里开会"}, &swap)

	p := harness.NewPhone(t, srv.URL)
	p.Login(town.Presidium.Phone)
	p.GoHash("#/roster")
	p.WaitText("请我换班（1）")
	if txt := p.Text(); !strings.Contains(txt, town.Deputy.Name) || !strings.Contains(txt, "那天要去县里开会") {
		t.Errorf("roster screen:\n%s", txt)
	}
	harness.CheckA11y(t, p, "#/roster")
	p.ClickByScript("同意")
	p.WaitText("已同意换班，排班已更新。")
	p.WaitJS("the duty on the list", fmt.Sprintf(`document.querySelector('.duty[data-date=%q]') !== null`, day), 20*time.Second)
	on := duties(t, srv, su, st.ID, day, day)
	if len(on) != 1 || on[0].Deputy != town.Presidium.ID {
		t.Fatalf("duties on %s after the swap: %+v", day, on)
	}
	var s struct {
		Status string `json:"status"`
	}
	if code := srv.API("GET", "/api/collections/duty_swaps/records/"+swap.ID, deputyToken, nil, &s); code != http.StatusOK || s.Status != "accepted" {
		t.Errorf("swap: %d %+v", code, s)
	}
}
