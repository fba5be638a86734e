package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 学习园地 (R16): articles staff publish for deputies (政策解读, 履职案例,
// training materials, the rule documents such as 「两规则四办法」), pulled
// to the phones with the sync pull and readable offline, and the deputies'
// read receipts, sent through the offline outbox.
var articleCategories = []string{"policy", "case", "training", "rules"}

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		meetings, err := app.FindCollectionByNameOrId("meetings")
		if err != nil {
			return err
		}

		articles := core.NewBaseCollection("articles")
		// Deputies read what is published; staff write (nil rules).
		articles.ListRule = rule(ruleDeputy + ` && published = true`)
		articles.ViewRule = articles.ListRule
		articles.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: articleCategories},
			&core.TextField{Name: "summary", Max: 500},
			&core.TextField{Name: "body", Max: 50000},
			&core.FileField{Name: "document", MaxSelect: 1, MaxSize: 20 << 20, Protected: true, MimeTypes: documentTypes},
			&core.TextField{Name: "source", Max: 200},
			&core.RelationField{Name: "meetings", CollectionId: meetings.Id, MaxSelect: 50},
			&core.BoolField{Name: "published"},
			&core.DateField{Name: "published_at"},
		)
		if err := addSyncFields(articles); err != nil {
			return err
		}
		articles.Fields.Add(
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		articles.AddIndex("idx_articles_published", false, "published, published_at", "")
		if err := withHelp(articles, map[string]string{
			"title":        "标题",
			"category":     "栏目：policy 政策解读，case 履职案例，training 培训资料，rules 制度文件（两规则四办法、36法等）",
			"summary":      "摘要（列表中显示）",
			"body":         "正文（纯文本，空行分段）；正式文件请上传原件，不要自行改写",
			"document":     "原文件（PDF或Word，不超过20MB）",
			"source":       "来源或发文机关，例如 怀化市人大常委会",
			"meetings":     "用作哪些季度集训（会议）的学习材料",
			"published":    "已发布（代表可见，并下载到手机离线阅读）",
			"published_at": "发布时间（自动填写）",
		}); err != nil {
			return err
		}
		if err := app.Save(articles); err != nil {
			return err
		}

		reads := core.NewBaseCollection("article_reads")
		reads.ListRule = rule(ruleOwnOrPresidium)
		reads.ViewRule = reads.ListRule
		reads.Fields.Add(
			&core.RelationField{Name: "article", CollectionId: articles.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.DateField{Name: "read_at"},
		)
		if err := addSyncFields(reads); err != nil {
			return err
		}
		reads.Fields.Add(
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		reads.AddIndex("idx_article_reads_article_deputy", true, "article, deputy", "")
		reads.AddIndex("idx_article_reads_deputy", false, "deputy", "")
		if err := withHelp(reads, map[string]string{
			"article": "文章",
			"deputy":  "代表",
			"read_at": "首次阅读时间（手机时间，离线阅读后上传）",
		}); err != nil {
			return err
		}
		return app.Save(reads)
	}, func(app core.App) error {
		return deleteCollections(app, "article_reads", "articles")
	})
}
