package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Issue 21, visits that stand up to a check (hooks/verification):
// plausibility flags raised by the server as visits arrive, the
// presidium's review of them, the household's confirmation on the phone,
// callback spot-checks (回访), the photo hashes the same-photo check
// compares, village positions, and the township's one settings row.
//
// Flags, reviews and callbacks are written by the server only (rules nil):
// they go with their visit only when the technician deletes the visit (the
// audit trail keeps the decisions);
// the review routes check the roles in Go. Nothing here is ever deleted
// through the API.
func init() {
	const staff = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	const ownPresidiumOrStaff = "(" + ruleOwnOrPresidium + ") || (" + staff + ")"
	flagKinds := []string{"far_from_village", "no_fix", "too_fast", "too_soon", "same_photo", "similar_photo",
		"one_sitting", "late_upload", "callback_denied"}

	m.Register(func(app core.App) error {
		visits, err := app.FindCollectionByNameOrId("visits")
		if err != nil {
			return err
		}
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}

		villages.Fields.Add(
			&core.GeoPointField{Name: "position"},
			&core.NumberField{Name: "radius_m", Min: ptr(0.0), Max: ptr(20000.0)},
		)
		if err := withHelp(villages, map[string]string{
			"position": "村的中心位置（走访定位核查用，由工作人员维护）",
			"radius_m": "村的范围半径（米），未填按1500米",
		}); err != nil {
			return err
		}
		if err := app.Save(villages); err != nil {
			return err
		}

		visits.Fields.Add(
			&core.JSONField{Name: "flags", MaxSize: 8 << 10},
			&core.SelectField{Name: "review", Values: []string{"accepted", "not_counted"}, MaxSelect: 1},
			&core.TextField{Name: "review_note", Max: 500},
			&core.SelectField{Name: "callback", Values: []string{"confirmed", "denied", "unreachable"}, MaxSelect: 1},
			&core.JSONField{Name: "confirmation", MaxSize: 2 << 10},
			&core.BoolField{Name: "signed"},
		)
		// The household's signature travels as one more entry of the photo
		// manifest (key "signature"), so it goes through the outbox, the
		// photo route and the complete flag like a photo.
		if f, ok := visits.Fields.GetByName("photos").(*core.FileField); ok {
			f.MaxSelect = 4
		}
		if err := withHelp(visits, map[string]string{
			"flags":        "核查提示（服务器计算，未处理的种类及原因）",
			"review":       "主席团审核结果：accepted 认可，not_counted 不计入",
			"review_note":  "审核说明（不计入时为代表看到的理由）",
			"callback":     "最近一次回访结果：confirmed 属实，denied 否认，unreachable 未联系上",
			"confirmation": "农户确认：确认人姓名、手机时间、签名校验值",
			"signed":       "农户已签名确认（确认信息和签名图片都已收到），由服务器维护",
		}); err != nil {
			return err
		}
		if err := app.Save(visits); err != nil {
			return err
		}

		flags := core.NewBaseCollection("visit_flags")
		flags.ListRule = rule(ownPresidiumOrStaff)
		flags.ViewRule = rule(ownPresidiumOrStaff)
		flags.Fields.Add(
			&core.RelationField{Name: "visit", CollectionId: visits.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.SelectField{Name: "kind", Values: flagKinds, MaxSelect: 1, Required: true},
			&core.TextField{Name: "reason", Max: 1000},
			&core.JSONField{Name: "related", MaxSize: 4 << 10},
			&core.SelectField{Name: "status", Values: []string{"open", "resolved"}, MaxSelect: 1, Required: true},
			&core.DateField{Name: "raised_at"},
			&core.DateField{Name: "resolved_at"},
		)
		flags.AddIndex("idx_visit_flags_visit_kind", true, "visit, kind", "")
		flags.AddIndex("idx_visit_flags_status", false, "status, raised_at", "")
		if err := withHelp(flags, map[string]string{
			"kind":   "核查提示的种类",
			"reason": "原因（中文，主席团和代表都能看到）",
			"status": "open 待审核，resolved 已不再成立或已审核",
		}); err != nil {
			return err
		}
		if err := app.Save(flags); err != nil {
			return err
		}

		reviews := core.NewBaseCollection("visit_reviews")
		reviews.ListRule = rule(ownPresidiumOrStaff)
		reviews.ViewRule = rule(ownPresidiumOrStaff)
		reviews.Fields.Add(
			&core.RelationField{Name: "visit", CollectionId: visits.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.SelectField{Name: "decision", Values: []string{"accepted", "not_counted", "reopened", "answer"}, MaxSelect: 1, Required: true},
			&core.TextField{Name: "note", Max: 500},
			&core.TextField{Name: "by", Max: 120},
			&core.TextField{Name: "by_id", Max: 40},
			&core.DateField{Name: "at"},
		)
		reviews.AddIndex("idx_visit_reviews_visit", false, "visit, at", "")
		if err := withHelp(reviews, map[string]string{
			"decision": "accepted 认可，not_counted 不计入，reopened 重新审核，answer 代表的答复",
			"note":     "说明、理由或答复",
			"deputy":   "走访所属的代表",
		}); err != nil {
			return err
		}
		if err := app.Save(reviews); err != nil {
			return err
		}

		hashes := core.NewBaseCollection("visit_photo_hashes")
		hashes.Fields.Add(
			&core.TextField{Name: "visit", Required: true, Max: 40},
			&core.TextField{Name: "key", Max: 40},
			&core.TextField{Name: "household", Max: 40},
			&core.TextField{Name: "deputy", Max: 40},
			&core.DateField{Name: "visited_at"},
			&core.TextField{Name: "sha256", Max: 64},
			&core.TextField{Name: "phash", Max: 16},
		)
		hashes.AddIndex("idx_visit_photo_hashes_sha", false, "sha256", "")
		hashes.AddIndex("idx_visit_photo_hashes_visit", true, "visit, key", "")
		if err := app.Save(hashes); err != nil {
			return err
		}

		samples := core.NewBaseCollection("callback_samples")
		samples.ListRule = rule("(" + rulePresidium + ") || (" + staff + ")")
		samples.ViewRule = samples.ListRule
		samples.Fields.Add(
			&core.TextField{Name: "month", Required: true, Pattern: `^\d{4}-\d{2}$`},
			&core.TextField{Name: "seed", Max: 20},
			&core.NumberField{Name: "size", OnlyInt: true, Min: ptr(0.0)},
			&core.JSONField{Name: "visits", MaxSize: 32 << 10},
			&core.DateField{Name: "drawn_at"},
		)
		samples.AddIndex("idx_callback_samples_month", true, "month", "")
		if err := app.Save(samples); err != nil {
			return err
		}

		callbacks := core.NewBaseCollection("callbacks")
		callbacks.ListRule = samples.ListRule
		callbacks.ViewRule = samples.ListRule
		callbacks.Fields.Add(
			&core.RelationField{Name: "sample", CollectionId: samples.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "visit", CollectionId: visits.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.TextField{Name: "household", Max: 40},
			&core.SelectField{Name: "result", Values: []string{"confirmed", "denied", "unreachable"}, MaxSelect: 1},
			&core.SelectField{Name: "method", Values: []string{"phone", "sms_notice"}, MaxSelect: 1},
			&core.TextField{Name: "note", Max: 300},
			&core.TextField{Name: "by", Max: 120},
			&core.DateField{Name: "at"},
		)
		callbacks.AddIndex("idx_callbacks_sample_visit", true, "sample, visit", "")
		if err := app.Save(callbacks); err != nil {
			return err
		}

		settings := core.NewBaseCollection("verification_settings")
		settings.ListRule = rule("(" + ruleDeputy + ") || (" + staff + ")")
		settings.ViewRule = settings.ListRule
		settings.UpdateRule = rule(staff)
		settings.Fields.Add(
			&core.SelectField{Name: "confirmation", Values: []string{"off", "offered", "required"}, MaxSelect: 1},
			&core.SelectField{Name: "count_mode", Values: []string{"all", "not_excluded", "confirmed"}, MaxSelect: 1},
			&core.BoolField{Name: "flags_off"},
			&core.JSONField{Name: "thresholds", MaxSize: 4 << 10},
			&core.NumberField{Name: "callback_sample_size", OnlyInt: true, Min: ptr(0.0), Max: ptr(500.0)},
			&core.BoolField{Name: "sms_notice"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := withHelp(settings, map[string]string{
			"confirmation":         "农户确认：off 不用，offered 可选，required 计入户数必须确认",
			"count_mode":           "计数口径：all 全部计入，not_excluded 除审核不计入外都计入（默认），confirmed 只计经农户确认的",
			"flags_off":            "关闭核查提示（不建议）",
			"thresholds":           "核查阈值（JSON，留空用默认值，见README）",
			"callback_sample_size": "每月回访抽查的走访数（默认20）",
			"sms_notice":           "已配置短信且农户同意联系时，以短信告知代替电话回访",
		}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}
		row := core.NewRecord(settings)
		row.Set("confirmation", "offered")
		row.Set("count_mode", "not_excluded")
		row.Set("callback_sample_size", 20)
		row.Set("thresholds", map[string]any{})
		return app.Save(row)
	}, func(app core.App) error {
		for _, name := range []string{"verification_settings", "callbacks", "callback_samples", "visit_photo_hashes", "visit_reviews", "visit_flags"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			if err := app.Delete(c); err != nil {
				return err
			}
		}
		for col, fields := range map[string][]string{
			"visits":   {"flags", "review", "review_note", "callback", "confirmation", "signed"},
			"villages": {"position", "radius_m"},
		} {
			c, err := app.FindCollectionByNameOrId(col)
			if err != nil {
				return err
			}
			for _, f := range fields {
				c.Fields.RemoveByName(f)
			}
			if f, ok := c.Fields.GetByName("photos").(*core.FileField); ok && col == "visits" {
				f.MaxSelect = 3
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
