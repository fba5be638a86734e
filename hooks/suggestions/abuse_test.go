package suggestions_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
)

// liveMarkup is what must never appear in a page: the hostile markup as
// markup (escaped as text it is harmless and expected).
var liveMarkup = []string{`<script>alert`, `<img src=x`, `<%=`}

func assertNoLiveMarkup(t *testing.T, what, body string) {
	t.Helper()
	for _, m := range liveMarkup {
		if strings.Contains(body, m) {
			t.Errorf("%s: the page contains live markup %q", what, m)
		}
	}
}

// abuseApp is a fresh app whose form limits are lifted, so the abuse
// guard (tested on its own below) does not hide what the form does.
func abuseApp(t *testing.T) *testapp.Server {
	app := testapp.New(t)
	l := suggestions.DefaultSubmitLimits
	l.MinFill = 0
	l.PerIPCodeSoft, l.PerIPCodeHard, l.PerIPSoft, l.PerIPHard, l.PerCodeSoft = 1e6, 1e6, 1e6, 1e6, 1e6
	suggestions.SetSubmitLimits(app, l)
	return testapp.Serve(t, app, nil)
}

// TestPublicFormsSurviveHostileInput posts every hostile value into every
// field of the resident form (/d/{code}) and the enterprise channel (/e):
// never a 500, never live markup in the answer or in the status page of
// what got stored, and the stored text is the text sent (not interpreted).
func TestPublicFormsSurviveHostileInput(t *testing.T) {
	f := testapp.F(t)
	s := abuseApp(t)
	r := newResident(t, s.URL)
	before := countSuggestions(t, s.App, "id != ''")
	stored := 0
	for _, path := range []string{"/d/" + f.DeputyCode, "/e"} {
		_, page := r.get(path)
		valid := withToken(t, page, map[string]string{
			"content": "村口的路灯坏了三盏", "category": "道路交通", "name": "", "phone": "",
			"company": "思蒙米粉厂", "topic": "其他"})
		for _, field := range []string{"content", "category", "name", "phone", "company", "topic", "answer", "consent", "t"} {
			for i, bad := range testapp.HostileText {
				form := map[string]string{}
				for k, v := range valid {
					form[k] = v
				}
				form[field] = bad
				if field == "name" || field == "phone" {
					form["consent"] = "on"
				}
				what := fmt.Sprintf("POST %s %s=hostile[%d]", path, field, i)
				res, body := r.post(path, form, "", nil)
				if res.StatusCode >= 500 {
					t.Fatalf("%s: status %d", what, res.StatusCode)
				}
				assertNoLiveMarkup(t, what, body)
				if res.StatusCode != http.StatusSeeOther {
					continue
				}
				stored++
				loc := res.Header.Get("Location")
				res, body = r.get(loc)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s: status page %s = %d", what, loc, res.StatusCode)
				}
				assertNoLiveMarkup(t, what+" then GET "+loc, body)
				if field == "content" && strings.HasPrefix(bad, "<script>") && !strings.Contains(body, "&lt;script&gt;") {
					t.Errorf("%s: the status page does not show the content escaped", what)
				}
			}
		}
	}
	if stored == 0 {
		t.Fatal("no hostile value was stored: the escaping of stored text was never checked")
	}
	// The SQL was stored as text, not run: the table is there and grew by
	// exactly what was accepted.
	if n := countSuggestions(t, s.App, "id != ''"); n != before+stored {
		t.Fatalf("%d suggestions, want %d + %d", n, before, stored)
	}
	recs, err := s.App.FindRecordsByFilter("suggestions", "content = {:c}", "", 0, 0, map[string]any{"c": `'; DROP TABLE suggestions; --`})
	if err != nil || len(recs) != 2 {
		t.Fatalf("the SQL payload was not stored verbatim once per form: %d, %v", len(recs), err)
	}
}

