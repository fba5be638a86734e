// Package supervision is the presidium's two sharpest tools over the
// livelihood projects and other topics (R12): 专题询问 (special inquiries,
// 3–5 projects or topics a year, with the questions deputies asked and the
// units' answers recorded against them) and 监督通报 (supervision reports
// listing problems found, each a rectification item with a responsible
// unit and a deadline, tracked to done like hazards: overdue, escalation,
// verified, struck off), printable on A4 and exported to Excel.
package supervision

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/query"
)

// Collections.
const (
	InquiriesCol = "inquiries"
	ItemsCol     = "inquiry_items"
	ReportsCol   = "supervision_reports"
	RectCol      = "rectification_items"
)

// InquiriesPerYear is the plan's range of special inquiries a year
// (选取3-5项开展专题询问): outside it the summary warns, it does not refuse.
const (
	MinInquiries = 3
	MaxInquiries = 5
)

// Register binds the inquiries, the reports and their items, the daily
// overdue job and the print and export routes.
func Register(app core.App) {
	bindInquiries(app)
	bindReports(app)
	bindRectification(app)
	bindDaily(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		guard := access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以查看。")
		se.Router.GET("/api/inquiries/summary", handleInquirySummary).BindFunc(guard)
		se.Router.POST("/api/supervision-reports/{id}/issue", handleIssue).BindFunc(guard)
		se.Router.GET("/api/supervision-reports/{id}/print", handlePrint)
		se.Router.POST("/api/supervision-reports/{id}/print", handlePrint)
		se.Router.GET("/api/supervision-reports/{id}/export.xlsx", handleExport).BindFunc(guard)
		return se.Next()
	})
	audit.Watch(app, InquiriesCol, "year", "topic", "project", "unit", "status")
	audit.Watch(app, ItemsCol, "question", "answer")
	audit.Watch(app, ReportsCol, "title", "summary", "status")
	audit.Watch(app, RectCol, "problem_text", "unit", "deadline", "status", "rectification", "verification")
}

func bindInquiries(app core.App) {
	app.OnRecordValidate(InquiriesCol).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		r := e.Record
		if id := r.GetString("meeting"); id != "" {
			if m, err := e.App.FindRecordById("meetings", id); err != nil || m.GetString("kind") != "inquiry" {
				errs["meeting"] = validation.NewError("validation_not_inquiry", "请选择会议类型为「专题询问」的会议")
			}
		}
		if id := r.GetString("project"); id != "" {
			if p, err := e.App.FindRecordById("projects", id); err != nil {
				errs["project"] = validation.NewError("validation_not_found", "项目不存在")
			} else if r.GetString("unit") == "" {
				r.Set("unit", p.GetString("unit"))
			}
		}
		if id := r.GetString("unit"); id != "" {
			if u, err := e.App.FindRecordById("units", id); err != nil || !u.GetBool("active") {
				errs["unit"] = validation.NewError("validation_not_unit", "应询单位不在册或已停用")
			}
		}
		if r.GetString("status") == "held" && r.GetDateTime("held_on").IsZero() {
			r.Set("held_on", time.Now())
		}
		return fielderr.Merge(e.Next(), errs)
	})

	app.OnRecordCreateRequest(ItemsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		if access.Of(e.Auth).IsActiveDeputy() && !access.IsPresidiumOrOffice(e.Auth) {
			e.Record.Set("deputy", e.Auth.Id)
		}
		if access.Of(e.Auth) == access.Presidium && e.Record.GetString("deputy") == "" {
			e.Record.Set("deputy", e.Auth.Id)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(ItemsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		if access.IsUnit(e.Auth) && strings.TrimSpace(e.Record.GetString("answered_by")) == "" {
			e.Record.Set("answered_by", e.Auth.GetString("name"))
		}
		return e.Next()
	})
	app.OnRecordValidate(ItemsCol).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		r := e.Record
		if d, err := e.App.FindRecordById("deputies", r.GetString("deputy")); err != nil || !d.GetBool("active") {
			errs["deputy"] = validation.NewError("validation_not_deputy", "提问的代表不在现任代表名册中")
		}
		old := r.Original()
		if r.GetString("answer") != "" && (r.IsNew() || r.GetString("answer") != old.GetString("answer")) {
			r.Set("answered_at", time.Now())
		}
		if r.GetString("answer") == "" {
			r.Set("answered_at", "")
		}
		return fielderr.Merge(e.Next(), errs)
	})
}

// handleInquirySummary says how many inquiries the year has, with a
// warning outside the plan's 3–5.
func handleInquirySummary(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	n, err := e.App.CountRecords(InquiriesCol, dbx.HashExp{"year": year})
	if err != nil {
		return e.InternalServerError("", err)
	}
	warning := ""
	switch {
	case n < MinInquiries:
		warning = "工作计划要求每年选取3至5项开展专题询问，本年度目前只有 " + itoa(int(n)) + " 项"
	case n > MaxInquiries:
		warning = "工作计划要求每年选取3至5项开展专题询问，本年度已有 " + itoa(int(n)) + " 项"
	}
	questions, err := e.App.CountRecords(ItemsCol, dbx.NewExp("inquiry IN (SELECT id FROM inquiries WHERE year = {:y})", dbx.Params{"y": year}))
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "inquiries": n, "questions": questions, "warning": warning})
}
