package station_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/hooks/internal/formguard"
	"simeng/hooks/station"
	"simeng/internal/testapp"
)

// resident is a phone without JavaScript: GET a page, POST its form.
type resident struct {
	t    testing.TB
	base string
	c    *http.Client
	ip   string
}

func newResident(t testing.TB, base string) *resident {
	return &resident{t: t, base: base, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (r *resident) send(method, path string, form url.Values) (*http.Response, string) {
	r.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, r.base+path, body)
	if err != nil {
		r.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.ip != "" {
		req.Header.Set("X-Test-Peer", r.ip)
	}
	res, err := r.c.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var tokenField = regexp.MustCompile(`name="t" value="([^"]+)"`)

// book opens the form at path and posts it with fields.
func (r *resident) book(path string, fields map[string]string) (*http.Response, string) {
	r.t.Helper()
	res, page := r.send(http.MethodGet, path, nil)
	if res.StatusCode != 200 {
		r.t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, page)
	}
	m := tokenField.FindStringSubmatch(page)
	if m == nil {
		r.t.Fatalf("no form token on %s:\n%s", path, page)
	}
	form := url.Values{"t": {m[1]}}
	for k, v := range fields {
		form.Set(k, v)
	}
	action := path
	if i := strings.Index(action, "?"); i >= 0 {
		action = action[:i]
	}
	return r.send(http.MethodPost, action, form)
}

// bookingEnv is a station with capacity 2 and a published roster:
// 6 April (清明节, kept) Deputy and Deputy2, 11 April Deputy and Presidium.
func bookingEnv(t *testing.T, clock time.Time) (*env, *testapp.Server) {
	e := newEnv(t, clock)
	rec, _ := e.app.FindRecordById("stations", e.station)
	rec.Set("booking_capacity", 2)
	if err := e.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	e.roster("published", "2026-04-01", "2026-06-30", map[string][]string{
		"2026-04-06": {e.f.Deputy, e.f.Deputy2}, "2026-04-11": {e.f.Deputy, e.f.Presidium}})
	l := formguard.DefaultLimits
	l.MinFill = 0
	station.SetBookingLimits(e.app, l)
	return e, testapp.Serve(t, e.app, peerFromHeader)
}

// peerFromHeader lets a test speak from several addresses.
func peerFromHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.Header.Get("X-Test-Peer"); p != "" {
			r.RemoteAddr = p + ":40000"
			r.Header.Del("X-Test-Peer")
		}
		next.ServeHTTP(w, r)
	})
}

func bookingCode(t testing.TB, res *http.Response) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/b/") {
		t.Fatalf("booking answered %d, Location %q", res.StatusCode, loc)
	}
	return strings.TrimSuffix(strings.TrimPrefix(loc, "/b/"), "?new=1")
}

