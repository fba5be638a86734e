package surveys

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/internal/publicpage"
	"simeng/pii"
	"simeng/survey"
)

//go:embed pages
var pagesFS embed.FS

var surveyPage = publicpage.New(pagesFS, "pages/survey.html")

// maxAnswerBody bounds a response: 20 questions of at most 500 characters.
const maxAnswerBody = 64 << 10

// The device's soft limit: a cookie listing the surveys answered on this
// phone (their public codes, nothing else: it names no one).
const (
	doneCookie     = "sv"
	doneCookieKeep = 30 // codes kept, newest last
)

func bindPublicPage(app core.App, d *desk) {
	// No address hash is tallied for surveys: a refused attempt next to an
	// answer could say who answered.
	gate := &publicpage.Gate{Guard: d.guard, Form: publicpage.FormSurvey, KeepIP: false, Button: "提交答卷"}
	// A survey's empty form is the same for every resident but the token:
	// kept rendered and compressed per code, forgotten when a survey or a
	// village changes, and when the survey closes.
	pages := pagecache.New(app, surveysCollection, "villages")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		r := se.Router
		r.GET("/survey/{code}", func(e *core.RequestEvent) error { return showSurvey(e, gate, pages) }) // kept gzipped (pages)
		r.POST("/survey/{code}", func(e *core.RequestEvent) error { return answerSurvey(e, gate) }).
			Bind(apis.BodyLimit(maxAnswerBody), apis.Gzip())
		r.GET("/survey/{code}/qr.png", func(e *core.RequestEvent) error { return surveyQR(e, false) })
		r.GET("/survey/{code}/qr.svg", func(e *core.RequestEvent) error { return surveyQR(e, true) }).Bind(apis.Gzip())
		return se.Next()
	})
}

var codePattern = regexp.MustCompile(`^[a-z0-9]{8,16}$`)

var errNotPublic = errors.New("surveys: no public survey with this code")

// publicSurvey is the survey behind a public code, once it left its draft.
func publicSurvey(app core.App, code string) (*core.Record, error) {
	if !codePattern.MatchString(code) {
		return nil, errNotPublic
	}
	s, err := app.FindFirstRecordByFilter(surveysCollection, "code = {:code}", dbx.Params{"code": code})
	if err != nil || s.GetString("status") == statusDraft {
		return nil, errNotPublic
	}
	return s, nil
}

// answerForm is what a resident sent, shown again on any error.
type answerForm struct {
	Values         map[string][]string
	Village, Phone string
}

// showSurvey answers with the kept form (its token spliced in), unless
// this phone already answered, the survey is over, or the resident is
// asked the question (challenge): those pages are their own.
func showSurvey(e *core.RequestEvent, gate *publicpage.Gate, pages *pagecache.Cache) error {
	code := e.Request.PathValue("code")
	now := time.Now()
	if !codePattern.MatchString(code) {
		return publicpage.NotFound(e, "调查")
	}
	if answered(e.Request, code) {
		s, err := publicSurvey(e.App, code)
		if err != nil {
			return publicpage.NotFound(e, "调查")
		}
		if e.Request.URL.Query().Get("done") != "" {
			return publicpage.Message(e, http.StatusOK, "提交成功", "感谢您参与「"+s.GetString("title")+"」！结果汇总后由镇人大主席团研究。", "")
		}
		return publicpage.Message(e, http.StatusOK, "您已参与过本次调查", "这部手机已经提交过「"+s.GetString("title")+"」的答卷，感谢参与！", "")
	}
	if v := gate.Guard.Check(now, e.RealIP(), code, false); v.Challenge {
		s, err := publicSurvey(e.App, code)
		if err != nil {
			return publicpage.NotFound(e, "调查")
		}
		if !acceptsAnswers(s, now) {
			return surveyOver(e, s)
		}
		_, question, token := gate.Token(code, true)
		return surveyPage.Serve(e, http.StatusOK, surveyData(e, s, answerForm{}, nil, "", question, token))
	}
	var over *core.Record
	page, err := pages.Get(code, func() (*pagecache.Page, error) {
		s, err := publicSurvey(e.App, code)
		if err != nil {
			return nil, err
		}
		if !acceptsAnswers(s, now) {
			over = s
			return nil, errOver
		}
		html, err := surveyPage.HTML(e, surveyData(e, s, answerForm{}, nil, "", "", tokenHole))
		if err != nil {
			return nil, err
		}
		p, err := pagecache.NewPage(html, tokenHole, len(gate.Guard.Issue(code, now, -1)))
		if err != nil {
			return nil, err
		}
		return p.Until(s.GetDateTime("closes_at").Time()), nil // it closes by itself then
	})
	switch {
	case errors.Is(err, errNotPublic):
		return publicpage.NotFound(e, "调查")
	case errors.Is(err, errOver):
		return surveyOver(e, over)
	case err != nil:
		return err
	}
	surveyPage.Headers(e)
	return page.Write(e.Response, e.Request, http.StatusOK, gate.Guard.Issue(code, now, -1))
}

