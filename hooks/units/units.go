// Package units is the handling units' (承办单位) side of the platform: a
// unit's home lists everything assigned to it — proposals it handles
// (主办) or helps with (协办), 急难愁盼 problems forwarded to it through
// 代表直通车, the 民生实事 projects it is responsible for and their
// milestones, the rectification items of supervision reports, the hazards
// it must rectify — overdue first, with the working days left; and the
// names of the units for the screens that pick one. The unit answers on
// each item's own route or record (the capabilities' rules apply there).
package units

import (
	"net/http"
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/projects"
	"simeng/hooks/proposals"
	"simeng/hooks/supervision"
	"simeng/workdays"
)

// Register binds the unit's inbox and the units' names.
//
//	GET /api/units/me/inbox   a unit: what is assigned to it, overdue first
//	GET /api/units/names      deputies, units, staff: id, name and kind of the active units
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/units/me/inbox", handleInbox)
		se.Router.GET("/api/units/names", handleNames)
		return se.Next()
	})
}

// Item is one thing a unit must act on.
type Item struct {
	Kind       string `json:"kind"` // proposal, proposal_co, problem, project, milestone, rectification, hazard
	ID         string `json:"id"`
	Parent     string `json:"parent,omitempty"` // the project of a milestone, the report of an item
	Title      string `json:"title"`
	Status     string `json:"status"`
	Due        string `json:"due,omitempty"` // China date
	DaysLeft   *int   `json:"days_left,omitempty"`
	Overdue    bool   `json:"overdue"`
	Escalation string `json:"escalation"`
	Note       string `json:"note,omitempty"`
}

// Inbox lists what is assigned to unitID, overdue first (listed for
// supervision, then reported to the presidium), then by deadline, items
// without a deadline last.
func Inbox(app core.App, unitID string, now time.Time) ([]Item, error) {
	cal, err := calendar.Of(app)
	if err != nil {
		return nil, err
	}
	items := []Item{}
	props, err := app.FindRecordsByFilter(proposals.Collection,
		"(main_unit = {:u} && (status = 'assigned' || status = 'answered')) || (co_units.id ?= {:u} && status = 'assigned')",
		"deadline", 0, 0, dbx.Params{"u": unitID})
	if err != nil {
		return nil, err
	}
	for _, p := range props {
		kind, note := "proposal", "主办"
		if p.GetString("main_unit") != unitID {
			kind, note = "proposal_co", "协办：请向主办单位提出协办意见"
		}
		if p.GetString("status") == "answered" {
			note = "已答复，等待代表评价"
		}
		if p.GetInt("round") == 2 && p.GetString("status") == "assigned" {
			note += "（代表不满意，重新办理）"
		}
		items = append(items, Item{Kind: kind, ID: p.Id, Title: p.GetString("number") + " " + p.GetString("title"),
			Status: p.GetString("status"), Due: dateOf(p, "deadline"), Overdue: p.GetBool("overdue"),
			Escalation: p.GetString("escalation"), Note: note})
	}
	probs, err := app.FindRecordsByFilter("problems", "unit = {:u} && status = 'forwarded'", "", 0, 0, dbx.Params{"u": unitID})
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		items = append(items, Item{Kind: "problem", ID: p.Id, Title: p.GetString("category") + "：" + p.GetString("description"),
			Status: p.GetString("status"), Due: dateOf(p, "deadline"), Overdue: p.GetBool("overdue"),
			Escalation: p.GetString("escalation"), Note: "代表直通车转来的急难愁盼问题"})
	}
	assigned, err := projects.AssignedTo(app, unitID)
	if err != nil {
		return nil, err
	}
	for _, a := range assigned {
		it := Item{Kind: a.Kind, ID: a.ID, Title: a.Title, Status: a.Status, Due: a.Due, Overdue: a.Overdue, Escalation: a.Escalation, Note: a.Note}
		if a.Kind == "milestone" {
			it.Parent = a.Project
		}
		items = append(items, it)
	}
	rect, err := supervision.AssignedTo(app, unitID)
	if err != nil {
		return nil, err
	}
	for _, a := range rect {
		items = append(items, Item{Kind: "rectification", ID: a.ID, Parent: a.Report, Title: a.Title, Status: a.Status, Due: a.Due,
			Overdue: a.Overdue, Escalation: a.Escalation, Note: "监督通报整改事项"})
	}
	hazards, err := app.FindRecordsByFilter("hazards", "unit = {:u} && (status = 'open' || status = 'rectifying')", "deadline", 0, 0, dbx.Params{"u": unitID})
	if err != nil {
		return nil, err
	}
	for _, h := range hazards {
		items = append(items, Item{Kind: "hazard", ID: h.Id, Title: h.GetString("title"), Status: h.GetString("status"),
			Due: dateOf(h, "deadline"), Overdue: h.GetBool("overdue"), Escalation: h.GetString("escalation"), Note: "隐患整改"})
	}
	today := chinatime.In(now)
	for i := range items {
		if items[i].Escalation == "" {
			items[i].Escalation = "none"
		}
		if items[i].Due != "" {
			n := workdaysLeft(cal, today, items[i].Due)
			items[i].DaysLeft = &n
		}
	}
	rank := map[string]int{"supervised": 0, "presidium": 1, "none": 2}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if rank[a.Escalation] != rank[b.Escalation] {
			return rank[a.Escalation] < rank[b.Escalation]
		}
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		if (a.Due == "") != (b.Due == "") {
			return a.Due != ""
		}
		return a.Due < b.Due
	})
	return items, nil
}

func dateOf(r *core.Record, field string) string {
	if r.Collection().Fields.GetByName(field) == nil {
		return ""
	}
	d := r.GetDateTime(field)
	if d.IsZero() {
		return ""
	}
	return chinatime.Date(d.Time())
}

// workdaysLeft counts the working days from today to due (China dates):
// 0 when due today, negative when past (working days late).
func workdaysLeft(cal *workdays.Calendar, today time.Time, due string) int {
	d, err := time.ParseInLocation("2006-01-02", due, chinatime.Location())
	if err != nil {
		return 0
	}
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, chinatime.Location())
	step, n := 1, 0
	if d.Before(t) {
		step = -1
	}
	for cur := t; !cur.Equal(d) && n < 400 && n > -400; cur = cur.AddDate(0, 0, step) {
		next := cur.AddDate(0, 0, step)
		if cal.IsWorkday(next) {
			n += step
		}
	}
	return n
}

func handleInbox(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("请以承办单位身份登录。", nil)
	}
	if !access.IsUnit(e.Auth) {
		return e.ForbiddenError("只有承办单位有待办事项清单。", nil)
	}
	items, err := Inbox(e.App, e.Auth.Id, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	overdue := 0
	for _, it := range items {
		if it.Overdue {
			overdue++
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"unit": e.Auth.GetString("name"), "items": items, "overdue": overdue})
}

func handleNames(e *core.RequestEvent) error {
	role := access.Of(e.Auth)
	if !role.IsActiveDeputy() && !role.IsOffice() && role != access.Unit {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		return e.ForbiddenError("无权查看。", nil)
	}
	var rows []struct {
		ID   string `db:"id" json:"id"`
		Name string `db:"name" json:"name"`
		Kind string `db:"kind" json:"kind"`
	}
	if err := e.App.DB().Select("id", "name", "kind").From(access.UnitsCollection).Where(dbx.HashExp{"active": true}).
		OrderBy("kind", "name").All(&rows); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": rows})
}
