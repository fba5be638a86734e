package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	. "simeng/hooks/notify"
	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
	nt "simeng/notify"
	"simeng/notify/notifytest"
	"simeng/notify/sms"
)

// configure turns SMS and the robot on against the stand-ins.
func configure(t *testing.T, app core.App, p *notifytest.Providers) {
	t.Helper()
	codes := map[string]string{}
	for _, tpl := range nt.All() {
		if tpl.Has(nt.SMS) {
			codes[string(tpl.ID)] = "SMS_" + string(tpl.ID)
		}
	}
	saveSettings(t, app, p, codes, p.RobotURL())
	if !ChannelOn(app, nt.SMS) || !ChannelOn(app, nt.WeCom) {
		t.Fatal("channels stay off after the settings were saved")
	}
}

// saveSettings stores the stand-in providers' settings with the given SMS
// template codes and robot webhook ("": none).
func saveSettings(t *testing.T, app core.App, p *notifytest.Providers, codes map[string]string, webhook string) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(Settings)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("sms_access_key_id", notifytest.StandInKeyID)
	r.Set("sms_access_key_secret", notifytest.StandInSecret)
	r.Set("sms_sign_name", notifytest.StandInSign)
	r.Set("sms_endpoint", p.SMSEndpoint())
	r.Set("sms_scheme", "http")
	r.Set("sms_templates", codes)
	r.Set("wecom_webhook", webhook)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func newSuggestion(t *testing.T, app core.App, deputy, phone string) *core.Record {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId("suggestions")
	r := core.NewRecord(col)
	r.Set("source", "hotline")
	r.Set("deputy", deputy)
	r.Set("category", "饮水安全")
	r.Set("content", "三组自来水浑浊已经一周，老人小孩不敢喝。")
	r.Set("received_at", time.Now().Add(-time.Minute))
	r.Set("status", "received")
	r.Set("resident_phone", phone)
	r.Set("consent", phone != "")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func count(t *testing.T, app core.App, col, filter string, params dbx.Params) int {
	t.Helper()
	recs, err := app.FindRecordsByFilter(col, filter, "", 0, 0, params)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// clockFor is the worker's clock for a test, starting now, with the night's
// quiet hours lifted, and the SMS stand-in dating its texts by it. A clock
// at the next 10:00 instead (to step over the quiet hours) ran up to a day
// ahead of the times the test's events were made at, and of the stand-in's
// dates: reminders expired before they were sent, and a timed-out text was
// looked up on the wrong day and sent twice, from 10:00 China time on.
func clockFor(t *testing.T, app core.App, p *notifytest.Providers) *notifytest.Clock {
	t.Helper()
	c := notifytest.NewClock(time.Now())
	SetClock(app, c.Now)
	LiftQuietHours(app)
	p.SetClock(c.Now)
	return c
}

func flush(t *testing.T, app core.App) {
	t.Helper()
	if err := Flush(app); err != nil {
		t.Fatal(err)
	}
}

func TestChannelsStayOffUntilConfigured(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	if ChannelOn(app, nt.SMS) || ChannelOn(app, nt.WeCom) {
		t.Fatal("SMS or robot on without settings")
	}
	s := newSuggestion(t, app, f.Deputy, "13912340000")
	// Only the in-app notice is queued: SMS is not configured.
	if n := count(t, app, Outbox, "event_key ~ {:id}", dbx.Params{"id": s.Id}); n != 1 {
		t.Fatalf("outbox rows = %d, want 1 (in-app only)", n)
	}
	flush(t, app)
	if n := count(t, app, Notices, "deputy = {:d} && template = 'suggestion_new'", dbx.Params{"d": f.Deputy}); n < 1 {
		t.Fatal("no in-app notice")
	}
}

// Every suggestion event gives one message per recipient and channel,
// however often the hooks and jobs run.
func TestSuggestionEventsOnceEach(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	configure(t, app, p)
	clockFor(t, app, p)

	const resident = "13912340001"
	s := newSuggestion(t, app, f.Deputy, resident)
	flush(t, app)
	texts := p.Texts()
	if len(texts) != 2 {
		t.Fatalf("texts after a new suggestion = %+v, want the deputy's and the resident's receipt", texts)
	}
	byTemplate := map[string]string{}
	for _, x := range texts {
		byTemplate[x.Template] = x.Phone
	}
	if byTemplate["SMS_suggestion_new"] != f.DeputyPhone || byTemplate["SMS_resident_receipt"] != resident {
		t.Fatalf("texts went to %v", byTemplate)
	}

	// The reminders' job runs every 10 minutes: at 20 h the ack reminder is
	// due, and it is queued once however often the job runs.
	at := time.Now().Add(20*time.Hour + time.Minute)
	for range 3 {
		if err := RunReminders(app, at); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, app, Outbox, "template = 'ack_reminder' && event_key ~ {:id}", dbx.Params{"id": s.Id}); n != 2 {
		t.Fatalf("ack reminders queued = %d, want in-app + SMS", n)
	}

	// Overdue: escalated to the presidium member paired with the village
	// (in-app, SMS) and the office robot, once.
	for range 2 {
		if _, err := suggestions.MarkOverdue(app, time.Now().Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	flush(t, app)
	if n := count(t, app, Outbox, "template = 'escalation' && event_key ~ {:id}", dbx.Params{"id": s.Id}); n != 3 {
		t.Fatalf("escalation rows = %d, want in-app, SMS and robot", n)
	}
	mine := 0
	for _, post := range p.RobotPosts() {
		if strings.Contains(post, "饮水安全") {
			mine++
		}
	}
	if mine != 1 {
		t.Fatalf("robot posts = %q, want one escalation of this suggestion", p.RobotPosts())
	}

	// Answered, then closed: the resident hears once.
	s, _ = app.FindRecordById("suggestions", s.Id)
	s.Set("status", "answered")
	s.Set("reply", "已联系水厂，明天更换滤芯。")
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	s.Set("status", "closed")
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	flush(t, app)
	answered := 0
	for _, x := range p.Texts() {
		if x.Template == "SMS_resident_answered" {
			answered++
			if x.Phone != resident {
				t.Fatalf("answer went to %s", x.Phone)
			}
		}
	}
	if answered != 1 {
		t.Fatalf("answered texts = %d, want 1", answered)
	}
	// Everything sent, nothing twice.
	seen := map[string]bool{}
	for _, x := range p.Texts() {
		if seen[x.OutID] {
			t.Fatalf("text %s sent twice", x.OutID)
		}
		seen[x.OutID] = true
	}
	if n := count(t, app, Outbox, "state != 'sent' && state != 'pending'", nil); n != 0 {
		t.Fatalf("%d messages neither sent nor waiting", n)
	}
}

// The provider fails, then times out after accepting: the outbox retries
// the failure and looks the timed-out text up instead of sending it again.
func TestProviderFailureAndTimeout(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	configure(t, app, p)
	clock := clockFor(t, app, p)
	// A short client timeout, so the hanging call gives up quickly.
	client, err := sms.New(sms.Config{AccessKeyID: notifytest.StandInKeyID, AccessKeySecret: notifytest.StandInSecret,
		SignName: notifytest.StandInSign, Endpoint: p.SMSEndpoint(), Scheme: "http", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[nt.TemplateID]string{nt.TplSuggestionNew: "SMS_new", nt.TplResidentReceipt: "SMS_receipt"}
	UseSMSClient(app, client, codes)

	p.FailSMS(2) // the deputy's text fails twice
	p.HangSMS(1) // then one call is accepted and never answered
	newSuggestion(t, app, f.Deputy, "13912340002")
	ctx := context.Background()
	if err := notifytest.Drain(ctx, Worker(app), clock, clock.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	calls, _ := p.Calls()
	texts := p.Texts()
	if len(texts) != 2 {
		t.Fatalf("texts = %+v, want 2 (each once)", texts)
	}
	if texts[0].OutID == texts[1].OutID {
		t.Fatal("one text accepted twice")
	}
	if calls != 4 {
		t.Fatalf("SendSms calls = %d, want 2 failures + 1 timeout + 1 (the other text)", calls)
	}
	if n := count(t, app, Outbox, "channel = 'sms' && state = 'sent'", nil); n != 2 {
		t.Fatalf("sent SMS rows = %d, want 2", n)
	}
}

// The robot is busy twice, then takes the message: one post, after
// retries with backoff.
func TestRobotFailureRetriesToOnePost(t *testing.T) {
	app := testapp.New(t)
	p := notifytest.NewProviders()
	defer p.Close()
	configure(t, app, p)
	clock := clockFor(t, app, p)
	p.FailRobot(2)
	msg := nt.Message{EventKey: "test/robot", Recipient: OfficeRobot, Channel: nt.WeCom, Template: nt.TplDeadlinePassed,
		Params: map[string]string{"kind": "隐患", "title": "校门口护栏松动", "due": "2026-05-01"}}
	for range 2 {
		if err := Enqueue(app, msg); err != nil {
			t.Fatal(err)
		}
	}
	if err := notifytest.Drain(context.Background(), Worker(app), clock, clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, calls := p.Calls()
	if posts := p.RobotPosts(); len(posts) != 1 || calls != 3 {
		t.Fatalf("robot: %d posts after %d calls, want 1 after 3", len(posts), calls)
	}
	if n := count(t, app, Outbox, "channel = 'wecom' && state = 'sent' && attempts = 3", nil); n != 1 {
		t.Fatalf("robot row not sent on its third try")
	}
}

// An SMS whose template has no Alibaba code yet is not queued: refused at
// the provider as "blocked", it rested the whole SMS channel, and the login
// code asked for a second later waited a channel's rest (the office enters
// the login template first). The in-app notice of the same event still
// goes, and the login code is texted at once.
func TestSMSOnlyInTemplatesWithACode(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	clockFor(t, app, p)
	saveSettings(t, app, p, map[string]string{string(nt.TplLoginCode): "SMS_login"}, "")
	s := newSuggestion(t, app, f.Deputy, "")
	if n := count(t, app, Outbox, "event_key ~ {:id} && channel = 'sms'", dbx.Params{"id": s.Id}); n != 0 {
		t.Fatalf("%d SMS queued for a template without a code", n)
	}
	if n := count(t, app, Outbox, "event_key ~ {:id} && channel = 'inapp'", dbx.Params{"id": s.Id}); n != 1 {
		t.Fatalf("%d in-app notices, want 1", n)
	}
	if err := Enqueue(app, nt.Message{EventKey: nt.EventKey(nt.TplLoginCode, "attempt1"), Recipient: f.Deputy, Channel: nt.SMS,
		Template: nt.TplLoginCode, Urgent: true, Params: map[string]string{"code": "482913"}}); err != nil {
		t.Fatal(err)
	}
	flush(t, app)
	texts := p.Texts()
	if len(texts) != 1 || texts[0].Template != "SMS_login" {
		t.Fatalf("texts %+v, want the login code alone", texts)
	}
}
