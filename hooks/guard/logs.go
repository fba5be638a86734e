package guard

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Request logs (Settings → Logs) stay small and hold no secrets:
//
//   - health checks and the PWA's static files are not logged when they
//     succeed (a monitor polling /api/health, a phone loading the app),
//     nor are the public pages residents open from a QR code (a deputy's
//     /d/{code} and the other kept pages, publicPage): each is the same
//     page for everyone and a log row would only keep a resident's
//     address, at several times the cost of serving the page; failures
//     (an unknown code's 404) and every POST still are;
//   - what is logged never holds a resident's tracking code (/t/{code}) or
//     a file token (?token=…), in the URL, the referer or the message;
//   - at most logBurst request logs are written at once and logRate a
//     second after that: under a flood the rest are dropped and counted,
//     and a warning says how many, once a minute.
const (
	logRate  = 20.0
	logBurst = 2000
)

func bindLogs(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "simengQuietLogs",
			Priority: apis.DefaultActivityLoggerMiddlewarePriority + 1,
			Func: func(e *core.RequestEvent) error {
				if quiet(e.Request) {
					return skipSuccessLog.Func(e)
				}
				if !publicPage(e.Request) {
					return e.Next()
				}
				err := e.Next()
				if err == nil && e.Status() < http.StatusBadRequest {
					e.Set(skipSuccessLogKey, true)
				}
				return err
			},
		})
		return se.Next()
	})

	bucket := &logBucket{tokens: logBurst, last: time.Now()}
	app.OnModelCreate(core.LogsTableName).BindFunc(func(e *core.ModelEvent) error {
		l, ok := e.Model.(*core.Log)
		if !ok || l.Data["type"] != "request" {
			return e.Next()
		}
		if dropped, ok := bucket.take(time.Now()); !ok {
			return nil // dropped: not saved, not an error
		} else if dropped > 0 {
			e.App.Logger().Warn("request logs dropped under load", "dropped", dropped)
		}
		l.Message = redactMessage(l.Message)
		for _, k := range []string{"url", "referer"} {
			if s, ok := l.Data[k].(string); ok {
				l.Data[k] = redactURL(s)
			}
		}
		return e.Next()
	})
}

var skipSuccessLog = apis.SkipSuccessActivityLog()

// skipSuccessLogKey is the flag apis.SkipSuccessActivityLog sets (PocketBase
// keeps the name unexported): set after the handler, once its status is
// known, so that a public page answered 404 is still logged.
// TestPublicPagesAreLoggedOnlyWhenTheyFail fails if PocketBase renames it.
const skipSuccessLogKey = "__skipSuccessActivityLogger"

// publicPage: a GET of a page residents open from a QR code, kept rendered
// by hooks/internal/pagecache: /d/{code}, /e, /s/{code}, /topic/{code},
// /survey/{code}, /projects/{year}. Their QR images, files and the status
// page (/t/…) are not among them.
func publicPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	if p == "/e" {
		return true
	}
	for _, prefix := range []string{"/d/", "/s/", "/topic/", "/survey/", "/projects/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			return rest != "" && !strings.Contains(rest, "/")
		}
	}
	return false
}

// quiet: a successful request not worth a log row.
func quiet(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	switch p {
	case "/api/health", "/", "/index.html", "/sw.js", "/manifest.webmanifest", "/favicon.ico":
		return true
	}
	for _, prefix := range []string{"/app/", "/vendor/", "/icons/", "/_/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// logBucket is a token bucket of request logs.
type logBucket struct {
	mu       sync.Mutex
	tokens   float64
	last     time.Time
	dropped  int
	lastWarn time.Time
}

// take spends a token. ok is false when the log is to be dropped; dropped
// is how many were dropped since the last warning, when it is time for one.
func (b *logBucket) take(now time.Time) (dropped int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(logBurst, b.tokens+now.Sub(b.last).Seconds()*logRate)
	b.last = now
	if b.tokens < 1 {
		b.dropped++
		return 0, false
	}
	b.tokens--
	if b.dropped > 0 && now.Sub(b.lastWarn) >= time.Minute {
		dropped, b.dropped, b.lastWarn = b.dropped, 0, now
	}
	return dropped, true
}

// trackingPath is a resident's tracking page: its code is the key to the
// suggestion.
var trackingPath = regexp.MustCompile(`^/t/[^/?#\s]+`)

// secretParams are query parameters that carry a secret (k: the key of a
// resident's tracking link).
var secretParams = []string{"token", "code", "k"}

// redactURL hides tracking codes and tokens in a logged URL (a request URI
// or a full referer).
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "[无法解析的地址]"
	}
	escaped := u.EscapedPath()
	u.Path = trackingPath.ReplaceAllString(u.Path, "/t/***")
	u.RawPath = trackingPath.ReplaceAllString(escaped, "/t/***")
	if u.RawQuery != "" {
		q := u.Query()
		for _, k := range secretParams {
			if q.Has(k) {
				q.Set(k, "***")
			}
		}
		u.RawQuery = strings.ReplaceAll(q.Encode(), "=%2A%2A%2A", "=***")
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// redactMessage redacts the URL of a request log's message ("GET /t/…").
func redactMessage(m string) string {
	method, uri, ok := strings.Cut(m, " ")
	if !ok {
		return m
	}
	return method + " " + redactURL(uri)
}
