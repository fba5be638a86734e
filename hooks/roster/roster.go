// Package roster is the register of deputies (人大代表), villages (村、社区)
// and the accounts of the office (staff: 联络员、工作人员) and of handling
// units (units: 承办单位): their hooks (phones normalised, public codes
// made, phones hidden, changes audited), the `staff create` command and
// the small read API other capabilities use to name a deputy or a village.
package roster

import (
	"errors"
	"regexp"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/pii"
)

// Register binds the roster's record hooks.
func Register(app core.App) {
	// Normalise before validation so "+86 138-1234-5678" is stored, matched
	// and deduplicated as 13812345678, whichever door it came in by (API,
	// admin UI, demo seed).
	app.OnRecordValidate("deputies").BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("phone", pii.NormalizeMobile(e.Record.GetString("phone")))
		return e.Next()
	})

	app.OnRecordCreate("deputies").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("code") == "" {
			e.Record.Set("code", NewCode())
		}
		return e.Next()
	})

	// The phone field is hidden (PIPL): only the office and the deputy
	// themself read it.
	app.OnRecordEnrich("deputies").BindFunc(func(e *core.RecordEnrichEvent) error {
		if auth := e.RequestInfo.Auth; access.IsSelf(auth, e.Record.Id) || access.IsOffice(auth) {
			e.Record.Unhide("phone")
		}
		return e.Next()
	})

	// Roster changes that count (who is active, in the presidium, where,
	// at which level; password resets) are audited.
	access.LetOfficeWriteHidden(app, "deputies", "phone")
	audit.Watch(app, "deputies", "name", "phone", "village", "level", "presidium", "active", "term", "password")
	audit.Watch(app, "villages", "name", "code", "liaison")
	bindAccounts(app)
}

// codeAlphabet leaves out characters that are easily confused when a code is
// read aloud or typed from a printed card (0/o, 1/l).
const codeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// NewCode returns a random public code (a deputy's QR page, a resident's
// tracking code): 10 characters that are hard to misread, never a record id,
// carrying nothing of anyone's name or phone.
func NewCode() string {
	return security.RandomStringWithAlphabet(10, codeAlphabet)
}

var codePattern = regexp.MustCompile(`^[a-z0-9]{8,16}$`)

// ErrNoDeputy: no active deputy has that code.
var ErrNoDeputy = errors.New("no active deputy with this code")

// ActiveDeputyByCode finds the deputy behind a public code; codes of
// deputies whose term ended lead nowhere.
func ActiveDeputyByCode(app core.App, code string) (*core.Record, error) {
	if !codePattern.MatchString(code) {
		return nil, ErrNoDeputy
	}
	return app.FindFirstRecordByFilter("deputies", "code = {:code} && active = true", map[string]any{"code": code})
}

var levelLabels = map[string]string{"county": "县人大代表", "township": "镇人大代表"}

// LevelLabel names a deputy's level (county, township) in Chinese.
func LevelLabel(level string) string { return levelLabels[level] }

// AvatarURL is the URL of a deputy's photo thumbnail, "" without one.
func AvatarURL(deputy *core.Record) string {
	f := deputy.GetString("avatar")
	if f == "" {
		return ""
	}
	return "/api/files/" + deputy.Collection().Id + "/" + deputy.Id + "/" + f + "?thumb=160x160"
}

// VillageName is the name of a village, "" when there is none.
func VillageName(app core.App, id string) string { return villageField(app, id, "name") }

// VillageLiaison is the presidium member paired (包联) with a village, ""
// when none is.
func VillageLiaison(app core.App, id string) string { return villageField(app, id, "liaison") }

func villageField(app core.App, id, field string) string {
	if id == "" {
		return ""
	}
	v, err := app.FindRecordById("villages", id)
	if err != nil {
		return ""
	}
	return v.GetString(field)
}