// errOver: the survey takes no answers (closed, or past its closing time).
var errOver = errors.New("surveys: the survey takes no answers")

func surveyOver(e *core.RequestEvent, s *core.Record) error {
	return publicpage.Message(e, http.StatusOK, "本次调查已结束", "「"+s.GetString("title")+"」已经截止，感谢关注。", "")
}

// tokenHole stands for the form token in a kept page.
const tokenHole = "simeng-form-token-hole"

type optionView struct {
	Value, Label string
	Checked      bool
}

type questionView struct {
	N                     int
	ID, Kind, Title, Hint string
	Options               []optionView
	Text, Error           string
}

type villageOption struct{ ID, Name string }

func renderSurvey(e *core.RequestEvent, status int, s *core.Record, f answerForm, errs map[string]string, message, question, token string) error {
	return surveyPage.Render(e, status, surveyData(e, s, f, errs, message, question, token))
}

// surveyData is what the survey's page shows.
func surveyData(e *core.RequestEvent, s *core.Record, f answerForm, errs map[string]string, message, question, token string) map[string]any {
	var views []questionView
	for i, q := range questionsOf(s) {
		v := questionView{N: i + 1, ID: q.ID, Kind: string(q.Kind), Title: q.Title, Error: errs[q.ID]}
		switch q.Kind {
		case survey.Single:
			v.Hint = "单选"
		case survey.Multiple:
			v.Hint = "多选"
			if q.Max > 0 {
				v.Hint = fmt.Sprintf("多选，最多选%d项", q.Max)
			}
		case survey.Text:
			v.Hint = "简答"
		}
		if q.Required {
			v.Hint += "，必答"
		} else {
			v.Hint += "，可不答"
		}
		for j, o := range q.Options {
			value := fmt.Sprint(j)
			v.Options = append(v.Options, optionView{Value: value, Label: o, Checked: slices.Contains(f.Values[q.ID], value)})
		}
		if q.Kind == survey.Text && len(f.Values[q.ID]) > 0 {
			v.Text = f.Values[q.ID][0]
		}
		views = append(views, v)
	}
	villages, required := villageChoices(e.App, s)
	return map[string]any{
		"Title":           s.GetString("title") + " · 微调研",
		"Survey":          s.GetString("title"),
		"Intro":           s.GetString("intro"),
		"ClosesAt":        chinatime.In(s.GetDateTime("closes_at").Time()).Format("2006年1月2日 15:04"),
		"Action":          "/survey/" + s.GetString("code"),
		"Questions":       views,
		"Villages":        villages,
		"VillageRequired": required,
		"RequirePhone":    s.GetBool("require_phone"),
		"Form":            f,
		"Errors":          errs,
		"Message":         message,
		"Question":        question,
		"Token":           token,
	}
}

