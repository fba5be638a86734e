package deliberation

import (
	"bytes"
	"embed"
	"errors"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/internal/publicpage"
	"simeng/topic"
)

//go:embed pages
var pagesFS embed.FS

var topicPage = publicpage.New(pagesFS, "pages/topic.html")

// The public page lists the latest approved comments, each cut to a
// length, so that with the longest background and conclusion it stays
// within 30 KB gzipped on 2G (TestTopicPageSizeBudget).
const (
	shownComments     = 12
	shownCommentRunes = 400
)

// maxCommentBody bounds the form's body; the form has no file.
const maxCommentBody = 16 << 10

func bindPublicPage(app core.App, d *desk) {
	gate := &publicpage.Gate{Guard: d.guard, Form: publicpage.FormTopicComment, KeepIP: true, Button: "提交意见"}
	// A topic's page is the same for every resident but the form token: kept
	// rendered and compressed per code, forgotten when a topic, an approved
	// comment or a name on it changes, and at the topic's deadline.
	pages := pagecache.New(app, topicsCollection, commentsCollection, "villages", "deputies")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		r := se.Router
		r.GET("/topic/{code}", func(e *core.RequestEvent) error { return showTopic(e, gate, pages) }) // kept gzipped (pages)
		r.POST("/topic/{code}", func(e *core.RequestEvent) error { return commentOnTopic(e, gate) }).
			Bind(apis.BodyLimit(maxCommentBody), apis.Gzip())
		r.GET("/topic/{code}/qr.png", func(e *core.RequestEvent) error { return topicQR(e, false) })
		r.GET("/topic/{code}/qr.svg", func(e *core.RequestEvent) error { return topicQR(e, true) }).Bind(apis.Gzip())
		r.GET("/topic/{code}/files/{name}", topicFile)
		return se.Next()
	})
}

var codePattern = regexp.MustCompile(`^[a-z0-9]{8,16}$`)

// publicTopic is the topic behind a public code, if residents are asked
// about it and it is no longer a draft.
func publicTopic(app core.App, code string) (*core.Record, error) {
	if !codePattern.MatchString(code) {
		return nil, errNotPublic
	}
	t, err := app.FindFirstRecordByFilter(topicsCollection, "code = {:code}", map[string]any{"code": code})
	if err != nil {
		return nil, errNotPublic
	}
	v := ruleView(t)
	if v.Status == topic.Draft || !v.Audience.HasResidents() {
		return nil, errNotPublic
	}
	return t, nil
}

var errNotPublic = errors.New("deliberation: no public topic with this code")

// commentForm is what a resident typed; it is shown again on any error.
type commentForm struct{ Body, Village string }

// showTopic answers with the kept page (its token spliced in), unless the
// resident is asked the question (challenge) or has just sent a comment
// (?sent=1): those pages are their own.
func showTopic(e *core.RequestEvent, gate *publicpage.Gate, pages *pagecache.Cache) error {
	code := e.Request.PathValue("code")
	now := time.Now()
	if !codePattern.MatchString(code) {
		return publicpage.NotFound(e, "议题")
	}
	if v := gate.Guard.Check(now, e.RealIP(), code, false); v.Challenge || e.Request.URL.Query().Get("sent") != "" {
		t, err := publicTopic(e.App, code)
		if err != nil {
			return publicpage.NotFound(e, "议题")
		}
		_, question, token := gate.Token(code, v.Challenge)
		data, err := topicData(e, t, commentForm{}, nil, "", question, token)
		if err != nil {
			return err
		}
		return topicPage.Serve(e, http.StatusOK, data)
	}
	page, err := pages.Get(code, func() (*pagecache.Page, error) {
		t, err := publicTopic(e.App, code)
		if err != nil {
			return nil, err
		}
		data, err := topicData(e, t, commentForm{}, nil, "", "", tokenHole)
		if err != nil {
			return nil, err
		}
		html, err := topicPage.HTML(e, data)
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(html, []byte(tokenHole)) { // closed: no form
			return pagecache.Whole(html)
		}
		p, err := pagecache.NewPage(html, tokenHole, len(gate.Guard.Issue(code, now, -1)))
		if err != nil {
			return nil, err
		}
		if deadline := ruleView(t).Deadline; deadline.After(now) {
			p.Until(deadline) // the form closes by itself then
		}
		return p, nil
	})
	if errors.Is(err, errNotPublic) {
		return publicpage.NotFound(e, "议题")
	}
	if err != nil {
		return err
	}
	topicPage.Headers(e)
	token := ""
	if page.HoleLen() > 0 {
		token = gate.Guard.Issue(code, now, -1)
	}
	return page.Write(e.Response, e.Request, http.StatusOK, token)
}

