package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/assessment"
)

// The demo year's meetings (会议) with attendance, the meeting loop
// (agenda, resolutions, follow-up tasks) and staff-recorded deputy
// activities, then one full assessment recompute so the ranking (亮分) and
// every 履职档案 have something to show.
type demoMeeting struct {
	month, day int
	kind       string
	title      string
	place      string
	halfDays   int
	presidium  bool // only presidium members expected
}

func seedAssessment(app core.App) error {
	// One recompute at the end instead of one per record.
	assessment.SetIncrementalScoring(app, false)
	defer assessment.SetIncrementalScoring(app, true)

	loc := chinatime.Location()
	now := time.Now().In(loc)
	year := now.Year()
	rnd := rand.New(rand.NewPCG(2025, uint64(year)))

	var deputies []*core.Record
	for i := range 20 {
		d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
		if err != nil {
			return err
		}
		deputies = append(deputies, d)
	}
	var all, presidium []string
	for _, d := range deputies {
		all = append(all, d.Id)
		if d.GetBool("presidium") {
			presidium = append(presidium, d.Id)
		}
	}

	meetings := []demoMeeting{
		{1, 9, "presidium", "第一季度主席团会议", "镇人大主席团会议室", 1, true},
		{2, 20, "congress_session", "思蒙镇第十九届人民代表大会第六次会议（演示）", "镇政府大礼堂", 4, false},
		{3, 14, "training", "第一季度代表集训：《怀化市县乡人大工作36法》", "镇党校", 1, false},
		{4, 8, "presidium", "第二季度主席团会议", "镇人大主席团会议室", 1, true},
		{4, 24, "party_committee", "镇党委人大工作会议", "镇党委会议室", 1, true},
		{5, 19, "wuchang", "思蒙湾村屋场会：集镇环境整治", "思蒙湾村晒谷坪", 1, false},
		{6, 12, "inquiry", "专题询问：桥思公路建设进度", "镇政府三楼会议室", 1, false},
		{7, 10, "presidium", "第三季度主席团会议", "镇人大主席团会议室", 1, true},
		{9, 18, "training", "第三季度代表集训", "镇党校", 1, false},
		{10, 9, "presidium", "第四季度主席团会议", "镇人大主席团会议室", 1, true},
		{11, 14, "wuchang", "桥头村屋场会：饮水安全", "演示·桥头村村部", 1, false},
	}
	mCol, err := app.FindCollectionByNameOrId("meetings")
	if err != nil {
		return err
	}
	aCol, err := app.FindCollectionByNameOrId("meeting_attendance")
	if err != nil {
		return err
	}
	leaveReasons := []string{"外出务工", "住院治疗", "参加县人大培训", "家中有事"}
	var congress *core.Record
	for _, dm := range meetings {
		starts := time.Date(year, time.Month(dm.month), dm.day, 9, 0, 0, 0, loc)
		expected := all
		if dm.presidium {
			expected = presidium
		}
		m := core.NewRecord(mCol)
		m.Set("title", dm.title)
		m.Set("kind", dm.kind)
		m.Set("starts_at", starts)
		m.Set("ends_at", starts.Add(time.Duration(dm.halfDays)*4*time.Hour))
		m.Set("place", dm.place)
		m.Set("half_days", dm.halfDays)
		m.Set("expected", expected)
		m.Set("research", "会前调研：代表分组走访了相关村组和单位，收集意见建议（演示数据）。")
		if err := app.Save(m); err != nil {
			return fmt.Errorf("meeting %s: %w", dm.title, err)
		}
		if dm.kind == "congress_session" {
			congress = m
		}
		if starts.After(now) {
			continue // not held yet: no attendance
		}
		for _, d := range expected {
			a := core.NewRecord(aCol)
			a.Set("meeting", m.Id)
			a.Set("deputy", d)
			switch roll := rnd.IntN(20); {
			case roll == 0:
				a.Set("status", "absent")
				a.Set("half_days", 1+rnd.IntN(dm.halfDays))
			case roll <= 2:
				a.Set("status", "leave")
				a.Set("half_days", 1+rnd.IntN(dm.halfDays))
				a.Set("leave_reason", leaveReasons[rnd.IntN(len(leaveReasons))])
			default:
				a.Set("status", "present")
				a.Set("method", []string{"qr", "qr", "qr", "staff"}[rnd.IntN(4)])
				a.Set("checked_in_at", starts.Add(-time.Duration(rnd.IntN(20))*time.Minute))
			}
			if err := app.Save(a); err != nil {
				return err
			}
		}
	}
	if err := seedMeetingLoop(app, congress, deputies, year, loc); err != nil {
		return err
	}
	if err := seedActivities(app, deputies, year, now, rnd); err != nil {
		return err
	}
	_, err = assessment.RecomputeYear(app, year)
	return err
}

