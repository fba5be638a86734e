package testapp

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Resident is a phone without JavaScript on the public pages: it GETs a
// page, POSTs its form as a browser would (url-encoded), keeps cookies and
// does not follow redirects.
type Resident struct {
	T    testing.TB
	Base string
	C    *http.Client
}

// NewResident is a resident's phone talking to base.
func NewResident(t testing.TB, base string) *Resident {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Resident{T: t, Base: base, C: c}
}

// Page is one answer.
type Page struct {
	Status int
	Body   string
	Header http.Header
}

// Get fetches path.
func (r *Resident) Get(path string) Page {
	r.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.Base+path, nil)
	return r.do(req)
}

// Post sends form to path, url-encoded.
func (r *Resident) Post(path string, form url.Values) Page {
	r.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r.do(req)
}

func (r *Resident) do(req *http.Request) Page {
	r.T.Helper()
	res, err := r.C.Do(req)
	if err != nil {
		r.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Page{Status: res.StatusCode, Body: string(b), Header: res.Header}
}

var (
	formTokenRe = regexp.MustCompile(`name="t" value="([^"]+)"`)
	sumRe       = regexp.MustCompile(`(\d+) 加 (\d+) 等于几`)
)

// Form GETs path and returns its form's token with fields added (the sum
// the page may ask is left to the caller: SumAnswer).
func (r *Resident) Form(path string, fields url.Values) url.Values {
	r.T.Helper()
	p := r.Get(path)
	if p.Status != http.StatusOK {
		r.T.Fatalf("GET %s = %d: %s", path, p.Status, p.Body)
	}
	return WithToken(r.T, p.Body, fields)
}

// WithToken is fields plus the form token of page.
func WithToken(t testing.TB, page string, fields url.Values) url.Values {
	t.Helper()
	m := formTokenRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form token in page:\n%s", page)
	}
	out := url.Values{}
	for k, v := range fields {
		out[k] = append([]string(nil), v...)
	}
	out.Set("t", strings.ReplaceAll(m[1], "&#43;", "+"))
	return out
}

// SumAnswer does the sum a page asks, as a resident would.
func SumAnswer(t testing.TB, page string) string {
	t.Helper()
	m := sumRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page asks no question")
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return strconv.Itoa(a + b)
}
