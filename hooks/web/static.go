// Package web serves the deputies' PWA (pb_public, embedded): the shell
// revalidated, code and libraries immutable under the build's version,
// everything gzipped once at start, a strict CSP, JSON 404s for unknown
// /api/ paths, gzip for the JSON phones read over slow links, and the
// vocabulary (package vocab) generated into the shell as app/vocab.js.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"simeng/hooks/internal/fielderr"
	pbpublic "simeng/pb_public"
)

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script, no CDN. Photos the PWA holds in IndexedDB are shown as blob:
// URLs, and thumbnails come from the same origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' blob: data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// AssetPrefix is where the PWA's code and vendored libraries are served under
// the build's version: /a/{version}/app/main.js. Those URLs never change
// content, so browsers keep them for a year; the shell (/, /sw.js, the
// manifest) is revalidated on every load and names the current version.
const AssetPrefix = "/a/"

// Placeholders that the shell files carry and the server fills in.
const (
	versionPlaceholder = "__VERSION__"
	assetsPlaceholder  = "__ASSETS__"
)

// versionedDirs are the embedded folders served under AssetPrefix and
// precached by the service worker.
var versionedDirs = []string{"app/", "vendor/", "icons/"}

// staticFile is one embedded file ready to serve: raw and gzip bytes and a
// strong ETag per encoding.
type staticFile struct {
	raw, gz     []byte
	contentType string
	etag        string
}

// StaticSite is the embedded PWA prepared for serving.
type StaticSite struct {
	Version string // content hash of every embedded file
	files   map[string]*staticFile
}

// NewStaticSite reads every file of fsys, adds the generated app/vocab.js,
// computes the build version from their content (a new vocabulary is a
// new build), fills the placeholders of the shell files and gzips
// everything once.
func NewStaticSite(fsys fs.FS) (*StaticSite, error) {
	contents := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		contents[p] = b
		return err
	})
	if err != nil {
		return nil, err
	}
	contents[vocabPath] = vocabModule()
	names := make([]string, 0, len(contents))
	for p := range contents {
		names = append(names, p)
	}
	slices.Sort(names)

	h := sha256.New()
	for _, p := range names {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(contents[p])
	}
	site := &StaticSite{Version: hex.EncodeToString(h.Sum(nil))[:12], files: map[string]*staticFile{}}

	var precache []string
	for _, p := range names {
		if isVersioned(p) && !strings.HasSuffix(p, ".txt") {
			precache = append(precache, AssetPrefix+site.Version+"/"+p)
		}
	}
	assetsJSON, _ := json.Marshal(precache)

	for _, p := range names {
		b := contents[p]
		if p == "index.html" || p == "sw.js" {
			b = bytes.ReplaceAll(b, []byte(versionPlaceholder), []byte(site.Version))
			b = bytes.ReplaceAll(b, []byte(assetsPlaceholder), assetsJSON)
		}
		site.files[p] = newStaticFile(p, b)
	}
	return site, nil
}

func newStaticFile(p string, raw []byte) *staticFile {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	sum := sha256.Sum256(raw)
	ct := mime.TypeByExtension(path.Ext(p))
	switch path.Ext(p) {
	case ".js", ".mjs":
		ct = "text/javascript; charset=utf-8"
	case ".webmanifest":
		ct = "application/manifest+json"
	case "":
		ct = "application/octet-stream"
	}
	return &staticFile{raw: raw, gz: buf.Bytes(), contentType: ct, etag: hex.EncodeToString(sum[:8])}
}

func isVersioned(p string) bool {
	for _, d := range versionedDirs {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

// GzipSize is the gzip size of an embedded file as served (0 if absent), for
// the size budgets.
func (s *StaticSite) GzipSize(p string) int {
	if f := s.files[p]; f != nil {
		return len(f.gz)
	}
	return 0
}

// Content is an embedded or generated file as served (before gzip), nil if
// absent.
func (s *StaticSite) Content(p string) []byte {
	if f := s.files[p]; f != nil {
		return f.raw
	}
	return nil
}

// Files lists the served paths.
func (s *StaticSite) Files() []string {
	out := make([]string, 0, len(s.files))
	for p := range s.files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// ServeHTTP serves the shell (revalidated), versioned assets (immutable)
// and anything else embedded (revalidated), each with an ETag.
func (s *StaticSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")

	p := strings.TrimPrefix(r.URL.Path, "/")
	cache := "no-cache"
	if rest, ok := strings.CutPrefix(r.URL.Path, AssetPrefix); ok {
		version, file, _ := strings.Cut(rest, "/")
		if version != s.Version || !isVersioned(file) {
			// An old page asking for an old build: it keeps its cached copy;
			// mixing builds would be worse than failing.
			http.NotFound(w, r)
			return
		}
		p, cache = file, "public, max-age=31536000, immutable"
	}
	if p == "" {
		p = "index.html"
	}
	f := s.files[p]
	if f == nil {
		http.NotFound(w, r)
		return
	}

	body, etag := f.raw, `"`+f.etag+`"`
	h.Set("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		body, etag = f.gz, `"`+f.etag+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Cache-Control", cache)
	h.Set("ETag", etag)
	h.Set("Content-Type", f.contentType)
	if p == "sw.js" {
		// The service worker may control the whole origin.
		h.Set("Service-Worker-Allowed", "/")
	}
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// Register serves the PWA and the API's fallbacks. Register it last: its
// catch-all route serves whatever no capability claimed.
func Register(app core.App) {
	site, err := NewStaticSite(pbpublic.FS)
	if err != nil {
		panic("embedded PWA: " + err.Error())
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Without this, an unknown /api/ path would reach the static handler
		// and a client expecting JSON would get a page (or index.html).
		// One pattern per method: a method-less one would conflict with the
		// GET static route below in Go's ServeMux.
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			se.Router.Route(method, "/api/{path...}", apiNotFound)
		}

		// PocketBase ends every error message with an ASCII "."; Chinese
		// messages get theirs back (fielderr.Tidy). Outermost, so every
		// route's and middleware's error passes through it.
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "simengTidyMessages",
			Priority: apis.DefaultActivityLoggerMiddlewarePriority - 2,
			Func:     func(e *core.RequestEvent) error { return fielderr.Tidy(e.Next()) },
		})

		// JSON the phones read over slow links (pulls, progress, record
		// lists) is gzipped: it shrinks 5–10×. Files and the realtime
		// stream are left alone.
		gz := apis.Gzip()
		se.Router.BindFunc(func(e *core.RequestEvent) error {
			if e.Request.Method == http.MethodGet && compressibleAPI(e.Request.URL.Path) {
				return gz.Func(e)
			}
			return e.Next()
		})

		se.Router.GET("/{path...}", func(e *core.RequestEvent) error {
			site.ServeHTTP(e.Response, e.Request)
			return nil
		})
		return se.Next()
	})
}

func compressibleAPI(p string) bool {
	switch {
	case p == "/api/sync/pull", p == "/api/visits/progress":
		return true
	case strings.HasPrefix(p, "/api/collections/") && strings.Contains(p, "/records"):
		return true
	}
	return false
}

func apiNotFound(e *core.RequestEvent) error {
	return e.NotFoundError("", nil)
}