// seedMeetingLoop: 会前调研—会中审议—会后督办 for the congress session.
func seedMeetingLoop(app core.App, congress *core.Record, deputies []*core.Record, year int, loc *time.Location) error {
	agendaCol, _ := app.FindCollectionByNameOrId("meeting_agenda_items")
	resCol, _ := app.FindCollectionByNameOrId("meeting_resolutions")
	taskCol, _ := app.FindCollectionByNameOrId("meeting_tasks")
	items := []struct {
		title, presenter, resolution, task, owner string
		month, day                                int
		status, result                            string
	}{
		{"审议镇人民政府工作报告", "镇人民政府", "批准镇人民政府工作报告", "落实报告中的十件民生实事", "镇党政办", 12, 31, "in_progress", ""},
		{"票决2026年度民生实事项目", "镇人大主席团", "票决产生思蒙湾村饮水提质等五件民生实事", "思蒙湾村饮水提质工程", "镇水利站", 9, 30, "done", "已完工通水，受益群众 1200 人"},
		{"审议桥思公路建设情况报告", "镇交通站", "要求年内完成桥思公路路面硬化", "桥思公路路面硬化", "镇交通站", 10, 31, "open", ""},
	}
	for i, it := range items {
		a := core.NewRecord(agendaCol)
		a.Set("meeting", congress.Id)
		a.Set("position", i+1)
		a.Set("title", it.title)
		a.Set("presenter", it.presenter)
		a.Set("research", "代表会前分组调研，形成调研报告（演示数据）。")
		if err := app.Save(a); err != nil {
			return err
		}
		r := core.NewRecord(resCol)
		r.Set("meeting", congress.Id)
		r.Set("agenda_item", a.Id)
		r.Set("text", it.resolution)
		r.Set("adopted", true)
		if err := app.Save(r); err != nil {
			return err
		}
		t := core.NewRecord(taskCol)
		t.Set("meeting", congress.Id)
		t.Set("resolution", r.Id)
		t.Set("title", it.task)
		t.Set("owner", it.owner)
		t.Set("owner_deputy", deputies[i].Id)
		t.Set("deadline", time.Date(year, time.Month(it.month), it.day, 18, 0, 0, 0, loc))
		t.Set("status", it.status)
		t.Set("result", it.result)
		if err := app.Save(t); err != nil {
			return err
		}
	}
	return nil
}

// seedActivities records what staff would: station duty on market days
// (逢四九) before the liaison station's roster went live, reports to voters, proposals, 金点子, commendations and the
// livelihood projects. Deputies differ so the ranking spreads out.
func seedActivities(app core.App, deputies []*core.Record, year int, now time.Time, rnd *rand.Rand) error {
	col, err := app.FindCollectionByNameOrId("deputy_activities")
	if err != nil {
		return err
	}
	add := func(d *core.Record, kind, title string, month, day int) error {
		on := time.Date(year, time.Month(month), day, 10, 0, 0, 0, now.Location())
		if on.After(now) {
			return nil
		}
		if kind == "station_duty" && !on.Before(stationGoLive(now)) {
			return nil // from the station's go-live its roster records duty (station.go)
		}
		r := core.NewRecord(col)
		r.Set("deputy", d.Id)
		r.Set("kind", kind)
		r.Set("occurred_on", on)
		r.Set("title", title)
		return app.Save(r)
	}
	marketDays := []int{4, 9, 14, 19, 24}
	for i, d := range deputies {
		village := "思蒙湾村"
		if v, err := app.FindRecordById("villages", d.GetString("village")); err == nil {
			village = v.GetString("name")
		}
		duties := 1 + (19-i)%5
		for k := range duties {
			day := marketDays[rnd.IntN(len(marketDays))]
			if err := add(d, "station_duty", fmt.Sprintf("%s代表联络站接待选民", village), 2+2*k, day); err != nil {
				return err
			}
		}
		if i%4 != 3 {
			if err := add(d, "report_to_voters", "向原选区选民述职", 10, 20); err != nil {
				return err
			}
		}
		for k := range (i * 7) % 5 {
			if err := add(d, "proposal", fmt.Sprintf("关于%s%s的建议", village, []string{"修缮机耕道", "增设路灯", "整治河道", "改善饮水", "建设文化广场"}[k]), 2, 20); err != nil {
				return err
			}
		}
		for k := range 1 + i%3 {
			if err := add(d, "project_tracking", "民生实事跟踪问效：思蒙湾村饮水提质", 5+k*2, 15); err != nil {
				return err
			}
		}
		if i%3 != 2 {
			if err := add(d, "project_evaluation", "民生实事年终评议", 11, 20); err != nil {
				return err
			}
		}
	}
	// the yearly 2 金点子, and a few commendations
	if err := add(deputies[6], "golden_idea", "“码上提建议”进村入户的建议获评金点子", 9, 1); err != nil {
		return err
	}
	if err := add(deputies[2], "golden_idea", "集镇逢四九错峰停车的建议获评金点子", 9, 1); err != nil {
		return err
	}
	if err := add(deputies[6], "commendation_county", "县人大常委会表彰优秀人大代表", 8, 1); err != nil {
		return err
	}
	return add(deputies[0], "commendation_town", "镇党委表彰优秀人大代表", 7, 1)
}
