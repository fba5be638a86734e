package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/surveys"
	"simeng/survey"
)

// Demo 微调研: an open survey residents can answer now (first, so its QR
// code is the one to try), and a finished 微协商 on the market-day
// parking, linked to its 云端议事 topic, with 36 answers from five
// villages so the results show villages apart and the small ones pooled.
func seedSurveys(app core.App) error {
	now := time.Now().UTC()
	_, err := save(app, "surveys", map[string]any{
		"title":  "留守儿童课后看护需求微调研",
		"intro":  "演示数据：了解各村留守儿童放学后的看护情况，为开设“四点半课堂”做准备。匿名填写，约需2分钟。",
		"status": "open", "closes_at": now.Add(14 * 24 * time.Hour), "created_by": "主席团（演示）",
		"questions": []map[string]any{
			{"kind": "single", "title": "您家是否有留守儿童（父母双方或一方外出务工）？", "options": []string{"有", "没有"}, "required": true},
			{"kind": "multiple", "title": "放学后孩子主要由谁照看？", "options": []string{"祖父母", "亲戚邻居", "无人照看", "其他"}, "max": 2},
			{"kind": "single", "title": "如果村里开设“四点半课堂”，您愿意让孩子参加吗？", "options": []string{"愿意", "不愿意", "看情况"}, "required": true},
			{"kind": "text", "title": "您对课后看护还有什么建议？"},
		},
	})
	if err != nil {
		return err
	}

	topic, err := app.FindFirstRecordByData("topics", "title", "思蒙湾村集镇赶集日停车难怎么解决")
	if err != nil {
		return err
	}
	parking, err := save(app, "surveys", map[string]any{
		"title":  "集镇赶集日停车收费标准微协商",
		"intro":  "演示数据：配合“云端议事”议题，了解群众对赶集日停车区收费和管理的意见。",
		"status": "open", "closes_at": now.Add(time.Hour), "topic": topic.Id, "created_by": "主席团（演示）",
		"questions": []map[string]any{
			{"kind": "single", "title": "赶集日停车区是否应当收费？", "options": []string{"应当收费", "不应当收费", "说不清"}, "required": true},
			{"kind": "single", "title": "如果收费，摩托车每次多少合适？", "options": []string{"1元", "2元", "3元及以上"}},
			{"kind": "multiple", "title": "停车区最需要哪些配套？（最多选2项）", "options": []string{"专人引导", "路灯", "公共厕所", "人行便道"}, "max": 2},
			{"kind": "text", "title": "其他意见"},
		},
	})
	if err != nil {
		return err
	}
	villages, err := demoVillageIDs(app)
	if err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(16, 2025))
	texts := []string{
		"演示数据：收费可以，但要给老人和残疾人免费。",
		"演示数据：停车区要有人管，不然还是乱停。",
		"演示数据：建议在集镇入口立个指示牌。",
		"演示数据：收的钱要公开用在哪里。",
		"演示数据：学校门口上学放学时段不要停车。",
	}
	// 18 from 思蒙湾村, 9 from 桥头村, 6 from 枫木村, 2 from 竹园村, 1 gave no village.
	plan := []struct{ village, n int }{{0, 18}, {1, 9}, {2, 6}, {3, 2}, {-1, 1}}
	k := 0
	for _, p := range plan {
		village := ""
		if p.village >= 0 {
			village = villages[p.village]
		}
		for range p.n {
			a := survey.Answers{Choices: map[string][]int{}, Texts: map[string]string{}}
			charge := []int{0, 0, 0, 1, 2}[rnd.IntN(5)]
			a.Choices["q1"] = []int{charge}
			if charge == 0 {
				a.Choices["q2"] = []int{[]int{0, 1, 1, 2}[rnd.IntN(4)]}
			}
			first := rnd.IntN(4)
			a.Choices["q3"] = []int{first}
			if second := rnd.IntN(4); second != first {
				a.Choices["q3"] = append(a.Choices["q3"], second)
				if a.Choices["q3"][0] > second {
					a.Choices["q3"] = []int{second, first}
				}
			}
			if k%5 == 0 {
				a.Texts["q4"] = texts[(k/5)%len(texts)]
			}
			if err := surveys.RecordResponse(app, parking.Id, a, village, ""); err != nil {
				return fmt.Errorf("demo survey answer %d: %w", k, err)
			}
			k++
		}
	}
	parking.Set("closes_at", now.Add(-3*24*time.Hour))
	parking.Set("status", "closed")
	return app.Save(parking)
}
