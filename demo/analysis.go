package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/demand/sample"
	"simeng/hooks/reports"
)

// demoDemands is how many demands the analysis demo holds over two years:
// about seventy a month across the six villages.
const demoDemands = 1600

// The sample generator's villages and the demo villages they stand for:
// its hotspots (思蒙湾村 饮水, 桥头村 道路, 枫木村 住房, 竹园村 教育,
// 新田村 社会保障) land on the demo's villages of the same name.
var sampleVillages = map[string]string{
	"思蒙湾村": "思蒙湾村", "桥头村": "演示·桥头村", "枫木村": "演示·枫木村",
	"竹园村": "演示·竹园村", "新田村": "演示·新田村", "石桥社区": "演示·龙潭社区",
}

// Replies by category, as a deputy or the office writes them.
var demoReplies = map[string][]string{
	"道路交通": {"已转交镇交通站，路灯已更换。", "已列入今年村道维修计划，施工队下月进场。", "已协调交警中队在路口增设减速带和警示牌。"},
	"饮水安全": {"已联系镇水厂检修管网，供水已恢复。", "水管破裂处已修复，并安排每周巡查。", "已纳入农村供水管网改造项目，年内完工。"},
	"医疗卫生": {"已协调镇卫生院安排医生每周到村卫生室坐诊。", "医保缴费已开通村级代办点。"},
	"教育":   {"已与学校协商开设课后托管。", "已协调开通校车线路，下学期起运行。"},
	"养老助残": {"已安排村民政协理员上门办理，补贴本月到账。", "已纳入日间照料中心建设计划。"},
	"就业增收": {"已联系镇劳动保障站组织技能培训。", "已协调劳动监察追讨欠薪，款项已到位。"},
	"农业生产": {"已组织清淤，水渠恢复通水。", "已联系农业综合服务中心上门指导。"},
	"生态环境": {"已通知环卫公司加密清运频次。", "已会同生态环境站现场查处。"},
	"安全生产": {"已会同镇应急办现场检查，责令限期整改。", "已落实专人巡查并设置警示标志。"},
	"社会保障": {"已核查并按规定重新评定。", "已督促民政部门按时发放。"},
	"住房":   {"已联系镇村建设办核查，补助款已拨付。", "已协调施工单位返修。"},
	"矛盾纠纷": {"已组织村调解委员会调解，双方达成协议。", "已协调司法所上门调解。"},
	"其他":   {"已联系运营商增设基站。", "已督促村委会按月公开村务。"},
}

