package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The reads of the capabilities that landed after the first read indexes
// (1765100000), found by EXPLAIN QUERY PLAN in internal/queryplan
// (capabilities_test.go):
//
//   - a deputy's pull reads each synced collection by owner in seq order:
//     (deputy, seq) lets a page come without a sort; where an index on
//     deputy alone existed it is the new one's prefix and goes;
//   - a topic's and a survey's public page find it by its public code.
//
// Numbered after every migration that creates these collections, so that
// a fresh install runs it once they exist.
func init() {
	type index struct {
		collection, name, columns string
	}
	added := []index{
		{"station_receptions", "idx_station_receptions_deputy_seq", "deputy, seq"},
		{"topic_comments", "idx_topic_comments_deputy_seq", "deputy, seq"},
		{"notices", "idx_notices_deputy_seq", "deputy, seq"},
		{"article_reads", "idx_article_reads_deputy_seq", "deputy, seq"},
		{"inspections", "idx_inspections_deputy_seq", "deputy, seq"},
		{"hazards", "idx_hazards_deputy_seq", "deputy, seq"},
		{"hazard_followups", "idx_hazard_followups_deputy_seq", "deputy, seq"},
		{"topics", "idx_topics_code", "code"},
		{"surveys", "idx_surveys_code", "code"},
	}
	// the prefixes of the new (deputy, seq) indexes
	replaced := []index{
		{"topic_comments", "idx_topic_comments_deputy", "deputy"},
		{"article_reads", "idx_article_reads_deputy", "deputy"},
		{"inspections", "idx_inspections_deputy", "deputy"},
		{"hazards", "idx_hazards_deputy", "deputy"},
		{"hazard_followups", "idx_hazard_followups_deputy", "deputy"},
	}

	change := func(app core.App, add, remove []index) error {
		for _, name := range []string{"station_receptions", "topic_comments", "notices", "article_reads", "inspections",
			"hazards", "hazard_followups", "topics", "surveys"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, ix := range remove {
				if ix.collection == name {
					c.RemoveIndex(ix.name)
				}
			}
			for _, ix := range add {
				if ix.collection == name {
					c.AddIndex(ix.name, false, ix.columns, "")
				}
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error {
		return change(app, added, replaced)
	}, func(app core.App) error {
		return change(app, replaced, added)
	})
}
