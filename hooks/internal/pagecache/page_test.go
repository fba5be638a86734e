package pagecache

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const marker = "PAGECACHE-HOLE"

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	r.Multistream(false)
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return out
}

// The spliced page, plain or compressed, is the page rendered with the
// value in place of the marker.
func TestPageSplicesTheValue(t *testing.T) {
	html := []byte(strings.Repeat(`<div class="card">代表联络站接待日</div>`, 40) +
		`<input type="hidden" name="t" value="` + marker + `"><button>提交建议</button>` +
		strings.Repeat(`<option>道路交通</option><div class="card">代表联络站接待日</div>`, 30))
	for _, value := range []string{"1796141920534..AbCdEf0123456789-_xyzQ", "", "x"} {
		p, err := NewPage(html, marker, len(value))
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Replace(html, []byte(marker), []byte(value), 1)
		if got := p.Bytes(value); !bytes.Equal(got, want) {
			t.Fatalf("plain %q:\n%s", value, got)
		}
		gz, ok := p.Gzip(value)
		if !ok {
			t.Fatalf("%q does not fit its own hole", value)
		}
		if got := gunzip(t, gz); !bytes.Equal(got, want) {
			t.Fatalf("gzip %q:\n%s", value, got)
		}
		if len(gz) > len(want)/3 {
			t.Errorf("compressed %d of %d bytes: the page should compress", len(gz), len(want))
		}
	}
}

func TestPageRefusesWhatItCannotSplice(t *testing.T) {
	for name, html := range map[string]string{
		"no marker":  "<p>x</p>",
		"two":        marker + marker,
		"a NUL byte": "a\x00" + marker,
	} {
		if _, err := NewPage([]byte(html), marker, 3); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p, err := NewPage([]byte("<p>"+marker+"</p>"), marker, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Gzip("four"); ok {
		t.Error("a value longer than the hole was spliced into the compressed page")
	}
}

// Write compresses for clients that accept gzip, and serves a value of
// another length plain.
func TestPageWrite(t *testing.T) {
	html := []byte("<p>" + strings.Repeat("接待日", 50) + marker + "</p>")
	p, err := NewPage(html, marker, 5)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		accept, value string
		gzipped       bool
	}{
		{"gzip, deflate, br", "12345", true},
		{"", "12345", false},
		{"gzip;q=0, deflate", "12345", false},
		{"gzip", "123456", false}, // does not fit: plain
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/d/x", nil)
		r.Header.Set("Accept-Encoding", tt.accept)
		w := httptest.NewRecorder()
		if err := p.Write(w, r, http.StatusTeapot, tt.value); err != nil {
			t.Fatal(err)
		}
		body := w.Body.Bytes()
		if got := w.Header().Get("Content-Encoding") == "gzip"; got != tt.gzipped {
			t.Fatalf("%q %q: gzip %v", tt.accept, tt.value, got)
		}
		if tt.gzipped {
			body = gunzip(t, body)
		}
		if want := bytes.Replace(html, []byte(marker), []byte(tt.value), 1); !bytes.Equal(body, want) || w.Code != http.StatusTeapot {
			t.Fatalf("%q %q: %d %s", tt.accept, tt.value, w.Code, body)
		}
		if w.Header().Get("Content-Length") != "" && w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Fatalf("Content-Length %s, body %d", w.Header().Get("Content-Length"), w.Body.Len())
		}
	}
}

func TestWriteHTMLCompressesWhenAccepted(t *testing.T) {
	html := []byte(strings.Repeat("<p>页面</p>", 100))
	for _, accept := range []string{"gzip", ""} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", accept)
		w := httptest.NewRecorder()
		if err := WriteHTML(w, r, http.StatusOK, html); err != nil {
			t.Fatal(err)
		}
		body := w.Body.Bytes()
		if accept != "" {
			body = gunzip(t, body)
		}
		if !bytes.Equal(body, html) {
			t.Fatalf("accept %q: %s", accept, body)
		}
	}
}