// TestPublicRoutesSurviveMalformedRequests sends what no form sends:
// hostile paths and queries, JSON and broken multipart to the form
// routes, and hostile ratings on the status page.
func TestPublicRoutesSurviveMalformedRequests(t *testing.T) {
	f := testapp.F(t)
	s := abuseApp(t)
	r := newResident(t, s.URL)
	tracking := f.IDs["tracking_a_answered"]

	var paths []string
	for _, bad := range testapp.HostileText[:5] {
		e := url.PathEscape(bad)
		paths = append(paths, "/d/"+e, "/d/"+e+"/qr.png", "/d/"+e+"/qr.svg", "/t/"+e, "/t?code="+url.QueryEscape(bad),
			"/e?content="+url.QueryEscape(bad), "/d/"+f.DeputyCode+"?x="+url.QueryEscape(bad))
	}
	paths = append(paths, "/d/"+f.DeputyCode+"/qr.png", "/d/"+f.DeputyCode+"/qr.svg", "/t/"+tracking, "/e", "/d/%00", "/t/%ff%fe")
	for _, p := range paths {
		res, body := r.get(p)
		if res.StatusCode >= 500 {
			t.Errorf("GET %s: status %d", p, res.StatusCode)
		}
		assertNoLiveMarkup(t, "GET "+p, body)
	}

	raw := func(method, path, contentType string, body []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		res, page := r.do(req)
		if res.StatusCode >= 500 {
			t.Errorf("%s %s (%s): status %d", method, path, contentType, res.StatusCode)
		}
		assertNoLiveMarkup(t, method+" "+path, page)
	}
	for _, path := range []string{"/d/" + f.DeputyCode, "/e", "/t/" + tracking} {
		raw(http.MethodPost, path, "application/json", []byte(`{"content": {"$gt": ""}, "category": 5, "consent": [true]}`))
		raw(http.MethodPost, path, "application/json", []byte(`{"content": "未闭合`))
		raw(http.MethodPost, path, "multipart/form-data", []byte("no boundary"))
		raw(http.MethodPost, path, "multipart/form-data; boundary=xyz", []byte("--xyz\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n没有结尾"))
		raw(http.MethodPost, path, "application/x-www-form-urlencoded", []byte("content=%zz&content=a&category[]=1&t=..&satisfaction=%3Cscript%3E"))
		raw(http.MethodPost, path, "text/plain", []byte(strings.Repeat("<script>", 100)))
		raw(http.MethodPost, path, "", nil)
	}
	for _, bad := range testapp.HostileText {
		raw(http.MethodPost, "/t/"+tracking, "application/x-www-form-urlencoded", []byte("satisfaction="+url.QueryEscape(bad)))
	}
	rec, _ := s.App.FindFirstRecordByData("suggestions", "tracking", tracking)
	if sat := rec.GetString("satisfaction"); sat != "" {
		t.Fatalf("a hostile rating was stored: %q", sat)
	}

	// A photo that is not an image, and one over the cap, are refused with
	// the form shown again, not stored.
	_, page := r.get("/d/" + f.DeputyCode)
	form := withToken(t, page, map[string]string{"content": "附上照片一张请查看", "category": "其他"})
	for _, photo := range [][]byte{[]byte("<svg onload=alert(1)>不是照片</svg>"), append(testapp.PNG(t, 8, 8, 0), make([]byte, 5<<20)...)} {
		res, body := r.post("/d/"+f.DeputyCode, form, "a.png", photo)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "照片") {
			t.Errorf("bad photo (%d bytes): status %d", len(photo), res.StatusCode)
		}
	}
	if n := countSuggestions(t, s.App, "content = '附上照片一张请查看'"); n != 0 {
		t.Fatalf("a suggestion with a refused photo was stored %d times", n)
	}
}

// TestOversizedBodiesAreRefusedUnread: the public forms refuse a 50 MB body
// from its declared length before reading a byte of it, and cut a chunked
// one at their limit (testapp.OversizedBodiesAreRefusedUnread).
func TestOversizedBodiesAreRefusedUnread(t *testing.T) {
	f := testapp.F(t)
	s := abuseApp(t)
	testapp.OversizedBodiesAreRefusedUnread(t, s.URL, []testapp.BodyRoute{
		{Method: http.MethodPost, Path: "/d/" + f.DeputyCode, ContentType: "multipart/form-data; boundary=b", Limit: 6 << 20},
		{Method: http.MethodPost, Path: "/e", ContentType: "multipart/form-data; boundary=b", Limit: 6 << 20},
		{Method: http.MethodPost, Path: "/t/" + f.IDs["tracking_a_answered"], ContentType: "application/x-www-form-urlencoded", Limit: 4 << 10},
	})
	if n := countSuggestions(t, s.App, "content ~ 'aaaa'"); n != 0 {
		t.Fatalf("an oversized body was stored")
	}
}