// seedDemands gives the analysis two years of demands: hotline calls,
// letters and station receptions logged by the office as suggestions, and
// problems deputies raised on visits, with clear hotspots and problems
// raised again and again from one village. None is addressed to a deputy
// (they would change the deputies' assessment, which the other seeders
// set up), except that each visit problem belongs to a deputy of its
// village.
func seedDemands(app core.App) error {
	rng := rand.New(rand.NewPCG(2026, 17))
	now := time.Now()
	villages := map[string]*core.Record{}
	for sampleName, demo := range sampleVillages {
		v, err := app.FindFirstRecordByData("villages", "name", demo)
		if err != nil {
			return err
		}
		villages[sampleName] = v
	}
	byVillage := map[string][]*core.Record{}
	deputies, err := app.FindRecordsByFilter("deputies", "active = true", "phone", 0, 0)
	if err != nil {
		return err
	}
	for _, d := range deputies {
		byVillage[d.GetString("village")] = append(byVillage[d.GetString("village")], d)
	}
	names := make([]string, 0, len(sampleVillages))
	for _, n := range sample.Villages {
		if _, ok := sampleVillages[n]; ok {
			names = append(names, n)
		}
	}
	demands := sample.Generate(demoDemands, sample.Config{Seed: 17, From: now.AddDate(-2, 0, 0), To: now.Add(-2 * time.Hour), Villages: names})
	suggestionsCol, err := app.FindCollectionByNameOrId("suggestions")
	if err != nil {
		return err
	}
	problemsCol, err := app.FindCollectionByNameOrId("problems")
	if err != nil {
		return err
	}
	for _, dm := range demands {
		v := villages[dm.Village]
		text := dm.Text
		if demo := strings.TrimPrefix(v.GetString("name"), "演示·"); demo != dm.Village {
			text = strings.ReplaceAll(text, dm.Village, demo)
		}
		age := now.Sub(dm.At)
		reply := pick(rng, demoReplies[dm.Category])
		if dm.Source == "visit" {
			// A unit answers the problem it was given, naming it: the
			// category's reply alone would answer several different ones.
			answer := "您反映的“" + strings.TrimRight(text, "！!。，, ") + "”问题，" + reply
			if err := seedDemoProblem(app, problemsCol, rng, dm, v, byVillage[v.Id], text, answer, age); err != nil {
				return err
			}
			continue
		}
		source := map[string]string{"qr": "hotline", "hotline": "hotline", "station": "station", "paper": "paper"}[dm.Source]
		r := core.NewRecord(suggestionsCol)
		r.Set("source", source)
		r.Set("village", v.Id)
		r.Set("category", dm.Category)
		r.Set("content", text)
		r.Set("received_at", dm.At.UTC())
		// Old demands have been handled; the last two weeks' are under way.
		ack := dm.At.Add(time.Duration(1+rng.IntN(30)) * time.Hour)
		answered := dm.At.Add(time.Duration(24+rng.IntN(24*8)) * time.Hour)
		status := "received"
		switch {
		case age > 30*24*time.Hour:
			status = []string{"closed", "closed", "closed", "answered"}[rng.IntN(4)]
		case age > 14*24*time.Hour:
			status = []string{"closed", "answered", "answered"}[rng.IntN(3)]
		case age > 2*24*time.Hour:
			status = []string{"acknowledged", "answered", "received"}[rng.IntN(3)]
		}
		r.Set("status", status)
		if status != "received" {
			r.Set("acknowledged_at", ack.UTC())
		}
		if status == "answered" || status == "closed" {
			r.Set("answered_at", answered.UTC())
			r.Set("reply", reply)
		}
		if status == "closed" {
			r.Set("closed_at", answered.Add(time.Duration(24+rng.IntN(24*5))*time.Hour).UTC())
			if rng.IntN(3) > 0 {
				r.Set("satisfaction", []string{"satisfied", "satisfied", "satisfied", "basic", "basic", "unsatisfied"}[rng.IntN(6)])
				r.Set("satisfaction_at", answered.Add(72*time.Hour).UTC())
			}
		}
		if err := app.Save(r); err != nil {
			return fmt.Errorf("demand %q: %w", text, err)
		}
	}
	return seedDictionary(app)
}

func seedDemoProblem(app core.App, col *core.Collection, rng *rand.Rand, dm sample.Demand, v *core.Record, deputies []*core.Record, text, reply string, age time.Duration) error {
	p := core.NewRecord(col)
	p.Set("category", dm.Category)
	p.Set("description", text)
	p.Set("village", v.Id)
	if len(deputies) > 0 {
		p.Set("deputy", deputies[rng.IntN(len(deputies))].Id)
	}
	p.Set("source", "visit")
	p.Set("status", "open")
	if err := app.Save(p); err != nil {
		return fmt.Errorf("problem %q: %w", text, err)
	}
	// Raised on the visit's day, not when the demo was made.
	if _, err := app.DB().NewQuery("UPDATE problems SET created = {:at} WHERE id = {:id}").
		Bind(map[string]any{"at": dm.At.UTC().Format(chinatime.StoredLayout), "id": p.Id}).Execute(); err != nil {
		return err
	}
	p, err := app.FindRecordById("problems", p.Id)
	if err != nil {
		return err
	}
	status := "open"
	switch {
	case age > 60*24*time.Hour:
		status = []string{"closed", "closed", "answered"}[rng.IntN(3)]
	case age > 14*24*time.Hour:
		status = []string{"forwarded", "answered", "closed"}[rng.IntN(3)]
	}
	if status == "open" {
		return app.Save(p) // indexed with its visit's date
	}
	// Taken through its steps as package problem's rules allow: forwarded
	// by the presidium to an active handling unit, answered by the unit,
	// closed by the presidium.
	presidium, err := app.FindFirstRecordByFilter("deputies", "presidium = true && active = true")
	if err != nil {
		return err
	}
	units, err := app.FindRecordsByFilter("units", "active = true", "name", 0, 0)
	if err != nil || len(units) == 0 {
		return fmt.Errorf("problem %q: no active handling unit to forward it to: %v", text, err)
	}
	unit := units[rng.IntN(len(units))]
	w := walker{app: app, p: p}
	if !w.forward(presidium, unit.GetString("name"), unit, dm.At.Add(48*time.Hour)) {
		return fmt.Errorf("problem %q: %w", text, w.err)
	}
	if status != "forwarded" && !w.answer(unit, reply, dm.At.Add(10*24*time.Hour)) {
		return fmt.Errorf("problem %q: %w", text, w.err)
	}
	if status == "closed" && !w.close(presidium, dm.At.Add(15*24*time.Hour)) {
		return fmt.Errorf("problem %q: %w", text, w.err)
	}
	return nil
}

