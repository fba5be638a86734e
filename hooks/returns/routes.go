package returns

import (
	"database/sql"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/problems"
	"simeng/hooks/proposals"
	"simeng/unitreturn"
)

func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		office := access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以处理退办申请。")
		se.Router.POST("/api/units/me/returns", handleRequest)
		se.Router.GET("/api/returns", handleList).BindFunc(office)
		se.Router.POST("/api/returns/{id}/decide", handleDecide).BindFunc(office)
		return se.Next()
	})
}

func refusal(e *core.RequestEvent, r *unitreturn.Refusal) error {
	errs := fielderr.New(r.Field, "validation_return_"+r.Field, r.Msg)
	if r.Forbidden {
		return e.ForbiddenError(r.Msg, errs)
	}
	return e.BadRequestError(r.Msg, errs)
}

type requestBody struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// handleRequest is a unit's 申请退办.
func handleRequest(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("请以承办单位身份登录。", nil)
	}
	if !access.IsUnit(e.Auth) {
		return e.ForbiddenError("只有承办单位可以申请退办。", fielderr.New("id", "validation_not_unit", "只有承办单位可以申请退办"))
	}
	var in requestBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("请求格式错误。", fielderr.New("reason", "validation_invalid", "请求格式错误，请重新填写"))
	}
	kind := unitreturn.Kind(in.Kind)
	if !kind.Valid() {
		return refusal(e, &unitreturn.Refusal{Field: "kind", Msg: "只有议案建议、急难愁盼问题、监督通报整改事项和隐患整改可以申请退办"})
	}
	it, err := load(e.App, kind, in.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return refusal(e, &unitreturn.Refusal{Field: "id", Msg: "这不是交办给本单位的事项，不能申请退办", Forbidden: true})
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	cal, err := calendar.Of(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	limit, now := LimitWorkdays(e.App), time.Now()
	if r := unitreturn.Check(it.rule, unitreturn.Request{Unit: e.Auth.Id, Reason: in.Reason}, cal, limit, now); r != nil {
		return refusal(e, r)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	rec := core.NewRecord(col)
	rec.Load(map[string]any{
		"kind": string(kind), "record_id": it.rec.Id, "title": cut(it.title, 200), "unit": e.Auth.Id,
		"reason": unitreturn.CleanReason(in.Reason), "assigned_at": it.rule.AssignedAt,
		"last_day": unitreturn.LastDay(cal, it.rule.AssignedAt, limit), "status": string(unitreturn.Pending),
	})
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "unit_return", Collection: collections[kind],
			RecordID: it.rec.Id, Reason: rec.GetString("reason"),
			Changes: map[string][2]any{"return": {nil, rec.Id}, "status": {nil, string(unitreturn.Pending)}}})
	})
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, view(e.App, rec))
}

// entry is a request as the office's screen reads it.
type entry struct {
	ID            string `json:"id"`
	Kind          string `json:"kind"`
	KindLabel     string `json:"kind_label"`
	RecordID      string `json:"record_id"`
	Title         string `json:"title"`
	Unit          string `json:"unit"`
	UnitName      string `json:"unit_name"`
	Reason        string `json:"reason"`
	Status        string `json:"status"`
	StatusLabel   string `json:"status_label"`
	Asked         string `json:"asked"` // China date and time
	AssignedAt    string `json:"assigned_at"`
	NewUnit       string `json:"new_unit,omitempty"`
	NewUnitName   string `json:"new_unit_name,omitempty"`
	NewDeadline   string `json:"new_deadline,omitempty"`
	Note          string `json:"note,omitempty"`
	DecidedBy     string `json:"decided_by,omitempty"`
	DecidedAt     string `json:"decided_at,omitempty"`
	TypedDeadline bool   `json:"typed_deadline"` // the office types the new deadline (rectification, hazard)
}

func unitName(app core.App, id string) string {
	if id == "" {
		return ""
	}
	u, err := app.FindRecordById("units", id)
	if err != nil {
		return ""
	}
	return u.GetString("name")
}

