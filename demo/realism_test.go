package demo_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/chinatime"
	"simeng/hooks/meetings"
)

// Names and genders agree; a visit's problem and notes fit its topic.
func TestDemoRecordsAgreeWithThemselves(t *testing.T) {
	app := seededDemo(t)
	female := []string{"秀英", "红梅", "桂花", "春兰", "小燕", "玉兰", "金凤", "丽华", "冬梅", "翠萍"}
	deputies, _ := app.FindAllRecords("deputies")
	for _, d := range deputies {
		isFemale := false
		for _, g := range female {
			isFemale = isFemale || strings.HasSuffix(d.GetString("name"), g)
		}
		if (d.GetString("gender") == "女") != isFemale {
			t.Errorf("%s is recorded %s", d.GetString("name"), d.GetString("gender"))
		}
	}
	visits, _ := app.FindRecordsByFilter("visits", "problems != '[]' && problems != ''", "", 0, 0)
	if len(visits) == 0 {
		t.Fatal("no visit raised a problem")
	}
	for _, v := range visits {
		var ps []struct{ Category string }
		_ = json.Unmarshal([]byte(v.GetString("problems")), &ps)
		topics := v.GetStringSlice("topics")
		for _, p := range ps {
			if len(topics) != 1 || p.Category != topics[0] {
				t.Fatalf("a visit about %v raised a problem about %s", topics, p.Category)
			}
		}
	}
}

// This year follows through: tasks past their deadline escalated, the
// meeting plan flagging the missed 集训, problems in every state with
// forwards past their deadline escalated, one reopened; the closed year's
// suggestions answered on time and late and rated.
func TestDemoFollowsThrough(t *testing.T) {
	app := seededDemo(t)
	now := time.Now()
	if n, _ := app.CountRecords("meeting_tasks", dbx.NewExp("overdue = TRUE AND escalated_at != ''")); n == 0 {
		t.Error("no overdue task escalated")
	}
	if n, _ := app.CountRecords("meeting_task_progress"); n == 0 {
		t.Error("no progress reported on a task")
	}
	grid, err := meetings.PlanGrid(app, now.In(chinatime.Location()).Year(), now)
	if err != nil {
		t.Fatal(err)
	}
	missed := 0
	for _, r := range grid {
		missed += r.Missed
	}
	if now.In(chinatime.Location()).Month() > 6 && missed == 0 {
		t.Error("the meeting plan flags nothing this year")
	}
	for _, st := range []string{"open", "forwarded", "answered", "closed"} {
		if n, _ := app.CountRecords("problems", dbx.HashExp{"status": st}); n == 0 {
			t.Errorf("no demo problem %s", st)
		}
	}
	if n, _ := app.CountRecords("problems", dbx.NewExp("overdue = TRUE AND escalated_at != ''")); n == 0 {
		t.Error("no problem past its deadline escalated")
	}
	if n, _ := app.CountRecords("problems", dbx.NewExp("reopens > 0")); n == 0 {
		t.Error("no problem reopened")
	}
	if n, _ := app.CountRecords("problems", dbx.NewExp("status = 'forwarded' AND deadline = ''")); n != 0 {
		t.Errorf("%d forwards without a deadline", n)
	}
	if n, _ := app.CountRecords("problems", dbx.NewExp("status != 'open' AND unit = ''")); n != 0 {
		t.Errorf("%d forwarded problems name no handling unit account", n)
	}
	// Each answer answers its own problem: one reply is never given to two
	// different problems raised on visits.
	answered, _ := app.FindRecordsByFilter("problems", "source = 'visit' && reply != ''", "", 0, 0)
	problemOf, texts := map[string]string{}, map[string]bool{}
	for _, p := range answered {
		texts[p.GetString("description")] = true
		if d, ok := problemOf[p.GetString("reply")]; ok && d != p.GetString("description") && p.GetInt("reopens") == 0 {
			t.Errorf("the reply %q answers both %q and %q", p.GetString("reply"), d, p.GetString("description"))
		}
		if p.GetInt("reopens") == 0 {
			problemOf[p.GetString("reply")] = p.GetString("description")
		}
	}
	if len(texts) < 15 {
		t.Errorf("the visits' problems repeat: %d different texts", len(texts))
	}
	if n, _ := app.CountRecords("problem_events", dbx.HashExp{"action": "escalate"}); n == 0 {
		t.Error("no escalation on a timeline")
	}
	last := now.In(chinatime.Location()).Year() - 1
	from := time.Date(last, 1, 1, 0, 0, 0, 0, chinatime.Location()).UTC().Format("2006-01-02 15:04:05.000Z")
	to := time.Date(last+1, 1, 1, 0, 0, 0, 0, chinatime.Location()).UTC().Format("2006-01-02 15:04:05.000Z")
	inLast := dbx.NewExp("received_at >= {:f} AND received_at < {:t}", dbx.Params{"f": from, "t": to})
	late, _ := app.CountRecords("suggestions", inLast, dbx.NewExp("answered_at > feedback_due"))
	rated, _ := app.CountRecords("suggestions", inLast, dbx.NewExp("satisfaction != ''"))
	if late == 0 || rated < 20 {
		t.Errorf("the closed year's suggestions: %d answered late, %d rated", late, rated)
	}
	// The assessment's close is in the closed year's history, and the
	// visit logs' close unless January's grace period for late uploads
	// keeps them open.
	want := int64(2)
	if n, _ := app.CountRecords("visit_years", dbx.HashExp{"year": last}, dbx.NewExp("closed_at != ''")); n == 0 {
		want = 1
	}
	if n, _ := app.CountRecords("year_events", dbx.HashExp{"year": last}); n < want {
		t.Errorf("the closed year's history holds %d entries, want %d", n, want)
	}
}
