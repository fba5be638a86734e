package ledger

import (
	"errors"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/hazard"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/problems"
	"simeng/hooks/suggestions"
)

// serverOwnedHazardFields are set by the server only (lifecycle stamps, the
// overdue job); whatever a request body says about them is dropped.
var serverOwnedHazardFields = []string{
	"rectified_at", "verified_at", "verified_by", "closed_at", "closed_by",
	"supervised_at", "supervised_by", "overdue", "escalation", "escalated_at", "escalated_to",
}

func bindHazards(app core.App) {
	// A problem (急难愁盼) promoted to the ledger is forwarded to the
	// hazard's responsible unit, and a suggestion or enterprise report is
	// acknowledged (it is being handled), in the same transaction.
	app.OnRecordCreate("hazards").BindFunc(func(e *core.RecordEvent) error {
		txApp := e.App
		if err := e.Next(); err != nil {
			return err
		}
		if err := forwardPromotedProblem(txApp, e.Record); err != nil {
			return err
		}
		return acknowledgePromotedSuggestion(txApp, e.Record)
	})
	app.OnRecordValidate("hazards").BindFunc(func(e *core.RecordEvent) error {
		custom := validateHazard(e.App, e.Record, time.Now())
		return fielderr.Merge(e.Next(), custom)
	})
	app.OnRecordCreateRequest("hazards").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := authorizeHazardChange(e, core.NewRecord(e.Collection)); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("hazards").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := authorizeHazardChange(e, e.Record.Original()); err != nil {
			return err
		}
		return e.Next()
	})
}

// authorizeHazardChange applies who-may-do-what: only the presidium and
// staff list a hazard for supervision (挂牌督办) or strike it off (销号), and
// the server stamps who did it.
func authorizeHazardChange(e *core.RecordRequestEvent, old *core.Record) error {
	r := e.Record
	for _, f := range serverOwnedHazardFields {
		r.Set(f, old.Get(f))
	}
	manager := access.IsPresidiumOrOffice(e.Auth)
	supervisedChanged := r.GetBool("supervised") != old.GetBool("supervised")
	if supervisedChanged && !manager {
		return fielderr.Forbidden("supervised", "只有主席团成员或工作人员可以挂牌督办或摘牌")
	}
	status := hazard.Status(r.GetString("status"))
	// A handling unit (承办单位) rectifies: it starts the work and records
	// it done; the re-inspection and 销号 are the deputies' and the
	// presidium's.
	if access.IsUnit(e.Auth) && status != hazard.Status(old.GetString("status")) &&
		status != hazard.Rectifying && status != hazard.Rectified {
		return fielderr.Forbidden("status", "承办单位只能标记整改中、已整改；复查和销号由代表、主席团或工作人员办理")
	}
	// Only the step that the lifecycle allows (verified → closed) is a
	// question of role; a skipped step is a lifecycle error, named by
	// validation.
	if status == hazard.Closed && old.GetString("status") == string(hazard.Verified) && !manager {
		return fielderr.Forbidden("status", "只有主席团成员或工作人员可以销号")
	}
	// A deputy registers hazards only in inspections they recorded or took
	// part in (the offline sync checks the same, see sync.go).
	if id := r.GetString("inspection"); id != "" && id != old.GetString("inspection") && !manager {
		found, err := e.App.FindRecordById("inspections", id)
		if err != nil || !tookPart(found, e.Auth.Id) {
			return e.BadRequestError("检查记录不存在", validation.Errors{
				"inspection": validation.NewError("validation_not_yours", "只能登记自己记录或参加的检查中发现的隐患"),
			})
		}
	}
	// A deputy promotes only problems they raised; the presidium and staff
	// promote any.
	if id := r.GetString("problem"); id != "" && id != old.GetString("problem") && !manager {
		raisedBy, err := problems.RaisedBy(e.App, id)
		if err != nil || raisedBy != e.Auth.Id {
			return e.BadRequestError("问题不存在", validation.Errors{
				"problem": validation.NewError("validation_not_yours", "只能转入自己提出的走访问题"),
			})
		}
	}
	if id := r.GetString("suggestion"); id != "" && id != old.GetString("suggestion") && !manager {
		addressedTo, err := suggestions.AddressedTo(e.App, id)
		if err != nil || addressedTo != e.Auth.Id {
			return e.BadRequestError("建议不存在", validation.Errors{
				"suggestion": validation.NewError("validation_not_yours", "只能转入群众向自己提的建议"),
			})
		}
	}
	by := access.ActorLabel(e.Auth)
	if supervisedChanged && r.GetBool("supervised") {
		r.Set("supervised_by", by)
	}
	if status != hazard.Status(old.GetString("status")) {
		switch status {
		case hazard.Verified:
			r.Set("verified_by", by)
		case hazard.Closed:
			r.Set("closed_by", by)
		}
	}
	return nil
}

