package publicpage

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/formguard"
)

// Gate runs the abuse guard on the POSTs of one public form, in the order
// of the suggestion form (hooks/suggestions, submitTo): refuse floods before
// any work, then the honeypot, the signed token and its minimum fill time,
// then the small sum under the soft limits. The handler re-shows the form
// with everything the resident typed whenever the gate says so.
type Gate struct {
	Guard  *formguard.Guard
	Form   string // FormTopicComment, FormSurvey
	KeepIP bool   // tally events with the address's hash (never for surveys)
	Button string // the submit button's words, for the messages: "提交意见"
}

// Decision is what the handler does after Screen.
type Decision struct {
	Challenge bool // the form asks (and must keep asking) the question
	// Redo: show the form again with Status, Message (a note at its top)
	// and AnswerError (under the question); nothing is stored.
	Redo        bool
	Status      int
	Message     string
	AnswerError string
	Window      string        // the counting window, for the handler's own events
	Filled      time.Duration // how long the form took
}

// Show is the GET of the form: whether to ask the question up front, and a
// fresh token for key.
func (g *Gate) Show(e *core.RequestEvent, key string) (challenge bool, question, token string) {
	v := g.Guard.Check(time.Now(), e.RealIP(), key, false)
	return g.Token(key, v.Challenge)
}

// Token signs a form token for key, with a question when challenge is set.
func (g *Gate) Token(key string, challenge bool) (bool, string, string) {
	answer, question := -1, ""
	if challenge {
		question, answer = formguard.NewChallenge()
	}
	return challenge, question, g.Guard.Issue(key, time.Now(), answer)
}

// Screen checks a POST to the form keyed key. done means the answer is
// already written (a flood refused with 429, a bot with 400) and the
// handler returns err; otherwise it follows the Decision.
func (g *Gate) Screen(e *core.RequestEvent, key string) (d Decision, done bool, err error) {
	now := time.Now()
	ip := e.RealIP()
	v := g.Guard.Check(now, ip, key, true)
	limits := g.Guard.Limits()
	d.Challenge, d.Window = v.Challenge, v.Window
	if v.Refused {
		// The first refusal of a window and then every 50th are tallied, so
		// a flood cannot turn into a flood of writes.
		if v.IPKey == limits.PerIPCodeHard+1 || v.IP == limits.PerIPHard+1 || v.IPKey%50 == 0 {
			g.event(e, key, "rate_limited", v.Window, "超过提交频率限制")
		}
		e.Response.Header().Set("Retry-After", "600")
		return d, true, Message(e, http.StatusTooManyRequests, "提交太频繁了", "请10分钟后再试。急事可以在赶集日到代表联络站当面反映。", "")
	}
	// ParseMultipartForm swallows ParseForm's error for a form that is not
	// multipart (a body cut at the route's limit, say): parse it first.
	err = e.Request.ParseForm()
	if err == nil {
		err = e.Request.ParseMultipartForm(64 << 10)
	}
	if err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return d, true, Message(e, http.StatusBadRequest, "提交失败", "表单内容不完整或太长，请返回重新提交。", "")
	}
	if e.Request.FormValue("website") != "" {
		g.Guard.Note(now, ip, key)
		g.event(e, key, "honeypot", v.Window, "填写了隐藏的网址栏")
		return d, true, Message(e, http.StatusBadRequest, "提交失败", "请返回重新填写。", "")
	}
	tok, ok := g.Guard.Parse(key, e.Request.FormValue("t"))
	if !ok || now.Sub(tok.Issued) > limits.MaxFormAge || tok.Issued.After(now.Add(time.Minute)) {
		if !ok {
			g.Guard.Note(now, ip, key)
			g.event(e, key, "bad_token", v.Window, "表单令牌无效")
		}
		d.Redo, d.Status = true, http.StatusOK
		d.Message = "页面已过期，您填写的内容还在，请核对后再点一次“" + g.Button + "”。"
		return d, false, nil
	}
	d.Filled = now.Sub(tok.Issued)
	if d.Filled < limits.MinFill {
		g.Guard.Note(now, ip, key)
		g.event(e, key, "too_fast", v.Window, "填写用时过短")
		d.Redo, d.Status = true, http.StatusBadRequest
		d.Message = "请核对内容后再点一次“" + g.Button + "”。"
		return d, false, nil
	}
	if v.Challenge && (tok.Challenge == "" || !g.Guard.AnswerOK(tok, e.Request.FormValue("answer"))) {
		kind := "challenged"
		d.Redo, d.Status, d.Challenge = true, http.StatusTooManyRequests, true
		d.Message = "为防止恶意刷屏，请先回答下面的问题。"
		if tok.Challenge != "" {
			kind, d.Message, d.AnswerError = "challenge_failed", "", "答案不对，请重新计算"
		}
		g.event(e, key, kind, v.Window, "提交频繁，要求答题验证")
		return d, false, nil
	}
	return d, false, nil
}

// Invalid tallies a submission whose content was refused.
func (g *Gate) Invalid(e *core.RequestEvent, key string, d Decision, detail string) {
	g.event(e, key, "invalid", d.Window, detail)
}

// Event tallies an event of the handler's own (e.g. "repeat").
func (g *Gate) Event(e *core.RequestEvent, key, kind string, d Decision, detail string) {
	g.event(e, key, kind, d.Window, detail)
}

// Stored counts a stored submission toward the soft limits.
func (g *Gate) Stored(e *core.RequestEvent, key string) {
	g.Guard.Note(time.Now(), e.RealIP(), key)
}

func (g *Gate) event(e *core.RequestEvent, key, kind, window, detail string) {
	ev := Event{Form: g.Form, Key: key, Kind: kind, Window: window, Detail: detail}
	if g.KeepIP {
		ev.IPHash = IPHash(e.RealIP())
	}
	RecordEvent(e.App, ev)
}
