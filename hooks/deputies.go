package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/hooks/internal/access"
	"simeng/pii"
)

// codeAlphabet leaves out characters that are easily confused when a code is
// read aloud or typed from a printed card (0/o, 1/l).
const codeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// NewDeputyCode returns a random public code for a deputy's QR page. It is
// never the record id and carries nothing of the deputy's name or phone.
func NewDeputyCode() string {
	return security.RandomStringWithAlphabet(10, codeAlphabet)
}

func bindDeputies(app core.App) {
	// Normalise before validation so "+86 138-1234-5678" is stored, matched
	// and deduplicated as 13812345678, whichever door it came in by (API,
	// admin UI, demo seed).
	app.OnRecordValidate("deputies").BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("phone", pii.NormalizeMobile(e.Record.GetString("phone")))
		return e.Next()
	})

	app.OnRecordCreate("deputies").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("code") == "" {
			e.Record.Set("code", NewDeputyCode())
		}
		return e.Next()
	})

	// The phone field is hidden (PIPL): only staff and the deputy themself
	// read it.
	app.OnRecordEnrich("deputies").BindFunc(func(e *core.RecordEnrichEvent) error {
		if access.IsSelf(e.RequestInfo.Auth, e.Record.Id) {
			e.Record.Unhide("phone")
		}
		return e.Next()
	})
}
