package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The sync bookkeeping (docs/SYNC.md): the server sequence, tombstones,
// conflict copies and household aliases. Only the server writes them.
func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		households, err := app.FindCollectionByNameOrId("households")
		if err != nil {
			return err
		}

		// sync_counters holds the one monotonic sequence ("seq") that every
		// change of a synced record takes its seq from. Staff only.
		counters := core.NewBaseCollection("sync_counters")
		counters.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 40, Presentable: true},
			&core.NumberField{Name: "value", OnlyInt: true},
		)
		counters.AddIndex("idx_sync_counters_name", true, "name", "")
		if err := withHelp(counters, map[string]string{
			"name":  "计数器名称（seq：同步变更序号）",
			"value": "当前值，只增不减；不要手工修改",
		}); err != nil {
			return err
		}
		if err := app.Save(counters); err != nil {
			return err
		}
		seq := core.NewRecord(counters)
		seq.Set("name", "seq")
		seq.Set("value", 0)
		if err := app.Save(seq); err != nil {
			return err
		}

		// sync_tombstones: a deleted synced record, so that phones pulling
		// later delete their copy and a re-upload of the id answers "gone".
		// Kept 400 days (longer than any offline period), then purged.
		tombstones := core.NewBaseCollection("sync_tombstones")
		tombstones.Fields.Add(
			&core.TextField{Name: "collection", Required: true, Max: 60},
			&core.TextField{Name: "record_id", Required: true, Max: 40},
			&core.TextField{Name: "deputy", Max: 40},
			&core.TextField{Name: "village", Max: 40},
			&core.NumberField{Name: "seq", OnlyInt: true},
			&core.DateField{Name: "deleted_at", Required: true},
		)
		tombstones.AddIndex("idx_sync_tombstones_record", true, "collection, record_id", "")
		tombstones.AddIndex("idx_sync_tombstones_seq", false, "seq", "")
		if err := withHelp(tombstones, map[string]string{
			"collection": "被删除记录所在的集合",
			"record_id":  "被删除记录的编号",
			"deputy":     "记录所属代表的编号",
			"village":    "记录所属村的编号（农户）",
			"seq":        "删除时的同步变更序号",
			"deleted_at": "删除时间；保留400天后清除",
		}); err != nil {
			return err
		}
		if err := app.Save(tombstones); err != nil {
			return err
		}

		// sync_conflicts: the device's copy of a record whose server copy
		// moved on meanwhile. Nothing is overwritten; staff or the deputy
		// compare the two and resolve.
		conflicts := core.NewBaseCollection("sync_conflicts")
		conflicts.ListRule = rule(ruleOwnOrPresidium)
		conflicts.ViewRule = conflicts.ListRule
		conflicts.Fields.Add(
			&core.TextField{Name: "collection", Required: true, Max: 60},
			&core.TextField{Name: "record_id", Required: true, Max: 40},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.TextField{Name: "device", Max: 40},
			&core.NumberField{Name: "base_version", OnlyInt: true},
			&core.NumberField{Name: "server_version", OnlyInt: true},
			&core.NumberField{Name: "schema_version", OnlyInt: true},
			&core.JSONField{Name: "data", MaxSize: 256 << 10},
			&core.TextField{Name: "content_hash", Max: 64},
			&core.BoolField{Name: "resolved"},
			&core.TextField{Name: "resolution", Max: 500},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		// One copy per distinct content: a phone retrying the same conflict
		// does not pile up copies.
		conflicts.AddIndex("idx_sync_conflicts_copy", true, "collection, record_id, content_hash", "")
		if err := withHelp(conflicts, map[string]string{
			"collection":     "冲突记录所在的集合",
			"record_id":      "冲突记录的编号",
			"deputy":         "上传这份副本的代表",
			"device":         "上传设备编号",
			"base_version":   "手机修改时依据的服务器版本",
			"server_version": "收到时服务器上的版本",
			"schema_version": "手机数据格式版本",
			"data":           "手机上传的内容（未覆盖服务器上的记录）",
			"content_hash":   "内容校验值",
			"resolved":       "是否已处理",
			"resolution":     "处理说明",
		}); err != nil {
			return err
		}
		if err := app.Save(conflicts); err != nil {
			return err
		}

		// household_aliases: a household id made offline that the server
		// merged into an existing household with the same dedupe key. Visits
		// sent with the alias are stored against the household it points to.
		aliases := core.NewBaseCollection("household_aliases")
		aliases.ListRule = rule(ruleDeputy)
		aliases.ViewRule = aliases.ListRule
		aliases.Fields.Add(
			&core.TextField{Name: "alias_id", Required: true, Max: 15, Pattern: `^[a-z0-9]{15}$`, Presentable: true},
			&core.RelationField{Name: "household", CollectionId: households.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		aliases.AddIndex("idx_household_aliases_alias", true, "alias_id", "")
		if err := withHelp(aliases, map[string]string{
			"alias_id":  "手机离线登记时生成的农户编号（已合并）",
			"household": "合并到的农户",
			"deputy":    "离线登记的代表",
		}); err != nil {
			return err
		}
		return app.Save(aliases)
	}, func(app core.App) error {
		return deleteCollections(app, "household_aliases", "sync_conflicts", "sync_tombstones", "sync_counters")
	})
}
