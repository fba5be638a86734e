package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/ledger"
	"simeng/inspectplan"
)

// Demo inspections (执法检查) and the hazard ledger (隐患台账, R7): this
// year's quarterly safety inspections of the plan's four sites with one
// missed, a 法治护绿 river inspection, a 桥思公路 project inspection, an
// enterprise inspection and an enterprise-channel report, and hazards in
// every state of the lifecycle, one overdue and listed for supervision.
func seedLedger(app core.App) error {
	cst := chinatime.Location()
	now := time.Now().In(cst)
	deputy := func(i int) string {
		d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
		if err != nil {
			return ""
		}
		return d.Id
	}
	smw, err := app.FindFirstRecordByData("villages", "name", "思蒙湾村")
	if err != nil {
		return err
	}

	sites := map[string]string{}
	for _, name := range []string{"思蒙镇学校", "思蒙镇幼儿园", "校园周边商店", "思蒙湾村集镇"} {
		s, err := app.FindFirstRecordByData("inspection_sites", "name", name)
		if err != nil {
			return fmt.Errorf("site %s: %w", name, err)
		}
		sites[name] = s.Id
	}
	for _, s := range []struct{ name, kind, addr string }{
		{"溆水河思蒙段", "river", "演示数据：思蒙湾村至桥头村河段"},
		{"桥思公路工程", "project", "演示数据：桥头村—思蒙镇"},
		{"思蒙镇演示竹木加工厂", "enterprise", "演示数据：竹园村"},
	} {
		r, err := save(app, "inspection_sites", map[string]any{"name": s.name, "kind": s.kind, "address": s.addr, "active": true})
		if err != nil {
			return err
		}
		sites[s.name] = r.Id
	}

	if err := seedLastYearInspections(app, sites, now); err != nil {
		return err
	}

	// This year's quarterly safety inspections: every planned site in
	// every past quarter except the shop in the second quarter (missed),
	// and half the sites so far this quarter. All confirmed by another
	// participant but the latest one, which waits for its confirmation.
	current := inspectplan.Of(now)
	order := []string{"思蒙镇学校", "思蒙镇幼儿园", "校园周边商店", "思蒙湾村集镇"}
	for _, p := range inspectplan.Quarters(current.Year) {
		if p.Quarter > current.Quarter {
			break
		}
		if err := ledger.EnsureInspectionPlan(app, p, p.Start()); err != nil {
			return err
		}
		for i, name := range order {
			if p.Quarter == 2 && name == "校园周边商店" {
				continue
			}
			at := p.Start().AddDate(0, 0, 10+7*i).Add(9 * time.Hour)
			if p == current && (i >= 2 || at.After(now)) {
				continue
			}
			_, err := save(app, "inspections", map[string]any{
				"kind": "safety", "site": sites[name], "inspected_at": at,
				"deputy": deputy(i % 5), "participants": []string{deputy(i % 5), deputy(5 + i)},
				"departments":  []string{"镇应急办", "市监所"},
				"findings":     "演示数据：消防器材、用电线路、食品安全台账检查。" + []string{"未发现问题。", "发现问题已登记隐患台账。"}[i%2],
				"status":       "completed",
				"confirmed_at": at.Add(48 * time.Hour), "confirmed_by": deputyLabel(app, 5+i),
			})
			if err != nil {
				return err
			}
		}
	}
	// The school's hazard was found at its latest inspection at least 40
	// days back (last year's in the first weeks of a year), so its
	// deadline and re-inspection are past whatever the date.
	found, err := app.FindRecordsByFilter("inspections", "site = {:s} && kind = 'safety' && inspected_at <= {:cut}",
		"-inspected_at", 1, 0, map[string]any{"s": sites["思蒙镇学校"], "cut": now.AddDate(0, 0, -40).UTC().Format(types.DefaultDateLayout)})
	if err != nil || len(found) == 0 {
		return fmt.Errorf("no school inspection 40 days back: %v", err)
	}
	school := found[0].Id
	foundAt := found[0].GetDateTime("inspected_at").Time().In(cst)
	reinspectAt := time.Date(foundAt.Year(), foundAt.Month(), foundAt.Day()+30, 10, 0, 0, 0, cst)
	recent := now.AddDate(0, 0, -20)
	others := []map[string]any{
		{"kind": "environment", "site": sites["溆水河思蒙段"], "subject": "《环境保护法》《森林法》执法检查：河道采砂与林地占用",
			"inspected_at": recent, "deputy": deputy(1), "participants": []string{deputy(1), deputy(6)},
			"departments": []string{"镇生态环境站", "镇林业站", "镇水利站"},
			"findings":    "演示数据：河道右岸有建筑垃圾倾倒；竹园村一处林地疑似违规占用建棚。", "status": "completed",
			"confirmed_at": recent.Add(24 * time.Hour), "confirmed_by": deputyLabel(app, 6)},
		{"kind": "project", "site": sites["桥思公路工程"], "subject": "桥思公路工程专题视察",
			"inspected_at": recent.AddDate(0, 0, 3), "deputy": deputy(0), "participants": []string{deputy(0), deputy(2), deputy(7)},
			"departments": []string{"镇交通站", "镇财政所"},
			"findings":    "演示数据：路基完成约七成，雨季排水需加强。", "progress": "路基完成约70%，桥涵3座完成2座",
			"quality": "抽查压实度合格；边坡防护未完成", "funds": "到位资金1200万元，已支付860万元，无挪用", "status": "completed",
			"confirmed_at": recent.AddDate(0, 0, 4), "confirmed_by": deputyLabel(app, 7)},
		{"kind": "enterprise", "site": sites["思蒙镇演示竹木加工厂"], "subject": "法治护企：惠企政策落实和涉企执法检查",
			"inspected_at": recent.AddDate(0, 0, 5), "deputy": deputy(2), "participants": []string{deputy(2)},
			"departments": []string{"市监所", "镇司法所"},
			"findings":    "演示数据：企业反映稳岗补贴尚未到位。", "status": "completed"}, // waits for confirmation
	}
	var river string
	for _, o := range others {
		r, err := save(app, "inspections", o)
		if err != nil {
			return err
		}
		if o["kind"] == "environment" {
			river = r.Id
		}
	}
	reinspect, err := save(app, "inspections", map[string]any{
		"kind": "safety", "site": sites["思蒙镇学校"], "subject": "隐患整改复查",
		"inspected_at": reinspectAt, "deputy": deputy(0),
		"findings": "演示数据：复查食堂灭火器已全部更换。", "status": "completed",
		"confirmed_at": reinspectAt.Add(24 * time.Hour), "confirmed_by": "工作人员",
	})
	if err != nil {
		return err
	}

	photo, err := demoPhoto()
	if err != nil {
		return err
	}
	hazards := []struct {
		fields map[string]any
		steps  []map[string]any
	}{
		{map[string]any{"title": "食堂灭火器过期", "description": "演示数据：学校食堂两具灭火器过期。", "source": "inspection",
			"inspection": school, "responsible_unit": "思蒙镇中心学校", "responsible_person": "后勤主任",
			"deadline": time.Date(foundAt.Year(), foundAt.Month(), foundAt.Day()+25, 0, 0, 0, 0, cst), "deputy": deputy(0)},
			[]map[string]any{{"status": "rectifying"},
				{"status": "rectified", "rectification": "已更换两具灭火器并建立月检表", "photos_after": photo},
				{"status": "verified", "verify_inspection": reinspect.Id, "verification": "复查合格", "verified_by": "演示·向建国（主席团）"},
				{"status": "closed", "closed_by": "工作人员 " + SuperuserEmail}}},
		{map[string]any{"title": "河道建筑垃圾", "description": "演示数据：溆水河右岸倾倒建筑垃圾约20立方。", "source": "inspection",
			"inspection": river, "responsible_unit": "镇生态环境站", "responsible_person": "站长",
			"deadline": now.AddDate(0, 0, 10), "deputy": deputy(1), "severity": "major"},
			[]map[string]any{{"status": "rectifying"}}},
		{map[string]any{"title": "林地违规建棚", "description": "演示数据：竹园村林地内搭建简易棚约200平方米。", "source": "inspection",
			"inspection": river, "responsible_unit": "镇林业站", "deadline": now.AddDate(0, 0, -15), "deputy": deputy(1), "severity": "major"},
			nil},
		{map[string]any{"title": "校门口商店售卖三无食品", "description": "演示数据：两家商店有无生产日期的散装零食。", "source": "inspection",
			"inspection": school, "responsible_unit": "市监所", "deadline": now.AddDate(0, 0, -3), "deputy": deputy(0)},
			nil},
		{map[string]any{"title": "集镇电线私拉乱接", "description": "演示数据：赶集日摊位私拉电线，存在触电风险。", "source": "other",
			"site": sites["思蒙湾村集镇"], "village": smw.Id, "responsible_unit": "思蒙湾村委会",
			"deadline": now.AddDate(0, 0, 20)},
			[]map[string]any{{"status": "rectifying"},
				{"status": "rectified", "rectification": "已统一安装临时配电箱", "photos_after": photo}}},
	}
	for _, h := range hazards {
		r, err := save(app, "hazards", h.fields)
		if err != nil {
			return err
		}
		for _, step := range h.steps {
			r.Load(step)
			if err := app.Save(r); err != nil {
				return fmt.Errorf("hazard %s → %v: %w", h.fields["title"], step["status"], err)
			}
		}
	}

	// A business's report through the enterprise channel.
	if _, err := save(app, "suggestions", map[string]any{
		"source": "enterprise", "category": "就业增收", "enterprise_name": "思蒙镇演示竹木加工厂", "enterprise_topic": "惠企政策落实",
		"content": "演示数据：去年申请的稳岗补贴至今未到账，请帮助了解进度。", "received_at": now.Add(-5 * time.Hour).UTC(),
	}); err != nil {
		return err
	}

	if err := ledger.CheckInspectionPlan(app, now); err != nil {
		return err
	}
	_, err = ledger.FlagOverdueHazards(app, now)
	return err
}

