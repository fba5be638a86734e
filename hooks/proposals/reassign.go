package proposals

import (
	"errors"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/proposal"
)

// Reassign hands proposal rec from its main unit to unit after the office
// accepted the unit's 退办 (package hooks/returns): the old unit's 退回 and
// the new 交办 as two steps of the timeline, in one transaction, the new
// deadline by the proposal's grade counted from now (the new unit has the
// full term). The co-units stay, less the new main unit. by is the staff
// account or presidium member deciding; a refusal (for example a
// presidium member reassigning a proposal they sponsor) stores nothing.
func Reassign(app core.App, rec *core.Record, unit string, by *core.Record, who audit.Actor, reason string, now time.Time) (*proposal.Refusal, error) {
	from := rec.GetString("main_unit")
	coUnits := slices.DeleteFunc(rec.GetStringSlice("co_units"), func(u string) bool { return u == unit })
	label := access.ActorLabel(by)
	fromLabel := "承办单位"
	if u, err := app.FindRecordById("units", from); err == nil {
		fromLabel = u.GetString("name")
	}
	var refusal *proposal.Refusal
	err := app.RunInTransaction(func(tx core.App) error {
		// the unit's 退回, approved by the office
		r, err := applyStep(tx, rec, proposal.Action{Kind: proposal.ActReturn, Reason: reason},
			proposal.Actor{Role: proposal.RoleUnit, ID: from}, who, fromLabel+"退办（"+label+"同意）", now)
		if err != nil {
			return err
		}
		if r != nil {
			refusal = r
			return errRefused
		}
		r, err = applyStep(tx, rec, proposal.Action{Kind: proposal.ActAssign, MainUnit: unit, CoUnits: coUnits},
			actorOf(by), who, label, now)
		if err != nil {
			return err
		}
		if r != nil {
			refusal = r
			return errRefused
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		if fresh, ferr := app.FindRecordById(Collection, rec.Id); ferr == nil {
			rec.Load(fresh.FieldsData())
		}
		return refusal, nil
	}
	return nil, err
}

var errRefused = errors.New("refused")