func dateOf(r *core.Record, field string) string {
	t := r.GetDateTime(field)
	if t.IsZero() {
		return ""
	}
	return chinatime.Date(t.Time())
}

func view(app core.App, r *core.Record) entry {
	k, s := unitreturn.Kind(r.GetString("kind")), unitreturn.Status(r.GetString("status"))
	out := entry{ID: r.Id, Kind: string(k), KindLabel: k.Label(), RecordID: r.GetString("record_id"), Title: r.GetString("title"),
		Unit: r.GetString("unit"), UnitName: unitName(app, r.GetString("unit")), Reason: r.GetString("reason"),
		Status: string(s), StatusLabel: s.Label(), AssignedAt: dateOf(r, "assigned_at"),
		NewUnit: r.GetString("new_unit"), NewUnitName: unitName(app, r.GetString("new_unit")), NewDeadline: dateOf(r, "new_deadline"),
		Note: r.GetString("note"), DecidedBy: r.GetString("decided_by"), DecidedAt: dateOf(r, "decided_at"),
		TypedDeadline: unitreturn.TypedDeadline(k)}
	if c := r.GetDateTime("created"); !c.IsZero() {
		out.Asked = chinatime.In(c.Time()).Format("2006-01-02 15:04")
	}
	return out
}

// handleList is the office's list: requests waiting first (oldest first:
// the unit's clock runs), then the last 100 decided, newest first.
func handleList(e *core.RequestEvent) error {
	waiting, err := e.App.FindRecordsByFilter(Collection, "status = 'pending'", "created", 0, 0)
	if err != nil {
		return e.InternalServerError("", err)
	}
	decided, err := e.App.FindRecordsByFilter(Collection, "status != 'pending'", "-decided_at", 100, 0)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]entry, 0, len(waiting)+len(decided))
	for _, r := range append(waiting, decided...) {
		items = append(items, view(e.App, r))
	}
	sort.SliceStable(items, func(i, j int) bool {
		return items[i].Status == string(unitreturn.Pending) && items[j].Status != string(unitreturn.Pending)
	})
	return e.JSON(http.StatusOK, map[string]any{"pending": len(waiting), "items": items, "limit_workdays": LimitWorkdays(e.App)})
}

type decideBody struct {
	Decision string `json:"decision"` // reassigned or insisted
	Unit     string `json:"unit"`
	Deadline string `json:"deadline"` // China date, rectification items and hazards
	Note     string `json:"note"`
}