// Booking over the resident pages: a named deputy on one of their duty
// days, the same phone twice refused, the day's capacity, the horizon,
// not the day itself; the booking page shows no phone; cancelling until
// the end of the day before frees the place, from the day itself not.
func TestBookingCapacityAndCancel(t *testing.T) {
	e, srv := bookingEnv(t, china(2026, 4, 1, 9, 0))
	r := newResident(t, srv.URL)
	f := e.f
	form := "/s/ceshi/book?date=2026-04-11&deputy=" + f.DeputyCode
	_, page := r.send(http.MethodGet, form, nil)
	if !strings.Contains(page, "预约代表：<strong>张三</strong>") || !strings.Contains(page, `value="2026-04-11" selected`) {
		t.Fatalf("form for a named deputy:\n%s", page)
	}
	if !strings.Contains(page, `value="2026-04-06"`) {
		t.Errorf("Deputy's 6 April duty is not offered:\n%s", page)
	}

	res, _ := r.book(form, map[string]string{"date": "2026-04-11", "deputy": f.DeputyCode, "description": "村里的路灯坏了", "phone": "138 1234 5678", "consent": "1"})
	code := bookingCode(t, res)
	res, page = r.send(http.MethodGet, "/b/"+code+"?new=1", nil)
	if res.StatusCode != 200 || !strings.Contains(page, "预约成功") || !strings.Contains(page, "已预约") || !strings.Contains(page, "4月11日") ||
		!strings.Contains(page, "张三代表") || !strings.Contains(page, "已留") || strings.Contains(page, "5678") || strings.Contains(page, "<script") {
		t.Fatalf("booking page:\n%s", page)
	}
	b, err := e.app.FindFirstRecordByData("bookings", "code", code)
	if err != nil || b.GetString("resident_phone") == "13812345678" || b.GetString("resident_phone_masked") != "138****5678" || b.GetString("deputy") != f.Deputy {
		t.Fatalf("stored booking: %v %v", err, b)
	}

	refused := func(fields map[string]string, field, want string) {
		t.Helper()
		res, page := r.book("/s/ceshi/book", fields)
		if res.StatusCode != 400 || !strings.Contains(page, want) {
			t.Errorf("%v (%s): %d\n%s", fields, field, res.StatusCode, page)
		}
	}
	refused(map[string]string{"date": "2026-04-11", "description": "再约一次", "phone": "13812345678", "consent": "1"}, "phone", "该手机号已预约这一天")
	refused(map[string]string{"date": "2026-04-11", "description": "有事", "phone": "13812345679"}, "consent", "请勾选同意")
	refused(map[string]string{"date": "2026-04-11", "description": "x"}, "description", "2到300个字")
	res, _ = r.book("/s/ceshi/book", map[string]string{"date": "2026-04-11", "description": "第二位"})
	bookingCode(t, res)
	refused(map[string]string{"date": "2026-04-11", "description": "第三位"}, "date", "该日预约已满")
	refused(map[string]string{"date": marketDays(t, "2026-06-01", "2026-06-30")[0], "description": "太远了"}, "date", "只能预约60天内")
	refused(map[string]string{"date": "2026-04-07", "description": "不是赶集日"}, "date", "不是联络站接待日")
	refused(map[string]string{"date": "2026-04-01", "description": "就今天"}, "date", "前一天24点前")

	// Deputy2 is not on duty on 11 April.
	e2, _ := e.app.FindRecordById("deputies", f.Deputy2)
	refused(map[string]string{"date": "2026-04-11", "deputy": e2.GetString("code"), "description": "找李四"}, "deputy", "当天不在联络站值班")

	// Cancel: 23:59 the day before is fine and frees the place.
	e.setClock(china(2026, 4, 10, 23, 59))
	res, _ = r.send(http.MethodPost, "/b/"+code+"/cancel", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel the day before: %d", res.StatusCode)
	}
	if _, page := r.send(http.MethodGet, "/b/"+code, nil); !strings.Contains(page, "已取消") || strings.Contains(page, "取消预约</button>") {
		t.Errorf("cancelled booking page:\n%s", page)
	}
	res, _ = r.book("/s/ceshi/book", map[string]string{"date": "2026-04-11", "description": "补上的一位"})
	late := bookingCode(t, res)
	// From 00:00 on the day, no more online cancelling.
	e.setClock(china(2026, 4, 11, 0, 0))
	res, page = r.send(http.MethodPost, "/b/"+late+"/cancel", url.Values{})
	if res.StatusCode != 400 || !strings.Contains(page, "接待日当天起不能在线取消") {
		t.Errorf("cancel on the day: %d\n%s", res.StatusCode, page)
	}
	// Typed codes are forgiving: upper case, a hyphen, full-width.
	res, _ = r.send(http.MethodGet, "/b?code="+url.QueryEscape(strings.ToUpper(late[:4])+"-"+late[4:]), nil)
	if res.Header.Get("Location") != "/b/"+late {
		t.Errorf("lookup of a typed code: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := r.send(http.MethodGet, "/b/zzzzzzzz", nil); res.StatusCode != 404 {
		t.Errorf("unknown code: %d", res.StatusCode)
	}
}

// Two residents asking for the last place at once: one gets it.
func TestBookingLastPlaceRace(t *testing.T) {
	e, srv := bookingEnv(t, china(2026, 4, 1, 9, 0))
	r := newResident(t, srv.URL)
	res, _ := r.book("/s/ceshi/book", map[string]string{"date": "2026-04-11", "description": "第一位"})
	bookingCode(t, res)
	// Two forms opened, then sent together.
	tokens := make([]string, 2)
	for i := range tokens {
		_, page := r.send(http.MethodGet, "/s/ceshi/book", nil)
		tokens[i] = tokenField.FindStringSubmatch(page)[1]
	}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := r.send(http.MethodPost, "/s/ceshi/book", url.Values{"t": {tokens[i]}, "date": {"2026-04-11"}, "description": {"抢最后一个"}})
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		if c == http.StatusSeeOther {
			won++
		} else if c != 400 {
			t.Errorf("status %d", c)
		}
	}
	n, _ := e.app.CountRecords("bookings", dbx.HashExp{"station": e.station, "date": "2026-04-11", "status": "booked"})
	if won != 1 || n != 2 {
		t.Fatalf("%d residents got the last place; %d bookings stored (capacity 2)", won, n)
	}
}

