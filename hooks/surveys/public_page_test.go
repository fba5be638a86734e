package surveys_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks/surveys"
	"simeng/internal/testapp"
	"simeng/survey"
)

// quickApp is a fresh app whose survey form accepts an instant submission
// (the minimum fill time has a test of its own).
func quickApp(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	l := surveys.DefaultFormLimits()
	l.MinFill = 0
	surveys.SetFormLimits(app, l)
	return app
}

var scriptRe = regexp.MustCompile(`(?i)<script|\bon[a-z]+\s*=|javascript:`)

func checkPublic(t testing.TB, what string, p testapp.Page) {
	t.Helper()
	if scriptRe.MatchString(p.Body) {
		t.Errorf("%s holds script: %s", what, scriptRe.FindString(p.Body))
	}
	if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("%s CSP %q", what, csp)
	}
	if regexp.MustCompile(`1[3-9][0-9]{9}`).MatchString(p.Body) {
		t.Errorf("%s shows a mobile number", what)
	}
	if n := gzipSize(p.Body); n > 30<<10 {
		t.Errorf("%s is %d bytes gzipped, over 30 KB", what, n)
	}
}

func gzipSize(s string) int {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Len()
}

// A resident answers a survey from its QR code without JavaScript; the
// answers land in the counts and the texts, the phone remembers it
// answered, and a second try from it is turned away politely.
func TestResidentAnswersASurvey(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := testapp.NewResident(t, testapp.Serve(t, app, nil).URL)
	path := "/survey/" + f.IDs["survey_open_code"]

	p := r.Get(path)
	checkPublic(t, path, p)
	for _, want := range []string{"留守儿童课后看护需求微调研", "匿名", `type="radio" name="q1" value="0"`, `type="checkbox" name="q2" value="3"`,
		`<textarea id="q3" name="q3"`, "桥头村", "最多选2项", "<form"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// A required question left out: the form comes back with what was ticked.
	miss := r.Post(path, testapp.WithToken(t, p.Body, url.Values{"q2": {"0", "2"}, "q3": {"希望有四点半课堂"}}))
	if miss.Status != http.StatusBadRequest || !strings.Contains(miss.Body, "这道题必须回答") ||
		!strings.Contains(miss.Body, `name="q2" value="2" checked`) || !strings.Contains(miss.Body, "希望有四点半课堂") {
		t.Fatalf("a missing answer: %d\n%s", miss.Status, miss.Body)
	}
	res := r.Post(path, testapp.WithToken(t, miss.Body, url.Values{"q1": {"0"}, "q2": {"0", "2"}, "q3": {"希望有四点半课堂"}, "village": {f.VillageB}}))
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != path+"?done=1" {
		t.Fatalf("answer: %d %s\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	if thanks := r.Get(path + "?done=1"); !strings.Contains(thanks.Body, "提交成功") {
		t.Fatalf("after answering: %s", thanks.Body)
	}
	s, _ := app.FindRecordById("surveys", f.IDs["survey_open"])
	var tally survey.Tally
	json.Unmarshal([]byte(s.GetString("tally")), &tally)
	if s.GetInt("responses") != 1 || tally.Respondents[f.VillageB] != 1 || tally.Choices["q2"]["2"][f.VillageB] != 1 || tally.Choices["q1"]["0"][f.VillageB] != 1 {
		t.Fatalf("counts %+v, responses %d", tally, s.GetInt("responses"))
	}
	if n := testapp.CountWhere(t, app, "survey_texts", "survey = '"+s.Id+"' AND text = '希望有四点半课堂' AND village = '"+f.VillageB+"'"); n != 1 {
		t.Fatalf("%d texts stored", n)
	}
	// The same phone again: thanked, nothing counted twice.
	again := r.Get(path)
	if !strings.Contains(again.Body, "已参与过") || strings.Contains(again.Body, "<form") {
		t.Fatalf("a second visit from the same phone:\n%s", again.Body)
	}
	forged := r.Post(path, testapp.WithToken(t, p.Body, url.Values{"q1": {"1"}}))
	if !strings.Contains(forged.Body, "已参与过") {
		t.Fatalf("a second answer from the same phone: %d", forged.Status)
	}
	if s, _ := app.FindRecordById("surveys", f.IDs["survey_open"]); s.GetInt("responses") != 1 {
		t.Fatal("the same phone was counted twice")
	}
	// Another phone may answer.
	other := testapp.NewResident(t, r.Base)
	if res := other.Post(path, other.Form(path, url.Values{"q1": {"1"}})); res.Status != http.StatusSeeOther {
		t.Fatalf("another phone: %d", res.Status)
	}
}

// A survey for some villages asks which; one limited to one answer per
// phone number keeps only a keyed hash of it, never beside the answers.
func TestTargetedOnePerPhoneSurvey(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil)
	path := "/survey/" + f.IDs["survey_phone_code"]
	r := testapp.NewResident(t, srv.URL)
	p := r.Get(path)
	checkPublic(t, path, p)
	if !strings.Contains(p.Body, "思蒙湾村") || strings.Contains(p.Body, "桥头村") || !strings.Contains(p.Body, "每个手机号限填一次") {
		t.Fatalf("a survey for 思蒙湾村 offers other villages or asks no phone:\n%s", p.Body)
	}
	bad := r.Post(path, testapp.WithToken(t, p.Body, url.Values{"q1": {"0"}, "village": {f.VillageB}, "phone": {"12345"}}))
	if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, "请选择您所在的村") && !strings.Contains(bad.Body, "请从列表中选择村") ||
		!strings.Contains(bad.Body, "手机号应为11位数字") {
		t.Fatalf("wrong village and phone: %d", bad.Status)
	}
	const phone = "139 0000 1234"
	ok := r.Post(path, testapp.WithToken(t, p.Body, url.Values{"q1": {"0"}, "village": {f.VillageA}, "phone": {phone}}))
	if ok.Status != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", ok.Status, ok.Body)
	}
	// A new device (cookie gone), the same number: refused on the phone field.
	r2 := testapp.NewResident(t, srv.URL)
	again := r2.Post(path, r2.Form(path, url.Values{"q1": {"1"}, "village": {f.VillageA}, "phone": {"13900001234"}}))
	if again.Status != http.StatusBadRequest || !strings.Contains(again.Body, "该手机号已参与过") {
		t.Fatalf("the same number twice: %d", again.Status)
	}
	if res, _ := surveys.ResultsOf(app, f.IDs["survey_phone"]); res.Respondents != 1 {
		t.Fatalf("%d responses after a repeated number", res.Respondents)
	}
	// Nothing holds the number in clear, or a hash that the answers share.
	for _, table := range []string{"survey_participations", "survey_texts", "surveys", "public_form_events", "_logs"} {
		db := app.DB()
		if table == "_logs" {
			db = app.AuxDB()
		}
		var dump []string
		rows, err := db.NewQuery("SELECT * FROM " + table).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					dump = append(dump, string(b))
				} else if s, ok := v.(string); ok {
					dump = append(dump, s)
				}
			}
		}
		rows.Close()
		if all := strings.Join(dump, "|"); strings.Contains(all, "13900001234") || strings.Contains(all, "1234") && strings.Contains(all, "139 0000") {
			t.Errorf("%s holds the phone number in clear", table)
		}
	}
}

