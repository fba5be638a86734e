package analysis

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/audit"
)

// The access log of the analysis (共享使用记录, analysis_access_log):
// every request a department's key makes (allowed or refused) and every
// export, with who, what, the filter, how many records and, for an export
// with personal data, the reason given. Append-only: no rule lets anyone
// write it through the API, and updates and deletes are refused whatever
// the door (the admin UI too).

const (
	resultsKey = "analysis.results"
	loggedKey  = "analysis.logged" // the request's entry is written
)

// setResults notes how many records a request returned, for the log.
func setResults(e *core.RequestEvent, n int) { e.Set(resultsKey, n) }

var errAppendOnly = errors.New("共享使用记录只能追加，不能修改或删除")

func bindAccessLog(app core.App) {
	app.OnRecordUpdate("analysis_access_log").BindFunc(func(e *core.RecordEvent) error { return errAppendOnly })
	app.OnRecordDelete("analysis_access_log").BindFunc(func(e *core.RecordEvent) error { return errAppendOnly })
}

// actionOf names what a route does, for the log.
func actionOf(path string) string {
	switch {
	case strings.HasSuffix(path, "/search"):
		return "search"
	case strings.HasSuffix(path, "/records"):
		return "records"
	case strings.HasSuffix(path, "/export.xlsx"):
		return "export"
	}
	return "view"
}

func logDepartment(e *core.RequestEvent, v *viewer, status int) {
	if logged, _ := e.Get(loggedKey).(bool); logged {
		return
	}
	action := actionOf(e.Request.URL.Path)
	if status == 0 {
		action = "refused"
	}
	if err := writeLog(e, v, action, ""); err != nil {
		e.App.Logger().Error("analysis: access log", "error", err)
	}
}

func logRefused(e *core.RequestEvent, v *viewer, why string) {
	if err := writeLog(e, v, "refused", why); err != nil {
		e.App.Logger().Error("analysis: access log", "error", err)
	}
}

// logExport records an export by staff or the presidium before it is
// sent (a department's is logged with all its requests): no log, no
// export.
func logExport(e *core.RequestEvent, v *viewer, withPersonal bool, reason string) error {
	if v.kind == kindDepartment {
		return nil
	}
	action := "export"
	if withPersonal {
		action = "export_pii"
	}
	return writeLog(e, v, action, reason)
}

func writeLog(e *core.RequestEvent, v *viewer, action, reason string) error {
	col, err := e.App.FindCachedCollectionByNameOrId("analysis_access_log")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("at", types.NowDateTime())
	r.Set("actor_kind", v.kind)
	r.Set("actor_id", v.id)
	r.Set("actor_name", cut(v.name, 100))
	r.Set("action", action)
	r.Set("route", cut(e.Request.URL.Path, 200))
	r.Set("query", cut(e.Request.URL.RawQuery, 1000))
	if n, ok := e.Get(resultsKey).(int); ok {
		r.Set("results", n)
	}
	r.Set("reason", cut(reason, 500))
	r.Set("ip", cut(e.RealIP(), 64))
	e.Set(loggedKey, true)
	if action != "export_pii" {
		return e.App.Save(r)
	}
	// Personal data leaving the platform is also in the audit trail, in
	// the same transaction as its access log entry.
	return e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "analysis:export"), Action: action,
			Collection: "analysis_access_log", RecordID: r.Id, Reason: cut(reason, 500),
			Changes: map[string][2]any{"query": {nil, cut(e.Request.URL.RawQuery, 1000)}}})
	})
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
