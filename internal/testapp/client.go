package testapp

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
)

// Reply is one answer to Send.
type Reply struct {
	Status int
	Body   []byte
	Header http.Header
}

// JSON decodes the answer, failing the test if it is not JSON.
func (r Reply) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.Status, r.Body)
	}
	return m
}

// FieldError is the message a 400 answer gives for field, "" if none.
func (r Reply) FieldError(t testing.TB, field string) string {
	t.Helper()
	data, _ := r.JSON(t)["data"].(map[string]any)
	e, _ := data[field].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

// Send sends body as role: a string as JSON, a *Form as multipart, bytes as
// a PNG, nil as nothing.
func (s *Server) Send(role, method, url string, body any) Reply {
	s.T.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case *Form:
		rd = bytes.NewReader(b.buf.Bytes())
		contentType = b.w.FormDataContentType()
	case []byte:
		rd = bytes.NewReader(b)
		contentType = "image/png"
	default:
		s.T.Fatalf("body type %T", body)
	}
	req, err := http.NewRequest(method, s.URL+url, rd)
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if tok := Token(s.T, role); tok != "" {
		req.Header.Set("Authorization", tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.T.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.T.Fatal(err)
	}
	return Reply{Status: res.StatusCode, Body: b, Header: res.Header}
}

// Must is Send that fails the test unless the status is want.
func (s *Server) Must(want int, role, method, url string, body any) Reply {
	s.T.Helper()
	r := s.Send(role, method, url, body)
	if r.Status != want {
		s.T.Fatalf("%s %s %s: status %d, want %d: %s", role, method, url, r.Status, want, r.Body)
	}
	return r
}

// Form is a multipart body with fields and image files.
type Form struct {
	buf bytes.Buffer
	w   *multipart.Writer
}

// NewForm is a multipart body with fields and, for each file field, that
// many small PNGs (each of its own shade).
func NewForm(t testing.TB, fields map[string]string, files map[string]int) *Form {
	t.Helper()
	f := &Form{}
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
			part.Write(PNG(t, 4, 4, uint8(i)))
		}
	}
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	return f
}

// FileForm is a multipart body with fields and one file of the given bytes.
func FileForm(t testing.TB, fields map[string]string, field, filename string, data []byte) *Form {
	t.Helper()
	f := &Form{}
	f.w = multipart.NewWriter(&f.buf)
	for k, v := range fields {
		if err := f.w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	part, err := f.w.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	return f
}
