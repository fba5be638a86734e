package projects

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/evaluation"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
)

// 年终评议: every deputy rates every project of the year (满意度测评 with a
// comment) on an anonymous sheet, stored like a ballot; the results per
// project are published when staff close it.
//
//	POST /api/evaluations/{id}/open            staff: the year's chosen projects, every active deputy
//	POST /api/evaluations/{id}/sheet           a deputy, once: {"marks":[{"project","rating","comment"}]} → {"submitted":true}
//	POST /api/evaluations/{id}/paper/register  staff: a deputy who handed in a paper sheet {"deputy":id}
//	POST /api/evaluations/{id}/paper/sheets    staff: the paper sheets typed in {"sheets":[{"marks":[…]}]}
//	POST /api/evaluations/{id}/close           staff: aggregate and publish
//	GET  /api/evaluations/{id}/form            deputies, staff: the projects and whether the caller submitted
//	GET  /api/evaluations/{id}/results         deputies, staff, units: per project, once closed
func bindEvaluations(app core.App) {
	app.OnRecordCreateRequest(EvaluationsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range []string{"projects", "expected", "registered", "ignored", "opened_at", "closed_at", "results"} {
			e.Record.Set(f, nil)
		}
		e.Record.Set("status", "draft")
		return e.Next()
	})
	app.OnRecordUpdateRequest(EvaluationsCol).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range []string{"status", "projects", "expected", "registered", "ignored", "opened_at", "closed_at", "results"} {
			e.Record.Set(f, old.Get(f))
		}
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		office := access.RequireOffice("只有工作人员可以组织年终评议。")
		se.Router.POST("/api/evaluations/{id}/open", handleEvalOpen).BindFunc(office)
		se.Router.POST("/api/evaluations/{id}/close", handleEvalClose).BindFunc(office)
		se.Router.POST("/api/evaluations/{id}/paper/register", handleEvalPaperRegister).BindFunc(office)
		se.Router.POST("/api/evaluations/{id}/paper/sheets", handleEvalPaperSheets).BindFunc(office).Bind(apis.BodyLimit(2 << 20))
		se.Router.POST("/api/evaluations/{id}/sheet", handleSheet).BindFunc(access.RequireActiveDeputy).
			Bind(apis.SkipSuccessActivityLog(), apis.BodyLimit(256<<10))
		se.Router.GET("/api/evaluations/{id}/form", handleEvalForm)
		se.Router.GET("/api/evaluations/{id}/results", handleEvalResults)
		return se.Next()
	})
}

func findEval(e *core.RequestEvent) (*core.Record, error) {
	r, err := e.App.FindRecordById(EvaluationsCol, e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("年终评议不存在。", nil)
	}
	return r, nil
}

func evalTransition(e *core.RequestEvent, r *core.Record, action string, fields ...string) error {
	old := r.Fresh()
	return e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: action, Collection: EvaluationsCol,
			RecordID: r.Id, Changes: audit.Diff(old, r, fields...)})
	})
}

func handleEvalOpen(e *core.RequestEvent) error {
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, r, "draft", "只有准备中的年终评议可以开始"); err != nil {
		return err
	}
	projects, err := e.App.FindRecordsByFilter(Collection, "year = {:y} && (status = 'chosen' || status = 'in_progress' || status = 'done')",
		"rank,title", 0, 0, dbx.Params{"y": r.GetInt("year")})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(projects) == 0 {
		return e.BadRequestError("没有项目", fielderr.New("projects", "validation_required", "本年度还没有票决入选的民生实事项目"))
	}
	deputies, err := e.App.FindRecordsByFilter("deputies", "active = true", "name", 0, 0)
	if err != nil {
		return e.InternalServerError("", err)
	}
	ids, dep := []string{}, []string{}
	for _, p := range projects {
		ids = append(ids, p.Id)
	}
	for _, d := range deputies {
		dep = append(dep, d.Id)
	}
	r.Set("projects", ids)
	r.Set("expected", dep)
	r.Set("status", "open")
	r.Set("opened_at", time.Now())
	if err := evalTransition(e, r, "evaluation_open", "status", "projects"); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, r)
}

type sheetBody struct {
	Marks []evaluation.Mark `json:"marks"`
}

