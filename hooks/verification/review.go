package verification

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/plausibility"
)

// The presidium's review of flagged visits: accepted with a note, or not
// counted with a reason the deputy sees and can answer. Nothing is
// deleted; each decision is a visit_reviews row, the visit's review
// fields, and an audit entry, in one transaction.

// Review decisions and the deputy's answer, as stored in visit_reviews.
const (
	DecisionAccepted   = string(plausibility.Accepted)
	DecisionNotCounted = string(plausibility.NotCounted)
	DecisionReopened   = "reopened"
	DecisionAnswer     = "answer"
)

const maxNote = 500

func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(guardSignatureUpload)
		g := se.Router.Group("/api/verification")
		g.GET("/review", handleReviewList)
		g.POST("/visits/{id}/review", handleReview)
		g.POST("/visits/{id}/answer", handleAnswer)
		g.GET("/visits/{id}", handleVisitChecks)
		g.GET("/callbacks", handleCallbackList)
		g.POST("/callbacks/{id}", handleCallbackResult)
		g.POST("/households/{id}/merge", handleMerge)
		return se.Next()
	})
}

// reviewer checks that e may review: the presidium or the office.
func reviewer(e *core.RequestEvent) error {
	switch role := access.Of(e.Auth); {
	case role == access.Guest:
		return e.UnauthorizedError("请先登录。", nil)
	case role == access.Former:
		return e.ForbiddenError("该账号已停用。", nil)
	case !role.IsPresidiumOrOffice():
		return e.ForbiddenError("只有主席团成员和工作人员可以审核走访。", nil)
	}
	return nil
}

type reviewBody struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

// handleReview: POST /api/verification/visits/{id}/review {decision, note}.
func handleReview(e *core.RequestEvent) error {
	if err := reviewer(e); err != nil {
		return err
	}
	visit, err := e.App.FindRecordById("visits", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("走访记录不存在。", nil)
	}
	if access.IsSelf(e.Auth, visit.GetString("deputy")) {
		return e.ForbiddenError("不能审核本人的走访。", fielderr.New("visit", "own_visit", "不能审核本人的走访，请由其他主席团成员审核。"))
	}
	var body reviewBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式不对。", fielderr.New("decision", "invalid_body", "请求应为 {\"decision\":…,\"note\":…}。"))
	}
	body.Note = strings.TrimSpace(body.Note)
	switch body.Decision {
	case DecisionAccepted, DecisionNotCounted, DecisionReopened:
	default:
		return e.BadRequestError("审核结果无效。", fielderr.New("decision", "invalid_decision", "审核结果应为 accepted（认可）、not_counted（不计入）或 reopened（重新审核）。"))
	}
	if body.Note == "" {
		msg := "请写明认可的说明。"
		if body.Decision == DecisionNotCounted {
			msg = "请写明不计入的理由，代表会看到并可以答复。"
		} else if body.Decision == DecisionReopened {
			msg = "请写明重新审核的原因。"
		}
		return e.BadRequestError(msg, fielderr.New("note", "validation_required", msg))
	}
	if utf8.RuneCountInString(body.Note) > maxNote {
		return e.BadRequestError("说明太长。", fielderr.New("note", "too_long", "说明不能超过500字。"))
	}
	newReview := body.Decision
	if newReview == DecisionReopened {
		newReview = ""
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		v, err := tx.FindRecordById("visits", visit.Id)
		if err != nil {
			return err
		}
		old := v.GetString("review")
		if err := appendReview(tx, v, body.Decision, body.Note, e.Auth); err != nil {
			return err
		}
		v.Set("review", newReview)
		v.Set("review_note", body.Note)
		if err := tx.Save(v); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "verification"), Action: "review",
			Collection: "visits", RecordID: v.Id, Changes: map[string][2]any{"review": {old, newReview}}, Reason: body.Note})
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"visit": visit.Id, "review": newReview, "note": body.Note})
}

// handleAnswer: POST /api/verification/visits/{id}/answer {text}: the
// visit's deputy answers a review.
func handleAnswer(e *core.RequestEvent) error {
	switch role := access.Of(e.Auth); {
	case role == access.Guest:
		return e.UnauthorizedError("请先登录。", nil)
	case !role.IsActiveDeputy():
		return e.ForbiddenError("只有走访的代表本人可以答复。", nil)
	}
	visit, err := e.App.FindRecordById("visits", e.Request.PathValue("id"))
	if err != nil || visit.GetString("deputy") != e.Auth.Id {
		return e.ForbiddenError("只能答复本人走访的审核。", fielderr.New("visit", "forbidden", "只能答复本人走访的审核。"))
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式不对。", fielderr.New("text", "invalid_body", "请求应为 {\"text\":…}。"))
	}
	body.Text = strings.TrimSpace(body.Text)
	if body.Text == "" {
		return e.BadRequestError("请写下答复。", fielderr.New("text", "validation_required", "请写下答复。"))
	}
	if utf8.RuneCountInString(body.Text) > maxNote {
		return e.BadRequestError("答复太长。", fielderr.New("text", "too_long", "答复不能超过500字。"))
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := appendReview(tx, visit, DecisionAnswer, body.Text, e.Auth); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "verification"), Action: "answer",
			Collection: "visits", RecordID: visit.Id, Reason: body.Text})
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"visit": visit.Id, "answer": body.Text})
}

