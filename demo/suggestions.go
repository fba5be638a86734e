package demo

import (
	"fmt"
	"time"

	"simeng/hooks/suggestions"

	"github.com/pocketbase/pocketbase/core"
)

// demoPath is the sequence of statuses a deputy goes through to reach one.
var demoPath = map[string][]string{
	"received":     nil,
	"acknowledged": {"acknowledged"},
	"answered":     {"acknowledged", "answered"},
	"transferred":  {"acknowledged", "transferred"},
	"closed":       {"answered", "closed"},
}

// Demo suggestions (码上提建议) in every state, addressed to the demo deputies
// who log in, including one past its deadlines and escalated.
func seedSuggestions(app core.App) error {
	col, err := app.FindCollectionByNameOrId("suggestions")
	if err != nil {
		return err
	}
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
		{6, "qr", "道路交通", "演示数据：村口到学校那段路的路灯坏了三盏，晚上孩子放学很黑，请帮忙反映修一下。", 2 * time.Hour, "received", "", "舒大姐", "13700000001", ""},
		{6, "qr", "饮水安全", "演示数据：三组自来水这几天发黄，烧开了也有沉淀。", 20 * time.Hour, "acknowledged", "", "", "", ""},
		{6, "station", "养老助残", "演示数据（联络站接待）：82岁的五保老人想了解高龄补贴怎么申请。", 3 * 24 * time.Hour, "answered",
			"已联系村民政协理员上门帮老人办理申请，本月起按月发放。", "", "", "satisfied"},
		{1, "qr", "农业生产", "演示数据：河边那段水渠塌了，春耕前不修好几十亩田放不进水。", 4 * 24 * time.Hour, "transferred",
			"水渠修复需要镇里安排资金，已通过代表直通车转交镇政府，列入急难愁盼清单跟踪督办。", "", "", ""},
		{0, "hotline", "生态环境", "演示数据（民情直通车热线）：有人在溪边倒建筑垃圾。", 10 * 24 * time.Hour, "received", "", "向师傅", "13700000002", ""},
		{5, "paper", "教育", "演示数据（纸质来信）：希望村小学增加课后看护。", 15 * 24 * time.Hour, "closed",
			"已与学校协商，下学期起每周三、五开设课后看护。", "", "", "basic"},
	}
	for _, row := range rows {
		dep, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(row.deputy))
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set("source", row.source)
		r.Set("deputy", dep.Id)
		r.Set("category", row.category)
		r.Set("content", row.content)
		r.Set("received_at", now.Add(-row.ago))
		r.Set("resident_name", row.name)
		r.Set("resident_phone", row.phone)
		r.Set("consent", row.phone != "")
		if err := app.Save(r); err != nil {
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
			r.Set("satisfaction_at", now)
			if err := app.Save(r); err != nil {
				return err
			}
		}
	}
	_, err = suggestions.MarkOverdue(app, time.Now())
	return err
}
