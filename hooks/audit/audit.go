// Package audit is the audit trail (操作记录): every change to what counts
// (suggestion status and deadlines, attendance, problems, hazards, year
// closes, scores' rules, the roster) is kept in audit_log with who, when,
// what changed and from where, in the same transaction as the change.
//
// Two ways in: Watch records the changes the records API makes to a
// collection (staff, the presidium, deputies, the admin UI); Write appends
// an entry from a custom route, a cron job or a command. Entries are
// append-only even for superusers, and each one's hash chains it to the
// one before, so an edit of the database file shows (Verify, `simeng audit
// verify`).
package audit

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
)

// Collection is the audit trail's collection.
const Collection = "audit_log"

// Changed is what an entry records instead of the values of a personal or
// sealed field (a phone, a resident's name).
const Changed = "（已更改）"

// Actions the platform records. Other capabilities may add their own
// (lowercase words).
const (
	ActionCreate    = "create"
	ActionUpdate    = "update"
	ActionDelete    = "delete"
	ActionClose     = "close"
	ActionRecompute = "recompute"
	ActionCheckin   = "checkin"
	ActionAbsences  = "absences"
)

// Actor is who acted, and from where.
type Actor struct {
	Kind      string // access.Role, or "system"
	ID        string
	Name      string // a snapshot: the name when it happened
	IP        string
	UserAgent string // staff, superusers and the presidium only
	Via       string // the door: "api", "checkin", "cron:…", "command"
}

// KindSystem is the actor kind of crons, commands and the server itself.
const KindSystem = "system"

// System is the server acting on its own (a cron job, a command), by via.
func System(via string) Actor { return Actor{Kind: KindSystem, Name: "系统", Via: via} }

// ActorOf is whoever sent the request e, by door via: their role, id and
// name, the client address as PocketBase resolves it (Settings → trusted
// proxy headers) and, for the office and the presidium, the user agent.
func ActorOf(e *core.RequestEvent, via string) Actor {
	role := access.Of(e.Auth)
	a := Actor{Kind: string(role), Name: access.ActorName(e.Auth), IP: e.RealIP(), Via: via}
	if e.Auth != nil {
		a.ID = e.Auth.Id
	}
	if role.IsPresidiumOrOffice() {
		a.UserAgent = truncate(e.Request.UserAgent(), 300)
	}
	return a
}

// Entry is one change.
type Entry struct {
	Actor      Actor
	Action     string
	Collection string
	RecordID   string
	// Changes is {field: [old, new]}; Diff makes it from two records.
	Changes map[string][2]any
	Reason  string
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