func appendReview(tx core.App, visit *core.Record, decision, note string, auth *core.Record) error {
	col, err := tx.FindCachedCollectionByNameOrId("visit_reviews")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("visit", visit.Id)
	r.Set("deputy", visit.GetString("deputy"))
	r.Set("decision", decision)
	r.Set("note", note)
	r.Set("by", access.ActorName(auth))
	if auth != nil {
		r.Set("by_id", auth.Id)
	}
	r.Set("at", types.NowDateTime())
	return tx.Save(r)
}

// checkItem is one flagged visit in the review list.
type checkItem struct {
	Visit      string       `json:"visit"`
	Deputy     string       `json:"deputy"`
	DeputyName string       `json:"deputy_name"`
	Village    string       `json:"village"`
	Household  string       `json:"household"` // head of household, masked
	VisitedAt  string       `json:"visited_at"`
	ReceivedAt string       `json:"received_at"`
	Review     string       `json:"review"`
	ReviewNote string       `json:"review_note"`
	Callback   string       `json:"callback"`
	Confirmed  string       `json:"confirmed_by,omitempty"` // the confirming name, masked
	Flags      []flagItem   `json:"flags"`
	History    []reviewItem `json:"history"`
}

type flagItem struct {
	Kind    string   `json:"kind"`
	Label   string   `json:"label"`
	Reason  string   `json:"reason"`
	Status  string   `json:"status"`
	Related []string `json:"related"`

	raisedAt string
}

type reviewItem struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
	By       string `json:"by"`
	At       string `json:"at"`
}

// handleReviewList: GET /api/verification/review?status=pending|decided|all&kind=&deputy=
func handleReviewList(e *core.RequestEvent) error {
	if err := reviewer(e); err != nil {
		return err
	}
	q := e.Request.URL.Query()
	status := q.Get("status")
	if status == "" {
		status = "pending"
	}
	if status != "pending" && status != "decided" && status != "all" {
		return e.BadRequestError("筛选条件无效。", fielderr.New("status", "invalid_status", "status 应为 pending、decided 或 all。"))
	}
	where := dbx.And(dbx.NewExp(openFlagsWhere("v.flags")))
	switch status {
	case "pending":
		where = dbx.And(where, dbx.NewExp("v.review = ''"))
	case "decided":
		where = dbx.And(where, dbx.NewExp("v.review != ''"))
	}
	if k := q.Get("kind"); k != "" {
		if plausibility.Kind(k).Label() == "" {
			return e.BadRequestError("提示种类无效。", fielderr.New("kind", "invalid_kind", "没有这种核查提示。"))
		}
		where = dbx.And(where, dbx.NewExp("json_valid(v.flags) AND EXISTS (SELECT 1 FROM json_each(v.flags) WHERE json_each.value ->> 'kind' = {:k})", dbx.Params{"k": k}))
	}
	if d := q.Get("deputy"); d != "" {
		where = dbx.And(where, dbx.HashExp{"v.deputy": d})
	}
	items, err := loadChecks(e.App, where, 200)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"status": status, "items": items})
}

// handleVisitChecks: GET /api/verification/visits/{id}: a visit's flags
// and review history, for its deputy, the presidium and the office.
func handleVisitChecks(e *core.RequestEvent) error {
	role := access.Of(e.Auth)
	if role == access.Guest {
		return e.UnauthorizedError("请先登录。", nil)
	}
	visit, err := e.App.FindRecordById("visits", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("走访记录不存在。", nil)
	}
	if !role.IsPresidiumOrOffice() && !(role.IsActiveDeputy() && e.Auth.Id == visit.GetString("deputy")) {
		return e.ForbiddenError("只能查看本人走访的核查情况。", nil)
	}
	items, err := loadChecks(e.App, dbx.HashExp{"v.id": visit.Id}, 1)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(items) == 0 {
		return e.InternalServerError("", errors.New("verification: visit vanished"))
	}
	return e.JSON(http.StatusOK, items[0])
}
