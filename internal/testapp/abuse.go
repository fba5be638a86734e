package testapp

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// HostileText goes into every text field of every endpoint in the abuse
// tests: markup that would run if a page printed it raw, SQL that would run
// if a query were built by hand, template syntax, broken UTF-8, and a very
// long value.
var HostileText = []string{
	`<script>alert("建议")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'; DROP TABLE suggestions; --`,
	`' OR '1'='1' --`,
	`{{.Form}} ${7*7} <%= 1 %>`,
	"坏编码\xff\xfe\x00结尾",
	strings.Repeat("长", 20000),
}

// BodyRoute is a route that takes a body, with its own size limit.
type BodyRoute struct {
	Method, Path, Token, ContentType string
	Limit                            int64
}

// countingReader is a request body that counts what the server read of it.
type countingReader struct {
	left int64
	read atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), c.left)
	for i := range p[:n] {
		p[i] = 'a'
	}
	c.left -= n
	c.read.Add(n)
	return int(n), nil
}

// OversizedBodiesAreRefusedUnread streams a 50 MB body at each route of
// the server at baseURL, declaring its length (and one byte over the
// route's own limit, under PocketBase's global 32 MB) and chunked.
// Declared: refused from the header with 413 before a byte of it is asked
// for (Expect: 100-continue, so the count is exactly zero). Chunked: cut at
// the route's limit. Either way far less than the body is read.
func OversizedBodiesAreRefusedUnread(t *testing.T, baseURL string, routes []BodyRoute) {
	t.Helper()
	const size = 50 << 20
	for _, rt := range routes {
		for _, send := range []struct {
			declared bool
			size     int64
		}{{true, size}, {true, rt.Limit + 1}, {false, size}} {
			declared := send.declared
			body := &countingReader{left: send.size}
			req, _ := http.NewRequest(rt.Method, baseURL+rt.Path, io.NopCloser(body))
			req.Header.Set("Content-Type", rt.ContentType)
			if rt.Token != "" {
				req.Header.Set("Authorization", rt.Token)
			}
			if declared {
				// As curl does for large bodies: the server must ask for the
				// body (100 Continue) before the client sends a byte of it.
				req.ContentLength = send.size
				req.Header.Set("Expect", "100-continue")
			}
			// A fresh connection each time: the server closes one whose body it refused.
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, ExpectContinueTimeout: 10 * time.Second}}
			res, err := c.Do(req)
			if err != nil {
				// A chunked body is refused mid-stream: the server answers and
				// closes while the client is still writing, and the reset may
				// reach the client before the answer. Refused all the same, as
				// long as most of the body was never taken.
				if declared || body.read.Load() > rt.Limit+8<<20 {
					t.Errorf("%s %s (declared %v): %v after %d bytes", rt.Method, rt.Path, declared, err, body.read.Load())
				}
				continue
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			want := []int{http.StatusRequestEntityTooLarge}
			if !declared {
				want = append(want, http.StatusBadRequest)
			}
			if !slices.Contains(want, res.StatusCode) {
				t.Errorf("%s %s (declared %v): status %d, want %v", rt.Method, rt.Path, declared, res.StatusCode, want)
			}
			// What the client managed to send includes what sat in socket
			// buffers when the server gave up: allow a few MB over the limit.
			if read := body.read.Load(); declared && read != 0 {
				t.Errorf("%s %s: %d bytes of a body declared too large were read", rt.Method, rt.Path, read)
			} else if read > rt.Limit+8<<20 {
				t.Errorf("%s %s (declared %v): %d MB of the 50 MB body sent before the refusal (limit %d KB)",
					rt.Method, rt.Path, declared, read>>20, rt.Limit>>10)
			}
		}
	}
}
