package testapp

import (
	"time"

	"simeng/chinatime"

	"github.com/pocketbase/pocketbase/core"
)

// Fixture ids of the inspection ledger (R7), in Fixture.IDs:
//
//	site_school, site_kindergarten, site_shop, site_market: the plan's four sites (from the migration)
//	inspection_a: Deputy's completed safety inspection of 思蒙镇学校 on 2026-02-10, Presidium took part
//	inspection_b: an environment inspection by Inactive (records outlive a term)
//	hazard_a: open hazard found in inspection_a in village A, deadline 2026-03-10
//	hazard_b: open hazard found in inspection_b
func seedInspections(app core.App, f *Fixture) error {
	for key, name := range map[string]string{
		"site_school": "思蒙镇学校", "site_kindergarten": "思蒙镇幼儿园", "site_shop": "校园周边商店", "site_market": "思蒙湾村集镇",
	} {
		r, err := app.FindFirstRecordByData("inspection_sites", "name", name)
		if err != nil {
			return err
		}
		f.IDs[key] = r.Id
	}
	cst := chinatime.Location()
	save := func(key, col string, fields map[string]any) error {
		r := core.NewRecord(mustCollection(app, col))
		r.Load(fields)
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[key] = r.Id
		return nil
	}
	if err := save("inspection_a", "inspections", map[string]any{
		"kind": "safety", "site": f.IDs["site_school"], "inspected_at": time.Date(2026, 2, 10, 9, 0, 0, 0, cst),
		"deputy": f.Deputy, "participants": []string{f.Deputy, f.Presidium}, "departments": []string{"镇应急办", "市监所"},
		"findings": "学校食堂灭火器过期两具；后门消防通道堆放杂物", "status": "completed",
	}); err != nil {
		return err
	}
	if err := save("inspection_b", "inspections", map[string]any{
		"kind": "environment", "subject": "溆水河道采砂点", "inspected_at": time.Date(2026, 2, 12, 10, 0, 0, 0, cst),
		"deputy": f.Inactive, "findings": "河道边堆放建筑垃圾", "status": "completed",
	}); err != nil {
		return err
	}
	if err := save("hazard_a", "hazards", map[string]any{
		"title": "食堂灭火器过期", "description": "学校食堂两具灭火器已过有效期", "source": "inspection",
		"inspection": f.IDs["inspection_a"], "village": f.VillageA, "responsible_unit": "思蒙镇中心学校", "responsible_person": "后勤主任",
		"deadline": time.Date(2026, 3, 10, 0, 0, 0, 0, cst), "deputy": f.Deputy,
	}); err != nil {
		return err
	}
	return save("hazard_b", "hazards", map[string]any{
		"title": "河道建筑垃圾", "description": "溆水河道边堆放建筑垃圾约20立方", "source": "inspection",
		"inspection": f.IDs["inspection_b"], "responsible_unit": "镇生态环境站",
		"deadline": time.Date(2026, 3, 15, 0, 0, 0, 0, cst), "deputy": f.Inactive,
	})
}