// seedDictionary adds the township's own words (villages' names add
// themselves).
func seedDictionary(app core.App) error {
	for _, w := range []struct{ text, kind, pos, note string }{
		{"桥思公路", "word", "ns", "镇内公路"},
		{"集镇", "word", "n", "思蒙湾村集镇"},
		{"通组公路", "word", "n", ""},
		{"村委会门口", "ignore", "", "地点，不是诉求内容"},
	} {
		if _, err := save(app, "analysis_words", map[string]any{"text": w.text, "kind": w.kind, "pos": w.pos, "note": w.note}); err != nil {
			return err
		}
	}
	return nil
}

// seedReports gives last year's reports: a 述职评议会 in each of the first
// three villages in December with every deputy of the village evaluated,
// the annual work report draft and a 述职 draft for the first deputy who
// logs in.
func seedReports(app core.App) error {
	rng := rand.New(rand.NewPCG(2026, 18))
	cst := chinatime.Location()
	last := time.Now().In(cst).Year() - 1
	villages, err := app.FindRecordsByFilter("villages", "", "code", 3, 0)
	if err != nil {
		return err
	}
	for i, v := range villages {
		deps, err := app.FindRecordsByFilter("deputies", "village = {:v} && active = true", "phone", 0, 0, map[string]any{"v": v.Id})
		if err != nil {
			return err
		}
		ids := make([]string, len(deps))
		for j, d := range deps {
			ids[j] = d.Id
		}
		m, err := save(app, "meetings", map[string]any{
			"title": strings.TrimPrefix(v.GetString("name"), "演示·") + fmt.Sprintf("%d年度人大代表述职评议会", last), "kind": "duty_review",
			"starts_at": time.Date(last, 12, 18+i, 9, 30, 0, 0, cst).UTC(), "place": v.GetString("name") + "村部",
			"half_days": 1, "expected": ids,
		})
		if err != nil {
			return err
		}
		for _, d := range deps {
			present := 40 + rng.IntN(30)
			unsatisfied := rng.IntN(4)
			basic := 3 + rng.IntN(8)
			if _, err := save(app, "duty_reviews", map[string]any{
				"deputy": d.Id, "meeting": m.Id, "evaluators": "voters", "satisfied": present - basic - unsatisfied - rng.IntN(3),
				"basic": basic, "unsatisfied": unsatisfied, "voters_present": present, "recorded_by": "工作人员（演示）",
				"note": "选民对走访入户、反映问题办理情况总体认可，希望多到组里听取意见。",
			}); err != nil {
				return err
			}
		}
	}
	if _, err := reports.GenerateAnnual(app, last, "演示数据"); err != nil {
		return fmt.Errorf("annual report: %w", err)
	}
	dep, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(0))
	if err != nil {
		return err
	}
	if _, err := reports.GenerateDuty(app, dep, last); err != nil {
		return fmt.Errorf("duty report: %w", err)
	}
	return nil
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }
