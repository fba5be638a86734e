// Package workbench serves the staff workbench (工作台) what the
// collections' own API cannot give in one request: today's list across
// the registers, and the intake of cases received by phone, at the
// station, on paper or from an enterprise, with the time the resident was
// really received (China time; the past is allowed, the future is not).
// Everything else the workbench does goes through the collections' API
// rules and the capabilities' routes, as an office (staff) account.
package workbench

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/suggestions"
)

// Register binds the workbench's routes, for the office only.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		office := access.RequireOffice("只有工作人员可以使用工作台。")
		se.Router.GET("/api/simeng/workbench/today", handleToday).BindFunc(office)
		se.Router.POST("/api/simeng/workbench/intake", handleIntake).BindFunc(office)
		se.Router.GET("/api/simeng/workbench/exports", handleExports).BindFunc(office)
		return se.Next()
	})
}

// Item is one line of today's list.
type Item struct {
	Kind    string `json:"kind"` // suggestion, hazard, task, problem, proposal, rectification, milestone, return, booking
	Label   string `json:"label"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Due     string `json:"due"` // China time, 2026-05-01 09:30
	Overdue bool   `json:"overdue"`
	Link    string `json:"link"` // the PWA route to act on it
	at      time.Time
}

// Today lists, at now, what is overdue or due by the end of today (China
// time): suggestions to respond to or answer, open hazards, unfinished
// meeting tasks, what handling units owe (problems forwarded, proposals'
// replies, rectification items, 民生实事 milestones), units' requests to
// return an item (退办) waiting for the office, and today's bookings at the
// station; overdue first, then by when it is due.
func Today(app core.App, now time.Time) ([]Item, error) {
	local := chinatime.In(now)
	endOfDay := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, chinatime.Location()).AddDate(0, 0, 1)
	end := endOfDay.UTC().Format(chinatime.StoredLayout)
	var items []Item
	add := func(kind, label, id, title string, due time.Time, link string) {
		items = append(items, Item{Kind: kind, Label: label, ID: id, Title: title, Due: chinatime.In(due).Format("2006-01-02 15:04"),
			Overdue: due.Before(now), Link: link, at: due})
	}
	sugg, err := app.FindRecordsByFilter("suggestions",
		`moderation != "spam" && ((status = "received" && ack_due != "" && ack_due < {:end}) || ((status = "received" || status = "acknowledged") && feedback_due != "" && feedback_due < {:end}))`,
		"", 0, 0, dbx.Params{"end": end})
	if err != nil {
		return nil, err
	}
	for _, s := range sugg {
		due, what := s.GetDateTime("feedback_due").Time(), "待反馈"
		if s.GetString("status") == "received" && s.GetDateTime("ack_due").Time().Before(endOfDay) {
			due, what = s.GetDateTime("ack_due").Time(), "待回应"
		}
		add("suggestion", "群众建议·"+what, s.Id, s.GetString("category")+"："+cut(s.GetString("content"), 30), due, "#/suggestions")
	}
	hazards, err := app.FindRecordsByFilter("hazards", `(status = "open" || status = "rectifying") && deadline < {:end}`, "", 0, 0, dbx.Params{"end": end})
	if err != nil {
		return nil, err
	}
	for _, h := range hazards {
		add("hazard", "隐患", h.Id, h.GetString("title")+"（"+h.GetString("responsible_unit")+"）", h.GetDateTime("deadline").Time(), "#/ledger")
	}
	tasks, err := app.FindRecordsByFilter("meeting_tasks", `status != "done" && deadline < {:end}`, "", 0, 0, dbx.Params{"end": end})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		add("task", "督办任务", t.Id, t.GetString("title")+"（"+t.GetString("owner")+"）", t.GetDateTime("deadline").Time(), "#/workbench?tab=meetings")
	}
	// What handling units owe: problems forwarded (急难愁盼), proposals'
	// replies, rectification items of issued reports, 民生实事 milestones.
	for _, q := range []struct {
		col, filter, kind, label, link string
		title                          func(*core.Record) string
		due                            string
	}{
		{"problems", `status = "forwarded" && deadline != "" && deadline < {:end}`, "problem", "急难愁盼问题", "#/problem-actions",
			func(r *core.Record) string {
				return cut(r.GetString("description"), 30) + "（" + r.GetString("forwarded_to") + "）"
			}, "deadline"},
		{"proposals", `status = "assigned" && deadline != "" && deadline < {:end}`, "proposal", "议案建议答复", "#/review",
			func(r *core.Record) string { return cut(r.GetString("title"), 30) }, "deadline"},
		{"rectification_items", `(status = "open" || status = "rectifying") && report.status = "issued" && deadline < {:end}`, "rectification", "监督整改", "#/supervision",
			func(r *core.Record) string { return cut(r.GetString("problem_text"), 30) }, "deadline"},
		{"project_milestones", `done_at = "" && (project.status = "chosen" || project.status = "in_progress") && due < {:end}`, "milestone", "民生实事节点", "#/supervision",
			func(r *core.Record) string { return cut(r.GetString("title"), 30) }, "due"},
	} {
		recs, err := app.FindRecordsByFilter(q.col, q.filter, "", 0, 0, dbx.Params{"end": end})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			add(q.kind, q.label, r.Id, q.title(r), r.GetDateTime(q.due).Time(), q.link)
		}
	}
	// A unit's request to return an item (退办申请) waits for the office's
	// decision from the moment it is made; it has no deadline of its own.
	returns, err := app.FindRecordsByFilter("unit_returns", `status = "pending"`, "created", 0, 0)
	if err != nil {
		return nil, err
	}
	for _, r := range returns {
		asked := r.GetDateTime("created").Time()
		unit := ""
		if u, err := app.FindRecordById("units", r.GetString("unit")); err == nil {
			unit = "（" + u.GetString("name") + "）"
		}
		items = append(items, Item{Kind: "return", Label: "退办申请", ID: r.Id, Title: cut(r.GetString("title"), 30) + unit,
			Due: chinatime.In(asked).Format("2006-01-02 15:04"), Link: "#/returns", at: asked})
	}
	bookings, err := app.FindRecordsByFilter("bookings", `date = {:d} && status = "booked"`, "", 0, 0, dbx.Params{"d": local.Format(chinatime.DateLayout)})
	if err != nil {
		return nil, err
	}
	for _, b := range bookings {
		// A booking is due by the end of its day; it is never "overdue" today.
		items = append(items, Item{Kind: "booking", Label: "接待预约", ID: b.Id, Title: cut(b.GetString("description"), 30),
			Due: local.Format(chinatime.DateLayout), Link: "#/duty", at: endOfDay})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Overdue != items[j].Overdue {
			return items[i].Overdue
		}
		return items[i].at.Before(items[j].at)
	})
	return items, nil
}

func cut(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

func handleToday(e *core.RequestEvent) error {
	items, err := Today(e.App, time.Now())
	if err != nil {
		return err
	}
	if items == nil {
		items = []Item{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// IntakeSources are the sources staff take cases down from.
var IntakeSources = []string{"hotline", "station", "paper", "enterprise"}

// clockSkew allows for a staff PC's clock running a little ahead.
const clockSkew = 2 * time.Minute

type intakeBody struct {
	Source     string `json:"source"`
	ReceivedAt string `json:"received_at"` // China time "2026-05-01T09:12" or RFC 3339
	Deputy     string `json:"deputy"`
	Category   string `json:"category"`
	Content    string `json:"content"`
	Name       string `json:"resident_name"`
	Phone      string `json:"resident_phone"`
	Consent    bool   `json:"consent"`
}

// ParseReceived reads a received time typed in China time (the workbench's
// datetime-local field, 2026-05-01T09:12) or given with its offset.
func ParseReceived(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, chinatime.Location()); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339, s)
}

func badField(field, msg string) *router.ApiError {
	return router.NewBadRequestError(msg, fielderr.New(field, "invalid", msg))
}

func handleIntake(e *core.RequestEvent) error {
	var b intakeBody
	if err := e.BindBody(&b); err != nil {
		return e.BadRequestError("请求格式不正确。", nil)
	}
	if !slices.Contains(IntakeSources, b.Source) {
		return badField("source", "请选择来源：民情直通车、联络站、书面或企业。")
	}
	at, err := ParseReceived(b.ReceivedAt)
	if err != nil {
		return badField("received_at", "请填写收到的时间（北京时间），如 2026-05-01 09:12。")
	}
	if at.After(time.Now().Add(clockSkew)) {
		return badField("received_at", "收到的时间不能晚于现在。")
	}
	if (b.Name != "" || b.Phone != "") && !b.Consent {
		return badField("consent", "留下群众姓名或手机号，须群众同意。")
	}
	if b.Deputy != "" {
		if d, err := e.App.FindRecordById("deputies", b.Deputy); err != nil || !d.GetBool("active") {
			return badField("deputy", "请选择在任代表，或留空由主席团答复。")
		}
	}
	var rec *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		rec, err = suggestions.Record(tx, suggestions.Intake{Source: b.Source, Deputy: b.Deputy, Category: b.Category,
			Content: strings.TrimSpace(b.Content), ReceivedAt: at, Name: strings.TrimSpace(b.Name), Phone: strings.TrimSpace(b.Phone), Consent: b.Consent})
		if err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "workbench"), Action: audit.ActionCreate, Collection: "suggestions",
			RecordID: rec.Id, Changes: map[string][2]any{"source": {nil, b.Source}, "received_at": {nil, rec.GetString("received_at")}},
			Reason: "工作台受理登记"})
	})
	var ve validation.Errors
	if errors.As(err, &ve) {
		for _, k := range []string{"category", "content", "resident_phone", "resident_name", "source", "received_at", "deputy"} {
			if msg, ok := ve[k]; ok {
				return e.BadRequestError(msg.Error(), validation.Errors{k: ve[k]})
			}
		}
		return e.BadRequestError("登记的内容不完整。", ve)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"id": rec.Id, "tracking": rec.GetString("tracking"),
		"received_at": rec.GetString("received_at"), "ack_due": rec.GetString("ack_due"), "feedback_due": rec.GetString("feedback_due")})
}
