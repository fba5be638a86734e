// Package assessment is the quantitative assessment (量化考核, R9/R10) and
// the 履职档案: rules as data (assessment_rules, assessment_settings)
// checked with package scoring, facts gathered from the other capabilities'
// records (facts_*.go), scores kept current by a rescore queue after each
// write, the dossiers, the ranking (亮分), the Excel export, year close and
// the `assessment` console command.
package assessment

import (
	"errors"
	"net/http"
	"strconv"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/yearlog"
	"simeng/scoring"
)

// Register wires the quantitative assessment (量化考核, R9): rules as
// data, scores kept current by hooks, and the 履职档案 views and exports.
//
//	POST /api/assessment/recompute           {"year":2026}  staff
//	POST /api/assessment/years/{year}/close   {"reason":…}  staff: freeze the year
//	POST /api/assessment/years/{year}/reopen  {"reason":…}  staff: reopen it, the snapshot kept
//	GET  /api/assessment/years/{year}/history               presidium, staff: closes and reopens
//	GET  /api/assessment/ranking?year=                      presidium, staff (亮分)
//	GET  /api/assessment/dossiers/{deputy}?year=            the deputy, presidium, staff
//	GET  /api/assessment/dossiers/{deputy}/print?year=      the same, as a printable page
//	GET  /api/assessment/export.xlsx?year=                  presidium, staff
func Register(app core.App) {
	bindAssessmentRules(app)
	// Scoring rules are staff data (R9): every change is audited.
	audit.Watch(app, "assessment_rules")
	audit.Watch(app, "assessment_settings")
	bindAssessmentScores(app)
	bindStationDutyActivities(app)
	bindCountingSetting(app)
	bindRecordedActivities(app) // facts_recorded.go: typed rows a year's records replace
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/assessment/recompute", assessmentRecompute)
		se.Router.POST("/api/assessment/years/{year}/close", assessmentClose)
		se.Router.POST("/api/assessment/years/{year}/reopen", assessmentReopen)
		se.Router.GET("/api/assessment/years/{year}/history", assessmentHistory)
		se.Router.GET("/api/assessment/ranking", assessmentRanking)
		se.Router.GET("/api/assessment/dossiers/{deputy}", assessmentDossier)
		se.Router.GET("/api/assessment/dossiers/{deputy}/print", assessmentPrint)
		se.Router.GET("/api/assessment/export.xlsx", assessmentExport)
		return se.Next()
	})
}

func assessmentRecompute(e *core.RequestEvent) error {
	if !access.IsOffice(e.Auth) {
		return e.ForbiddenError("只有工作人员可以重新计算考核得分", nil)
	}
	var body struct {
		Year int `json:"year"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式错误", err)
	}
	if body.Year == 0 {
		body.Year = chinatime.CurrentYear()
	}
	if err := checkYear(body.Year); err != nil {
		return e.BadRequestError("年度无效", validation.Errors{"year": err})
	}
	closed, err := scoresFrozen(e.App, body.Year)
	if err != nil {
		return err
	}
	if closed {
		return e.BadRequestError("该年度已关账", validation.Errors{"year": validation.NewError("validation_year_closed", "该年度已关账，得分已冻结")})
	}
	n, err := auditedYear(e.App, audit.ActorOf(e, "api"), audit.ActionRecompute, body.Year, "", RecomputeYear)
	if err != nil {
		return rulesError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": body.Year, "deputies": n})
}

func assessmentClose(e *core.RequestEvent) error {
	if !access.IsOffice(e.Auth) {
		return e.ForbiddenError("只有工作人员可以关账", nil)
	}
	year, err := pathYear(e)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if e.Request.ContentLength != 0 {
		if err := e.BindBody(&body); err != nil {
			return e.BadRequestError("请求格式错误", err)
		}
	}
	if len([]rune(body.Reason)) > yearlog.ReasonMax {
		return e.BadRequestError("理由太长", validation.Errors{"reason": validation.NewError("validation_length", "理由不能超过1000字")})
	}
	closed, err := scoresFrozen(e.App, year)
	if err != nil {
		return err
	}
	if closed {
		return e.BadRequestError("该年度已关账", validation.Errors{"year": validation.NewError("validation_year_closed", "该年度已关账，得分已冻结；如需更正，请先重新开账")})
	}
	n, err := auditedYear(e.App, audit.ActorOf(e, "api"), audit.ActionClose, year, body.Reason, func(tx core.App, year int) (int, error) {
		return CloseYearBy(tx, year, e.Auth, body.Reason)
	})
	if err != nil {
		return rulesError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "deputies": n, "frozen": true})
}

// assessmentReopen: staff only (not the presidium, not deputies), with a
// written reason; the closed snapshot stays in the year's history.
func assessmentReopen(e *core.RequestEvent) error {
	if !access.IsOffice(e.Auth) {
		if e.Auth == nil {
			return e.UnauthorizedError("请以工作人员身份登录。", nil)
		}
		return e.ForbiddenError("只有工作人员可以重新开账", nil)
	}
	year, err := pathYear(e)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式错误", err)
	}
	if err := yearlog.CheckReason(body.Reason); err != nil {
		return e.BadRequestError("请写明重新开账的理由", err)
	}
	var changes []yearlog.Change
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		if changes, err = ReopenYear(tx, year, e.Auth, body.Reason); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: ActionReopen, Collection: "assessment_scores",
			RecordID: strconv.Itoa(year), Changes: map[string][2]any{"deputies": {nil, len(changes)}}, Reason: body.Reason})
	})
	if errors.Is(err, ErrYearOpen) {
		return e.BadRequestError("该年度尚未关账", validation.Errors{"year": validation.NewError("validation_year_open", "该年度尚未关账，无需重新开账")})
	}
	if err != nil {
		return rulesError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "reopened": true, "changes": changes})
}

// assessmentHistory: every close and reopen of the year, of the
// assessment and of the visit logs (presidium, staff).
func assessmentHistory(e *core.RequestEvent) error {
	if !access.IsPresidiumOrOffice(e.Auth) {
		return e.ForbiddenError("只有主席团成员和工作人员可以查看关账记录", nil)
	}
	year, err := pathYear(e)
	if err != nil {
		return err
	}
	entries, err := yearlog.List(e.App, year)
	if err != nil {
		return err
	}
	closed, err := scoresFrozen(e.App, year)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "closed": closed, "items": entries})
}

func pathYear(e *core.RequestEvent) (int, error) {
	year, err := strconv.Atoi(e.Request.PathValue("year"))
	if err == nil {
		err = checkYear(year)
	}
	if err != nil {
		return 0, e.BadRequestError("年度无效", validation.Errors{"year": validation.NewError("validation_year", "年度无效")})
	}
	return year, nil
}

// ActionReopen is the audit trail's action of reopening a closed year.
const ActionReopen = "reopen"

// auditedYear runs a year's recompute or close and its audit entry in one
// transaction.
func auditedYear(app core.App, actor audit.Actor, action string, year int, reason string, run func(core.App, int) (int, error)) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		if n, err = run(tx, year); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: actor, Action: action, Collection: "assessment_scores",
			RecordID: strconv.Itoa(year), Changes: map[string][2]any{"deputies": {nil, n}}, Reason: reason})
	})
	return n, err
}

func assessmentRanking(e *core.RequestEvent) error {
	if !access.IsPresidiumOrOffice(e.Auth) {
		return e.ForbiddenError("只有主席团成员和工作人员可以查看排名", nil)
	}
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	rows, err := ranking(e.App, year)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []rankRow{}
	}
	changed := rulesChangedAt(e.App)
	anyStale := false
	for _, r := range rows {
		anyStale = anyStale || stale(r.ComputedAt, r.Frozen, changed)
	}
	// stale: some scores predate the last rule edit; staff should recompute
	return e.JSON(http.StatusOK, map[string]any{"year": year, "stale": anyStale, "rules_changed_at": changed, "items": rows})
}

func assessmentDossier(e *core.RequestEvent) error {
	d, err := oneDossier(e)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, d)
}

// oneDossier loads the dossier the path names, if the caller may see it:
// the deputy themself, any presidium member, staff.
func oneDossier(e *core.RequestEvent) (*dossier, error) {
	id := e.Request.PathValue("deputy")
	self := access.IsActiveDeputy(e.Auth) && access.IsSelf(e.Auth, id)
	if !self && !access.IsPresidiumOrOffice(e.Auth) {
		return nil, e.NotFoundError("", nil)
	}
	year, err := query.Year(e)
	if err != nil {
		return nil, err
	}
	ds, err := buildDossiers(e.App, year, []string{id})
	if err != nil {
		return nil, err
	}
	if len(ds) != 1 {
		return nil, e.NotFoundError("代表不存在", nil)
	}
	return &ds[0], nil
}

// rulesError reports a scheme that cannot score (possible only if the rule
// rows were changed behind the validation, e.g. in SQL) as a 400 naming the
// rule fields; anything else is a server error.
func rulesError(e *core.RequestEvent, err error) error {
	var verr scoring.ValidationError
	if errors.As(err, &verr) {
		return e.BadRequestError("考核规则有误，请在 assessment_rules 中修正："+verr.Error(), nil)
	}
	return err
}

func checkYear(year int) error {
	if year < 2000 || year > 2100 {
		return validation.NewError("validation_year", "年度应为 2000–2100 之间的整数")
	}
	return nil
}
