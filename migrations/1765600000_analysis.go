package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// demandIndexSQL is the analysis of residents' demands (高频诉求分析, R15): one
// row per text residents raised, whatever collection holds it, and its
// full-text index. Plain tables, not collections: no record API exposes
// them; hooks/analysis keeps them current in each record's own transaction
// and `simeng analysis rebuild` refills them.
//
// record is "<collection>/<id>"; at is the stored UTC time (PocketBase's
// format) and month its China month (2025-03); state is the status on one
// scale for every source (open, in_progress, answered, closed); words and
// phrases are the extracted terms, space-separated, NULL until extracted
// with the dictionary version dict_version. demand_fts holds each row's
// text as character bigrams (package demand's IndexText) under the same
// rowid; contentless, so the texts are stored once, in their collections.
var demandIndexSQL = []string{
	`CREATE TABLE demand_index (
		rowid INTEGER PRIMARY KEY,
		record TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL,
		channel TEXT NOT NULL DEFAULT '',
		village TEXT NOT NULL DEFAULT '',
		category TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL DEFAULT '',
		state TEXT NOT NULL DEFAULT '',
		deputy TEXT NOT NULL DEFAULT '',
		at TEXT NOT NULL,
		month TEXT NOT NULL,
		words TEXT,
		phrases TEXT,
		dict_version INTEGER NOT NULL DEFAULT 0
	)`,
	// Covering indexes: a month's counts by village, category, state and
	// source read only the index, in its order; lists by time use the first.
	`CREATE INDEX demand_index_at ON demand_index (at, village, category, state, kind, channel)`,
	`CREATE INDEX demand_index_month ON demand_index (month, village, category, state, kind, channel)`,
	`CREATE INDEX demand_index_deputy_at ON demand_index (deputy, at)`,
	`CREATE INDEX demand_index_version ON demand_index (dict_version)`,
	`CREATE VIRTUAL TABLE demand_fts USING fts5(grams, content='', contentless_delete=1, tokenize='unicode61')`,
}

// analysisScopes are what a department's key (部门密钥) may open.
var analysisScopes = []string{"overview", "terms", "recurring", "search", "records", "export", "charts"}

