package hooks_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// client runs several requests against one app served on 127.0.0.1 (the
// sync tests' serveApp), for flows whose steps build on each other: a ledger
// lifecycle, a sync and its retry. Each test gets a fresh app.
type ledgerClient struct {
	t   testing.TB
	App *tests.TestApp
	url string
}

func newLedgerClient(t testing.TB) *ledgerClient {
	t.Helper()
	s := testapp.NewServer(t)
	return &ledgerClient{t: t, App: s.App, url: s.URL}
}

type ledgerReply struct {
	Status int
	Body   []byte
	Header http.Header
}

func (r ledgerReply) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.Status, r.Body)
	}
	return m
}

// do sends body (a string is sent as JSON, a *ledgerForm as multipart, []byte as
// a PNG) as role.
func (c *ledgerClient) do(role, method, url string, body any) ledgerReply {
	c.t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case *ledgerForm:
		rd = bytes.NewReader(b.buf.Bytes())
		contentType = b.w.FormDataContentType()
	case []byte:
		rd = bytes.NewReader(b)
		contentType = "image/png"
	default:
		c.t.Fatalf("body type %T", body)
	}
	req, err := http.NewRequest(method, c.url+url, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if tok := testapp.Token(c.t, role); tok != "" {
		req.Header.Set("Authorization", tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return ledgerReply{Status: res.StatusCode, Body: b, Header: res.Header}
}

// must is do that fails the test unless the status is want.
func (c *ledgerClient) must(want int, role, method, url string, body any) ledgerReply {
	c.t.Helper()
	r := c.do(role, method, url, body)
	if r.Status != want {
		c.t.Fatalf("%s %s %s: status %d, want %d: %s", role, method, url, r.Status, want, r.Body)
	}
	return r
}

// form is a multipart body with fields and image files.
type ledgerForm struct {
	buf bytes.Buffer
	w   *multipart.Writer
}

func newLedgerForm(t testing.TB, fields map[string]string, files map[string]int) *ledgerForm {
	t.Helper()
	f := &ledgerForm{}
	f.w = multipart.NewWriter(&f.buf)
	for k, v := range fields {
		if err := f.w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for field, n := range files {
		for i := range n {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="photo.png"`)
			h.Set("Content-Type", "image/png")
			part, err := f.w.CreatePart(h)
			if err != nil {
				t.Fatal(err)
			}
			part.Write(testapp.PNG(t, 4, 4, uint8(i)))
		}
	}
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	return f
}
