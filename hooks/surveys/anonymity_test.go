package surveys_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/surveys"
	"simeng/internal/testapp"
)

// openApp is a fresh app whose survey form takes many answers from the
// test's one address at once.
func openApp(t testing.TB) (*testapp.Server, string) {
	app := testapp.New(t)
	l := surveys.DefaultFormLimits()
	l.MinFill, l.PerIPCodeSoft, l.PerIPCodeHard, l.PerIPSoft, l.PerIPHard, l.PerCodeSoft = 0, 1000, 1000, 1000, 1000, 1000
	surveys.SetFormLimits(app, l)
	return testapp.Serve(t, app, nil), testapp.F(t).IDs["survey_open_code"]
}

// Nothing stored of an answer carries a time, an address, an order, or a
// link to the same resident's other answers; the tables say so themselves.
func TestAnswerTablesHoldNothingThatJoins(t *testing.T) {
	app := testapp.New(t)
	for name, want := range map[string][]string{
		"survey_texts":          {"id", "survey", "question", "village", "text"},
		"survey_participations": {"id", "survey", "key"},
	} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range c.Fields {
			got = append(got, f.GetName())
			switch f.Type() {
			case core.FieldTypeAutodate, core.FieldTypeDate, core.FieldTypeRelation:
				t.Errorf("%s.%s is a %s field: it could date or join an answer", name, f.GetName(), f.Type())
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s has fields %v, want exactly %v", name, got, want)
		}
		if c.ListRule != nil || c.ViewRule != nil || c.CreateRule != nil || c.UpdateRule != nil || c.DeleteRule != nil {
			t.Errorf("%s has an API rule", name)
		}
	}
}

// Answers sent one after another are stored in no particular order: the
// table's own order (rowid, the admin UI's default sort) and the results
// do not replay who came when.
func TestAnswersKeepNoArrivalOrder(t *testing.T) {
	srv, code := openApp(t)
	path := "/survey/" + code
	var sent []string
	for i := range 12 {
		text := fmt.Sprintf("第%02d位的建议", i+1)
		sent = append(sent, text)
		r := testapp.NewResident(t, srv.URL)
		if res := r.Post(path, r.Form(path, url.Values{"q1": {"0"}, "q3": {text}})); res.Status != http.StatusSeeOther {
			t.Fatalf("answer %d: %d", i, res.Status)
		}
	}
	var byRowid []string
	var rowids []int64
	rows, err := srv.App.DB().NewQuery("SELECT text, rowid FROM survey_texts WHERE text LIKE '第%位的建议' ORDER BY rowid").Rows()
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		var id int64
		rows.Scan(&s, &id)
		byRowid, rowids = append(byRowid, s), append(rowids, id)
	}
	rows.Close()
	reversed := slices.Clone(sent)
	slices.Reverse(reversed)
	if len(byRowid) != len(sent) || slices.Equal(byRowid, sent) || slices.Equal(byRowid, reversed) {
		t.Fatalf("stored in arrival order: %v", byRowid)
	}
	for i := 1; i < len(rowids); i++ {
		if rowids[i]-rowids[i-1] == 1 {
			t.Errorf("rows %d and %d sit next to each other (rowids %d, %d)", i-1, i, rowids[i-1], rowids[i])
		}
	}
	res, err := surveys.ResultsOf(srv.App, testapp.F(t).IDs["survey_open"])
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, tx := range res.Questions[2].Texts {
		shown = append(shown, tx.Text)
	}
	if !slices.IsSorted(shown) || len(shown) != len(sent) {
		t.Fatalf("results list the texts %v, want them sorted, not in arrival order", shown)
	}
}

// No door of PocketBase reaches single answers: expanding from a survey
// (there is no relation to follow), realtime subscriptions (refused, even
// for staff), the counts on the survey record (hidden from everyone).
func TestNoDoorReachesSingleAnswers(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	id := f.IDs["survey_closed"]
	status, raw := srv.DoRaw(testapp.Token(t, superuser), http.MethodGet,
		"/api/collections/surveys/records/"+id+"?expand=survey_texts_via_survey,survey_participations_via_survey", "", nil)
	if status != 200 || strings.Contains(string(raw), "四点半课堂") || strings.Contains(string(raw), `"tally"`) {
		t.Fatalf("a survey with expands: %d %s", status, raw)
	}
	for _, sub := range []string{"survey_texts", "survey_texts/*", "survey_participations?options={}", "survey_texts/abc"} {
		if got := subscribe(t, srv, superuser, sub); got != http.StatusForbidden {
			t.Errorf("realtime subscription to %s: %d, want 403", sub, got)
		}
	}
	if got := subscribe(t, srv, presidium, "surveys"); got != http.StatusNoContent {
		t.Errorf("a subscription to surveys themselves: %d", got)
	}
	// A filter on a hidden field is refused to everyone but staff; staff
	// cannot read the field itself.
	status, raw = srv.DoRaw(testapp.Token(t, presidium), http.MethodGet,
		"/api/collections/surveys/records?filter="+testapp.URLQuery(`tally ~ "respondents"`), "", nil)
	if status == 200 && strings.Contains(string(raw), id) {
		t.Fatalf("a presidium member filtered on the counts: %s", raw)
	}
}