// tokenHole stands for the form token in a kept page.
const tokenHole = "simeng-form-token-hole"

type villageOption struct{ ID, Name string }

type shownComment struct{ Who, When, Body string }

func renderTopic(e *core.RequestEvent, status int, t *core.Record, f commentForm, errs map[string]string, message, question, token string) error {
	data, err := topicData(e, t, f, errs, message, question, token)
	if err != nil {
		return err
	}
	return topicPage.Render(e, status, data)
}

// topicData is what the topic's page shows.
func topicData(e *core.RequestEvent, t *core.Record, f commentForm, errs map[string]string, message, question, token string) (map[string]any, error) {
	app := e.App
	v := ruleView(t)
	now := time.Now()
	code := t.GetString("code")
	data := map[string]any{
		"Title":      t.GetString("title") + " · 云端议事",
		"Topic":      t.GetString("title"),
		"Audience":   v.Audience.Label(),
		"Background": t.GetString("background"),
		"Deadline":   chinaMinute(v.Deadline),
		"Open":       v.CommentRefusal(topic.ByResident, time.Time{}, now) == nil,
		"Closed":     v.Status == topic.Closed,
		"ClosedAt":   chinaMinute(t.GetDateTime("closed_at").Time()),
		"Conclusion": t.GetString("conclusion"),
		"Sent":       e.Request.URL.Query().Get("sent") != "",
		"Action":     "/topic/" + code,
		"Form":       f,
		"Errors":     errs,
		"Message":    message,
		"Question":   question,
		"Token":      token,
	}
	if o := t.GetString("outcome"); o != "" {
		data["Outcome"] = "本议题结论已" + topic.Outcome(o).Label() + "，由镇人大跟踪办理。"
	}
	var files []map[string]string
	for i, name := range t.GetStringSlice("attachments") {
		files = append(files, map[string]string{"Name": attachmentLabel(i, name), "URL": "/topic/" + code + "/files/" + name})
	}
	data["Files"] = files

	var villages []villageOption
	if recs, err := app.FindRecordsByFilter("villages", "", "name", 0, 0); err == nil {
		for _, r := range recs {
			villages = append(villages, villageOption{r.Id, r.GetString("name")})
		}
	}
	data["Villages"] = villages

	approved, err := app.FindRecordsByFilter(commentsCollection, "topic = {:t} && moderation = 'approved'", "-created", shownComments, 0,
		map[string]any{"t": t.Id})
	if err != nil {
		return nil, err
	}
	count, err := app.CountRecords(commentsCollection, dbx.HashExp{"topic": t.Id, "moderation": modApproved})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, vo := range villages {
		names[vo.ID] = vo.Name
	}
	var comments []shownComment
	for _, c := range approved {
		comments = append(comments, shownComment{
			Who:  commentAuthor(app, c, names),
			When: chinaMinute(c.GetDateTime("created").Time()),
			Body: publicpage.MaskPersonalNumbers(truncateRunes(c.GetString("body"), shownCommentRunes)),
		})
	}
	data["Comments"] = comments
	data["CommentCount"] = int(count)
	return data, nil
}

// commentAuthor says who wrote a comment on the public page: a deputy by
// name (deputies are public figures), a resident only by village.
func commentAuthor(app core.App, c *core.Record, villages map[string]string) string {
	if c.GetString("author") == string(topic.ByDeputy) {
		if dep, err := app.FindRecordById("deputies", c.GetString("deputy")); err == nil {
			return "人大代表 " + dep.GetString("name")
		}
		return "人大代表"
	}
	if name := villages[c.GetString("village")]; name != "" {
		return name + "群众"
	}
	return "群众"
}