// handleSheet takes one deputy's sheet: the register row and the
// anonymous sheet in one transaction, once.
func handleSheet(e *core.RequestEvent) error {
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if r.GetString("status") != "open" {
		return e.BadRequestError("评议未在进行", fielderr.New("evaluation", "validation_not_open", "年终评议还没有开始或已经结束"))
	}
	if !slices.Contains(r.GetStringSlice("expected"), e.Auth.Id) {
		return fielderr.Forbidden("evaluation", "您不在本次年终评议的代表名单中")
	}
	var in sheetBody
	if err := json.NewDecoder(io.LimitReader(e.Request.Body, 256<<10)).Decode(&in); err != nil {
		return e.BadRequestError("评议表格式错误", fielderr.New("marks", "validation_invalid_body", "评议表格式错误"))
	}
	err = SubmitSheet(e.App, r, e.Auth.Id, in.Marks)
	var ve validation.Errors
	if errors.As(err, &ve) {
		return e.BadRequestError("评议表无效", ve)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"submitted": true})
}

// SubmitSheet takes deputy's 年终评议 sheet in the app for the open
// evaluation r: the marks checked, then the register row and the anonymous
// sheet in one transaction, once. The route and the demo use it.
func SubmitSheet(app core.App, r *core.Record, deputy string, marks []evaluation.Mark) error {
	marks, fe := evaluation.CheckSheet(marks, r.GetStringSlice("projects"))
	if fe != nil {
		return fielderr.New("marks", "validation_invalid_sheet", fe["marks"])
	}
	err := app.RunInTransaction(func(tx core.App) error {
		if err := register(tx, EvalRegister, "evaluation", r.Id, deputy, "app"); err != nil {
			return err
		}
		return dropSheet(tx, r.Id, marks)
	})
	if errors.Is(err, errAlreadyRegistered) {
		return fielderr.New("evaluation", "validation_already_submitted", "您已提交评议表，不能重复提交或修改")
	}
	return err
}

func handleEvalPaperRegister(e *core.RequestEvent) error {
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, r, "open", "只有评议中的年终评议可以登记纸质评议表"); err != nil {
		return err
	}
	var in deputyBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("请求格式错误", fielderr.New("deputy", "validation_invalid_body", "请求格式错误"))
	}
	if !slices.Contains(r.GetStringSlice("expected"), in.Deputy) {
		return e.BadRequestError("不在名单中", fielderr.New("deputy", "validation_not_expected", "这位代表不在本次年终评议的名单中"))
	}
	err = e.App.RunInTransaction(func(tx core.App) error { return register(tx, EvalRegister, "evaluation", r.Id, in.Deputy, "paper") })
	if errors.Is(err, errAlreadyRegistered) {
		return e.BadRequestError("已提交", fielderr.New("deputy", "validation_already_submitted", "这位代表已经提交评议表"))
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"registered": true})
}

type paperSheetsBody struct {
	Sheets []struct {
		Marks []evaluation.Mark `json:"marks"`
	} `json:"sheets"`
}

// handleEvalPaperSheets takes paper sheets as written: Aggregate counts
// each valid mark and reports the rest as ignored.
func handleEvalPaperSheets(e *core.RequestEvent) error {
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, r, "open", "只有评议中的年终评议可以录入纸质评议表"); err != nil {
		return err
	}
	var in paperSheetsBody
	if err := e.BindBody(&in); err != nil || len(in.Sheets) == 0 {
		return e.BadRequestError("请录入评议表", fielderr.New("sheets", "validation_required", "请录入纸质评议表"))
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		typed, paper, err := paperTyped(tx, EvalRegister, "evaluation_urn", "evaluation", r.Id)
		if err != nil {
			return err
		}
		if typed+int64(len(in.Sheets)) > paper {
			return fielderr.New("sheets", "validation_too_many", "录入的纸质评议表多于登记提交纸质评议表的代表（"+strconv.FormatInt(paper, 10)+" 人）")
		}
		for _, s := range in.Sheets {
			if err := dropSheet(tx, r.Id, s.Marks); err != nil {
				return err
			}
		}
		return nil
	})
	var ve validation.Errors
	if errors.As(err, &ve) {
		return e.BadRequestError("纸质评议表过多", ve)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"entered": len(in.Sheets)})
}

// ProjectEvaluation is one project's published result.
type ProjectEvaluation struct {
	Project          string   `json:"project"`
	Title            string   `json:"title"`
	Satisfied        int      `json:"satisfied"`
	Basic            int      `json:"basic"`
	Unsatisfied      int      `json:"unsatisfied"`
	Rated            int      `json:"rated"`
	SatisfactionRate *float64 `json:"satisfaction_rate"`
	FullRate         *float64 `json:"full_satisfaction_rate"`
	Comments         []string `json:"comments,omitempty"`
}

func evalRate(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

func handleEvalClose(e *core.RequestEvent) error {
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, r, "open", "只有评议中的年终评议可以结束"); err != nil {
		return err
	}
	if err := CloseEvaluation(e.App, r, audit.ActorOf(e, "api")); err != nil {
		return e.InternalServerError("", err)
	}
	checkpoint(e.App)
	return e.JSON(http.StatusOK, r)
}

