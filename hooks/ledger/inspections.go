package ledger

import (
	"slices"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/syncengine"
	"simeng/inspectplan"
)

func bindInspections(app core.App) {
	app.OnRecordValidate("inspections").BindFunc(func(e *core.RecordEvent) error {
		custom := validateInspection(e)
		return fielderr.Merge(e.Next(), custom)
	})

	// The owner is whoever is logged in, never what the body says.
	app.OnRecordCreateRequest("inspections", "hazards").BindFunc(func(e *core.RecordRequestEvent) error {
		if access.IsDeputyAccount(e.Auth) {
			e.Record.Set("deputy", e.Auth.Id)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("inspections", "hazards").BindFunc(func(e *core.RecordRequestEvent) error {
		if !access.IsOffice(e.Auth) {
			e.Record.Set("deputy", e.Record.Original().GetString("deputy"))
		}
		return e.Next()
	})

	// Keep the quarterly plan in step with the inspections inside the same
	// save, so a late-synced inspection turns a missed plan entry into a done
	// one at once.
	// e.App is read before e.Next(): an inner hook may swap it for a
	// transaction that has ended by the time e.Next() returns.
	app.OnRecordCreate("inspections").BindFunc(func(e *core.RecordEvent) error {
		txApp := e.App
		if err := e.Next(); err != nil {
			return err
		}
		return refreshPlanFor(txApp, nil, e.Record)
	})
	app.OnRecordUpdate("inspections").BindFunc(func(e *core.RecordEvent) error {
		txApp, old := e.App, e.Record.Original()
		if err := e.Next(); err != nil {
			return err
		}
		return refreshPlanFor(txApp, old, e.Record)
	})
	app.OnRecordDelete("inspections").BindFunc(func(e *core.RecordEvent) error {
		txApp := e.App
		if err := e.Next(); err != nil {
			return err
		}
		return refreshPlanFor(txApp, e.Record, nil)
	})
}

func validateInspection(e *core.RecordEvent) validation.Errors {
	app, r := e.App, e.Record
	errs := validation.Errors{}
	if r.GetString("status") == "" {
		r.Set("status", "ongoing")
	}
	// Device time is data, bounded as a visit's (syncengine), never trusted
	// for ordering.
	at := r.GetDateTime("inspected_at").Time()
	switch syncengine.CheckDeviceTime(e.Context, at, time.Now()) {
	case syncengine.TimeMissing:
		// the field's own required validator names it
	case syncengine.TimeTooOld:
		errs["inspected_at"] = validation.NewError("validation_too_early", "检查时间不能早于2020年")
	case syncengine.TimeInFuture:
		errs["inspected_at"] = validation.NewError("validation_in_future", "检查时间不能晚于现在，请检查手机时间")
	default:
		r.Set("quarter", inspectplan.Of(at).String())
	}
	kind := r.GetString("kind")
	siteID := r.GetString("site")
	if kind == "safety" && siteID == "" {
		errs["site"] = validation.NewError("validation_required", "安全生产检查须选择检查场所")
	}
	if kind == "project" && r.GetString("subject") == "" {
		errs["subject"] = validation.NewError("validation_required", "专题视察须填写视察项目，例如 桥思公路")
	}
	if siteID != "" && siteID != r.Original().GetString("site") {
		site, err := app.FindRecordById("inspection_sites", siteID)
		if err == nil && !site.GetBool("active") {
			errs["site"] = validation.NewError("validation_site_inactive", "该场所已停用，不能再选择")
		}
	}
	// A 专题视察 names the 民生实事 project it looked at; its subject
	// defaults to the project's title.
	if id := r.GetString("project"); id != "" && id != r.Original().GetString("project") {
		p, err := app.FindRecordById("projects", id)
		switch {
		case kind != "project":
			errs["project"] = validation.NewError("validation_not_project_kind", "只有专题视察（检查类别 project）关联民生实事项目")
		case err != nil:
			errs["project"] = validation.NewError("validation_not_found", "民生实事项目不存在：请联网更新项目列表")
		case !slices.Contains([]string{"chosen", "in_progress", "done"}, p.GetString("status")):
			errs["project"] = validation.NewError("validation_not_chosen", "只能视察票决入选的民生实事项目")
		default:
			if r.GetString("subject") == "" {
				r.Set("subject", p.GetString("title"))
				delete(errs, "subject")
			}
		}
	}
	if r.GetString("status") == "completed" && r.GetString("findings") == "" {
		errs["findings"] = validation.NewError("validation_required", "完成检查须填写检查发现的问题和意见（没有问题请写“未发现问题”）")
	}
	return errs
}
