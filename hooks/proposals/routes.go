package proposals

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/proposal"
	"simeng/syncrule"
)

// The routes (JSON, or multipart with the JSON in a "data" field and the
// files beside it):
//
//	POST /api/proposals                  deputy: a draft from the phone, {client_id, type, title, body, category, co_invited, action: invite|submit}; attachments
//	POST /api/proposals/{id}/{action}    invite, confirm, decline, submit, withdraw (deputies); register, classify, merge, assign, extend (presidium, staff); return, answer (main unit, staff; answer takes reply_files); rate (sponsor)
//	POST /api/proposals/{id}/opinions    a co-unit's 协办意见 {text}; files
//	GET  /api/proposals/{id}/timeline    whoever may read the proposal: its steps, names of deputies and units, the co-units' opinions for the main unit
//	GET  /api/proposals/rates?year=      presidium, staff: 办结率 and 满意率 for the year, per unit and per category
//	GET  /api/proposals/export.xlsx?year= presidium, staff: the 办理台账 and the rates, Chinese headers
const maxBody = 60 << 20

func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/proposals", createProposal).BindFunc(access.RequireActiveDeputy).Bind(apis.BodyLimit(maxBody))
		se.Router.POST("/api/proposals/{id}/opinions", handleOpinion).Bind(apis.BodyLimit(maxBody))
		se.Router.POST("/api/proposals/{id}/{action}", handleAction).Bind(apis.BodyLimit(maxBody))
		se.Router.GET("/api/proposals/{id}/timeline", handleTimeline)
		return se.Next()
	})
}

// body reads the request's JSON, or the JSON in the "data" field of a
// multipart request, into dst.
func body(e *core.RequestEvent, dst any) error {
	ct := e.Request.Header.Get("Content-Type")
	var raw []byte
	if strings.HasPrefix(ct, "multipart/form-data") {
		if err := e.Request.ParseMultipartForm(32 << 20); err != nil {
			return e.BadRequestError("请求格式错误", fielderr.New("data", "validation_invalid_body", "请求格式错误"))
		}
		raw = []byte(e.Request.FormValue("data"))
	} else if e.Request.ContentLength != 0 {
		var err error
		raw, err = io.ReadAll(e.Request.Body)
		if err != nil {
			return e.BadRequestError("请求格式错误", fielderr.New("data", "validation_invalid_body", "请求格式错误"))
		}
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return e.BadRequestError("请求格式错误", fielderr.New("data", "validation_invalid_json", "请求内容不是有效的 JSON，或字段类型不对"))
	}
	return nil
}

// files are the uploaded files of field (none is fine).
func files(e *core.RequestEvent, field string) ([]*filesystem.File, error) {
	if !strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, nil
	}
	fs, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	return fs, err
}