// subscribe opens a realtime connection as role and asks for sub; it
// returns the status of the subscription request.
func subscribe(t testing.TB, srv *testapp.Server, role, sub string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/realtime", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	client := ""
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "id:") {
			client = strings.TrimSpace(strings.TrimPrefix(line, "id:"))
			break
		}
	}
	if client == "" {
		t.Fatal("no realtime client id")
	}
	status, _ := srv.DoRaw(testapp.Token(t, role), http.MethodPost, "/api/realtime", "application/json",
		testapp.JSONBody(t, map[string]any{"clientId": client, "subscriptions": []string{sub}}))
	return status
}

// The request log keeps that a survey was answered, never what, and no
// address; the abuse tally of surveys keeps no address hash either.
func TestLogsAndTalliesKeepNoAnswer(t *testing.T) {
	srv, code := openApp(t)
	l := surveys.DefaultFormLimits()
	l.MinFill = 0
	surveys.SetFormLimits(srv.App, l)
	// Test apps keep no request log; this one keeps it as production does
	// (Settings → Logs: 14 days, no IPs, migrations/1764100001_settings.go).
	srv.App.Settings().Logs.MaxDays = 14
	if srv.App.Settings().Logs.LogIP {
		t.Fatal("the settings keep IPs in the request log")
	}
	path := "/survey/" + code
	r := testapp.NewResident(t, srv.URL)
	const secret = "我家孩子放学后没人管"
	if res := r.Post(path, r.Form(path, url.Values{"q1": {"0"}, "q3": {secret}})); res.Status != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.Status)
	}
	r2 := testapp.NewResident(t, srv.URL)
	hp := r2.Form(path, url.Values{"q1": {"1"}})
	hp.Set("website", "spam")
	r2.Post(path, hp)

	// The log is written in batches (every 3 s): wait for the POST's entry.
	var logs []string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		logs = nil
		srv.App.AuxDB().NewQuery("SELECT message || ' ' || data FROM _logs").Column(&logs)
		if strings.Contains(strings.Join(logs, "\n"), "POST "+path) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	all := strings.Join(logs, "\n")
	if !strings.Contains(all, "POST "+path) {
		t.Fatalf("no log entry for the answer: %s", all)
	}
	for _, bad := range []string{secret, "127.0.0.1", "userIP", "remoteIP"} {
		if strings.Contains(all, bad) {
			t.Errorf("the request log holds %q", bad)
		}
	}
	if n := testapp.CountWhere(t, srv.App, "public_form_events", "form = 'survey'"); n == 0 {
		t.Fatal("the honeypot was not tallied")
	}
	if n := testapp.CountWhere(t, srv.App, "public_form_events", "form = 'survey' AND ip_hash != ''"); n != 0 {
		t.Fatalf("%d survey events keep an address hash", n)
	}
}

// Results never show a group of fewer than five: a village with fewer
// respondents joins a pool, and a pool too small takes the smallest
// village with it; a survey with fewer than five shows only the count.
func TestResultsShowNoSmallGroup(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	res, err := surveys.ResultsOf(app, f.IDs["survey_closed"])
	if err != nil {
		t.Fatal(err)
	}
	// 5 from 思蒙湾村 and 1 from 桥头村: shown apart, 桥头村's one answer
	// would be the total minus 思蒙湾村's.
	if res.Suppressed || len(res.Groups) != 1 || res.Groups[0].Respondents != 6 || res.Groups[0].Key != "*" {
		t.Fatalf("groups %+v", res.Groups)
	}
	if q1 := res.Questions[0]; q1.Options[0].Count != 4 || q1.Options[1].Count != 2 {
		t.Fatalf("q1 %+v", q1)
	}
	srv := testapp.Serve(t, app, nil)
	l := surveys.DefaultFormLimits()
	l.MinFill = 0
	surveys.SetFormLimits(app, l)
	r := testapp.NewResident(t, srv.URL)
	path := "/survey/" + f.IDs["survey_open_code"]
	r.Post(path, r.Form(path, url.Values{"q1": {"0"}, "q3": {"只有我一个人答"}, "village": {f.VillageA}}))
	small, _ := surveys.ResultsOf(app, f.IDs["survey_open"])
	if !small.Suppressed || small.Respondents != 1 || len(small.Questions) != 0 {
		t.Fatalf("a survey of one shows %+v", small)
	}
	status, out := srv.Do(presidium, http.MethodGet, "/api/surveys/"+f.IDs["survey_open"]+"/results", nil)
	if status != 200 || out["suppressed"] != true || strings.Contains(fmt.Sprint(out), "只有我一个人答") {
		t.Fatalf("results API of a survey of one: %d %v", status, out)
	}
}