// peerFromHeader makes the test server see the request come from the
// address in X-Test-Peer: each simulated phone gets its own RemoteAddr,
// which is where PocketBase takes the client IP from (no trusted proxy
// headers are configured).
func peerFromHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.Header.Get("X-Test-Peer"); p != "" {
			r.RemoteAddr = p + ":40000"
			r.Header.Del("X-Test-Peer")
		}
		next.ServeHTTP(w, r)
	})
}

// TestThousandSuggestionsFromOneIPAreLimited sends 1,000 suggestions from
// one address in a burst with the production limits (only the minimum
// fill time is lifted, as a script would wait it out): a handful are
// stored, the rest refused, and a resident at another address, writing to
// the same deputy during the burst, gets through without a question.
func TestThousandSuggestionsFromOneIPAreLimited(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	s := testapp.Serve(t, app, peerFromHeader)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(peer string, fields map[string]string) int {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for k, v := range fields {
			w.WriteField(k, v)
		}
		w.Close()
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/d/"+f.DeputyCode, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("X-Test-Peer", peer)
		res, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	formFor := func(peer, content string) map[string]string {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/d/"+f.DeputyCode, nil)
		req.Header.Set("X-Test-Peer", peer)
		_, page := newResident(t, s.URL).do(req)
		return withToken(t, page, map[string]string{"content": content, "category": "其他"})
	}

	flood := formFor("203.0.113.7", "刷屏内容刷屏内容")
	const burst = 1000
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	next := atomic.Int64{}
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for next.Add(1) <= burst {
				st := post("203.0.113.7", flood)
				mu.Lock()
				statuses[st]++
				mu.Unlock()
			}
		})
	}
	// Midway through the burst, a neighbour on another address.
	time.Sleep(20 * time.Millisecond)
	if st := post("198.51.100.20", formFor("198.51.100.20", "桥头的水沟堵了请疏通")); st != http.StatusSeeOther {
		t.Errorf("another address during the burst: status %d, want 303", st)
	}
	wg.Wait()
	t.Logf("burst of %d from one address in %v: %v", burst, time.Since(start).Round(time.Millisecond), statuses)

	// The hard limit counts attempts as they arrive, so it holds under a
	// parallel burst. The soft limit (a question from the 4th on) counts
	// stored suggestions, so requests already in flight when the 3rd is
	// stored still get through: up to the hard limit can be stored.
	l := suggestions.DefaultSubmitLimits
	if statuses[http.StatusSeeOther] > l.PerIPCodeHard || statuses[http.StatusTooManyRequests] < burst-l.PerIPCodeHard {
		t.Fatalf("burst: %v; want at most %d stored and at least %d refused", statuses, l.PerIPCodeHard, burst-l.PerIPCodeHard)
	}
	if n := countSuggestions(t, app, "content = '刷屏内容刷屏内容'"); n > l.PerIPCodeHard {
		t.Fatalf("%d flood suggestions stored", n)
	}
	if n := countSuggestions(t, app, "content = '桥头的水沟堵了请疏通'"); n != 1 {
		t.Fatalf("the neighbour's suggestion stored %d times", n)
	}
	// After the burst too, the other address is not asked a question.
	_, page := func() (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/d/"+f.DeputyCode, nil)
		req.Header.Set("X-Test-Peer", "198.51.100.21")
		return newResident(t, s.URL).do(req)
	}()
	if questionRe.MatchString(page) {
		t.Error("a fresh address is asked a question after another address's flood")
	}
	// The refusals are tallied, not written one by one.
	if recs, _ := app.FindRecordsByFilter("suggestion_abuse_events", "kind = 'rate_limited'", "", 0, 0); len(recs) == 0 || len(recs) > burst/50+2 {
		t.Errorf("rate_limited events: %d", len(recs))
	}
}