type draftBody struct {
	ClientID  string   `json:"client_id"`
	Type      string   `json:"type"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Category  string   `json:"category"`
	CoInvited []string `json:"co_invited"`
	Action    string   `json:"action"`
}

// createProposal stores a draft the sponsor sends from the phone, to
// invite co-sponsors or to submit at once. The phone's draft id
// (client_id) makes a retry the same proposal: the second answer is the
// first's record.
func createProposal(e *core.RequestEvent) error {
	var in draftBody
	if err := body(e, &in); err != nil {
		return err
	}
	if !syncrule.ValidID(in.ClientID) {
		return e.BadRequestError("草稿编号无效", fielderr.New("client_id", "validation_invalid_id", "草稿编号应为15位小写字母或数字（由手机生成）"))
	}
	if existing, err := e.App.FindFirstRecordByData(Collection, "client_id", in.ClientID); err == nil {
		if existing.GetString("sponsor") != e.Auth.Id {
			return e.BadRequestError("草稿编号已被使用", fielderr.New("client_id", "validation_taken", "这个草稿编号已被其他议案建议使用"))
		}
		return e.JSON(http.StatusOK, map[string]any{"proposal": existing, "already_have": true})
	}
	kind := proposal.ActionKind(in.Action)
	if kind != proposal.ActInvite && kind != proposal.ActSubmit {
		return e.BadRequestError("请选择提交或邀请附议", fielderr.New("action", "validation_invalid_action", "请选择「提交」或「邀请附议」"))
	}
	if err := checkDeputies(e.App, e.Auth.Id, in.CoInvited); err != nil {
		return e.BadRequestError("附议代表无效", err)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	rec := core.NewRecord(col)
	rec.Set("client_id", in.ClientID)
	rec.Set("type", in.Type)
	rec.Set("title", strings.TrimSpace(in.Title))
	rec.Set("body", strings.TrimSpace(in.Body))
	rec.Set("category", in.Category)
	rec.Set("sponsor", e.Auth.Id)
	rec.Set("round", 0)
	up, err := files(e, "attachments")
	if err != nil {
		return e.BadRequestError("附件读取失败", fielderr.New("attachments", "validation_invalid_file", "附件读取失败，请重新选择"))
	}
	if len(up) > 0 {
		rec.Set("attachments", up)
	}
	act := proposal.Action{Kind: kind, CoSponsors: in.CoInvited}
	// A draft lives on the phone: the rules start from it.
	refusal, err := applyStep(e.App, rec, act, actorOf(e.Auth), audit.ActorOf(e, "api"), access.ActorLabel(e.Auth), time.Now())
	if refusal != nil {
		return refusalError(e, refusal)
	}
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"proposal": rec, "already_have": false})
}

// checkDeputies refuses co-sponsors who are not active deputies.
func checkDeputies(app core.App, sponsor string, ids []string) validation.Errors {
	for _, id := range ids {
		d, err := app.FindRecordById("deputies", id)
		if err != nil || !d.GetBool("active") {
			return fielderr.New("co_sponsors", "validation_not_deputy", "邀请的附议代表不在现任代表名册中")
		}
	}
	return nil
}

// checkUnits refuses handling units that are not active units.
func checkUnits(app core.App, field string, ids ...string) validation.Errors {
	for _, id := range ids {
		if id == "" {
			continue
		}
		u, err := app.FindRecordById("units", id)
		if err != nil || !u.GetBool("active") {
			return fielderr.New(field, "validation_not_unit", "承办单位不在册或已停用")
		}
	}
	return nil
}

// canSee is the proposals' read rule in Go.
func canSee(auth, rec *core.Record) bool {
	role := access.Of(auth)
	switch {
	case role.IsOffice():
		return true
	case role == access.Unit:
		return rec.GetString("main_unit") == auth.Id || slices.Contains(rec.GetStringSlice("co_units"), auth.Id)
	case role.IsActiveDeputy():
		if rec.GetString("sponsor") == auth.Id || slices.Contains(rec.GetStringSlice("co_invited"), auth.Id) ||
			slices.Contains(rec.GetStringSlice("co_confirmed"), auth.Id) {
			return true
		}
		return role == access.Presidium && rec.GetString("status") != string(proposal.Inviting)
	}
	return false
}

// findVisible loads the proposal of the path, 404 when the caller may not read it.
func findVisible(e *core.RequestEvent) (*core.Record, error) {
	if e.Auth == nil {
		return nil, e.UnauthorizedError("请先登录。", nil)
	}
	rec, err := e.App.FindRecordById(Collection, e.Request.PathValue("id"))
	if err != nil || !canSee(e.Auth, rec) {
		return nil, e.NotFoundError("议案建议不存在。", nil)
	}
	return rec, nil
}

type actionBody struct {
	CoInvited  []string `json:"co_invited"`
	Outcome    string   `json:"outcome"`
	Reason     string   `json:"reason"`
	Category   string   `json:"category"`
	Grade      string   `json:"grade"`
	Main       string   `json:"main"`
	MainUnit   string   `json:"main_unit"`
	CoUnits    []string `json:"co_units"`
	Deadline   string   `json:"deadline"`
	ReplyClass string   `json:"reply_class"`
	Reply      string   `json:"reply"`
	Rating     string   `json:"rating"`
	Comment    string   `json:"comment"`
}

var routeActions = []proposal.ActionKind{
	proposal.ActInvite, proposal.ActConfirm, proposal.ActDecline, proposal.ActSubmit, proposal.ActWithdraw,
	proposal.ActRegister, proposal.ActClassify, proposal.ActMerge, proposal.ActAssign, proposal.ActExtend,
	proposal.ActReturn, proposal.ActAnswer, proposal.ActRate,
}

func handleAction(e *core.RequestEvent) error {
	kind := proposal.ActionKind(e.Request.PathValue("action"))
	if !slices.Contains(routeActions, kind) {
		return e.NotFoundError("没有这个办理步骤。", nil)
	}
	rec, err := findVisible(e)
	if err != nil {
		return err
	}
	if kind == proposal.ActReturn && access.IsUnit(e.Auth) {
		// A unit gives a proposal back through 退办 (hooks/returns): within
		// the limit, the office deciding; 退回 here is the office's own step.
		const msg = "请在交办事项中「申请退办」并写明理由，由镇人大办公室改派或维持交办"
		return e.ForbiddenError(msg, fielderr.New("reason", "validation_use_unit_return", msg))
	}
	var in actionBody
	if err := body(e, &in); err != nil {
		return err
	}
	act := proposal.Action{
		Kind: kind, CoSponsors: in.CoInvited, Outcome: proposal.Outcome(in.Outcome), Reason: strings.TrimSpace(in.Reason),
		Category: in.Category, Grade: proposal.Grade(in.Grade), MainUnit: in.MainUnit, CoUnits: in.CoUnits,
		ReplyClass: proposal.ReplyClass(in.ReplyClass), Reply: strings.TrimSpace(in.Reply),
		Rating: proposal.Rating(in.Rating), Comment: strings.TrimSpace(in.Comment),
	}
	switch kind {
	case proposal.ActInvite:
		if errs := checkDeputies(e.App, rec.GetString("sponsor"), in.CoInvited); errs != nil {
			return e.BadRequestError("附议代表无效", errs)
		}
	case proposal.ActAssign:
		if errs := checkUnits(e.App, "main_unit", in.MainUnit); errs != nil {
			return e.BadRequestError("主办单位无效", errs)
		}
		if errs := checkUnits(e.App, "co_units", in.CoUnits...); errs != nil {
			return e.BadRequestError("协办单位无效", errs)
		}
	case proposal.ActMerge:
		main, err := e.App.FindRecordById(Collection, in.Main)
		if err != nil || in.Main == "" {
			return e.BadRequestError("主件不存在", fielderr.New("main", "validation_not_found", "请选择并入的主件（已立案的议案建议）"))
		}
		m := fromRecord(main)
		act.Main = &m
	case proposal.ActExtend:
		d, err := time.ParseInLocation("2006-01-02", in.Deadline, chinatime.Location())
		if err != nil {
			return e.BadRequestError("期限无效", fielderr.New("deadline", "validation_invalid_date", "请填写新的期限，格式如 2026-05-30"))
		}
		act.Deadline = d
	case proposal.ActAnswer:
		up, err := files(e, "reply_files")
		if err != nil {
			return e.BadRequestError("附件读取失败", fielderr.New("reply_files", "validation_invalid_file", "附件读取失败，请重新选择"))
		}
		if len(up) > 0 {
			rec.Set("reply_files+", up)
		}
	}
	refusal, err := applyStep(e.App, rec, act, actorOf(e.Auth), audit.ActorOf(e, "api"), access.ActorLabel(e.Auth), time.Now())
	if refusal != nil {
		return refusalError(e, refusal)
	}
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	if kind == proposal.ActMerge {
		if err := bumpMain(e.App, in.Main); err != nil {
			return e.InternalServerError("", err)
		}
	}
	return e.JSON(http.StatusOK, rec)
}

// bumpMain touches the main proposal after a merge so that the merged
// proposal's sponsor, who now reads it, pulls it in a list sorted by
// updated.
func bumpMain(app core.App, id string) error {
	_, err := app.DB().NewQuery("UPDATE proposals SET updated = {:now} WHERE id = {:id}").
		Bind(map[string]any{"now": types.NowDateTime().String(), "id": id}).Execute()
	return err
}

type opinionBody struct {
	Text string `json:"text"`
}

// handleOpinion records a co-unit's 协办意见 for the main unit.
func handleOpinion(e *core.RequestEvent) error {
	if !access.IsUnit(e.Auth) && !access.IsOffice(e.Auth) {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		return e.ForbiddenError("只有协办单位可以提交协办意见。", nil)
	}
	rec, err := findVisible(e)
	if err != nil {
		return err
	}
	unitID := e.Auth.Id
	if access.IsOffice(e.Auth) {
		var probe struct {
			Unit string `json:"unit"`
		}
		if err := body(e, &probe); err != nil {
			return err
		}
		unitID = probe.Unit
	}
	if !slices.Contains(rec.GetStringSlice("co_units"), unitID) {
		return fielderr.Forbidden("unit", "只有协办单位可以提交协办意见；主办单位请直接答复")
	}
	if s := rec.GetString("status"); s != string(proposal.Assigned) {
		return e.BadRequestError("不在办理中", fielderr.New("status", "validation_status", "只有办理中的议案建议可以提交协办意见"))
	}
	var in opinionBody
	if err := body(e, &in); err != nil {
		return err
	}
	text := strings.TrimSpace(in.Text)
	if n := len([]rune(text)); n < proposal.ReplyMin || n > 5000 {
		return e.BadRequestError("意见无效", fielderr.New("text", "validation_length", "协办意见请写明本单位的办理情况（10至5000字）"))
	}
	col, err := e.App.FindCachedCollectionByNameOrId(OpinionsCol)
	if err != nil {
		return e.InternalServerError("", err)
	}
	op := core.NewRecord(col)
	op.Load(map[string]any{"proposal": rec.Id, "unit": unitID, "text": text})
	up, err := files(e, "files")
	if err != nil {
		return e.BadRequestError("附件读取失败", fielderr.New("files", "validation_invalid_file", "附件读取失败，请重新选择"))
	}
	if len(up) > 0 {
		op.Set("files", up)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(op); err != nil {
			return err
		}
		return writeEvent(tx, rec, "opinion", actorOf(e.Auth), access.ActorLabel(e.Auth), text, time.Now())
	})
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, op)
}
