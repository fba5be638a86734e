package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// RoleUnit2 is a second handling unit (市场监管所), for "another unit" rows.
const RoleUnit2 = "unit2"

// Supervision loops' fixtures (议案建议, 民生实事, 专题询问, 监督通报), in
// F(t).IDs; Year is the current year in China time:
//
//	unit2                 a second active unit, 市场监管所 (token RoleUnit2)
//	proposal_inviting     Deputy's 议案 inviting Deputy2 and Presidium (none confirmed)
//	proposal_submitted    Presidium's 建议, submitted, waiting for review (Deputy2 sponsors nothing: the roster's tests delete Deputy2)
//	proposal_assigned     Deputy's 建议 assigned to Unit (主办) with Unit2 (协办), due in 30 days
//	proposal_answered     Deputy's 建议 answered by Unit (A), waiting for Deputy's rating
//	project_a, _b, _c     the year's candidate projects
//	project_chosen        the year's chosen project, Unit responsible, budget 50
//	milestone_open        project_chosen's milestone due in 20 days
//	milestone_late        project_chosen's milestone due 10 days ago, not done
//	vote_draft            a draft 票决 at meeting_congress of a, b, c for 2 places (up to 2 choices); deleting the meeting leaves it
//	evaluation_draft      a draft 年终评议 of the year
//	inquiry_a             a 专题询问 of project_chosen (Unit answers), with inquiry_item_a asked by Deputy
//	report_issued         an issued 监督通报 with rect_item_a (Unit2, open, due in 15 days)
//	report_draft          a draft 监督通报 with rect_item_draft (Unit2)
func seedSupervision(app core.App, f *Fixture) error {
	u := core.NewRecord(mustCollection(app, "units"))
	u.Load(map[string]any{"name": "市场监管所", "kind": "station", "contact_name": "易所长", "phone": "13700000004", "active": true})
	u.SetPassword(AccountPassword)
	if err := app.Save(u); err != nil {
		return err
	}
	f.IDs["unit2"] = u.Id
	if err := addToken(u, RoleUnit2); err != nil {
		return err
	}

	now := time.Now()
	year := chinatime.CurrentYear()
	save := func(key, col string, fields map[string]any) (*core.Record, error) {
		r := core.NewRecord(mustCollection(app, col))
		r.Load(fields)
		if err := app.Save(r); err != nil {
			return nil, err
		}
		if key != "" {
			f.IDs[key] = r.Id
		}
		return r, nil
	}
	step := func(r *core.Record, fields map[string]any) error {
		r.Load(fields)
		return app.Save(r)
	}
	body := "村里通组公路年久失修，雨天泥泞，群众出行和农产品外运困难，建议列入计划硬化。"

	if _, err := save("proposal_inviting", "proposals", map[string]any{
		"type": "motion", "status": "inviting", "title": "关于加快思蒙湾村饮水提质的议案", "body": body, "category": "交通水利",
		"sponsor": f.Deputy, "co_invited": []string{f.Deputy2, f.Presidium}, "client_id": "clientinvite001",
	}); err != nil {
		return err
	}
	if _, err := save("proposal_submitted", "proposals", map[string]any{
		"type": "suggestion", "status": "submitted", "title": "关于桥头村路灯维修的建议", "body": body, "category": "城乡建设",
		"sponsor": f.Presidium, "submitted_at": InThisYear(now.Add(-48 * time.Hour)), "year": year, "number": "0000-901",
	}); err != nil {
		return err
	}
	submitted := func(key, title, number string) (*core.Record, error) {
		r, err := save(key, "proposals", map[string]any{
			"type": "suggestion", "status": "submitted", "title": title, "body": body, "category": "交通水利",
			"sponsor": f.Deputy, "submitted_at": InThisYear(now.Add(-20 * 24 * time.Hour)), "year": year, "number": number,
		})
		if err != nil {
			return nil, err
		}
		if err := step(r, map[string]any{"status": "registered", "grade": "normal"}); err != nil {
			return nil, err
		}
		return r, step(r, map[string]any{"status": "assigned", "main_unit": f.Unit, "co_units": []string{f.IDs["unit2"]},
			"assigned_at": InThisYear(now.Add(-10 * 24 * time.Hour)), "deadline": now.Add(30 * 24 * time.Hour), "round": 1})
	}
	if _, err := submitted("proposal_assigned", "关于硬化思蒙湾村三组通组公路的建议", "0000-902"); err != nil {
		return err
	}
	answered, err := submitted("proposal_answered", "关于修复桥头村渡口护栏的建议", "0000-903")
	if err != nil {
		return err
	}
	if err := step(answered, map[string]any{"status": "answered", "reply_class": "A",
		"reply": "已安排交通站于本月完成护栏修复，并设置警示标志。", "answered_at": InThisYear(now.Add(-24 * time.Hour))}); err != nil {
		return err
	}

	project := func(key, title, status string, extra map[string]any) (*core.Record, error) {
		fields := map[string]any{"year": year, "title": title, "description": title + "：演示项目说明，惠及群众。",
			"villages": []string{f.VillageA}, "est_funds": 30, "source_kind": "other", "status": status}
		for k, v := range extra {
			fields[k] = v
		}
		return save(key, "projects", fields)
	}
	for _, p := range []struct{ key, title string }{
		{"project_a", "思蒙湾村安全饮水提质工程"}, {"project_b", "桥头村渡口护栏改造"}, {"project_c", "集镇农贸市场雨棚建设"},
	} {
		if _, err := project(p.key, p.title, "candidate", nil); err != nil {
			return err
		}
	}
	chosen, err := project("project_chosen", "溆水河堤加固工程", "chosen", map[string]any{"unit": f.Unit, "budget": 50, "rank": 1, "votes": 2})
	if err != nil {
		return err
	}
	if _, err := save("milestone_open", "project_milestones", map[string]any{"project": chosen.Id, "title": "完成施工招标",
		"due": now.Add(20 * 24 * time.Hour), "position": 2}); err != nil {
		return err
	}
	if _, err := save("milestone_late", "project_milestones", map[string]any{"project": chosen.Id, "title": "完成勘测设计",
		"due": now.Add(-10 * 24 * time.Hour), "position": 1}); err != nil {
		return err
	}
	if _, err := save("vote_draft", "votes", map[string]any{"meeting": f.IDs["meeting_congress"], "year": year,
		"title": "民生实事项目票决（测试）", "candidates": []string{f.IDs["project_a"], f.IDs["project_b"], f.IDs["project_c"]},
		"seats": 2, "max_choices": 2, "majority": true, "status": "draft"}); err != nil {
		return err
	}
	if _, err := save("evaluation_draft", "evaluations", map[string]any{"year": year, "title": "民生实事年终评议（测试）", "status": "draft"}); err != nil {
		return err
	}
	inq, err := save("inquiry_a", "inquiries", map[string]any{"year": year, "topic": "溆水河堤加固进度", "project": chosen.Id,
		"unit": f.Unit, "status": "held"})
	if err != nil {
		return err
	}
	if _, err := save("inquiry_item_a", "inquiry_items", map[string]any{"inquiry": inq.Id, "deputy": f.Deputy,
		"question": "汛期前能否完成加固？"}); err != nil {
		return err
	}
	issued, err := save("report_issued", "supervision_reports", map[string]any{"year": year, "title": "关于民生实事项目推进情况的监督通报",
		"summary": "主席团对民生实事项目开展专题视察，发现以下问题，请责任单位限期整改。", "status": "issued",
		"number": "思蒙人大通〔测试〕1号", "issued_at": now.Add(-24 * time.Hour), "issued_by": "测试"})
	if err != nil {
		return err
	}
	if _, err := save("rect_item_a", "rectification_items", map[string]any{"report": issued.Id, "position": 1,
		"problem_text": "施工现场安全警示标志缺失", "requirement": "三日内设置警示标志", "unit": f.IDs["unit2"],
		"deadline": now.Add(15 * 24 * time.Hour)}); err != nil {
		return err
	}
	draft, err := save("report_draft", "supervision_reports", map[string]any{"year": year, "title": "监督通报（草稿）",
		"summary": "草稿：尚未发布的通报。", "status": "draft"})
	if err != nil {
		return err
	}
	_, err = save("rect_item_draft", "rectification_items", map[string]any{"report": draft.Id, "position": 1,
		"problem_text": "资金拨付进度滞后", "unit": f.IDs["unit2"], "deadline": now.Add(30 * 24 * time.Hour)})
	return err
}