// villageChoices are the villages a resident picks from: the survey's own
// (then one is required), or every village (then it is optional).
func villageChoices(app core.App, s *core.Record) ([]villageOption, bool) {
	targeted := s.GetStringSlice("villages")
	recs, err := app.FindRecordsByFilter("villages", "", "name", 0, 0)
	if err != nil {
		return nil, len(targeted) > 0
	}
	var out []villageOption
	for _, r := range recs {
		if len(targeted) == 0 || slices.Contains(targeted, r.Id) {
			out = append(out, villageOption{r.Id, r.GetString("name")})
		}
	}
	return out, len(targeted) > 0
}

// ErrRepeat: a one-per-phone survey already has an answer from this number.
var ErrRepeat = errors.New("surveys: this phone number already answered")

func answerSurvey(e *core.RequestEvent, gate *publicpage.Gate) error {
	s, err := publicSurvey(e.App, e.Request.PathValue("code"))
	if err != nil {
		return publicpage.NotFound(e, "调查")
	}
	code := s.GetString("code")
	if !acceptsAnswers(s, time.Now()) {
		return publicpage.Message(e, http.StatusBadRequest, "本次调查已结束", "「"+s.GetString("title")+"」已经截止，答卷没有提交。", "")
	}
	d, done, err := gate.Screen(e, code)
	if done {
		return err
	}
	if answered(e.Request, code) {
		gate.Event(e, code, "repeat", d, "同一设备重复提交")
		return publicpage.Message(e, http.StatusOK, "您已参与过本次调查", "这部手机已经提交过「"+s.GetString("title")+"」的答卷，感谢参与！", "")
	}
	f := answerForm{
		Values:  map[string][]string(e.Request.PostForm),
		Village: strings.TrimSpace(e.Request.PostFormValue("village")),
		Phone:   strings.TrimSpace(e.Request.PostFormValue("phone")),
	}
	rerender := func(status int, errs map[string]string, message string) error {
		_, question, token := gate.Token(code, d.Challenge)
		if d.AnswerError != "" {
			if errs == nil {
				errs = map[string]string{}
			}
			errs["answer"] = d.AnswerError
		}
		return renderSurvey(e, status, s, f, errs, message, question, token)
	}
	if d.Redo {
		return rerender(d.Status, nil, d.Message)
	}

	qs := questionsOf(s)
	answers, errs := survey.Read(qs, f.Values)
	villages, required := villageChoices(e.App, s)
	switch {
	case f.Village == "" && required:
		errs["village"] = "请选择您所在的村"
	case f.Village != "" && !slices.ContainsFunc(villages, func(v villageOption) bool { return v.ID == f.Village }):
		errs["village"] = "请从列表中选择村"
		f.Village = ""
	}
	phone := ""
	if s.GetBool("require_phone") {
		phone = pii.NormalizeMobile(f.Phone)
		if !pii.ValidMobile(phone) {
			errs["phone"] = "手机号应为11位数字，例如 13812345678"
		}
	}
	if len(errs) == 0 && answers.Empty() {
		errs["form"] = "请至少回答一道题"
	}
	if len(errs) > 0 {
		gate.Invalid(e, code, d, "答卷不完整或不合格")
		return rerender(http.StatusBadRequest, errs, "")
	}

	err = RecordResponse(e.App, s.Id, answers, f.Village, phone)
	if errors.Is(err, ErrRepeat) {
		gate.Event(e, code, "repeat", d, "同一手机号重复提交")
		return rerender(http.StatusBadRequest, map[string]string{"phone": "该手机号已参与过本次调查，感谢参与"}, "")
	}
	if errors.Is(err, ErrClosed) {
		return publicpage.Message(e, http.StatusBadRequest, "本次调查已结束", "「"+s.GetString("title")+"」已经截止，答卷没有提交。", "")
	}
	if err != nil {
		e.App.Logger().Error("record survey response", "survey", s.Id, "error", err.Error())
		return publicpage.Message(e, http.StatusInternalServerError, "系统繁忙", "提交没有成功，请稍后再试。", "")
	}
	gate.Stored(e, code)
	markAnswered(e, code)
	return e.Redirect(http.StatusSeeOther, "/survey/"+code+"?done=1")
}

