package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The liaison station (代表联络站, R13): stations with their 六有 checklist
// and yearly self-check, the market-day duty roster with swaps and
// unavailable days, duty check-in, the reception log the phones sync, the
// residents' appointments (预约接待) and the hotline (民情直通车) setting.
// Dates of duties, swaps, unavailability and bookings are China civil
// dates stored as text "2006-01-02", compared as strings.

// stationDatePattern is a China civil date.
const stationDatePattern = `^\d{4}-\d{2}-\d{2}$`

// ruleStationRosterReader: any active deputy, once a roster is published.
const ruleStationRosterReader = ruleDeputy + ` && status = "published"`

// ruleStationDutyReader: any active deputy, on published rosters.
const ruleStationDutyReader = ruleDeputy + ` && roster.status = "published"`

// ruleStationSwapReader: the two deputies of a swap, or the presidium.
const ruleStationSwapReader = ruleDeputy + ` && (requester = @request.auth.id || other = @request.auth.id || @request.auth.presidium = true)`

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		suggestions, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		stamps := func() []core.Field {
			return []core.Field{
				&core.AutodateField{Name: "created", OnCreate: true},
				&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
			}
		}
		evidence := func(max int) *core.FileField {
			return &core.FileField{Name: "evidence", MaxSelect: max, MaxSize: 10 << 20,
				MimeTypes: []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}, Thumbs: []string{"320x0"}}
		}

		stations := core.NewBaseCollection("stations")
		stations.ListRule = rule(ruleDeputy)
		stations.ViewRule = rule(ruleDeputy)
		stations.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 60, Presentable: true},
			&core.TextField{Name: "code", Required: true, Pattern: `^[a-z0-9-]{2,32}$`},
			&core.TextField{Name: "address", Required: true, Max: 200},
			&core.GeoPointField{Name: "position"},
			&core.TextField{Name: "opening_notes", Max: 500},
			&core.FileField{Name: "photo", MaxSelect: 1, MaxSize: 5 << 20,
				MimeTypes: []string{"image/jpeg", "image/png", "image/webp"}, Thumbs: []string{"640x0"}},
			&core.RelationField{Name: "deputies", CollectionId: deputies.Id, MaxSelect: 999},
			&core.NumberField{Name: "duty_per_day", OnlyInt: true, Min: ptr(0.0), Max: ptr(20.0)},
			&core.NumberField{Name: "booking_capacity", OnlyInt: true, Min: ptr(0.0), Max: ptr(200.0)},
			&core.NumberField{Name: "booking_horizon_days", OnlyInt: true, Min: ptr(0.0), Max: ptr(366.0)},
			&core.SelectField{Name: "holiday_policy", MaxSelect: 1, Values: []string{"keep", "skip"}},
			&core.BoolField{Name: "active"},
		)
		stations.Fields.Add(stamps()...)
		stations.AddIndex("idx_stations_code", true, "code", "")
		if err := withHelp(stations, map[string]string{
			"name":                 "联络站名称，例如 思蒙镇人大代表联络站",
			"code":                 "网址代码（小写字母、数字、短横线），群众页面为 /s/代码，例如 simeng",
			"address":              "地址（群众页面显示）",
			"position":             "位置（地图坐标，可选）",
			"opening_notes":        "接待说明，例如 每逢农历四、九赶集日上午8:30–12:00",
			"photo":                "联络站照片（可选）",
			"deputies":             "在本站值班的代表；不选＝全体在任代表",
			"duty_per_day":         "每个赶集日值班代表人数（新建时默认2）",
			"booking_capacity":     "每个接待日可预约人数（新建时默认10；填0＝暂停网上预约）",
			"booking_horizon_days": "可预约多少天内的接待日（新建时默认60）",
			"holiday_policy":       "赶集日遇法定节假日：keep 照常接待，skip 暂停接待（默认 keep）",
			"active":               "是否启用（停用后群众页面不再显示）",
		}); err != nil {
			return err
		}
		if err := app.Save(stations); err != nil {
			return err
		}

		items := core.NewBaseCollection("station_items")
		items.ListRule = rule(ruleDeputy)
		items.ViewRule = rule(ruleDeputy)
		items.Fields.Add(
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "title", Required: true, Max: 40, Presentable: true},
			&core.TextField{Name: "description", Max: 300},
			&core.NumberField{Name: "sort", OnlyInt: true},
			evidence(10),
		)
		items.Fields.Add(stamps()...)
		items.AddIndex("idx_station_items_station", false, "station, sort", "")
		if err := withHelp(items, map[string]string{
			"station":     "所属联络站",
			"title":       "“六有”标准的一项，例如 有场所、有牌子、有制度、有人员、有活动、有台账",
			"description": "这一项的要求",
			"sort":        "排序（小的在前）",
			"evidence":    "佐证材料：照片或PDF，最多10个",
		}); err != nil {
			return err
		}
		if err := app.Save(items); err != nil {
			return err
		}

		selfchecks := core.NewBaseCollection("station_selfchecks")
		selfchecks.ListRule = rule(ruleDeputy)
		selfchecks.ViewRule = rule(ruleDeputy)
		selfchecks.Fields.Add(
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.JSONField{Name: "results", MaxSize: 16 << 10},
			&core.NumberField{Name: "met", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "total", OnlyInt: true, Min: ptr(0.0)},
			&core.TextField{Name: "checked_by", Required: true, Max: 40},
			&core.DateField{Name: "checked_at", Required: true},
			&core.TextField{Name: "note", Max: 1000},
			evidence(10),
		)
		selfchecks.Fields.Add(stamps()...)
		selfchecks.AddIndex("idx_station_selfchecks_year", true, "station, year", "")
		if err := withHelp(selfchecks, map[string]string{
			"station":    "联络站",
			"year":       "自查年度",
			"results":    `逐项结果：[{"item":"六有项目id","met":true,"note":"说明"}]，每一项都要填`,
			"met":        "达标项数（自动计算）",
			"total":      "项目总数（自动计算）",
			"checked_by": "自查人（姓名、职务）",
			"checked_at": "自查时间",
			"note":       "自查说明、整改措施",
			"evidence":   "自查佐证材料",
		}); err != nil {
			return err
		}
		if err := app.Save(selfchecks); err != nil {
			return err
		}

		settings := core.NewBaseCollection("station_settings")
		settings.ListRule = rule(ruleDeputy)
		settings.ViewRule = rule(ruleDeputy)
		settings.Fields.Add(
			&core.TextField{Name: "hotline", Max: 40, Presentable: true},
			&core.TextField{Name: "hotline_hours", Max: 60},
		)
		settings.Fields.Add(stamps()...)
		if err := withHelp(settings, map[string]string{
			"hotline":       "民情直通车热线号码（群众页面显示），例如 0745-3312345",
			"hotline_hours": "热线接听时间，例如 工作日 8:30–17:30",
		}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}

		rosters := core.NewBaseCollection("station_rosters")
		rosters.ListRule = rule(ruleStationRosterReader)
		rosters.ViewRule = rule(ruleStationRosterReader)
		rosters.Fields.Add(
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "first_day", Required: true, Pattern: stationDatePattern, Presentable: true},
			&core.TextField{Name: "last_day", Required: true, Pattern: stationDatePattern, Presentable: true},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"draft", "published"}},
			&core.NumberField{Name: "per_day", OnlyInt: true, Min: ptr(0.0), Max: ptr(20.0)},
			&core.SelectField{Name: "holiday_policy", MaxSelect: 1, Values: []string{"keep", "skip"}},
			&core.JSONField{Name: "shortfalls", MaxSize: 64 << 10},
			&core.JSONField{Name: "unscheduled_years", MaxSize: 1 << 10},
			&core.DateField{Name: "generated_at"},
			&core.DateField{Name: "published_at"},
			&core.TextField{Name: "note", Max: 500},
		)
		rosters.Fields.Add(stamps()...)
		rosters.AddIndex("idx_station_rosters_station", false, "station, first_day", "")
		if err := withHelp(rosters, map[string]string{
			"station":           "联络站",
			"first_day":         "开始日期，例如 2026-04-01",
			"last_day":          "结束日期，例如 2026-06-30",
			"status":            "draft 草稿（代表看不到），published 已发布",
			"per_day":           "生成时每日值班人数",
			"holiday_policy":    "生成时的节假日规则",
			"shortfalls":        "人手不足的日期（生成时记录）",
			"unscheduled_years": "没有国务院放假安排数据的年份（节假日可能未识别）",
			"generated_at":      "生成时间",
			"published_at":      "发布时间",
			"note":              "备注",
		}); err != nil {
			return err
		}
		if err := app.Save(rosters); err != nil {
			return err
		}

		duties := core.NewBaseCollection("station_duties")
		duties.ListRule = rule(ruleStationDutyReader)
		duties.ViewRule = rule(ruleStationDutyReader)
		duties.Fields.Add(
			&core.RelationField{Name: "roster", CollectionId: rosters.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "date", Required: true, Pattern: stationDatePattern, Presentable: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "source", Required: true, MaxSelect: 1, Values: []string{"generated", "staff", "swap"}},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"rostered", "attended", "missed"}},
			&core.SelectField{Name: "checkin_method", MaxSelect: 1, Values: []string{"qr", "staff"}},
			&core.DateField{Name: "checked_in_at"},
			&core.TextField{Name: "confirmed_by", Max: 80},
			&core.TextField{Name: "note", Max: 200},
		)
		duties.Fields.Add(stamps()...)
		duties.AddIndex("idx_station_duties_day", true, "station, date, deputy", "")
		duties.AddIndex("idx_station_duties_deputy", false, "deputy, date", "")
		duties.AddIndex("idx_station_duties_roster", false, "roster, date", "")
		if err := withHelp(duties, map[string]string{
			"roster":         "所属排班表",
			"station":        "联络站",
			"date":           "值班日期，例如 2026-04-14",
			"deputy":         "值班代表",
			"source":         "generated 自动排班，staff 工作人员安排，swap 换班",
			"status":         "rostered 待值班，attended 已到岗，missed 缺岗（自动计算：签到即到岗，当天结束仍未签到为缺岗）",
			"checkin_method": "qr 扫码签到，staff 工作人员确认",
			"checked_in_at":  "签到时间",
			"confirmed_by":   "确认到岗的工作人员",
			"note":           "备注",
		}); err != nil {
			return err
		}
		if err := app.Save(duties); err != nil {
			return err
		}

		unavailable := core.NewBaseCollection("duty_unavailability")
		unavailable.ListRule = rule(ruleOwnOrPresidium)
		unavailable.ViewRule = rule(ruleOwnOrPresidium)
		unavailable.CreateRule = rule(ruleDeputy + ` && @request.body.deputy = @request.auth.id`)
		unavailable.DeleteRule = rule(ruleDeputy + ` && deputy = @request.auth.id`)
		unavailable.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "date", Required: true, Pattern: stationDatePattern, Presentable: true},
			&core.TextField{Name: "reason", Max: 100},
		)
		unavailable.Fields.Add(stamps()...)
		unavailable.AddIndex("idx_duty_unavailability_day", true, "deputy, date", "")
		if err := withHelp(unavailable, map[string]string{
			"deputy": "代表",
			"date":   "不能值班的日期，例如 2026-04-19",
			"reason": "原因（可选，不超过100字）",
		}); err != nil {
			return err
		}
		if err := app.Save(unavailable); err != nil {
			return err
		}

		swaps := core.NewBaseCollection("duty_swaps")
		swaps.ListRule = rule(ruleStationSwapReader)
		swaps.ViewRule = rule(ruleStationSwapReader)
		swaps.Fields.Add(
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"cover", "exchange"}},
			&core.RelationField{Name: "requester", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "other", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "date", Required: true, Pattern: stationDatePattern, Presentable: true},
			&core.TextField{Name: "other_date", Pattern: stationDatePattern},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"pending", "accepted", "declined", "withdrawn", "void"}},
			&core.TextField{Name: "note", Max: 200},
			&core.DateField{Name: "decided_at"},
			&core.TextField{Name: "void_reason", Max: 200},
		)
		swaps.Fields.Add(stamps()...)
		swaps.AddIndex("idx_duty_swaps_other", false, "other, status", "")
		swaps.AddIndex("idx_duty_swaps_requester", false, "requester, status", "")
		if err := withHelp(swaps, map[string]string{
			"station":     "联络站",
			"kind":        "cover 代班（对方替我值这一天），exchange 互换（我再替对方值另一天）",
			"requester":   "申请换班的代表",
			"other":       "被请求的代表",
			"date":        "申请人要换出的值班日",
			"other_date":  "互换时对方换出的值班日",
			"status":      "pending 待对方确认，accepted 已同意，declined 已婉拒，withdrawn 已撤回，void 已失效（排班已变动）",
			"note":        "留言",
			"decided_at":  "处理时间",
			"void_reason": "失效原因",
		}); err != nil {
			return err
		}
		if err := app.Save(swaps); err != nil {
			return err
		}

		receptions := core.NewBaseCollection("station_receptions")
		receptions.ListRule = rule(ruleOwnOrPresidium)
		receptions.ViewRule = rule(ruleOwnOrPresidium)
		receptions.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "duty", CollectionId: duties.Id, MaxSelect: 1},
			&core.DateField{Name: "reception_at", Required: true},
			&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: topics},
			&core.TextField{Name: "content", Required: true, Min: 5, Max: 1000, Presentable: true},
			&core.RelationField{Name: "suggestion", CollectionId: suggestions.Id, MaxSelect: 1},
		)
		if err := addSyncFields(receptions); err != nil {
			return err
		}
		if err := addPhotoFields(receptions, 3); err != nil {
			return err
		}
		receptions.Fields.Add(stamps()...)
		receptions.AddIndex("idx_station_receptions_deputy", false, "deputy, reception_at", "")
		if err := withHelp(receptions, map[string]string{
			"deputy":       "接待的代表",
			"station":      "联络站",
			"duty":         "对应的值班（服务器按代表、联络站和日期找到）",
			"reception_at": "接待时间（手机记录）",
			"category":     "类别",
			"content":      "群众反映的事项（5–1000字）",
			"suggestion":   "由此生成的群众建议（来源“联络站”，24小时响应、5个工作日反馈）",
			"photos":       "现场照片（最多3张，每张不超过5MB，仅本人、主席团和工作人员可见）",
		}); err != nil {
			return err
		}
		if err := app.Save(receptions); err != nil {
			return err
		}

		bookings := core.NewBaseCollection("bookings")
		bookings.Fields.Add(
			&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "date", Required: true, Pattern: stationDatePattern, Presentable: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.TextField{Name: "code", Required: true, Pattern: `^[a-km-np-z2-9]{8}$`},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"booked", "cancelled", "received", "no_show"}},
			&core.TextField{Name: "description", Max: 300},
			&core.TextField{Name: "resident_phone", Max: 200, Hidden: true},
			&core.TextField{Name: "resident_phone_hash", Max: 64, Hidden: true},
			&core.TextField{Name: "resident_phone_masked", Max: 20},
			&core.BoolField{Name: "consent"},
			&core.TextField{Name: "note", Max: 200},
			&core.RelationField{Name: "suggestion", CollectionId: suggestions.Id, MaxSelect: 1},
			&core.RelationField{Name: "reception", CollectionId: receptions.Id, MaxSelect: 1},
			&core.TextField{Name: "ip_hash", Max: 64, Hidden: true},
			&core.DateField{Name: "cancelled_at"},
			&core.DateField{Name: "marked_at"},
			&core.TextField{Name: "marked_by", Max: 80},
		)
		bookings.Fields.Add(stamps()...)
		bookings.AddIndex("idx_bookings_code", true, "code", "")
		bookings.AddIndex("idx_bookings_day", false, "station, date, status", "")
		bookings.AddIndex("idx_bookings_phone_hash", false, "resident_phone_hash", "")
		if err := withHelp(bookings, map[string]string{
			"station":               "联络站",
			"date":                  "预约的接待日",
			"deputy":                "预约的代表；空＝当天值班代表",
			"code":                  "预约码（群众凭它在 /b/预约码 查看或取消）",
			"status":                "booked 已预约，cancelled 已取消，received 已接待，no_show 未到",
			"description":           "想反映的事项（简要）",
			"resident_phone":        "群众手机号（个人信息，加密保存）",
			"resident_phone_hash":   "手机号查找用的密钥哈希（不可还原）",
			"resident_phone_masked": "群众手机号（脱敏）",
			"consent":               "群众同意留下手机号用于联系",
			"note":                  "说明，例如 原预约代表调班",
			"suggestion":            "接待后生成的群众建议",
			"reception":             "对应的接待记录",
			"ip_hash":               "提交来源的密钥哈希（不保存IP本身）",
			"cancelled_at":          "取消时间",
			"marked_at":             "标记已接待或未到的时间",
			"marked_by":             "标记的人",
		}); err != nil {
			return err
		}
		if err := app.Save(bookings); err != nil {
			return err
		}

		// A suggestion taken at a station names it (from a reception, or a
		// booking received).
		suggestions.Fields.Add(&core.RelationField{Name: "station", CollectionId: stations.Id, MaxSelect: 1})
		if err := withHelp(suggestions, map[string]string{"station": "联络站接待时记录的联络站"}); err != nil {
			return err
		}
		return app.Save(suggestions)
	}, func(app core.App) error {
		suggestions, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		suggestions.Fields.RemoveByName("station")
		if err := app.Save(suggestions); err != nil {
			return err
		}
		return deleteCollections(app, "bookings", "station_receptions", "duty_swaps", "duty_unavailability",
			"station_duties", "station_rosters", "station_settings", "station_selfchecks", "station_items", "stations")
	})
}
