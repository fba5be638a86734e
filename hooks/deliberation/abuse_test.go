package deliberation_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simeng/hooks/deliberation"
	"simeng/hooks/internal/formguard"
	"simeng/internal/testapp"
)

func formLimits() formguard.Limits { return formguard.DefaultLimits }

// The comment form resists bots and floods like the suggestion form: a
// filled honeypot, a forged or instant token, a flood from one address are
// turned away and tallied for staff; under the soft limits a resident
// answers a small sum instead of being refused.
func TestCommentFormAbuseGuard(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	srv := testapp.Serve(t, app, nil)
	r := testapp.NewResident(t, srv.URL)
	path := "/topic/" + f.IDs["topic_open_code"]
	stored := func() int { return testapp.CountWhere(t, app, "topic_comments", "author = 'resident'") }
	before := stored()
	body := url.Values{"body": {"集镇停车场要划出摩托车位。"}}

	// Instant submission: the default 3-second fill time.
	if p := r.Post(path, r.Form(path, body)); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "集镇停车场要划出摩托车位") {
		t.Fatalf("instant submit: %d (the text must be kept)", p.Status)
	}
	deliberation.SetFormLimits(app, func() formguard.Limits {
		l := formLimits()
		l.MinFill = 0
		l.PerIPCodeSoft = 2
		l.PerIPCodeHard = 6
		return l
	}())
	// Honeypot.
	hp := r.Form(path, body)
	hp.Set("website", "http://spam.example")
	if p := r.Post(path, hp); p.Status != http.StatusBadRequest {
		t.Fatalf("honeypot: %d", p.Status)
	}
	// Forged token: the form comes back with the text kept.
	forged := url.Values{"body": body["body"], "t": {"1.x.y"}}
	if p := r.Post(path, forged); p.Status != http.StatusOK || !strings.Contains(p.Body, "页面已过期") || !strings.Contains(p.Body, "摩托车位") {
		t.Fatalf("forged token: %d", p.Status)
	}
	if stored() != before {
		t.Fatal("a bot's comment was stored")
	}
	// The bot signals above counted toward the soft limit: a question now.
	p := r.Post(path, r.Form(path, body))
	if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "等于几") {
		t.Fatalf("soft limit: %d, question %v", p.Status, strings.Contains(p.Body, "等于几"))
	}
	answered := testapp.WithToken(t, p.Body, body)
	answered.Set("answer", testapp.SumAnswer(t, p.Body))
	if res := r.Post(path, answered); res.Status != http.StatusSeeOther {
		t.Fatalf("answered the sum: %d", res.Status)
	}
	// Flood: refused outright past the hard limit.
	refused := false
	for range 10 {
		if res := r.Post(path, r.Form(path, body)); res.Status == http.StatusTooManyRequests && strings.Contains(res.Body, "提交太频繁") {
			refused = true
			if res.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			break
		}
	}
	if !refused {
		t.Fatal("a flood was never refused")
	}
	for _, kind := range []string{"too_fast", "honeypot", "bad_token", "challenge_failed", "rate_limited"} {
		if n := testapp.CountWhere(t, app, "public_form_events", "form = 'topic_comment' AND kind = '"+kind+"' AND ip_hash != ''"); n == 0 {
			t.Errorf("no %s event tallied", kind)
		}
	}
}

// Hostile values in every field never cause a 500 or come back as markup;
// an oversized body is refused before it is read.
func TestCommentFormHostileInput(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	l := formLimits()
	l.MinFill, l.PerIPCodeSoft, l.PerIPCodeHard, l.PerIPSoft, l.PerIPHard = 0, 1000, 1000, 1000, 1000
	deliberation.SetFormLimits(app, l)
	srv := testapp.Serve(t, app, nil)
	r := testapp.NewResident(t, srv.URL)
	path := "/topic/" + f.IDs["topic_open_code"]
	for _, v := range testapp.HostileText {
		for _, field := range []string{"body", "village", "t", "answer"} {
			form := r.Form(path, url.Values{"body": {"正常的意见内容。"}})
			form.Set(field, v)
			p := r.Post(path, form)
			if p.Status >= 500 {
				t.Fatalf("%s=%.40q: %d", field, v, p.Status)
			}
			if strings.Contains(p.Body, `<script>alert`) || strings.Contains(p.Body, `<img src=x`) {
				t.Fatalf("%s=%.40q came back as markup", field, v)
			}
		}
	}
	for _, c := range []string{"{{.Form}}", "<script>"} {
		if n := testapp.CountWhere(t, app, "topic_comments", "body LIKE '%"+strings.ReplaceAll(c, "'", "''")+"%' AND moderation = 'approved'"); n != 0 {
			t.Fatalf("hostile text %q was published without moderation", c)
		}
	}
	testapp.OversizedBodiesAreRefusedUnread(t, srv.URL, []testapp.BodyRoute{
		{Method: http.MethodPost, Path: path, ContentType: "application/x-www-form-urlencoded", Limit: 16 << 10},
	})
}
