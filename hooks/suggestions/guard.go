package suggestions

import (
	"simeng/hooks/internal/formguard"
	"simeng/pii"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SubmitLimits are the abuse controls of the suggestion forms.
type SubmitLimits = formguard.Limits

// DefaultSubmitLimits are used unless SetSubmitLimits says otherwise.
var DefaultSubmitLimits = formguard.DefaultLimits

// SetSubmitLimits replaces the abuse limits of app's public forms (tests and
// benchmarks; production keeps the defaults).
func SetSubmitLimits(app core.App, l SubmitLimits) { deskOf(app).guard.SetLimits(l) }

// ipHash identifies an address for moderation without storing it (PIPL).
func ipHash(ip string) string {
	v, err := pii.VaultFromEnv()
	if err != nil {
		return ""
	}
	return v.Hash("ip:" + ip)[:16]
}

// recordAbuse adds one to the staff-visible tally of kind for this address
// and code in the current window (collection suggestion_abuse_events).
func recordAbuse(app core.App, kind, deputyID, ip, window, detail string) {
	h := ipHash(ip)
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByFilter("suggestion_abuse_events",
			"kind = {:kind} && deputy = {:deputy} && ip_hash = {:ip} && window = {:window}",
			dbx.Params{"kind": kind, "deputy": deputyID, "ip": h, "window": window})
		if err != nil {
			col, err := tx.FindCachedCollectionByNameOrId("suggestion_abuse_events")
			if err != nil {
				return err
			}
			r = core.NewRecord(col)
			r.Set("kind", kind)
			r.Set("deputy", deputyID)
			r.Set("ip_hash", h)
			r.Set("window", window)
		}
		r.Set("count", r.GetInt("count")+1)
		r.Set("detail", detail)
		return tx.Save(r)
	})
	if err != nil {
		app.Logger().Error("record suggestion abuse event", "kind", kind, "error", err)
	}
}
