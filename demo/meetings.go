package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/meetings"
)

// Meetings (会议) of the closed year and of this year to date, as the
// 2025 work plan sets them out: the congress session (人代会), a presidium
// meeting and a 季度集训 each quarter, a 屋场会 each half year, the 党委人大
// 工作会议 and a 专题询问, with attendance and leave; this year skips the
// second quarter's 集训 and has no fourth-quarter presidium meeting yet, so
// the plan grid shows what did not happen. Then 会前调研—会中审议—会后督办
// for each congress, with follow-up tasks done, late and in progress.

type demoMeeting struct {
	month, day int
	kind       string
	title      string
	place      string
	halfDays   int
	presidium  bool // only presidium members expected
}

func yearMeetings(y int, closed bool) []demoMeeting {
	ms := []demoMeeting{
		{1, 9, "presidium", fmt.Sprintf("%d年第一季度主席团会议", y), "镇人大主席团会议室", 1, true},
		{2, 20, "congress_session", fmt.Sprintf("思蒙镇第十九届人民代表大会第%d次会议", y-2019), "镇政府大礼堂", 4, false},
		{3, 14, "training", "第一季度代表集训：《怀化市县乡人大工作36法》", "镇党校", 1, false},
		{4, 8, "presidium", fmt.Sprintf("%d年第二季度主席团会议", y), "镇人大主席团会议室", 1, true},
		{4, 24, "party_committee", "镇党委人大工作会议", "镇党委会议室", 1, true},
		{5, 19, "wuchang", "思蒙湾村屋场会：集镇环境整治", "思蒙湾村晒谷坪", 1, false},
		{6, 12, "inquiry", "专题询问：桥思公路建设进度", "镇政府三楼会议室", 1, false},
		{7, 10, "presidium", fmt.Sprintf("%d年第三季度主席团会议", y), "镇人大主席团会议室", 1, true},
		{9, 18, "training", "第三季度代表集训：代表建议的撰写与督办", "镇党校", 1, false},
		{11, 14, "wuchang", "桥头村屋场会：饮水安全", "演示·桥头村村部", 1, false},
		{12, 11, "training", "第四季度代表集训：年度述职准备", "镇党校", 1, false},
	}
	if closed {
		ms = append(ms,
			demoMeeting{6, 13, "training", "第二季度代表集训：安全生产执法检查要点", "镇党校", 1, false},
			demoMeeting{10, 9, "presidium", fmt.Sprintf("%d年第四季度主席团会议", y), "镇人大主席团会议室", 1, true},
		)
	} else {
		// planned for later this month: on the calendar, not yet held
		ms = append(ms, demoMeeting{12, 22, "presidium", fmt.Sprintf("%d年第四季度主席团会议", y), "镇人大主席团会议室", 1, true})
	}
	return ms
}

var leaveReasons = []string{"外出务工", "住院治疗", "参加县人大培训", "家中有事"}

func seedMeetings(app core.App) error {
	last, this, now := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(2025, 10))
	for _, y := range []int{last, this} {
		congress, err := seedYearMeetings(app, deputies, y, y == last, now, rnd)
		if err != nil {
			return err
		}
		if congress != nil {
			if err := seedMeetingLoop(app, congress, deputies, y, now); err != nil {
				return err
			}
		}
	}
	_, err = meetings.FlagOverdueTasks(app, now)
	return err
}