func init() {
	m.Register(func(app core.App) error {
		for _, q := range demandIndexSQL {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}

		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}

		// The township dictionary (乡镇词典): place names and local terms cut
		// whole, words not counted. Staff edit it; the presidium reads it.
		words := core.NewBaseCollection("analysis_words")
		words.ListRule = rule(rulePresidium)
		words.ViewRule = rule(rulePresidium)
		words.Fields.Add(
			&core.TextField{Name: "text", Required: true, Max: 20, Presentable: true},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"word", "ignore"}},
			&core.NumberField{Name: "weight", Min: ptr(0.0), Max: ptr(10_000_000.0)},
			&core.TextField{Name: "pos", Max: 4, Pattern: `^[a-z]{0,4}$`},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1, CascadeDelete: true},
			&core.TextField{Name: "note", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		words.AddIndex("idx_analysis_words_text_kind", true, "text, kind", "")
		if err := withHelp(words, map[string]string{
			"text":    "词语（不超过20字，只能是汉字、字母、数字），例如 思蒙湾村、桥思公路",
			"kind":    "word 作为一个词切分（地名、本地说法）；ignore 不计入高频词（例如 演示、村委会）。同一个词可以两条都有：整词切分但不计数",
			"weight":  "词频权重：0 表示自动（刚好能整词切分）；数字越大越不容易被拆开",
			"pos":     "词性（可不填），例如 ns 地名、n 名词",
			"village": "由村（社区）名称自动生成时对应的村；村改名或删除时自动更新",
			"note":    "备注",
		}); err != nil {
			return err
		}
		if err := app.Save(words); err != nil {
			return err
		}

		// Department keys (信访办、综治中心): read-only access to the analysis
		// with a scope of their own; the token is shown once, only its hash
		// is kept. Staff only.
		keys := core.NewBaseCollection("analysis_dept_keys")
		keys.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 40, Presentable: true},
			&core.TextField{Name: "key_hash", Max: 64, Hidden: true},
			&core.TextField{Name: "key_hint", Max: 20},
			&core.SelectField{Name: "scope", Required: true, MaxSelect: len(analysisScopes), Values: analysisScopes},
			&core.RelationField{Name: "villages", CollectionId: villages.Id, MaxSelect: 999},
			&core.DateField{Name: "expires", Required: true},
			&core.BoolField{Name: "active"},
			&core.TextField{Name: "created_by", Max: 100},
			&core.DateField{Name: "last_used"},
			&core.TextField{Name: "note", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		keys.AddIndex("idx_analysis_dept_keys_hash", true, "key_hash", "key_hash != ''")
		if err := withHelp(keys, map[string]string{
			"name":       "部门名称，例如 镇信访办、镇综治中心",
			"key_hash":   "密钥的哈希（密钥只在创建时显示一次，不保存原文）",
			"key_hint":   "密钥开头几位，便于辨认",
			"scope":      "可使用的功能：overview 统计，terms 高频词，recurring 重复反映，search 检索，records 查看记录，export 导出Excel，charts 图表",
			"villages":   "只能查看这些村（社区）的诉求；留空表示全镇",
			"expires":    "到期时间，到期后自动失效",
			"active":     "是否有效；取消勾选即停用",
			"created_by": "创建人",
			"last_used":  "最近一次使用时间",
			"note":       "备注，例如 依据的文件或协议",
		}); err != nil {
			return err
		}
		if err := app.Save(keys); err != nil {
			return err
		}

		// The access log of the analysis (共享使用记录): every request by a
		// department's key and every export. Append-only; staff read it.
		log := core.NewBaseCollection("analysis_access_log")
		log.Fields.Add(
			&core.DateField{Name: "at", Required: true},
			&core.SelectField{Name: "actor_kind", Required: true, MaxSelect: 1, Values: []string{"department", "staff", "presidium", "deputy"}},
			&core.TextField{Name: "actor_id", Max: 40},
			&core.TextField{Name: "actor_name", Max: 100, Presentable: true},
			&core.SelectField{Name: "action", Required: true, MaxSelect: 1, Values: []string{"view", "search", "records", "export", "export_pii", "refused"}},
			&core.TextField{Name: "route", Max: 200},
			&core.TextField{Name: "query", Max: 1000},
			&core.NumberField{Name: "results", OnlyInt: true, Min: ptr(0.0)},
			&core.TextField{Name: "reason", Max: 500},
			&core.TextField{Name: "ip", Max: 64},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		log.AddIndex("idx_analysis_access_log_at", false, "at", "")
		log.AddIndex("idx_analysis_access_log_actor", false, "actor_id, at", "")
		if err := withHelp(log, map[string]string{
			"at":         "时间",
			"actor_kind": "使用者类型：department 部门密钥，staff 工作人员，presidium 主席团成员，deputy 代表",
			"actor_id":   "部门密钥或账号的编号",
			"actor_name": "部门或人员名称",
			"action":     "view 查看统计，search 检索，records 查看记录，export 导出（不含个人信息），export_pii 导出（含个人信息），refused 被拒绝",
			"route":      "访问的接口",
			"query":      "查询条件",
			"results":    "返回的记录数",
			"reason":     "导出个人信息的理由（法律依据）",
			"ip":         "来源地址",
		}); err != nil {
			return err
		}
		return app.Save(log)
	}, func(app core.App) error {
		if err := deleteCollections(app, "analysis_access_log", "analysis_dept_keys", "analysis_words"); err != nil {
			return err
		}
		for _, q := range []string{`DROP TABLE IF EXISTS demand_fts`, `DROP TABLE IF EXISTS demand_index`} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
