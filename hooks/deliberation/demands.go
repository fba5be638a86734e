package deliberation

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/analysis"
)

// addDemandSource makes residents' published comments on a topic demands
// of the analysis of what residents raise (高频诉求分析, hooks/analysis):
// counted by village and month, searched, and their words counted. A
// deputy's comment is not a resident's demand; a comment still waiting for
// moderation or rejected is not counted. A comment has no category (未分类)
// and nothing left to handle once published (已办结 on the analysis' scale;
// the topic's conclusion answers it).
func addDemandSource(app core.App) {
	analysis.AddSource(app, analysis.Source{
		Collection: "topic_comments", Label: "云端议事",
		TextFields: []string{"body"}, AtField: "created", VillageField: "village",
		StatusField:  "moderation",
		States:       map[string]string{"approved": analysis.StateClosed},
		StatusLabels: map[string]string{"approved": "已公开"},
		Skip: func(r *core.Record) bool {
			return r.GetString("author") != "resident" || r.GetString("moderation") != "approved"
		},
	})
}
