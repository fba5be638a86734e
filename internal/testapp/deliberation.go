package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Topics (云端议事): IDs["topic_open"] (residents and deputies, open a week
// more), IDs["topic_deputies"] (deputies only, open), IDs["topic_closed"]
// (closed with its conclusion), IDs["topic_draft"] (a draft); their public
// codes are IDs["…_code"]. Comments on topic_open: IDs["comment_deputy"]
// (Deputy's, approved), IDs["comment_pending"] (a resident's, waiting for
// moderation), IDs["comment_approved"] (a resident's, approved).
func seedDeliberation(app core.App, f *Fixture) error {
	col := mustCollection(app, "topics")
	week := time.Now().Add(7 * 24 * time.Hour).UTC()
	rows := []struct {
		key, title, audience, status string
	}{
		{"topic_open", "思蒙湾村集镇停车场选址", "both", "open"},
		{"topic_deputies", "第二季度代表集训内容征求意见", "deputies", "open"},
		{"topic_closed", "桥头村饮水工程管护办法", "both", "open"},
		{"topic_draft", "留守儿童课后看护（草稿）", "residents", "draft"},
	}
	for _, row := range rows {
		t := core.NewRecord(col)
		t.Set("title", row.title)
		t.Set("background", "赶集日集镇车辆乱停，影响通行和安全，拟在集镇周边规划停车场，征求各方意见。")
		t.Set("audience", row.audience)
		t.Set("status", row.status)
		t.Set("deadline", week)
		if err := app.Save(t); err != nil {
			return err
		}
		f.IDs[row.key] = t.Id
		f.IDs[row.key+"_code"] = t.GetString("code")
	}
	closed, err := app.FindRecordById(col, f.IDs["topic_closed"])
	if err != nil {
		return err
	}
	closed.Set("status", "closed")
	closed.Set("conclusion", "由村委会牵头成立管水小组，按户收取少量管护费，镇水利站负责技术指导。")
	if err := app.Save(closed); err != nil {
		return err
	}

	comments := mustCollection(app, "topic_comments")
	for _, c := range []struct {
		key, deputy, moderation, body string
	}{
		{"comment_deputy", f.Deputy, "", "建议利用原粮站空地，离集镇近，改造成本低。"},
		{"comment_pending", "", "pending", "停车场不要收费太高，赶集的都是老百姓。"},
		{"comment_approved", "", "approved", "希望停车场旁边设公共厕所。"},
	} {
		r := core.NewRecord(comments)
		r.Set("topic", f.IDs["topic_open"])
		r.Set("deputy", c.deputy)
		r.Set("body", c.body)
		r.Set("moderation", c.moderation)
		if c.deputy == "" {
			r.Set("village", f.VillageA)
		}
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[c.key] = r.Id
	}
	return nil
}
