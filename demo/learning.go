package demo

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/learning"
)

// The township's rule documents named in the 2025 work plan. The demo
// seeds them by title only: their text is the official documents', which
// staff upload; the demo never makes one up.
var officialDocuments = []struct{ title, source string }{
	{"怀化市县乡人大工作36法", "怀化市人大常委会"},
	{"乡镇人民代表大会议事规则", "两规则四办法"},
	{"乡镇人民代表大会主席团议事规则", "两规则四办法"},
	{"乡镇人大执法检查办法", "两规则四办法"},
	{"乡镇人大听取和讨论专项工作报告办法", "两规则四办法"},
	{"乡镇人大视察调研办法", "两规则四办法"},
	{"乡镇人大工作评议办法", "两规则四办法"},
}

// Demo 学习园地: the rule documents by title, sample articles of the demo's
// own (each marked 演示), training materials linked to the demo year's
// 季度集训, and some deputies' read receipts.
func seedLearning(app core.App) error {
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	var trainings []string
	meetings, err := app.FindRecordsByFilter("meetings", "kind = 'training'", "starts_at", 0, 0)
	if err != nil {
		return err
	}
	for _, m := range meetings {
		trainings = append(trainings, m.Id)
	}
	var articles []*core.Record
	for _, d := range officialDocuments {
		fields := map[string]any{"title": d.title, "category": "rules", "source": d.source, "published": true,
			"summary": "制度文件。演示数据只列标题，原文由工作人员上传。"}
		if d.title == "怀化市县乡人大工作36法" && len(trainings) > 0 {
			fields["meetings"] = trainings[:1] // the first quarter's training studied it
		}
		a, err := save(app, "articles", fields)
		if err != nil {
			return err
		}
		articles = append(articles, a)
	}
	samples := []map[string]any{
		{"title": "（演示）代表建议从提出到办结：一张图看懂流程", "category": "policy", "source": "镇人大主席团（演示）",
			"summary": "演示数据：代表建议提交、交办、答复、满意度测评的各个环节和时限。",
			"body": "演示数据：\n\n一、提出。代表可以随时通过手机应用提出建议，写清问题、原因和具体建议。\n\n" +
				"二、交办。主席团对建议分类分级后交有关单位办理。\n\n三、答复。承办单位在规定时间内书面答复代表，并当面或电话沟通。\n\n" +
				"四、测评。代表对答复作出满意、基本满意或不满意的评价，不满意的可以要求重新办理。"},
		{"title": "（演示）履职案例：桥头村代表推动饮水工程建管并重", "category": "case", "source": "镇人大主席团（演示）",
			"summary": "演示数据：代表在走访中发现新建水池无人管护，通过“云端议事”征求意见，推动成立管水小组。",
			"body": "演示数据：\n\n桥头村集中供水工程通水后，代表在走访中听到村民担心“有人建、没人管”。" +
				"主席团在“云端议事”发起议题，代表和群众共提出意见二十余条，最终形成由村委会牵头成立管水小组、按户收取少量管护费并张榜公示的结论，" +
				"并转镇水利站跟踪办理。\n\n启示：走访发现的问题，可以通过议事把群众的意见收上来，再转为具体事项跟踪到底。"},
		{"title": "（演示）走访群众怎样记好走访日志", "category": "training", "source": "第一季度代表集训（演示）",
			"summary": "演示数据：走访前、走访中、走访后各要做什么，走访日志要记哪些要素。",
			"body": "演示数据：\n\n走访前：了解这户的基本情况，带上代表联系卡。\n\n走访中：多听少说，问清楚困难和诉求，能当场解释的政策当场解释。\n\n" +
				"走访后：当天在手机上记下走访日志，把反映的问题单独列出，需要转办的及时提交。",
			"meetings": trainings},
	}
	for _, fields := range samples {
		fields["published"] = true
		a, err := save(app, "articles", fields)
		if err != nil {
			return err
		}
		articles = append(articles, a)
	}

	// Most deputies read the 36法 before the training; fewer read the rest.
	col, err := app.FindCollectionByNameOrId("article_reads")
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for i, d := range deputies {
		for j, a := range articles {
			if (i+j)%3 == 2 || (j > 0 && i%2 == 1) {
				continue
			}
			r := core.NewRecord(col)
			r.Id = learning.ReadID(d.Id, a.Id)
			r.Set("article", a.Id)
			r.Set("deputy", d.Id)
			r.Set("read_at", now.Add(-time.Duration(24*(i+j+1))*time.Hour))
			if err := app.Save(r); err != nil {
				return err
			}
		}
	}
	return nil
}