func commentOnTopic(e *core.RequestEvent, gate *publicpage.Gate) error {
	t, err := publicTopic(e.App, e.Request.PathValue("code"))
	if err != nil {
		return publicpage.NotFound(e, "议题")
	}
	code := t.GetString("code")
	d, done, err := gate.Screen(e, code)
	if done {
		return err
	}
	f := commentForm{
		Body:    strings.TrimSpace(e.Request.FormValue("body")),
		Village: strings.TrimSpace(e.Request.FormValue("village")),
	}
	rerender := func(status int, errs map[string]string, message string) error {
		_, question, token := gate.Token(code, d.Challenge)
		if errs == nil && d.AnswerError != "" {
			errs = map[string]string{}
		}
		if d.AnswerError != "" {
			errs["answer"] = d.AnswerError
		}
		return renderTopic(e, status, t, f, errs, message, question, token)
	}
	if d.Redo {
		return rerender(d.Status, nil, d.Message)
	}
	if refusal := ruleView(t).CommentRefusal(topic.ByResident, time.Time{}, time.Now()); refusal != nil {
		return publicpage.Message(e, http.StatusBadRequest, "无法提交", refusal.Message, "/topic/"+code)
	}

	errs := map[string]string{}
	if n := utf8.RuneCountInString(f.Body); n < minResidentCommentRunes || n > maxResidentCommentRunes || !utf8.ValidString(f.Body) {
		errs["body"] = "请填写意见，5到500个字"
	}
	if f.Village != "" {
		if _, err := e.App.FindRecordById("villages", f.Village); err != nil {
			errs["village"] = "请从列表中选择村，或选“不选”"
			f.Village = ""
		}
	}
	if len(errs) > 0 {
		gate.Invalid(e, code, d, "内容不合格")
		return rerender(http.StatusBadRequest, errs, "")
	}

	col, err := e.App.FindCachedCollectionByNameOrId(commentsCollection)
	if err != nil {
		return err
	}
	c := core.NewRecord(col)
	c.Set("topic", t.Id)
	c.Set("body", f.Body)
	c.Set("village", f.Village)
	c.Set("moderation", modPending)
	c.Set("ip_hash", publicpage.IPHash(e.RealIP()))
	if err := e.App.Save(c); err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return rerender(http.StatusBadRequest, map[string]string{"form": "提交没有成功，请检查后再试"}, "")
		}
		e.App.Logger().Error("save resident topic comment", "topic", t.Id, "error", err.Error())
		return publicpage.Message(e, http.StatusInternalServerError, "系统繁忙", "提交没有成功，请稍后再试。", "/topic/"+code)
	}
	gate.Stored(e, code)
	return e.Redirect(http.StatusSeeOther, "/topic/"+code+"?sent=1")
}

func topicQR(e *core.RequestEvent, svg bool) error {
	t, err := publicTopic(e.App, e.Request.PathValue("code"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	return publicpage.SendQR(e, "/topic/"+t.GetString("code"), svg)
}

// topicFile serves an attachment of a public topic (the files are
// protected: deputies fetch them with a file token, residents through
// here, only for topics put to residents).
func topicFile(e *core.RequestEvent) error {
	t, err := publicTopic(e.App, e.Request.PathValue("code"))
	name := e.Request.PathValue("name")
	if err != nil || !slices.Contains(t.GetStringSlice("attachments"), name) {
		return e.NotFoundError("", nil)
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	h := e.Response.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	i := slices.Index(t.GetStringSlice("attachments"), name)
	return fsys.Serve(e.Response, e.Request, t.BaseFilesPath()+"/"+name, "附件"+strconv.Itoa(i+1)+path.Ext(name))
}

// attachmentLabel is what a resident sees of the i-th attachment: its
// number and kind (PocketBase keeps no Chinese file names).
func attachmentLabel(i int, stored string) string {
	kind := "文件"
	switch strings.ToLower(path.Ext(stored)) {
	case ".pdf":
		kind = "PDF"
	case ".jpg", ".jpeg", ".png", ".webp":
		kind = "图片"
	case ".doc", ".docx":
		kind = "Word"
	}
	return "附件" + strconv.Itoa(i+1) + "（" + kind + "）"
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// chinaMinute is t in China time to the minute, "" for none.
func chinaMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return chinatime.In(t).Format("2006年1月2日 15:04")
}
