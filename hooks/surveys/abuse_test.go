package surveys_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simeng/hooks/surveys"
	"simeng/internal/testapp"
)

// The survey form resists bots and floods like the suggestion form:
// honeypot, forged or instant tokens, floods refused, a small sum under
// the soft limits; nothing a bot sends is counted.
func TestSurveyFormAbuseGuard(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	srv := testapp.Serve(t, app, nil)
	path := "/survey/" + f.IDs["survey_open_code"]
	count := func() int { res, _ := surveys.ResultsOf(app, f.IDs["survey_open"]); return res.Respondents }
	answer := url.Values{"q1": {"0"}}

	r := testapp.NewResident(t, srv.URL)
	if p := r.Post(path, r.Form(path, answer)); p.Status != http.StatusBadRequest {
		t.Fatalf("instant submit: %d", p.Status)
	}
	l := surveys.DefaultFormLimits()
	l.MinFill, l.PerIPCodeSoft, l.PerIPCodeHard = 0, 2, 6
	surveys.SetFormLimits(app, l)
	hp := r.Form(path, answer)
	hp.Set("website", "x")
	if p := r.Post(path, hp); p.Status != http.StatusBadRequest {
		t.Fatalf("honeypot: %d", p.Status)
	}
	if p := r.Post(path, url.Values{"q1": {"0"}, "t": {"1.x.y"}}); p.Status != http.StatusOK || !strings.Contains(p.Body, "页面已过期") {
		t.Fatalf("forged token: %d", p.Status)
	}
	if count() != 0 {
		t.Fatal("a bot's answer was counted")
	}
	p := r.Post(path, r.Form(path, answer))
	if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "等于几") || !strings.Contains(p.Body, `value="0" checked`) {
		t.Fatalf("soft limit: %d", p.Status)
	}
	answered := testapp.WithToken(t, p.Body, answer)
	answered.Set("answer", testapp.SumAnswer(t, p.Body))
	if res := r.Post(path, answered); res.Status != http.StatusSeeOther {
		t.Fatalf("answered the sum: %d", res.Status)
	}
	refused := false
	for range 10 {
		r := testapp.NewResident(t, srv.URL)
		if res := r.Post(path, url.Values{"q1": {"0"}, "t": {"x"}}); res.Status == http.StatusTooManyRequests && strings.Contains(res.Body, "提交太频繁") {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("a flood was never refused")
	}
	if count() != 1 {
		t.Fatalf("%d answers counted, want the one that answered the sum", count())
	}
}

// Hostile values in every field never cause a 500 or come back as markup;
// an oversized body is refused before it is read.
func TestSurveyFormHostileInput(t *testing.T) {
	f := testapp.F(t)
	srv, _ := openApp(t)
	path := "/survey/" + f.IDs["survey_phone_code"]
	for _, v := range testapp.HostileText {
		for _, field := range []string{"q1", "q2", "q3", "village", "phone", "t", "answer"} {
			r := testapp.NewResident(t, srv.URL)
			form := r.Form(path, url.Values{"q1": {"0"}, "village": {f.VillageA}, "phone": {"13900009999"}})
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
	testapp.OversizedBodiesAreRefusedUnread(t, srv.URL, []testapp.BodyRoute{
		{Method: http.MethodPost, Path: path, ContentType: "application/x-www-form-urlencoded", Limit: 64 << 10},
	})
}
