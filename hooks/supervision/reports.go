package supervision

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/hazard"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/htmlpage"
	"simeng/hooks/internal/workbook"
	"simeng/hooks/proposals"
	"simeng/vocab"
)

func itoa(n int) string { return strconv.Itoa(n) }

// serverRectFields are the items' fields only the server writes.
var serverRectFields = []string{"rectified_at", "verified_at", "closed_at", "overdue", "escalation", "escalated_at"}

func bindReports(app core.App) {
	app.OnRecordCreateRequest(ReportsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		e.Record.Set("status", "draft")
		for _, f := range []string{"number", "issued_at", "issued_by"} {
			e.Record.Set(f, "")
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(ReportsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range []string{"status", "number", "issued_at", "issued_by"} {
			e.Record.Set(f, old.Get(f))
		}
		return e.Next()
	})
}

// handleIssue issues a draft report: it gets its number, and its items
// start running against their deadlines; it can no longer change.
func handleIssue(e *core.RequestEvent) error {
	r, err := e.App.FindRecordById(ReportsCol, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("通报不存在。", nil)
	}
	if r.GetString("status") != "draft" {
		return e.BadRequestError("已发布", fielderr.New("status", "validation_issued", "通报已经发布"))
	}
	items, err := e.App.FindRecordsByFilter(RectCol, "report = {:r}", "position", 0, 0, dbx.Params{"r": r.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(items) == 0 {
		return e.BadRequestError("没有整改事项", fielderr.New("items", "validation_required", "请先列出发现的问题和整改事项（每项有责任单位和期限）"))
	}
	old := r.Fresh()
	err = e.App.RunInTransaction(func(tx core.App) error {
		year := r.GetInt("year")
		n, err := tx.CountRecords(ReportsCol, dbx.HashExp{"year": year, "status": "issued"})
		if err != nil {
			return err
		}
		r.Set("number", fmt.Sprintf("思蒙人大通〔%d〕%d号", year, n+1))
		r.Set("status", "issued")
		r.Set("issued_at", time.Now())
		r.Set("issued_by", access.ActorLabel(e.Auth))
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "report_issue", Collection: ReportsCol,
			RecordID: r.Id, Changes: audit.Diff(old, r, "status", "number")})
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, r)
}

// bindRectification applies the hazards' lifecycle to the items whatever
// the door: open → rectifying → rectified (the unit: what was done, photos
// after) → verified (the presidium or staff: a verification note; a failed
// check sends it back to rectifying) → closed (销号).
func bindRectification(app core.App) {
	app.OnRecordCreateRequest(RectCol).BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range serverRectFields {
			e.Record.Set(f, nil)
		}
		e.Record.Set("status", string(hazard.Open))
		if d := e.Record.GetDateTime("deadline"); !d.IsZero() && deadline.EndOfDay(d.Time()).Before(time.Now()) {
			return e.BadRequestError("期限已过", fielderr.New("deadline", "validation_in_past", "整改期限不能早于今天"))
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(RectCol).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range serverRectFields {
			e.Record.Set(f, old.Get(f))
		}
		from, to := hazard.Status(old.GetString("status")), hazard.Status(e.Record.GetString("status"))
		if access.IsUnit(e.Auth) && from != to && !slices.Contains([]hazard.Status{hazard.Rectifying, hazard.Rectified}, to) {
			return fielderr.Forbidden("status", "复查和销号由主席团或工作人员办理；承办单位标记整改中、已整改")
		}
		if access.IsUnit(e.Auth) && from == hazard.Rectified && to == hazard.Rectifying {
			return fielderr.Forbidden("status", "复查不合格退回整改由主席团或工作人员办理")
		}
		return e.Next()
	})
	app.OnRecordValidate(RectCol).BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("status") == "" {
			r.Set("status", string(hazard.Open))
		}
		if r.GetString("escalation") == "" {
			r.Set("escalation", string(deadline.StageNone))
		}
		errs := validation.Errors{}
		if id := r.GetString("unit"); id != "" {
			if u, err := e.App.FindRecordById("units", id); err != nil || !u.GetBool("active") {
				errs["unit"] = validation.NewError("validation_not_unit", "责任单位不在册或已停用")
			}
		}
		var oldStatus hazard.Status
		if !r.IsNew() {
			if stored, err := e.App.FindRecordById(RectCol, r.Id); err == nil {
				oldStatus = hazard.Status(stored.GetString("status"))
			}
		}
		cur := hazard.Status(r.GetString("status"))
		switch {
		case !cur.Valid():
			errs["status"] = validation.NewError("validation_invalid_status", "状态无效")
		case r.IsNew() && cur != hazard.Open:
			errs["status"] = validation.NewError("validation_invalid_status_change", "新的整改事项状态必须是「待整改」")
		case !r.IsNew() && oldStatus == hazard.Closed && cur != hazard.Closed:
			errs["status"] = validation.NewError("validation_invalid_status_change", "整改事项已销号，不能再更改状态")
		case !r.IsNew() && !hazard.CanMove(oldStatus, cur):
			errs["status"] = validation.NewError("validation_invalid_status_change",
				"不能从「"+oldStatus.Label()+"」直接改为「"+cur.Label()+"」。流程：待整改 → 整改中 → 已整改 → 复查通过 → 已销号")
		case oldStatus != cur && cur == hazard.Rectified:
			if strings.TrimSpace(r.GetString("rectification")) == "" {
				errs["rectification"] = validation.NewError("validation_required", "标记「已整改」须写明整改情况")
			}
			if fileCount(r, "photos_after") == 0 {
				errs["photos_after"] = validation.NewError("validation_required", "标记「已整改」须上传至少一张整改后照片")
			}
		case oldStatus != cur && (cur == hazard.Verified || (oldStatus == hazard.Rectified && cur == hazard.Rectifying)):
			if strings.TrimSpace(r.GetString("verification")) == "" {
				errs["verification"] = validation.NewError("validation_required", "请写明复查意见")
			}
		}
		if len(errs) == 0 && oldStatus != cur {
			now := time.Now()
			switch cur {
			case hazard.Rectified:
				r.Set("rectified_at", now)
			case hazard.Verified:
				r.Set("verified_at", now)
			case hazard.Closed:
				r.Set("closed_at", now)
			case hazard.Rectifying:
				r.Set("rectified_at", "")
			}
			if !cur.Pending() {
				r.Set("overdue", false)
				r.Set("escalation", string(deadline.StageNone))
			}
		}
		return fielderr.Merge(e.Next(), errs)
	})
}

