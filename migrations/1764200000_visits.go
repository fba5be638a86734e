package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// topics are the categories (议题) of visits and of problems (急难愁盼).
// Residents' suggestions use the same list.
var topics = []string{"道路交通", "饮水安全", "医疗卫生", "教育", "养老助残", "就业增收",
	"农业生产", "生态环境", "安全生产", "社会保障", "住房", "矛盾纠纷", "其他"}

// problemStatuses of a problem (急难愁盼): open → forwarded (代表直通车) → answered → closed.
var problemStatuses = []string{"open", "forwarded", "answered", "closed"}

// problemSources: where a problem came from. Each source links its record in source_id.
var problemSources = []string{"visit", "suggestion", "hotline", "station", "inspection"}

// ruleOwnOrPresidium: the owner (field deputy) or any presidium member.
const ruleOwnOrPresidium = ruleDeputy + ` && (deputy = @request.auth.id || @request.auth.presidium = true)`

// syncFields are the server-owned fields every synced collection carries
// (docs/SYNC.md). Other capabilities' synced collections add them with
// addSyncFields so the generic sync routes find them.
func syncFields() []core.Field {
	return []core.Field{
		&core.NumberField{Name: "version", OnlyInt: true, Min: ptr(0.0)},
		&core.NumberField{Name: "seq", OnlyInt: true, Min: ptr(0.0)},
		&core.DateField{Name: "received_at"},
		&core.TextField{Name: "content_hash", Max: 64},
		&core.NumberField{Name: "schema_version", OnlyInt: true, Min: ptr(0.0)},
		&core.TextField{Name: "device", Max: 40},
	}
}

var syncHelp = map[string]string{
	"version":        "同步：服务器版本号（新建为1，每次接受修改加1），由服务器维护",
	"seq":            "同步：服务器变更序号（每次变化递增），手机据此拉取更新，由服务器维护",
	"received_at":    "同步：服务器首次收到的时间",
	"content_hash":   "同步：内容校验值，用于识别重复上传，由服务器维护",
	"schema_version": "同步：手机应用写入时的数据格式版本",
	"device":         "同步：上传设备编号（手机生成的随机编号）",
}

// addSyncFields adds the server-owned sync fields, their help texts and a
// seq index to c. Use it for every collection registered with the sync routes.
func addSyncFields(c *core.Collection) error {
	c.Fields.Add(syncFields()...)
	c.AddIndex("idx_"+c.Name+"_seq", false, "seq", "")
	return withHelp(c, syncHelp)
}

// maxPhotoBytes caps one uploaded photo (already downscaled on the phone).
const maxPhotoBytes = 5 << 20

// addPhotoFields adds the photo fields the sync photo route expects:
// photos (protected images with thumbnails: residents' homes are personal
// data, so URLs need a file token), photo_manifest (what the phone declared:
// key, sha256, size, and the stored file once it arrived) and complete (every
// declared photo arrived).
func addPhotoFields(c *core.Collection, maxPhotos int) error {
	c.Fields.Add(
		&core.FileField{Name: "photos", MaxSelect: maxPhotos, MaxSize: maxPhotoBytes, Protected: true,
			MimeTypes: []string{"image/jpeg", "image/png", "image/webp"}, Thumbs: []string{"320x320", "100x100"}},
		&core.JSONField{Name: "photo_manifest", MaxSize: 16 << 10},
		&core.BoolField{Name: "complete"},
	)
	return withHelp(c, map[string]string{
		"photos":         "现场照片（每张不超过5MB，仅本人、主席团和工作人员可见）",
		"photo_manifest": "手机声明的照片清单（key、sha256、大小）；file 为已收到的文件",
		"complete":       "照片是否已全部收到",
	})
}

func ptr[T any](v T) *T { return &v }