// handleDecide is the office's 改派 or 维持交办.
func handleDecide(e *core.RequestEvent) error {
	r, err := e.App.FindRecordById(Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("没有这个退办申请。", nil)
	}
	var in decideBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("请求格式错误。", fielderr.New("decision", "validation_invalid", "请求格式错误，请重新填写"))
	}
	kind := unitreturn.Kind(r.GetString("kind"))
	d := unitreturn.Decision{Outcome: unitreturn.Status(in.Decision), Unit: strings.TrimSpace(in.Unit), Note: strings.TrimSpace(in.Note)}
	if in.Deadline != "" {
		t, err := time.ParseInLocation("2006-01-02", in.Deadline, chinatime.Location())
		if err != nil {
			return refusal(e, &unitreturn.Refusal{Field: "deadline", Msg: "期限格式应如 2026-05-30"})
		}
		d.Deadline = t
	}
	now := time.Now()
	if ref := unitreturn.CheckDecision(kind, r.GetString("unit"), unitreturn.Status(r.GetString("status")), d, now); ref != nil {
		return refusal(e, ref)
	}
	if d.Outcome == unitreturn.Reassigned {
		if u, err := e.App.FindRecordById("units", d.Unit); err != nil || !u.GetBool("active") {
			return refusal(e, &unitreturn.Refusal{Field: "unit", Msg: "请选择在册的承办单位"})
		}
	}
	it, err := load(e.App, kind, r.GetString("record_id"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	if it.rule.Unit != r.GetString("unit") {
		return refusal(e, &unitreturn.Refusal{Field: "decision", Msg: "该事项已不在申请退办的单位手中（已改派、办结或撤回），请刷新"})
	}
	who := audit.ActorOf(e, "api")
	var stepRefused *unitreturn.Refusal
	err = e.App.RunInTransaction(func(tx core.App) error {
		if d.Outcome == unitreturn.Reassigned {
			ref, err := reassign(tx, kind, it, d, e.Auth, who, r.GetString("reason"), now)
			if err != nil {
				return err
			}
			if ref != nil {
				stepRefused = ref
				return errStep
			}
			r.Set("new_unit", d.Unit)
			r.Set("new_deadline", it.rec.GetDateTime("deadline"))
		}
		r.Set("status", string(d.Outcome))
		r.Set("note", d.Note)
		r.Set("decided_by", access.ActorLabel(e.Auth))
		r.Set("decided_at", types.NowDateTime())
		if err := tx.Save(r); err != nil {
			return err
		}
		action := "unit_return_insist"
		changes := map[string][2]any{"return": {r.Id, string(d.Outcome)}}
		if d.Outcome == unitreturn.Reassigned {
			action = "unit_return_reassign"
		}
		return audit.Write(tx, audit.Entry{Actor: who, Action: action, Collection: collections[kind], RecordID: it.rec.Id,
			Reason: d.Note, Changes: changes})
	})
	if errors.Is(err, errStep) {
		return refusal(e, stepRefused)
	}
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, view(e.App, r))
}

var errStep = errors.New("step refused")

// reassign moves the item to d.Unit in tx: proposals and problems through
// their own lifecycles (a 退回 and a new 交办, a new 转办), with deadlines
// by their rules; rectification items and hazards get the typed deadline.
// The unit and deadline change is audited here for all four.
func reassign(tx core.App, kind unitreturn.Kind, it *item, d unitreturn.Decision, by *core.Record, who audit.Actor, reason string, now time.Time) (*unitreturn.Refusal, error) {
	rec := it.rec
	oldUnit, oldDeadline := it.rule.Unit, rec.GetDateTime("deadline").String()
	switch kind {
	case unitreturn.Proposal:
		ref, err := proposals.Reassign(tx, rec, d.Unit, by, who, "退办："+reason, now)
		if err != nil {
			return nil, err
		}
		if ref != nil {
			field, msg := "unit", ref.Error()
			for f, m := range ref.Fields {
				field, msg = f, m
				break
			}
			if field == "main_unit" {
				field = "unit"
			}
			return &unitreturn.Refusal{Field: field, Msg: msg, Forbidden: ref.Forbidden}, nil
		}
	case unitreturn.Problem:
		rec.Set("unit", d.Unit)
		rec.Set("forwarded_to", "")
		if err := problems.SaveAs(tx, rec, by); err != nil {
			return nil, err
		}
	case unitreturn.Rectification, unitreturn.Hazard:
		rec.Set("unit", d.Unit)
		if kind == unitreturn.Hazard {
			rec.Set("responsible_unit", unitName(tx, d.Unit))
			rec.Set("escalated_to", "")
		}
		rec.Set("deadline", deadline.EndOfDay(d.Deadline))
		rec.Set("overdue", false)
		rec.Set("escalation", string(deadline.StageNone))
		rec.Set("escalated_at", "")
		if err := tx.Save(rec); err != nil {
			return nil, err
		}
	}
	return nil, audit.Write(tx, audit.Entry{Actor: who, Action: audit.ActionUpdate, Collection: collections[kind], RecordID: rec.Id,
		Reason: "退办改派：" + reason, Changes: map[string][2]any{"unit": {oldUnit, d.Unit},
			"deadline": {oldDeadline, rec.GetDateTime("deadline").String()}}})
}
