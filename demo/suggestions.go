package demo

import (
	"fmt"
	"time"

	"simeng/chinatime"
	"simeng/hooks/suggestions"
	"simeng/workdays"

	"github.com/pocketbase/pocketbase/core"
)

// Residents' suggestions (码上提建议): the closed year's as each deputy's
// profile says (answered on time or late, rated by the residents), and
// this year's in every state, addressed to the deputies who log in,
// including one past its deadlines and escalated, and a few transferred
// to the problems list (代表直通车).

// demoPath is the sequence of statuses a deputy goes through to reach one.
var demoPath = map[string][]string{
	"received":     nil,
	"acknowledged": {"acknowledged"},
	"answered":     {"acknowledged", "answered"},
	"transferred":  {"acknowledged", "transferred"},
	"closed":       {"answered", "closed"},
}

var ratingValues = map[int]string{3: "satisfied", 2: "basic", 1: "unsatisfied"}

// suggestionMonths avoid the long holidays (Spring Festival, National Day),
// so "late" means late on any calendar.
var suggestionMonths = []time.Month{3, 4, 5, 6, 7, 8, 9, 11}

func seedSuggestions(app core.App) error {
	if err := seedLastYearSuggestions(app); err != nil {
		return err
	}
	return seedThisYearSuggestions(app)
}

func seedLastYearSuggestions(app core.App) error {
	last, _, _ := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	sources := []string{"qr", "qr", "station", "hotline", "qr", "paper"}
	for i, d := range deputies {
		p := lastYearProfiles[i]
		for k := range p.suggestions {
			th := themeOf(i + 3*k)
			received := on(last, suggestionMonths[(i+k)%len(suggestionMonths)], 3+(i*5+k*7)%22, 9+k%8)
			ack, answered := received.Add(3*time.Hour), received.Add(50*time.Hour)
			if k < p.ackLate {
				ack = received.Add(30 * time.Hour)
			}
			if k < p.feedbackLate {
				answered = received.AddDate(0, 0, 14)
			}
			status := "closed"
			if i%7 == 3 && k == 1 {
				status = "transferred" // needs the government: the problems list
			}
			fields := map[string]any{"source": sources[(i+k)%len(sources)], "deputy": d.Id, "category": th.topic,
				"content": th.letter, "received_at": received.UTC(), "acknowledged_at": ack.UTC(), "answered_at": answered.UTC()}
			r, err := save(app, "suggestions", fields)
			if err != nil {
				return err
			}
			r.Set("status", "acknowledged")
			if err := app.Save(r); err != nil {
				return err
			}
			if status == "transferred" {
				r.Set("status", "transferred")
				r.Set("reply", "需要镇里协调解决，已通过代表直通车转交，列入急难愁盼清单跟踪督办。")
			} else {
				r.Set("status", "answered")
				r.Set("reply", th.reply)
			}
			if err := app.Save(r); err != nil {
				return fmt.Errorf("suggestion of %s: %w", d.GetString("name"), err)
			}
			if status == "closed" {
				r.Set("status", "closed")
				r.Set("closed_at", answered.Add(72*time.Hour).UTC())
				if k < len(p.ratings) {
					r.Set("satisfaction", ratingValues[p.ratings[k]])
					r.Set("satisfaction_at", answered.Add(96*time.Hour).UTC())
				}
				if err := app.Save(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func seedThisYearSuggestions(app core.App) error {
	now := time.Now().UTC()
	rows := []struct {
		deputy           int
		source, category string
		content          string
		ago              time.Duration
		status, reply    string
		name, phone      string
		satisfaction     string
	}{
		{6, "qr", "道路交通", "村口到学校那段路的路灯坏了三盏，晚上孩子放学很黑，请帮忙反映修一下。", 2 * time.Hour, "received", "", "舒大姐", "13700000101", ""},
		{6, "qr", "饮水安全", "三组自来水这几天发黄，烧开了也有沉淀。", 20 * time.Hour, "acknowledged", "", "", "", ""},
		{6, "station", "养老助残", "（联络站接待）82岁的五保老人想了解高龄补贴怎么申请。", 3 * 24 * time.Hour, "answered",
			"已联系村民政协理员上门帮老人办理申请，本月起按月发放。", "", "", "satisfied"},
		{1, "qr", "农业生产", "河边那段水渠塌了，春耕前不修好几十亩田放不进水。", 4 * 24 * time.Hour, "transferred",
			"水渠修复需要镇里安排资金，已通过代表直通车转交镇政府，列入急难愁盼清单跟踪督办。", "", "", ""},
		{0, "hotline", "生态环境", "（民情直通车热线）有人在溪边倒建筑垃圾。", overdueAgo(now), "received", "", "向师傅", "13700000102", ""},
		{5, "paper", "教育", "（纸质来信）希望村小学增加课后看护。", 15 * 24 * time.Hour, "closed",
			"已与学校协商，下学期起每周三、五开设课后看护。", "", "", "basic"},
	}
	// And the year so far for everyone else: one or two each, most handled at once.
	for i := range 20 {
		if i == 6 || i == 1 || i == 0 || i == 5 {
			continue
		}
		for k := range 1 + i%2 {
			th := themeOf(i + k + 4)
			rows = append(rows, struct {
				deputy           int
				source, category string
				content          string
				ago              time.Duration
				status, reply    string
				name, phone      string
				satisfaction     string
			}{i, "qr", th.topic, th.letter, time.Duration(20+i*9+k*40) * 24 * time.Hour, "closed", th.reply, "", "", []string{"satisfied", "basic", ""}[(i+k)%3]})
		}
	}
	for _, row := range rows {
		dep, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(row.deputy))
		if err != nil {
			return err
		}
		received := now.Add(-row.ago)
		fields := map[string]any{"source": row.source, "deputy": dep.Id, "category": row.category, "content": row.content,
			"received_at": received, "resident_name": row.name, "resident_phone": row.phone, "consent": row.phone != ""}
		if row.status != "received" {
			fields["acknowledged_at"] = received.Add(2 * time.Hour)
		}
		if row.status == "answered" || row.status == "closed" || row.status == "transferred" {
			fields["answered_at"] = received.Add(26 * time.Hour)
		}
		r, err := save(app, "suggestions", fields)
		if err != nil {
			return fmt.Errorf("suggestion %q: %w", row.content, err)
		}
		// Walk the states the way a deputy would.
		for _, st := range demoPath[row.status] {
			r.Set("status", st)
			if st != "acknowledged" {
				r.Set("reply", row.reply)
			}
			if err := app.Save(r); err != nil {
				return fmt.Errorf("suggestion %q → %s: %w", row.content, st, err)
			}
		}
		if row.satisfaction != "" {
			r.Set("satisfaction", row.satisfaction)
			r.Set("satisfaction_at", received.Add(5*24*time.Hour))
			if err := app.Save(r); err != nil {
				return err
			}
		}
	}
	_, err := suggestions.MarkOverdue(app, time.Now())
	return err
}

// overdueAgo is how long ago the demo's overdue suggestion came in: ten
// days, or more when a long holiday (Spring Festival, Labour Day) leaves
// fewer than the five working days of its feedback deadline, so that it
// is a day past due whatever the date.
func overdueAgo(now time.Time) time.Duration {
	cal := workdays.New() // the demo has no calendar overrides
	ago := 10 * 24 * time.Hour
	for !cal.FeedbackDue(chinatime.In(now.Add(-ago))).Before(now.Add(-24 * time.Hour)) {
		ago += 24 * time.Hour
	}
	return ago
}
