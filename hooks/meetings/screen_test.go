package meetings_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/internal/testapp"
	"simeng/internal/testbrowser"
	"simeng/internal/testqr"
)

func TestCheckinScreenServesPage(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	res := testapp.Request(t, app, http.MethodGet, "/meetings/"+f.IDs["meeting_congress"]+"/checkin-screen", "", guest)
	if res.Code != 200 || !strings.Contains(res.Body.String(), `data-meeting="`+f.IDs["meeting_congress"]+`"`) ||
		!strings.Contains(res.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("%d %v %s", res.Code, res.Header(), res.Body)
	}
	res = testapp.Request(t, app, http.MethodGet, "/meetings/%22%3E%3Cscript%3Ex/checkin-screen", "", guest)
	if strings.Contains(res.Body.String(), `"><script>x`) {
		t.Fatalf("meeting id not escaped: %s", res.Body)
	}
	res = testapp.Request(t, app, http.MethodGet, "/meetings/checkin-screen.js", "", guest)
	if res.Code != 200 || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("%d %v", res.Code, res.Header())
	}
}

// The meeting screen, opened on a computer where staff are logged in to the
// admin UI, shows a QR whose token checks a deputy in.
func TestCheckinScreenInBrowser(t *testing.T) {
	t.Parallel() // mostly waiting on Chromium: overlaps the other tests
	f := testapp.F(t)
	app := testapp.New(t)
	meetingNow(t, app, f.IDs["meeting_congress"])
	srv := httptest.NewServer(testapp.Handler(t, app))
	defer srv.Close()
	ctx := testbrowser.StartChromium(t, 1280, 800, 60*time.Second)

	screen := srv.URL + "/meetings/" + f.IDs["meeting_congress"] + "/checkin-screen"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/api/health")); err != nil {
		t.Fatal(err)
	}
	login := `localStorage.setItem("__pb_superusers__/_", JSON.stringify({token: "` + testapp.Token(t, superuser) + `"})); "ok"`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](login)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(screen), chromedp.WaitVisible(chromedp.CSS(`img[src^="data:image/png"]`))); err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
	if err != nil {
		t.Fatal(err)
	}
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#qr"), "src"))
	if err != nil {
		t.Fatal(err)
	}
	src := attr.Value
	if !strings.Contains(status, "已签到 0 人 / 应到 2 人") {
		t.Fatalf("status %q", status)
	}

	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(src, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	text := testqr.Decode(t, img)
	u, err := url.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(u.Fragment, "/checkin?"))
	token := q.Get("t")
	if !strings.HasPrefix(token, f.IDs["meeting_congress"]+".") {
		t.Fatalf("QR holds %q", text)
	}
	res := testapp.Request(t, app, http.MethodPost, "/api/meetings/checkin", `{"token":"`+token+`"}`, deputy)
	if res.Code != 200 || !strings.Contains(res.Body.String(), "签到成功") {
		t.Fatalf("check-in with the screen's code: %d %s", res.Code, res.Body)
	}
}