// validateHazard enforces the ledger's lifecycle on every save and stamps
// the time of each step.
func validateHazard(app core.App, r *core.Record, now time.Time) validation.Errors {
	if r.GetString("status") == "" {
		r.Set("status", string(hazard.Open))
	}
	if r.GetString("escalation") == "" {
		r.Set("escalation", string(hazard.StageNone))
	}
	if r.GetString("severity") == "" {
		r.Set("severity", "general")
	}
	errs := validation.Errors{}
	orig := r.Original()
	// A record saved twice from memory has no original (PocketBase fills it
	// only when it reads a record): read the stored one.
	if !r.IsNew() && orig.GetString("status") == "" {
		if stored, err := app.FindRecordById("hazards", r.Id); err == nil {
			orig = stored
		}
	}

	var found *core.Record
	if id := r.GetString("inspection"); id != "" {
		found, _ = app.FindRecordById("inspections", id)
	}
	if found != nil {
		if r.GetString("site") == "" {
			r.Set("site", found.GetString("site"))
		}
	} else if r.GetString("source") == "inspection" {
		errs["inspection"] = validation.NewError("validation_required", "来源为执法检查的隐患须关联发现它的检查记录")
	}
	switch src := r.GetString("source"); {
	case src == "problem" && r.GetString("problem") == "":
		errs["problem"] = validation.NewError("validation_required", "由走访问题转入的隐患须关联原问题")
	case (src == "suggestion" || src == "enterprise") && r.GetString("suggestion") == "":
		errs["suggestion"] = validation.NewError("validation_required", "由群众建议或企业诉求转入的隐患须关联原建议（诉求）")
	}
	if id := r.GetString("verify_inspection"); id != "" && id != orig.GetString("verify_inspection") {
		if re, err := app.FindRecordById("inspections", id); err == nil && found != nil &&
			re.GetDateTime("inspected_at").Time().Before(found.GetDateTime("inspected_at").Time()) {
			errs["verify_inspection"] = validation.NewError("validation_reinspection_too_early", "复查时间不能早于发现隐患的检查")
		}
	}

	if id := r.GetString("unit"); id != "" && id != orig.GetString("unit") {
		if u, err := app.FindRecordById("units", id); err != nil || !u.GetBool("active") {
			errs["unit"] = validation.NewError("validation_not_unit", "承办单位不在册或已停用")
		} else if r.GetString("responsible_unit") == "" {
			r.Set("responsible_unit", u.GetString("name"))
		}
	}

	followups := followupPhotos(app, r.Id)
	cur := hazardState(r)
	cur.PhotosAfter += followups
	var old *hazard.State
	if !r.IsNew() {
		o := hazardState(orig)
		o.PhotosAfter += followups
		old = &o
	}
	for field, msg := range hazard.Check(old, cur) {
		code := "validation_required"
		if field == "status" {
			code = "validation_invalid_status_change"
		}
		errs[field] = validation.NewError(code, msg)
	}
	if len(errs) > 0 {
		return errs
	}

	if old == nil || old.Status != cur.Status {
		switch cur.Status {
		case hazard.Rectified:
			r.Set("rectified_at", now)
		case hazard.Verified:
			r.Set("verified_at", now)
		case hazard.Closed:
			r.Set("closed_at", now)
		case hazard.Rectifying:
			// sent back by a failed re-inspection: the old stamps no longer hold
			r.Set("rectified_at", "")
		}
	}
	switch wasSupervised := !r.IsNew() && orig.GetBool("supervised"); {
	case r.GetBool("supervised") && !wasSupervised:
		if r.GetDateTime("supervised_at").IsZero() {
			r.Set("supervised_at", now)
		}
	case !r.GetBool("supervised"):
		r.Set("supervised_at", "")
		r.Set("supervised_by", "")
	}
	return nil
}

func hazardState(r *core.Record) hazard.State {
	return hazard.State{
		Status:            hazard.Status(r.GetString("status")),
		Rectification:     r.GetString("rectification"),
		PhotosAfter:       fileCount(r, "photos_after"),
		VerifyInspection:  r.GetString("verify_inspection"),
		FoundInInspection: r.GetString("inspection"),
	}
}

// followupPhotos counts the photos after rectification that deputies took
// on site and sent through the outbox (hazard_followups) for hazard id.
func followupPhotos(app core.App, id string) int {
	if id == "" {
		return 0
	}
	var n int
	err := app.DB().NewQuery("SELECT COALESCE(SUM(json_array_length(CASE WHEN json_valid(photos) THEN photos ELSE '[]' END)), 0) FROM hazard_followups WHERE hazard = {:id}").
		Bind(dbx.Params{"id": id}).Row(&n)
	if err != nil {
		return 0
	}
	return n
}

// fileCount counts the files of a file field, the stored names and the
// uploads not yet saved alike.
func fileCount(r *core.Record, field string) int {
	n := 0
	switch v := r.GetRaw(field).(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); !ok || s != "" {
				n++
			}
		}
	case []string:
		for _, s := range v {
			if s != "" {
				n++
			}
		}
	case []*filesystem.File:
		n = len(v)
	case *filesystem.File:
		n = 1
	case string:
		if v != "" {
			n = 1
		}
	}
	return n
}

// forwardPromotedProblem marks the problem a hazard was promoted from as
// forwarded (代表直通车) to the hazard's responsible unit.
func forwardPromotedProblem(app core.App, h *core.Record) error {
	id := h.GetString("problem")
	if id == "" {
		return nil
	}
	err := problems.Forward(app, id, "隐患台账："+h.GetString("responsible_unit"))
	if errors.Is(err, problems.ErrNotFound) {
		return fielderr.New("problem", "validation_not_found", "原问题不存在")
	}
	return err
}

// acknowledgePromotedSuggestion marks a received suggestion (or enterprise
// report) a hazard was promoted from as acknowledged: its 24-hour response
// is the hazard's registration; the reply stays the presidium's to write.
func acknowledgePromotedSuggestion(app core.App, h *core.Record) error {
	id := h.GetString("suggestion")
	if id == "" {
		return nil
	}
	err := suggestions.Acknowledge(app, id)
	if errors.Is(err, suggestions.ErrNotFound) {
		return fielderr.New("suggestion", "validation_not_found", "原建议不存在")
	}
	return err
}

// tookPart reports whether the deputy recorded the inspection or joined it.
func tookPart(inspection *core.Record, deputyID string) bool {
	return inspection.GetString("deputy") == deputyID || slices.Contains(inspection.GetStringSlice("participants"), deputyID)
}