// ErrClosed: the survey no longer takes answers.
var ErrClosed = errors.New("surveys: closed")

// RecordResponse keeps a response, all of it or nothing: the phone's hash
// for a one-per-phone survey, the short texts each on a row of its own at
// a random place, and the choices added to the survey's counts. The public
// page calls it once the answers are checked (survey.Read); so do the demo
// and the tests. ErrRepeat: the phone number already answered; ErrClosed:
// the survey no longer takes answers.
func RecordResponse(app core.App, surveyID string, a survey.Answers, village, phone string) error {
	return app.RunInTransaction(func(tx core.App) error {
		s, err := tx.FindRecordById(surveysCollection, surveyID)
		if err != nil {
			return err
		}
		if !acceptsAnswers(s, time.Now()) {
			return ErrClosed
		}
		if phone != "" {
			key, err := phoneKey(s.Id, phone)
			if err != nil {
				return err
			}
			if n, err := tx.CountRecords(participationsCollection, dbx.HashExp{"survey": s.Id, "key": key}); err != nil {
				return err
			} else if n > 0 {
				return ErrRepeat
			}
			col, err := tx.FindCachedCollectionByNameOrId(participationsCollection)
			if err != nil {
				return err
			}
			p := core.NewRecord(col)
			p.Set("survey", s.Id)
			p.Set("key", key)
			if err := tx.Save(p); err != nil {
				return err
			}
			if err := scatter(tx, participationsCollection, p.Id); err != nil {
				return err
			}
		}
		qs := questionsOf(s)
		col, err := tx.FindCachedCollectionByNameOrId(textsCollection)
		if err != nil {
			return err
		}
		for _, q := range qs {
			text, ok := a.Texts[q.ID]
			if !ok {
				continue
			}
			r := core.NewRecord(col)
			r.Set("survey", s.Id)
			r.Set("question", q.ID)
			r.Set("village", village)
			r.Set("text", text)
			if err := tx.Save(r); err != nil {
				return err
			}
			if err := scatter(tx, textsCollection, r.Id); err != nil {
				return err
			}
		}
		// The counts are written on their own, not with a save of the
		// survey: no hook, no new "updated" time, no realtime message goes
		// out when someone answers.
		t := tallyOf(s)
		t.Add(qs, a, village)
		raw, err := json.Marshal(t)
		if err != nil {
			return err
		}
		_, err = tx.DB().Update(surveysCollection, dbx.Params{"tally": string(raw), "responses": t.Total()},
			dbx.HashExp{"id": s.Id}).Execute()
		return err
	})
}

// answered reports whether this phone's cookie says it answered code.
func answered(r *http.Request, code string) bool {
	c, err := r.Cookie(doneCookie)
	return err == nil && slices.Contains(strings.Split(c.Value, "."), code)
}

// markAnswered adds code to the phone's cookie of answered surveys.
func markAnswered(e *core.RequestEvent, code string) {
	var codes []string
	if c, err := e.Request.Cookie(doneCookie); err == nil {
		for _, x := range strings.Split(c.Value, ".") {
			if codePattern.MatchString(x) && x != code {
				codes = append(codes, x)
			}
		}
	}
	codes = append(codes, code)
	if len(codes) > doneCookieKeep {
		codes = codes[len(codes)-doneCookieKeep:]
	}
	http.SetCookie(e.Response, &http.Cookie{
		Name: doneCookie, Value: strings.Join(codes, "."), Path: "/survey/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: e.Request.TLS != nil,
	})
}

func surveyQR(e *core.RequestEvent, svg bool) error {
	s, err := publicSurvey(e.App, e.Request.PathValue("code"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	return publicpage.SendQR(e, "/survey/"+s.GetString("code"), svg)
}