// fileCount counts the files of a file field, stored and being uploaded.
func fileCount(r *core.Record, field string) int {
	return len(r.GetStringSlice(field)) + len(r.GetUnsavedFiles(field))
}

// FlagOverdueItems is the daily job: an item of an issued report still
// waiting for its unit past the deadline is flagged and reported to the
// presidium, and listed for 挂牌督办 after deadline.EscalateAfterWorkdays
// more working days. It returns how many changed.
func FlagOverdueItems(app core.App, now time.Time) (int, error) {
	cal, err := calendar.Of(app)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = app.RunInTransaction(func(tx core.App) error {
		pending, err := tx.FindRecordsByFilter(RectCol, "(status = 'open' || status = 'rectifying') && report.status = 'issued'", "deadline", 0, 0)
		if err != nil {
			return err
		}
		for _, r := range pending {
			stage := deadline.StageAt(cal, r.GetDateTime("deadline").Time(), now, deadline.EscalateAfterWorkdays)
			if string(stage) == r.GetString("escalation") {
				continue
			}
			old := r.Fresh()
			r.Set("overdue", stage != deadline.StageNone)
			r.Set("escalation", string(stage))
			r.Set("escalated_at", now)
			if err := tx.Save(r); err != nil {
				return err
			}
			if err := audit.Write(tx, audit.Entry{Actor: audit.System("cron:supervision_daily"), Action: audit.ActionUpdate,
				Collection: RectCol, RecordID: r.Id, Reason: "整改逾期", Changes: audit.Diff(old, r, "overdue", "escalation")}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

func bindDaily(app core.App) {
	app.Cron().MustAdd("supervision_daily", "30 0 * * *", func() {
		if _, err := FlagOverdueItems(app, time.Now()); err != nil {
			app.Logger().Error("supervision daily job failed", "error", err)
		}
	})
}

// Assigned is a rectification item for a unit's home screen.
type Assigned struct {
	ID         string `json:"id"`
	Report     string `json:"report"`
	Title      string `json:"title"`
	Status     string `json:"status"`
	Due        string `json:"due"`
	Overdue    bool   `json:"overdue"`
	Escalation string `json:"escalation"`
}

// AssignedTo lists the items of issued reports the unit must still act on.
func AssignedTo(app core.App, unitID string) ([]Assigned, error) {
	recs, err := app.FindRecordsByFilter(RectCol, "unit = {:u} && report.status = 'issued' && (status = 'open' || status = 'rectifying')",
		"deadline", 0, 0, dbx.Params{"u": unitID})
	if err != nil {
		return nil, err
	}
	out := []Assigned{}
	for _, r := range recs {
		rep, _ := app.FindRecordById(ReportsCol, r.GetString("report"))
		title := r.GetString("problem_text")
		if rep != nil {
			title = rep.GetString("number") + "：" + title
		}
		out = append(out, Assigned{ID: r.Id, Report: r.GetString("report"), Title: title, Status: r.GetString("status"),
			Due: chinatime.Date(r.GetDateTime("deadline").Time()), Overdue: r.GetBool("overdue"), Escalation: r.GetString("escalation")})
	}
	return out, nil
}

//go:embed print.html
var printFS embed.FS

var printTmpl = template.Must(template.ParseFS(printFS, "print.html"))

const printCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type printItem struct {
	N                                       int
	Problem, Requirement, Unit, Due, Status string
	Rectification, Verification             string
	Overdue                                 bool
}

// loadReport reads a report with its items and the units' names; a draft
// only for the presidium and staff.
func loadReport(app core.App, id string, auth *core.Record) (*core.Record, []printItem, error) {
	r, err := app.FindRecordById(ReportsCol, id)
	if err != nil {
		return nil, nil, err
	}
	items, err := app.FindRecordsByFilter(RectCol, "report = {:r}", "position,created", 0, 0, dbx.Params{"r": id})
	if err != nil {
		return nil, nil, err
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.GetString("unit"))
	}
	units, err := proposals.Names(app, "units", ids)
	if err != nil {
		return nil, nil, err
	}
	out := []printItem{}
	for i, it := range items {
		out = append(out, printItem{N: i + 1, Problem: it.GetString("problem_text"), Requirement: it.GetString("requirement"),
			Unit: units[it.GetString("unit")], Due: chinatime.Date(it.GetDateTime("deadline").Time()),
			Status: vocab.Label(vocab.RectificationStatuses, it.GetString("status")), Rectification: it.GetString("rectification"),
			Verification: it.GetString("verification"), Overdue: it.GetBool("overdue")})
	}
	return r, out, nil
}

// handlePrint is the report on A4 (Chinese, @page A4) for the presidium
// and staff, or any deputy once issued. A tab opened for printing carries
// no header: the login's token may come in a POSTed form field instead,
// never in a URL.
func handlePrint(e *core.RequestEvent) error {
	auth := e.Auth
	if auth == nil && e.Request.Method == http.MethodPost {
		if tok := e.Request.FormValue("token"); tok != "" {
			auth, _ = e.App.FindAuthRecordByToken(tok, core.TokenTypeAuth)
		}
	}
	role := access.Of(auth)
	if !role.IsActiveDeputy() && !role.IsOffice() {
		if auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		return e.ForbiddenError("无权查看。", nil)
	}
	r, items, err := loadReport(e.App, e.Request.PathValue("id"), auth)
	if err != nil || (r.GetString("status") != "issued" && !role.IsPresidiumOrOffice()) {
		return e.NotFoundError("通报不存在。", nil)
	}
	issued := ""
	if d := r.GetDateTime("issued_at"); !d.IsZero() {
		issued = chinatime.In(d.Time()).Format("2006年1月2日")
	}
	data := map[string]any{"Title": r.GetString("title"), "Number": r.GetString("number"), "Summary": r.GetString("summary"),
		"Issued": issued, "Draft": r.GetString("status") != "issued", "Items": items,
		"Printed": chinatime.In(time.Now()).Format("2006年1月2日")}
	var buf bytes.Buffer
	if err := printTmpl.Execute(&buf, data); err != nil {
		return e.InternalServerError("", err)
	}
	return htmlpage.Write(e, template.Must(template.New("p").Parse(`{{.}}`)), template.HTML(buf.String()), printCSP)
}

// ExportHeaders are the 整改事项 sheet's.
var ExportHeaders = []string{"通报", "序号", "发现的问题", "整改要求", "责任单位", "整改期限", "状态", "是否逾期", "整改情况", "复查意见"}

func handleExport(e *core.RequestEvent) error {
	r, items, err := loadReport(e.App, e.Request.PathValue("id"), e.Auth)
	if err != nil {
		return e.NotFoundError("通报不存在。", nil)
	}
	rows := [][]string{}
	for _, it := range items {
		late := "否"
		if it.Overdue {
			late = "逾期"
		}
		rows = append(rows, []string{r.GetString("number"), itoa(it.N), it.Problem, it.Requirement, it.Unit, it.Due, it.Status, late,
			it.Rectification, it.Verification})
	}
	f := excelize.NewFile()
	title := r.GetString("title") + "（" + r.GetString("number") + "）整改事项"
	if err := workbook.Table(f, "整改事项", title, ExportHeaders, rows, []float64{22, 6, 36, 30, 16, 12, 12, 8, 30, 30}); err != nil {
		return e.InternalServerError("", err)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return e.InternalServerError("", err)
	}
	return workbook.Send(e, f, "supervision-report-"+r.Id+".xlsx", "监督通报整改事项_"+r.GetString("number")+".xlsx")
}