// Any page and any value of the hole's length splice into a valid gzip
// stream of the page.
func FuzzPageGzip(f *testing.F) {
	f.Add([]byte("<p>hello</p>"), []byte("<b>world</b>"), "abc")
	f.Add([]byte(""), []byte(""), "")
	f.Add(bytes.Repeat([]byte("代表码"), 5000), bytes.Repeat([]byte("代表码 abc"), 3000), "tok.en")
	f.Fuzz(func(t *testing.T, before, after []byte, value string) {
		html := append(append(bytes.Clone(before), marker...), after...)
		if bytes.Count(html, []byte(marker)) != 1 || bytes.IndexByte(html, 0) >= 0 || len(value) > 0xffff {
			return // not a page NewPage takes
		}
		p, err := NewPage(html, marker, len(value))
		if err != nil {
			t.Fatal(err)
		}
		gz, ok := p.Gzip(value)
		if !ok {
			t.Fatal("value of the hole's length refused")
		}
		want := append(append(bytes.Clone(before), value...), after...)
		if got := gunzip(t, gz); !bytes.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

// A page without a hole (Whole) is served as it was rendered, plain and
// gzipped.
func TestWholePage(t *testing.T) {
	html := []byte(strings.Repeat("<p>联络站 接待日</p>\n", 200))
	p, err := Whole(html)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Bytes(""); !bytes.Equal(got, html) {
		t.Fatalf("plain: %d bytes, want %d", len(got), len(html))
	}
	gz, ok := p.Gzip("")
	if !ok {
		t.Fatal("no gzip for the empty value")
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, html) {
		t.Fatalf("gzip: %v, %d bytes, want %d", err, len(got), len(html))
	}
	if len(gz) >= len(html)/4 {
		t.Errorf("gzip %d bytes of %d: not compressed", len(gz), len(html))
	}
}

// oldWrite is Write as it was before the pooled buffer and the shared
// header values (issue 19): the reference the new one must match.
func oldWrite(p *Page, w http.ResponseWriter, r *http.Request, status int, value string) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		if body, ok := p.Gzip(value); ok {
			h.Set("Content-Encoding", "gzip")
			h.Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			_, err := w.Write(body)
			return err
		}
	}
	body := p.Bytes(value)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// Write answers byte for byte, headers included, as it did before; pages
// of different sizes served one after another through the pooled buffers
// each come out whole, and a handler adding to a shared header value
// after Write changes no other response.
func TestWriteAnswersAsBefore(t *testing.T) {
	big := []byte(strings.Repeat("<p>联络站 接待日</p>\n", 400) + marker + strings.Repeat("<i>x</i>", 300))
	small := []byte("<p>" + marker + "</p>")
	var pages []*Page
	for _, html := range [][]byte{big, small} {
		p, err := NewPage(html, marker, 6)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	whole, err := Whole(big)
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, whole)
	for round := range 3 {
		for i, p := range pages {
			for _, accept := range []string{"gzip", "", "gzip;q=0"} {
				for _, value := range []string{"abcdef", "abc", ""} {
					r := httptest.NewRequest(http.MethodGet, "/d/x", nil)
					r.Header.Set("Accept-Encoding", accept)
					got, want := httptest.NewRecorder(), httptest.NewRecorder()
					got.Header().Set("Vary", "Origin")
					want.Header().Set("Vary", "Origin")
					if err := p.Write(got, r, http.StatusOK, value); err != nil {
						t.Fatal(err)
					}
					if err := oldWrite(p, want, r, http.StatusOK, value); err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("round %d page %d accept %q value %q", round, i, accept, value)
					if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
						t.Fatalf("%s: %d %d bytes, want %d %d bytes", name, got.Code, got.Body.Len(), want.Code, want.Body.Len())
					}
					if !reflect.DeepEqual(got.Header(), want.Header()) {
						t.Fatalf("%s: headers\n%v\nwant\n%v", name, got.Header(), want.Header())
					}
					got.Header().Add("Content-Type", "text/plain")
					got.Header().Add("Content-Length", "1")
					got.Header().Add("Content-Encoding", "br")
				}
			}
		}
	}
}
