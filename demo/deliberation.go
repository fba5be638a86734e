package demo

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/deliberation"
)

// Demo 云端议事: an open topic for deputies and residents with comments
// (one resident's still waiting for moderation), an open one for deputies
// only, and a closed one with its conclusion, turned into a problem. The
// open one for residents comes first: it is the one a QR code on the
// market notice board would open.
func seedDeliberation(app core.App) error {
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	villages, err := demoVillageIDs(app)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	parking, err := save(app, "topics", map[string]any{
		"title":    "思蒙湾村集镇赶集日停车难怎么解决",
		"audience": "both", "status": "open", "deadline": now.Add(10 * 24 * time.Hour),
		"background": "演示数据：每逢农历四、九赶集，思蒙湾村集镇主街两侧停满摩托车和三轮车，救护车、校车通行困难。" +
			"镇政府初步考虑在老粮站空坪划设临时停车区，并在集镇入口设置引导标识。请代表和群众就停车区位置、是否收费、怎样管理提出意见。",
		"opened_by": deputies[0].GetString("name") + "（主席团）",
	})
	if err != nil {
		return err
	}
	training, err := save(app, "topics", map[string]any{
		"title":    "第三季度代表集训想学什么",
		"audience": "deputies", "status": "open", "deadline": now.Add(6 * 24 * time.Hour),
		"background": "演示数据：第三季度集训拟安排半天，请各位代表提出最想学的内容，例如议案建议怎么写、走访怎么记、执法检查怎么参与。",
		"opened_by":  deputies[1].GetString("name") + "（主席团）",
	})
	if err != nil {
		return err
	}
	water, err := save(app, "topics", map[string]any{
		"title":    "桥头村饮水工程建成后怎么管护",
		"audience": "both", "status": "open", "deadline": now.Add(24 * time.Hour),
		"background": "演示数据：桥头村集中供水工程已经完工通水，管网和水池的日常管护由谁负责、费用怎么出，需要村民和代表共同商量。",
		"opened_by":  deputies[1].GetString("name") + "（主席团）",
	})
	if err != nil {
		return err
	}

	comment := func(topic *core.Record, deputy *core.Record, village, body, moderation string, ago time.Duration) error {
		fields := map[string]any{"topic": topic.Id, "body": body, "moderation": moderation, "written_at": now.Add(-ago)}
		if deputy != nil {
			fields["deputy"] = deputy.Id
		} else {
			fields["village"] = village
		}
		_, err := save(app, "topic_comments", fields)
		return err
	}
	for _, c := range []struct {
		topic     *core.Record
		deputy    int // -1: a resident
		village   int
		body, mod string
		hoursAgo  int
	}{
		{parking, 0, 0, "建议赶集日老粮站空坪免费停放，由村里组织志愿者引导，先试行三个月。", "", 50},
		{parking, -1, 0, "演示数据：老粮站离集镇有点远，老人走不动，能不能在学校旁边也划一块临时停车的地方？", "approved", 40},
		{parking, 6, 0, "我走访了主街12户商户，大多数同意划停车区，但担心生意受影响，建议停车区到集镇修一条人行便道。", "", 30},
		{parking, -1, 1, "演示数据：停车可以收一点钱，但要明码标价，收的钱用来请人管理和打扫。", "approved", 20},
		{parking, -1, 0, "演示数据：我家就在主街，赶集日车子堵到家门口，希望尽快解决。", "pending", 2},
		{training, 5, 0, "想学怎么写议案建议，去年写的建议被退回来说不规范。", "", 12},
		{training, 7, 0, "希望讲讲执法检查时代表能做什么、该看什么。", "", 8},
		{water, -1, 1, "演示数据：管护费每户每年几十块钱可以接受，但要张榜公示。", "approved", 400},
		{water, 8, 1, "建议成立管水小组，由村里有水电经验的村民担任，镇水利站做技术指导。", "", 380},
	} {
		var d *core.Record
		if c.deputy >= 0 {
			d = deputies[c.deputy]
		}
		if err := comment(c.topic, d, villages[c.village], c.body, c.mod, time.Duration(c.hoursAgo)*time.Hour); err != nil {
			return err
		}
	}

	// The water topic ran its course and was concluded, then put on the
	// problems list for the township's water station.
	water.Set("deadline", now.Add(-15*24*time.Hour))
	if err := app.Save(water); err != nil {
		return err
	}
	water.Set("status", "closed")
	water.Set("conclusion", "演示数据：经议事，由桥头村委会牵头成立管水小组，按户每年收取30元管护费并张榜公示，镇水利站每季度上门检测水质。")
	water.Set("closed_by", deputies[1].GetString("name")+"（主席团）")
	if err := app.Save(water); err != nil {
		return err
	}
	if _, err := deliberation.ToProblem(app, deputies[1], water.Id, "饮水安全", villages[1]); err != nil {
		return fmt.Errorf("demo topic to problem: %w", err)
	}
	return nil
}

// demoVillageIDs are the demo villages' ids in demoVillages' order.
func demoVillageIDs(app core.App) ([]string, error) {
	out := make([]string, len(demoVillages))
	for i, v := range demoVillages {
		r, err := app.FindFirstRecordByData("villages", "code", v.code)
		if err != nil {
			return nil, err
		}
		out[i] = r.Id
	}
	return out, nil
}