// Closed, past their deadline, or still drafts: no form.
func TestSurveyPagesOutsideTheirTime(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := testapp.NewResident(t, testapp.Serve(t, app, nil).URL)
	for _, code := range []string{f.IDs["survey_draft_code"], "nosuchcode0", "../x"} {
		if p := r.Get("/survey/" + url.PathEscape(code)); p.Status != http.StatusNotFound {
			t.Errorf("/survey/%s = %d", code, p.Status)
		}
	}
	closed := "/survey/" + f.IDs["survey_closed_code"]
	p := r.Get(closed)
	checkPublic(t, closed, p)
	if !strings.Contains(p.Body, "已结束") || strings.Contains(p.Body, "<form") {
		t.Fatalf("closed survey page:\n%s", p.Body)
	}
	if res := r.Post(closed, url.Values{"q1": {"0"}}); res.Status == http.StatusSeeOther {
		t.Fatal("a closed survey took an answer")
	}
	past, _ := app.FindRecordById("surveys", f.IDs["survey_open"])
	if _, err := app.DB().NewQuery("UPDATE surveys SET closes_at = '2020-01-01 00:00:00.000Z' WHERE id = {:id}").
		Bind(map[string]any{"id": past.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if p := r.Get("/survey/" + f.IDs["survey_open_code"]); !strings.Contains(p.Body, "已结束") {
		t.Fatal("a survey past its deadline still shows its form")
	}
}

// The largest questionnaire the rules allow stays within 30 KB gzipped;
// the QR code leads to the page.
func TestSurveyPageBudgetAndQR(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	s := app.Settings()
	s.Meta.AppURL = "https://rd.simeng.example"
	app.Save(s)
	var qs []survey.Question
	for i := range survey.MaxQuestions {
		q := survey.Question{Kind: survey.Multiple, Title: strings.Repeat("题目文字很长", survey.MaxTitleRunes/6) + string(rune('甲'+i))}
		for j := range survey.MaxOptions {
			q.Options = append(q.Options, strings.Repeat("选项内容", survey.MaxOptionRunes/4)+string(rune('子'+j)))
		}
		qs = append(qs, q)
	}
	col, _ := app.FindCollectionByNameOrId("surveys")
	big := core.NewRecord(col)
	big.Set("title", strings.Repeat("长", 100))
	big.Set("intro", strings.Repeat("说明", 1000))
	big.Set("questions", qs)
	big.Set("status", "open")
	big.Set("closes_at", "2099-01-01 00:00:00.000Z")
	if err := app.Save(big); err != nil {
		t.Fatal(err)
	}
	r := testapp.NewResident(t, testapp.Serve(t, app, nil).URL)
	p := r.Get("/survey/" + big.GetString("code"))
	checkPublic(t, "the largest survey page", p)
	t.Logf("largest survey page: %d bytes, %d gzipped", len(p.Body), gzipSize(p.Body))

	code := f.IDs["survey_open_code"]
	qr := r.Get("/survey/" + code + "/qr.png")
	if got := testapp.QRText(t, []byte(qr.Body)); got != "https://rd.simeng.example/survey/"+code {
		t.Fatalf("QR says %q", got)
	}
	if p := r.Get("/survey/" + f.IDs["survey_draft_code"] + "/qr.svg"); p.Status != http.StatusNotFound {
		t.Errorf("a draft's QR: %d", p.Status)
	}
}
