package ledger

import (
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
)

// An inspection counts toward the assessment (量化考核) once someone other
// than the deputy who recorded it confirms it: another participating
// deputy, a presidium member or staff. Staff recording one in the admin UI
// confirm it by recording it. confirmed_at and confirmed_by are the
// server's: no request body sets them, and a change to what the inspection
// was (kind, site, subject, time, participants) after the confirmation
// withdraws it, whatever the door (REST, the offline sync, the admin UI).

// confirmationFields are the fields only the confirm route sets.
var confirmationFields = []string{"confirmed_at", "confirmed_by"}

// confirmedFacts are what a confirmation vouches for.
var confirmedFacts = []string{"kind", "site", "subject", "inspected_at", "participants", "deputy"}

func bindInspectionConfirmation(app core.App) {
	app.OnRecordCreateRequest("inspections").BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range confirmationFields {
			e.Record.Set(f, "")
		}
		if access.IsOffice(e.Auth) {
			stampConfirmation(e.Record, e.Auth)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("inspections").BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range confirmationFields {
			e.Record.Set(f, old.Get(f))
		}
		// Staff editing a confirmed inspection vouch for the edit.
		if access.IsOffice(e.Auth) && !old.GetDateTime("confirmed_at").IsZero() && factsChanged(old, e.Record) {
			stampConfirmation(e.Record, e.Auth)
		}
		return e.Next()
	})
	app.OnRecordUpdate("inspections").BindFunc(func(e *core.RecordEvent) error {
		old := e.Record.Original()
		if old.GetString("confirmed_at") == e.Record.GetString("confirmed_at") && factsChanged(old, e.Record) {
			for _, f := range confirmationFields {
				e.Record.Set(f, "")
			}
		}
		return e.Next()
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/ledger/inspections/{id}/confirm", confirmInspection)
		return se.Next()
	})
}

func factsChanged(old, cur *core.Record) bool {
	for _, f := range confirmedFacts {
		if old.GetString(f) != cur.GetString(f) || !slices.Equal(old.GetStringSlice(f), cur.GetStringSlice(f)) {
			return true
		}
	}
	return false
}

func stampConfirmation(r *core.Record, by *core.Record) {
	r.Set("confirmed_at", types.NowDateTime())
	r.Set("confirmed_by", access.ActorLabel(by))
}

// actionConfirm is the audit trail's action of confirming an inspection.
const actionConfirm = "confirm"

// confirmInspection: POST /api/ledger/inspections/{id}/confirm. Another
// participant, a presidium member or staff; never the recorder.
func confirmInspection(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("请先登录。", nil)
	}
	r, err := e.App.FindRecordById("inspections", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("检查记录不存在。", nil)
	}
	role := access.Of(e.Auth)
	participant := role.IsActiveDeputy() && slices.Contains(r.GetStringSlice("participants"), e.Auth.Id)
	recorder := access.IsSelf(e.Auth, r.GetString("deputy"))
	switch {
	case recorder:
		return e.ForbiddenError("记录人不能确认自己记录的检查。", fielderr.New("id", "own_record", "须由其他参加代表、主席团成员或工作人员确认。"))
	case !participant && !role.IsPresidiumOrOffice():
		if !role.IsActiveDeputy() || !tookPart(r, e.Auth.Id) {
			return e.NotFoundError("检查记录不存在。", nil)
		}
		return e.ForbiddenError("只有其他参加代表、主席团成员或工作人员可以确认。", nil)
	}
	switch {
	case !r.GetDateTime("confirmed_at").IsZero():
		return e.BadRequestError("已确认。", fielderr.New("confirmed_at", "already_confirmed", "这次检查已经由"+r.GetString("confirmed_by")+"确认。"))
	case r.GetString("status") != "completed":
		return e.BadRequestError("检查尚未完成。", fielderr.New("status", "not_completed", "检查完成后才能确认。"))
	}
	before := r.Clone()
	stampConfirmation(r, e.Auth)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: actionConfirm, Collection: "inspections",
			RecordID: r.Id, Changes: audit.Diff(before, r, "confirmed_at", "confirmed_by")})
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"id": r.Id, "confirmed_at": r.GetDateTime("confirmed_at"), "confirmed_by": r.GetString("confirmed_by")})
}