func init() {
	m.Register(func(app core.App) error {
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}

		// households (农户): shared by the deputies of a village.
		households := core.NewBaseCollection("households")
		// Readable by the village's deputies first; the rule widens to the
		// households a deputy visited once visits exists (below).
		households.ListRule = rule(ruleDeputy + ` && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id)`)
		households.ViewRule = households.ListRule
		// Writes go through POST /api/sync/push (dedupe, aliases) or staff.
		households.Fields.Add(
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1, Required: true},
			&core.TextField{Name: "head_name", Required: true, Max: 30, Presentable: true},
			&core.TextField{Name: "address", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "phone", Pattern: phonePattern, Hidden: true},
			&core.TextField{Name: "dedupe_key", Max: 64, Hidden: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
		)
		if err := addSyncFields(households); err != nil {
			return err
		}
		households.Fields.Add(
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		households.AddIndex("idx_households_dedupe_key", true, "dedupe_key", "")
		households.AddIndex("idx_households_village", false, "village", "")
		if err := withHelp(households, map[string]string{
			"village":    "所在村（社区）",
			"head_name":  "户主姓名（个人信息）",
			"address":    "地址或门牌，例如 3组12号",
			"phone":      "联系电话（可选；个人信息，仅登记的代表和工作人员可见）",
			"dedupe_key": "去重键：村+户主姓名+地址规范化后的摘要，由服务器计算，同一户只保留一条",
			"deputy":     "首次登记该户的代表",
		}); err != nil {
			return err
		}
		if err := app.Save(households); err != nil {
			return err
		}

		// problems (急难愁盼): the shared list fed by visits, residents'
		// suggestions, the hotline, stations and inspections.
		problems := core.NewBaseCollection("problems")
		problems.ListRule = rule(ruleOwnOrPresidium)
		problems.ViewRule = problems.ListRule
		// The presidium forwards (代表直通车) and answers; where a problem came
		// from and who raised it stay as they were.
		problems.UpdateRule = rule(rulePresidium + ` && @request.body.source:isset = false && @request.body.source_id:isset = false` +
			` && @request.body.deputy:isset = false && @request.body.household:isset = false`)
		problems.Fields.Add(
			&core.SelectField{Name: "category", Values: topics, MaxSelect: 1, Required: true},
			&core.TextField{Name: "description", Required: true, Max: 1000, Presentable: true},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1},
			&core.RelationField{Name: "household", CollectionId: households.Id, MaxSelect: 1},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.SelectField{Name: "status", Values: problemStatuses, MaxSelect: 1, Required: true},
			&core.TextField{Name: "forwarded_to", Max: 100},
			&core.DateField{Name: "forwarded_at"},
			&core.TextField{Name: "reply", Max: 2000},
			&core.DateField{Name: "answered_at"},
			&core.DateField{Name: "closed_at"},
			&core.SelectField{Name: "source", Values: problemSources, MaxSelect: 1, Required: true},
			&core.TextField{Name: "source_id", Max: 40},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		problems.AddIndex("idx_problems_source", false, "source, source_id", "")
		problems.AddIndex("idx_problems_status", false, "status", "")
		problems.AddIndex("idx_problems_deputy", false, "deputy", "")
		if err := withHelp(problems, map[string]string{
			"category":     "类别",
			"description":  "问题描述（急难愁盼）",
			"village":      "所在村（社区）",
			"household":    "相关农户（走访中提出时）",
			"deputy":       "提出或负责跟进的代表",
			"status":       "状态：open 待办，forwarded 已转办（代表直通车），answered 已答复，closed 已办结",
			"forwarded_to": "转办单位",
			"forwarded_at": "转办时间",
			"reply":        "办理答复",
			"answered_at":  "答复时间",
			"closed_at":    "办结时间",
			"source":       "来源：visit 走访，suggestion 群众建议，hotline 热线，station 代表联络站，inspection 视察",
			"source_id":    "来源记录的编号（例如走访记录 id）",
		}); err != nil {
			return err
		}
		if err := app.Save(problems); err != nil {
			return err
		}

		// visits (走访日志).
		visits := core.NewBaseCollection("visits")
		visits.ListRule = rule(ruleOwnOrPresidium)
		visits.ViewRule = visits.ListRule
		// Writes go through POST /api/sync/push (idempotent, conflict-safe) or staff.
		visits.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "household", CollectionId: households.Id, MaxSelect: 1, Required: true},
			&core.DateField{Name: "visited_at", Required: true},
			&core.GeoPointField{Name: "location"},
			&core.NumberField{Name: "location_accuracy", Min: ptr(0.0)},
			&core.TextField{Name: "notes", Max: 2000},
			&core.SelectField{Name: "topics", Values: topics, MaxSelect: len(topics)},
			&core.JSONField{Name: "problems", MaxSize: 64 << 10},
			&core.BoolField{Name: "late"},
		)
		if err := addPhotoFields(visits, 6); err != nil {
			return err
		}
		if err := addSyncFields(visits); err != nil {
			return err
		}
		visits.Fields.Add(
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		visits.AddIndex("idx_visits_deputy_visited", false, "deputy, visited_at", "")
		visits.AddIndex("idx_visits_household", false, "household", "")
		if err := withHelp(visits, map[string]string{
			"deputy":            "走访的代表（由服务器按登录身份填写）",
			"household":         "走访的农户",
			"visited_at":        "走访时间（手机时间）",
			"location":          "走访地点（手机定位，可能没有）",
			"location_accuracy": "定位精度（米）",
			"notes":             "走访记录",
			"topics":            "涉及议题",
			"problems":          "走访中提出的问题（急难愁盼），每条同时登记到 problems",
			"late":              "补录：走访日期所在年度已结算，不计入该年度户数",
		}); err != nil {
			return err
		}
		if err := app.Save(visits); err != nil {
			return err
		}

		households.ListRule = rule(ruleDeputy + ` && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || visits_via_household.deputy ?= @request.auth.id)`)
		households.ViewRule = households.ListRule
		return app.Save(households)
	}, func(app core.App) error {
		return deleteCollections(app, "visits", "problems", "households")
	})
}

// deleteCollections deletes the named collections in order, skipping missing ones.
func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
