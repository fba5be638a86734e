package problems

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/internal/fielderr"
	"simeng/problem"
)

// The action list (PWA and units): one route per step, each refused with
// the rules' own words.
//
//	POST /api/problems/{id}/forward  {"unit":"<units id>"} or {"forwarded_to":"单位名称"}  presidium, staff
//	POST /api/problems/{id}/answer   {"reply":"…"}   the unit it was forwarded to, presidium, staff
//	POST /api/problems/{id}/close                      presidium, staff
//	POST /api/problems/{id}/reopen   {"reason":"…"}  presidium, staff
//	GET  /api/problems/{id}/timeline                   whoever may read the problem: every step
//	GET  /api/problems/units                           presidium, staff: the handling units to forward to (names only)
func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/problems/units", handleUnits).BindFunc(access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以转办问题。"))
		se.Router.POST("/api/problems/{id}/{action}", handleAction)
		se.Router.GET("/api/problems/{id}/timeline", handleTimeline)
		return se.Next()
	})
}

// handleUnits lists the active handling units by name: what the presidium
// picks from when forwarding (their phones and contacts stay hidden).
func handleUnits(e *core.RequestEvent) error {
	type unit struct {
		ID   string `db:"id" json:"id"`
		Name string `db:"name" json:"name"`
		Kind string `db:"kind" json:"kind"`
	}
	out := []unit{}
	if _, err := e.App.FindCachedCollectionByNameOrId("units"); err == nil {
		if err := e.App.DB().Select("id", "name", "kind").From("units").Where(dbx.HashExp{"active": true}).
			OrderBy("kind", "name").All(&out); err != nil {
			return err
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// roleOf maps who is asking onto the rules' roles.
func roleOf(auth *core.Record) problem.Actor {
	switch r := access.Of(auth); {
	case r == access.Unit:
		return problem.Actor{Role: problem.RoleUnit, ID: auth.Id}
	case r == access.Presidium:
		return problem.Actor{Role: problem.RolePresidium, ID: auth.Id}
	case r.IsOffice():
		return problem.Actor{Role: problem.RoleStaff, ID: auth.Id}
	case r == access.Deputy:
		return problem.Actor{Role: problem.RoleDeputy, ID: auth.Id}
	}
	return problem.Actor{Role: problem.RoleGuest}
}

// canSee is the problems' read rule in Go: the office and the presidium
// see all, the deputy who raised one sees it, a unit what was forwarded to it.
func canSee(auth *core.Record, p *core.Record) bool {
	a := roleOf(auth)
	switch a.Role {
	case problem.RoleStaff, problem.RolePresidium:
		return true
	case problem.RoleDeputy:
		return p.GetString("deputy") == a.ID
	case problem.RoleUnit:
		return p.GetString("unit") == a.ID
	}
	return false
}

func findVisible(e *core.RequestEvent) (*core.Record, error) {
	if e.Auth == nil {
		return nil, e.UnauthorizedError("请先登录。", nil)
	}
	p, err := e.App.FindRecordById("problems", e.Request.PathValue("id"))
	if err != nil || !canSee(e.Auth, p) {
		return nil, e.NotFoundError("问题不存在。", nil)
	}
	return p, nil
}

func handleAction(e *core.RequestEvent) error {
	kind := problem.ActionKind(e.Request.PathValue("action"))
	switch kind {
	case problem.ActForward, problem.ActAnswer, problem.ActClose, problem.ActReopen:
	default:
		return e.NotFoundError("没有这个办理步骤。", nil)
	}
	p, err := findVisible(e)
	if err != nil {
		return err
	}
	var body struct {
		Unit        string `json:"unit"`
		ForwardedTo string `json:"forwarded_to"`
		Reply       string `json:"reply"`
		Reason      string `json:"reason"`
	}
	if e.Request.ContentLength != 0 {
		if err := e.BindBody(&body); err != nil {
			return e.BadRequestError("请求格式错误。", err)
		}
	}
	act := problem.Action{Kind: kind, Unit: strings.TrimSpace(body.Unit), UnitName: strings.TrimSpace(body.ForwardedTo),
		Reply: strings.TrimSpace(body.Reply), Reason: strings.TrimSpace(body.Reason)}
	if kind == problem.ActForward && act.Unit != "" {
		u, err := e.App.FindRecordById("units", act.Unit)
		if err != nil || !u.GetBool("active") {
			return e.BadRequestError("承办单位不存在。", fielderr.New("unit", "validation_unit", "请选择在册的承办单位。"))
		}
		if act.UnitName == "" {
			act.UnitName = u.GetString("name")
		}
	}
	if kind == problem.ActAnswer && len([]rune(act.Reply)) > 2000 {
		return e.BadRequestError("答复太长。", fielderr.New("reply", "validation_length", "答复不能超过2000字。"))
	}
	cfg, err := loadConfig(e.App)
	if err != nil {
		return err
	}
	cal, err := calendar.Of(e.App)
	if err != nil {
		return err
	}
	next, refusal := problem.Apply(stateOf(p), act, roleOf(e.Auth), cfg, cal, time.Now())
	if refusal != nil {
		errs := fieldErrors(refusal.Fields)
		if refusal.Forbidden {
			return e.ForbiddenError(refusal.Error(), errs)
		}
		return e.BadRequestError(refusal.Error(), errs)
	}
	before := p.Clone()
	writeState(p, next)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := saveAs(tx, p, actorOf(e.Auth)); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: audit.ActionUpdate,
			Collection: "problems", RecordID: p.Id, Reason: act.Reason,
			Changes: audit.Diff(before, p, "status", "unit", "forwarded_to", "deadline", "reply", "reopen_reason")})
	})
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		return e.BadRequestError("不能办理。", verrs)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, p)
}

// Event is one step of a problem, as the timeline shows it.
type Event struct {
	Action     string `json:"action"`
	Status     string `json:"status"`
	At         string `json:"at"`
	ActorLabel string `json:"actor_label"`
	Note       string `json:"note"`
	Deadline   string `json:"deadline"`
}

// Timeline is every step of problem id, oldest first.
func Timeline(app core.App, id string) ([]Event, error) {
	var out []Event
	err := app.DB().Select("action", "status", "at", "actor_label", "note", "deadline").From("problem_events").
		Where(dbx.HashExp{"problem": id}).OrderBy("at", "rowid").All(&out)
	if out == nil {
		out = []Event{}
	}
	return out, err
}

func handleTimeline(e *core.RequestEvent) error {
	p, err := findVisible(e)
	if err != nil {
		return err
	}
	events, err := Timeline(e.App, p.Id)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"problem": p, "events": events})
}