func seedYearMeetings(app core.App, deputies []*core.Record, y int, closed bool, now time.Time, rnd *rand.Rand) (*core.Record, error) {
	var all, presidium []string
	for _, d := range deputies {
		all = append(all, d.Id)
		if d.GetBool("presidium") {
			presidium = append(presidium, d.Id)
		}
	}
	var congress *core.Record
	for _, dm := range yearMeetings(y, closed) {
		starts := on(y, time.Month(dm.month), dm.day, 9)
		expected := all
		if dm.presidium {
			expected = presidium
		}
		fields := map[string]any{"title": dm.title, "kind": dm.kind, "starts_at": starts,
			"ends_at": starts.Add(time.Duration(dm.halfDays) * 4 * time.Hour), "place": dm.place, "half_days": dm.halfDays,
			"expected": expected, "research": "会前调研：代表分组走访了相关村组和单位，收集意见建议。"}
		if len(presidium) > 0 {
			fields["chair"] = presidium[0] // shows the check-in code (主持)
		}
		if ends := fields["ends_at"].(time.Time); ends.Before(now) {
			fields["register_closed_at"] = ends // held: staff closed its register
		}
		m, err := save(app, "meetings", fields)
		if err != nil {
			return nil, err
		}
		if dm.kind == "congress_session" {
			congress = m
		}
		if starts.After(now) {
			continue // not held yet: no register
		}
		for i, d := range deputies {
			if dm.presidium && !d.GetBool("presidium") {
				continue
			}
			fields := map[string]any{"meeting": m.Id, "deputy": d.Id}
			status := "present"
			if dm.kind == "congress_session" && closed {
				status = lastYearProfiles[i].congress
			} else if roll := rnd.IntN(25); roll == 0 && dm.kind != "congress_session" {
				status = "leave"
			}
			switch status {
			case "leave":
				fields["status"], fields["half_days"] = "leave", 1
				fields["leave_reason"] = leaveReasons[(i+dm.month)%len(leaveReasons)]
			case "absent":
				fields["status"], fields["half_days"] = "absent", 2
			default:
				fields["status"] = "present"
				fields["method"] = []string{"qr", "qr", "qr", "staff"}[rnd.IntN(4)]
				fields["checked_in_at"] = starts.Add(-time.Duration(rnd.IntN(20)) * time.Minute)
			}
			if _, err := save(app, "meeting_attendance", fields); err != nil {
				return nil, err
			}
		}
	}
	return congress, nil
}

// seedMeetingLoop: 会前调研—会中审议—会后督办 for a congress session.
func seedMeetingLoop(app core.App, congress *core.Record, deputies []*core.Record, y int, now time.Time) error {
	items := []struct {
		title, presenter, resolution, task, owner string
		ownerDeputy                               int
		month, day                                int
		status, result                            string
		doneMonth, doneDay                        int
		progress                                  []string
	}{
		{"审议镇人民政府工作报告", "镇人民政府", "批准镇人民政府工作报告", "落实报告中的十件民生实事", "镇党政办", 0, 12, 20,
			"in_progress", "", 0, 0, []string{"十件民生实事已完成七件，其余三件正在收尾。"}},
		{"票决民生实事项目", "镇人大主席团", "票决产生思蒙湾村饮水提质等五件民生实事", "思蒙湾村饮水提质工程", "镇水利站", 1, 9, 30,
			"done", "已完工通水，受益群众1200人", 9, 20, []string{"管网铺设过半，预计九月通水。"}},
		{"审议桥思公路建设情况报告", "镇交通站", "要求年内完成桥思公路路面硬化", "桥思公路路面硬化", "镇交通站", 2, 10, 31,
			"open", "", 0, 0, nil},
		{"审议集镇环境整治情况", "镇村建设办", "集镇逢四九错峰停车、垃圾日清", "集镇逢四九错峰停车", "镇村建设办", 6, 6, 30,
			"done", "设置临时停车点两处，赶集日专人疏导", 7, 15, []string{"停车点选址已征求商户意见。"}},
	}
	for i, it := range items {
		a, err := save(app, "meeting_agenda_items", map[string]any{"meeting": congress.Id, "position": i + 1, "title": it.title,
			"presenter": it.presenter, "research": "代表会前分组调研，形成调研报告。"})
		if err != nil {
			return err
		}
		r, err := save(app, "meeting_resolutions", map[string]any{"meeting": congress.Id, "agenda_item": a.Id, "text": it.resolution, "adopted": true})
		if err != nil {
			return err
		}
		deadline := on(y, time.Month(it.month), it.day, 18)
		status, result := it.status, it.result
		if deadline.After(now) && status == "done" {
			status, result = "in_progress", "" // not due yet this year
		}
		t, err := save(app, "meeting_tasks", map[string]any{"meeting": congress.Id, "resolution": r.Id, "title": it.task,
			"owner": it.owner, "owner_deputy": deputies[it.ownerDeputy].Id, "deadline": deadline, "status": "open"})
		if err != nil {
			return err
		}
		for _, note := range it.progress {
			if _, err := save(app, "meeting_task_progress", map[string]any{"task": t.Id, "author": deputies[it.ownerDeputy].Id, "note": note}); err != nil {
				return err
			}
		}
		t, _ = app.FindRecordById("meeting_tasks", t.Id)
		if status != t.GetString("status") {
			t.Set("status", status)
			t.Set("result", result)
			if status == "done" {
				t.Set("done_at", on(y, time.Month(it.doneMonth), it.doneDay, 17))
			}
			if err := app.Save(t); err != nil {
				return fmt.Errorf("task %s: %w", it.task, err)
			}
		}
	}
	return nil
}