// CloseEvaluation ends the open evaluation r and publishes each project's
// result (counts and rates on the project, comments on the evaluation), in
// one transaction audited as actor. The route and the demo use it.
func CloseEvaluation(app core.App, r *core.Record, actor audit.Actor) error {
	return app.RunInTransaction(func(tx core.App) error {
		ss, err := sheets(tx, r.Id)
		if err != nil {
			return err
		}
		results, ignored := evaluation.Aggregate(r.GetStringSlice("projects"), ss)
		registered, err := tx.CountRecords(EvalRegister, dbx.HashExp{"evaluation": r.Id})
		if err != nil {
			return err
		}
		var published []ProjectEvaluation
		for _, res := range results {
			p, err := tx.FindRecordById(Collection, res.Project)
			if err != nil {
				return err
			}
			pe := ProjectEvaluation{Project: p.Id, Title: p.GetString("title"), Satisfied: res.Satisfied, Basic: res.Basic,
				Unsatisfied: res.Unsatisfied, Rated: res.Rated(), SatisfactionRate: evalRate(res.SatisfactionRate()),
				FullRate: evalRate(res.FullSatisfactionRate()), Comments: res.Comments}
			published = append(published, pe)
			summary := pe
			summary.Comments = nil
			p.Set("evaluation", summary)
			if err := tx.Save(p); err != nil {
				return err
			}
		}
		old := r.Fresh()
		r.Set("results", published)
		r.Set("ignored", ignored)
		r.Set("registered", registered)
		r.Set("status", "closed")
		r.Set("closed_at", time.Now())
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: actor, Action: "evaluation_close", Collection: EvaluationsCol,
			RecordID: r.Id, Changes: audit.Diff(old, r, "status", "registered")})
	})
}

func handleEvalForm(e *core.RequestEvent) error {
	role := access.Of(e.Auth)
	if !role.IsActiveDeputy() && !role.IsOffice() {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		return e.ForbiddenError("只有代表和工作人员可以查看评议表。", nil)
	}
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if r.GetString("status") == "draft" && !role.IsOffice() {
		return e.NotFoundError("年终评议不存在。", nil)
	}
	projects := []map[string]any{}
	for _, id := range r.GetStringSlice("projects") {
		p, err := e.App.FindRecordById(Collection, id)
		if err != nil {
			continue
		}
		projects = append(projects, map[string]any{"id": p.Id, "title": p.GetString("title"), "progress_pct": p.GetInt("progress_pct"),
			"status": p.GetString("status"), "budget": p.GetFloat("budget"), "spent": p.GetFloat("spent")})
	}
	out := map[string]any{"id": r.Id, "title": r.GetString("title"), "year": r.GetInt("year"), "status": r.GetString("status"), "projects": projects}
	if role.IsActiveDeputy() {
		n, err := e.App.CountRecords(EvalRegister, dbx.HashExp{"evaluation": r.Id, "deputy": e.Auth.Id})
		if err != nil {
			return e.InternalServerError("", err)
		}
		out["submitted"] = n > 0
		out["may_submit"] = slices.Contains(r.GetStringSlice("expected"), e.Auth.Id)
	}
	return e.JSON(http.StatusOK, out)
}

func handleEvalResults(e *core.RequestEvent) error {
	role := access.Of(e.Auth)
	if !role.IsActiveDeputy() && !role.IsOffice() && role != access.Unit {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		return e.ForbiddenError("无权查看。", nil)
	}
	r, err := findEval(e)
	if err != nil {
		return err
	}
	if r.GetString("status") != "closed" {
		return e.BadRequestError("评议未结束", fielderr.New("status", "validation_not_closed", "年终评议结束后公布结果"))
	}
	var results []ProjectEvaluation
	raw, _ := json.Marshal(r.Get("results"))
	_ = json.Unmarshal(raw, &results)
	if role == access.Unit {
		// A unit reads its own projects' results, comments included.
		mine := []ProjectEvaluation{}
		for _, res := range results {
			if p, err := e.App.FindRecordById(Collection, res.Project); err == nil && p.GetString("unit") == e.Auth.Id {
				mine = append(mine, res)
			}
		}
		results = mine
	}
	return e.JSON(http.StatusOK, map[string]any{"id": r.Id, "title": r.GetString("title"), "year": r.GetInt("year"),
		"registered": r.GetInt("registered"), "expected": len(r.GetStringSlice("expected")), "ignored": r.GetInt("ignored"), "results": results})
}