// deputyLabel names the i-th demo deputy as the ledgers name who acted.
func deputyLabel(app core.App, i int) string {
	d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
	if err != nil {
		return "工作人员"
	}
	return d.GetString("name") + "（代表）"
}

// seedLastYearInspections: the closed year's quarterly safety inspections
// of the plan's four sites, all but the kindergarten in the third quarter
// (missed), each recorded by a presidium member with ordinary deputies
// taking part as their profiles say, and confirmed by a participant.
func seedLastYearInspections(app core.App, sites map[string]string, now time.Time) error {
	last, _, _ := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	// who takes part, round by round, so nobody appears twice in one
	var queue []int
	for round := 0; round < 4; round++ {
		for i := 5; i < len(deputies); i++ {
			if lastYearProfiles[i].joins > round {
				queue = append(queue, i)
			}
		}
	}
	order := []string{"思蒙镇学校", "思蒙镇幼儿园", "校园周边商店", "思蒙湾村集镇"}
	slot := 0
	for _, p := range inspectplan.Quarters(last) {
		if err := ledger.EnsureInspectionPlan(app, p, p.Start()); err != nil {
			return err
		}
		for k, name := range order {
			if p.Quarter == 3 && name == "思蒙镇幼儿园" {
				continue
			}
			recorder := deputies[slot%5]
			participants := []string{recorder.Id}
			confirmer := "工作人员"
			for n := 0; n < 3 && len(queue) > 0; n++ {
				if n == 2 && slot%2 == 0 {
					break
				}
				participants = append(participants, deputies[queue[0]].Id)
				confirmer = deputies[queue[0]].GetString("name") + "（代表）"
				queue = queue[1:]
			}
			at := p.Start().AddDate(0, 0, 12+9*k).Add(9 * time.Hour)
			if _, err := save(app, "inspections", map[string]any{
				"kind": "safety", "site": sites[name], "inspected_at": at, "deputy": recorder.Id, "participants": participants,
				"departments": []string{"镇应急办", "市监所"},
				"findings":    []string{"消防器材齐全，用电线路规范，未发现问题。", "食品安全台账不全，已当场要求整改。", "疏散通道畅通，应急预案已更新。"}[slot%3],
				"status":      "completed", "confirmed_at": at.Add(24 * time.Hour), "confirmed_by": confirmer,
			}); err != nil {
				return err
			}
			slot++
		}
	}
	return ledger.CheckInspectionPlan(app, on(last+1, 1, 2, 9))
}

func save(app core.App, collection string, fields map[string]any) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(fields)
	if err := app.Save(r); err != nil {
		return nil, fmt.Errorf("%s %v: %w", collection, fields, err)
	}
	return r, nil
}

// demoPhoto is a small generated picture standing in for a photo taken after
// rectification.
func demoPhoto() (*filesystem.File, error) {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for x := range 160 {
		for y := range 120 {
			img.Set(x, y, color.RGBA{uint8(60 + x/2), uint8(140 + y/2), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return filesystem.NewFileFromBytes(b.Bytes(), "demo-after.png")
}
