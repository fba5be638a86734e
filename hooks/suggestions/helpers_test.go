package suggestions_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
)

// residentClient is a phone without JavaScript: GET a page, POST its form.
type residentClient struct {
	t    testing.TB
	base string
	c    *http.Client
}

func newResident(t testing.TB, base string) *residentClient {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &residentClient{t: t, base: base, c: c}
}

func (r *residentClient) get(path string, header ...string) (*http.Response, string) {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return r.do(req)
}

func (r *residentClient) do(req *http.Request) (*http.Response, string) {
	r.t.Helper()
	res, err := r.c.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// post sends fields (and a photo when photo != nil) as the page's form does.
func (r *residentClient) post(path string, fields map[string]string, photoName string, photo []byte) (*http.Response, string) {
	r.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if photo != nil {
		fw, _ := w.CreateFormFile("photo", photoName)
		fw.Write(photo)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, r.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return r.do(req)
}

var (
	tokenRe    = regexp.MustCompile(`name="t" value="([^"]+)"`)
	questionRe = regexp.MustCompile(`(\d+) 加 (\d+) 等于几`)
)

// form GETs the deputy page and returns a filled form with its token.
func (r *residentClient) form(code string, fields map[string]string) map[string]string {
	r.t.Helper()
	res, body := r.get("/d/" + code)
	if res.StatusCode != http.StatusOK {
		r.t.Fatalf("GET /d/%s = %d", code, res.StatusCode)
	}
	return withToken(r.t, body, fields)
}

func withToken(t testing.TB, page string, fields map[string]string) map[string]string {
	t.Helper()
	m := tokenRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token in page:\n%s", page)
	}
	out := map[string]string{"t": strings.ReplaceAll(m[1], "&#43;", "+")}
	for k, v := range fields {
		out[k] = v
	}
	return out
}

// quickApp is a fresh app whose form accepts an instant submission (the
// minimum fill time has a test of its own).
func quickApp(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	l := suggestions.DefaultSubmitLimits
	l.MinFill = 0
	suggestions.SetSubmitLimits(app, l)
	return app
}

func countSuggestions(t testing.TB, app core.App, filter string) int {
	t.Helper()
	recs, err := app.FindRecordsByFilter("suggestions", filter, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// answerTo does the sum the page asks, as a resident would.
func answerTo(t testing.TB, page string) string {
	t.Helper()
	m := questionRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page asks no question")
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return strconv.Itoa(a + b)
}
