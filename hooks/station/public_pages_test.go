package station_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

var mobileNumber = regexp.MustCompile(`1[3-9][0-9]{9}`)

// gzipped fetches path as a phone does and returns the page and its size
// on the wire.
func gzipped(t *testing.T, base, path string) (*http.Response, string, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	body := raw
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(zr)
	}
	return res, string(body), len(raw)
}

// /s/{station} and /d/{code}: no script, a strict CSP, within 30 KB
// gzipped, no phone number; the station page lists the next reception days
// with who is on duty, the hotline and the 六有 status; the deputy page
// names the deputy's next duty day, the station's address and a way to
// book.
// dutyDate is the date of a fixture's station duty. (Not StationDates of
// now: the template may have been made the day before, China time, when a
// test runs just after midnight.)
func dutyDate(t testing.TB, app core.App, id string) string {
	t.Helper()
	d, err := app.FindRecordById("station_duties", id)
	if err != nil {
		t.Fatal(err)
	}
	return d.GetString("date")
}

func TestStationAndDeputyPages(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	nextDay := dutyDate(t, srv.App, f.IDs["duty_next"])
	next, _ := time.Parse("2006-01-02", nextDay)
	for _, path := range []string{"/s/" + testapp.StationCode, "/s/" + f.IDs["station"], "/d/" + f.DeputyCode, "/s/" + testapp.StationCode + "/book", "/b/" + f.IDs["booking_code"]} {
		res, page, size := gzipped(t, srv.URL, path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d\n%s", path, res.StatusCode, page)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || strings.Contains(strings.ToLower(page), "<script") {
			t.Errorf("%s: CSP %q or a script in the page", path, csp)
		}
		if size > 30<<10 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d bytes on the wire (%q), budget 30 KB gzipped", path, size, res.Header.Get("Content-Encoding"))
		}
		// The form token carries a millisecond timestamp, which is no phone.
		if m := mobileNumber.FindString(tokenField.ReplaceAllString(page, "")); m != "" {
			t.Errorf("%s shows a mobile number %s", path, m)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, res.Header.Get("Cache-Control"))
		}
		t.Logf("%s: %d bytes gzipped", path, size)
	}
	_, page, _ := gzipped(t, srv.URL, "/s/"+testapp.StationCode)
	for _, want := range []string{"思蒙镇人大代表联络站", "思蒙湾村集镇综合楼", next.Format("1月2日"), "张三", "0745-3312345", "六有", "5/6 项达标", "有台账", "未达标", "预约这一天"} {
		if !strings.Contains(page, want) {
			t.Errorf("station page lacks %q", want)
		}
	}
	_, page, _ = gzipped(t, srv.URL, "/d/"+f.DeputyCode)
	for _, want := range []string{"思蒙镇人大代表联络站", "思蒙湾村集镇综合楼", next.Format("1月2日"), "/s/simeng/book?date=" + nextDay + "&amp;deputy=" + f.DeputyCode, "0745-3312345"} {
		if !strings.Contains(page, want) {
			t.Errorf("deputy page lacks %q", want)
		}
	}
	// Unknown or inactive stations lead nowhere.
	if res, _, _ := gzipped(t, srv.URL, "/s/nosuch"); res.StatusCode != 404 {
		t.Errorf("unknown station: %d", res.StatusCode)
	}
	rec, _ := srv.App.FindRecordById("stations", f.IDs["station"])
	rec.Set("active", false)
	if err := srv.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	if res, _, _ := gzipped(t, srv.URL, "/s/"+testapp.StationCode); res.StatusCode != 404 {
		t.Errorf("inactive station: %d", res.StatusCode)
	}
}

// A deputy's page and the station's page are kept rendered
// (hooks/internal/pagecache); they follow the station's records: an
// address, the hotline and a roster taken back show at once on the next
// request.
func TestDeputyPageFollowsTheStation(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	nextDay := dutyDate(t, srv.App, f.IDs["duty_next"])
	next, _ := time.Parse("2006-01-02", nextDay)
	page := func() string {
		t.Helper()
		res, page, _ := gzipped(t, srv.URL, "/d/"+f.DeputyCode)
		if res.StatusCode != 200 {
			t.Fatalf("/d/{code}: %d", res.StatusCode)
		}
		return page
	}
	if p := page(); !strings.Contains(p, "思蒙湾村集镇综合楼") || !strings.Contains(p, "0745-3312345") {
		t.Fatal("the deputy page lacks the station's address or the hotline")
	}
	stationPage := func() string {
		t.Helper()
		res, page, _ := gzipped(t, srv.URL, "/s/"+testapp.StationCode)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("/s/{code}: %d %q", res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		return page
	}
	if !strings.Contains(stationPage(), "思蒙湾村集镇综合楼") {
		t.Fatal("the station page lacks its address")
	}

	station, _ := srv.App.FindRecordById("stations", f.IDs["station"])
	station.Set("address", "思蒙湾村新村部二楼")
	if err := srv.App.Save(station); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "思蒙湾村新村部二楼") {
		t.Error("the kept page still shows the old address")
	}
	if !strings.Contains(stationPage(), "思蒙湾村新村部二楼") {
		t.Error("the kept station page still shows the old address")
	}

	settings, err := srv.App.FindFirstRecordByFilter("station_settings", "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("hotline", "0745-3319999")
	if err := srv.App.Save(settings); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "0745-3319999") {
		t.Error("the kept page still shows the old hotline")
	}

	if !strings.Contains(page(), next.Format("1月2日")) {
		t.Fatal("the deputy page lacks the next duty day")
	}
	rosters, err := srv.App.FindAllRecords("station_rosters")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rosters {
		r.Set("status", "draft")
		if err := srv.App.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(page(), next.Format("1月2日")) {
		t.Error("the kept page still shows a duty day whose roster was taken back")
	}
}
