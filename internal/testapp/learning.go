package testapp

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/learning"
)

// The learning board: IDs["article_policy"] (政策解读 with a body),
// IDs["article_rules"] (a rule document seeded by title only),
// IDs["article_training"] (training material, linked to no meeting: the
// fixture's meetings are no trainings), IDs["article_draft"] (not
// published); Deputy has read article_policy (IDs["read_policy"]).
func seedLearning(app core.App, f *Fixture) error {
	col := mustCollection(app, "articles")
	for _, a := range []struct {
		key, title, category, body string
		published                  bool
		meetings                   []string
	}{
		{"article_policy", "一图读懂代表建议办理流程", "policy", "代表建议交办后，承办单位应当在三个月内答复。\n\n答复前应与代表沟通。", true, nil},
		{"article_rules", "乡镇人民代表大会议事规则", "rules", "", true, nil},
		{"article_training", "代表走访群众的工作方法", "training", "走访前先了解户情，走访时多听少说，走访后及时记录。", true, nil},
		{"article_draft", "草稿：村级议事协商指引", "case", "尚未发布。", false, nil},
	} {
		r := core.NewRecord(col)
		r.Set("title", a.title)
		r.Set("category", a.category)
		r.Set("body", a.body)
		r.Set("published", a.published)
		r.Set("meetings", a.meetings)
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[a.key] = r.Id
	}
	read := core.NewRecord(mustCollection(app, "article_reads"))
	read.Id = learning.ReadID(f.Deputy, f.IDs["article_policy"])
	read.Set("article", f.IDs["article_policy"])
	read.Set("deputy", f.Deputy)
	if err := app.Save(read); err != nil {
		return err
	}
	f.IDs["read_policy"] = read.Id
	return nil
}