// The deputies on duty and staff see the day's bookings (phone masked,
// no code) and mark them from the day on; a deputy not on duty sees only
// the bookings naming them, and cannot mark.
func TestDayBookingsForTheDuty(t *testing.T) {
	e, srv := bookingEnv(t, china(2026, 4, 1, 9, 0))
	r := newResident(t, srv.URL)
	res, _ := r.book("/s/ceshi/book", map[string]string{"date": "2026-04-11", "description": "问低保", "phone": "13812345678", "consent": "1"})
	code := bookingCode(t, res)
	url := "/api/station/bookings?station=" + e.station + "&date=2026-04-11"
	if c, _ := e.do(guest, http.MethodGet, url, nil); c != 401 {
		t.Errorf("guest: %d", c)
	}
	for who, want := range map[string]int{deputy: 1, presidium: 1, superuser: 1, deputy2: 0} {
		out := e.must(200, who, http.MethodGet, url, nil)
		items := out["items"].([]any)
		if len(items) != want {
			t.Errorf("%s sees %d bookings, want %d", who, len(items), want)
			continue
		}
		if want == 1 {
			it := items[0].(map[string]any)
			raw := e.must(200, who, http.MethodGet, url, nil)
			if it["resident_phone_masked"] != "138****5678" || it["description"] != "问低保" || strings.Contains(toJSON(raw), code) || strings.Contains(toJSON(raw), "13812345678") {
				t.Errorf("%s sees %v", who, it)
			}
		}
	}
	b, _ := e.app.FindFirstRecordByData("bookings", "code", code)
	mark := "/api/station/bookings/" + b.Id + "/mark"
	if c, out := e.do(deputy, http.MethodPost, mark, map[string]string{"status": "received"}); c != 400 || fieldMessage(out, "status") == "" {
		t.Errorf("marking before the day: %d %v", c, out)
	}
	e.setClock(china(2026, 4, 11, 10, 0))
	if c, _ := e.do(deputy2, http.MethodPost, mark, map[string]string{"status": "no_show"}); c != 403 {
		t.Errorf("a deputy not on duty marks: %d", c)
	}
	if c, out := e.do(deputy, http.MethodPost, mark, map[string]string{"status": "cancelled"}); c != 400 || fieldMessage(out, "status") == "" {
		t.Errorf("marking cancelled: %d %v", c, out)
	}
	if out := e.must(200, deputy, http.MethodPost, mark, map[string]string{"status": "no_show"}); out["status"] != "no_show" {
		t.Errorf("no-show: %v", out)
	}
	if out := e.must(200, superuser, http.MethodPost, mark, map[string]string{"status": "received"}); out["status"] != "received" {
		t.Errorf("came late: %v", out)
	}
}
