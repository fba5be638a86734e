package testapp

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Department keys of the analysis (部门密钥), usable as roles with Token
// and Headers: the token goes in the Authorization header.
const (
	RoleDept        = "dept"         // 镇信访办: every scope, every village
	RoleDeptNarrow  = "dept_narrow"  // 镇综治中心: overview and search, village B only
	RoleDeptExpired = "dept_expired" // expired yesterday
	RoleDeptOff     = "dept_off"     // switched off
)

// AnalysisQuarter is the quarter the analysis fixtures fall in, and
// AnalysisPrevQuarter the one before (for changes against it).
const (
	AnalysisQuarter     = "2025-Q2"
	AnalysisPrevQuarter = "2025-Q1"
)

// AnalysisPhone is a phone number a resident typed into a demand's text
// (IDs["demand_road_a"]): every list masks it.
const AnalysisPhone = "13987654321"

// SeedAnalysis adds the analysis fixtures (高频诉求分析); the packages that
// read them call Use with it. All in AnalysisQuarter unless said:
// village A (思蒙湾村) raises 饮水 again and again — IDs["demand_water_1"]
// … ["demand_water_4"] (suggestions of Deputy and Presidium, in time
// order) and IDs["demand_water_problem"] (a problem raised on a visit by
// Deputy) — and IDs["demand_road_a"] (道路交通, with AnalysisPhone in its
// text, resident 刘桂花 who consented, phone ResidentPhone); village B
// (桥头村): IDs["demand_road_b1"], ["demand_road_b2"] (桥思公路, Deputy2;
// b2 transferred, so its problem is not counted again) and
// IDs["demand_school_b"] (教育, closed); IDs["demand_spam"] is spam
// (never counted). In AnalysisPrevQuarter: IDs["demand_prev_water"]
// (village A) and IDs["demand_prev_road"] (village B). The dictionary has
// 桥思公路 as a word and 演示 ignored; the department keys are the
// RoleDept… roles.
func SeedAnalysis(app core.App, f *Fixture) error {
	q2 := func(month time.Month, day int) time.Time { return time.Date(2025, month, day, 2, 0, 0, 0, time.UTC) }
	rows := []struct {
		key, deputy, source, category, content, status, reply string
		at                                                    time.Time
		name, phone                                           string
		moderation                                            string
	}{
		{"demand_prev_water", f.Deputy, "qr", "饮水安全", "三组自来水停水好几天了，吃水困难。", "closed", "已协调水厂恢复供水。", q2(2, 10), "", "", ""},
		{"demand_prev_road", f.Deputy2, "qr", "道路交通", "桥头村村道坑洼，下雨积水。", "received", "", q2(3, 3), "", "", ""},
		{"demand_water_1", f.Deputy, "qr", "饮水安全", "自来水停水，好几天没有正常供水，吃水困难。", "closed", "已联系水厂检修管道。", q2(4, 2), "", "", ""},
		{"demand_water_2", f.Deputy, "hotline", "饮水安全", "自来水又停水了，吃水困难，请重视。", "received", "", q2(4, 20), "", "", ""},
		{"demand_water_3", f.Presidium, "paper", "饮水安全", "自来水停水一个多月，吃水困难，老人挑水辛苦。", "answered", "已列入镇里供水管网改造。", q2(5, 8), "", "", ""},
		{"demand_water_4", f.Deputy, "station", "饮水安全", "自来水停水，水管破裂漏水，没人来修。", "acknowledged", "", q2(5, 30), "", "", ""},
		{"demand_road_a", f.Deputy, "qr", "道路交通", "村口路灯坏了，晚上出行不方便，联系电话" + AnalysisPhone + "。", "received", "", q2(6, 1), "刘桂花", ResidentPhone, ""},
		{"demand_road_b1", f.Deputy2, "qr", "道路交通", "桥思公路路面坑洼不平，下雨天到处积水。", "received", "", q2(4, 15), "", "", ""},
		{"demand_road_b2", f.Deputy2, "hotline", "道路交通", "桥思公路大货车超载，把路面压坏了。", "transferred", "已转交镇交通站处理。", q2(5, 12), "", "", ""},
		{"demand_school_b", f.Deputy2, "qr", "教育", "留守儿童放学后无人看管，希望开设课后托管。", "closed", "学校已开设课后托管。", q2(6, 10), "", "", ""},
		{"demand_spam", f.Deputy2, "qr", "其他", "推广广告推广广告推广广告", "received", "", q2(6, 11), "", "", "spam"},
	}
	col := mustCollection(app, "suggestions")
	for _, row := range rows {
		r := core.NewRecord(col)
		r.Set("source", row.source)
		r.Set("deputy", row.deputy)
		r.Set("category", row.category)
		r.Set("content", row.content)
		r.Set("received_at", row.at)
		r.Set("status", row.status)
		r.Set("reply", row.reply)
		r.Set("resident_name", row.name)
		r.Set("resident_phone", row.phone)
		r.Set("consent", row.phone != "")
		if row.moderation != "" {
			r.Set("moderation", row.moderation)
		}
		// Handled in their own time, not when the fixture was made.
		stamps := map[string][]string{"acknowledged": {"acknowledged_at"}, "answered": {"acknowledged_at", "answered_at"},
			"transferred": {"acknowledged_at", "answered_at"}, "closed": {"acknowledged_at", "answered_at", "closed_at"}}
		for _, stamp := range stamps[row.status] {
			r.Set(stamp, row.at.Add(20*time.Hour))
		}
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[row.key] = r.Id
	}

	// A problem raised on a visit, dated in the quarter.
	p := core.NewRecord(mustCollection(app, "problems"))
	p.Set("category", "饮水安全")
	p.Set("description", "自来水停水，楼上接不到水，吃水困难。")
	p.Set("village", f.VillageA)
	p.Set("deputy", f.Deputy)
	p.Set("source", "visit")
	p.Set("status", "open")
	if err := app.Save(p); err != nil {
		return err
	}
	if err := backdate(app, "problems", p.Id, q2(5, 20)); err != nil {
		return err
	}
	f.IDs["demand_water_problem"] = p.Id

	words := mustCollection(app, "analysis_words")
	for _, w := range []struct{ text, kind, pos string }{{"桥思公路", "word", "ns"}, {"演示", "ignore", ""}} {
		r := core.NewRecord(words)
		r.Set("text", w.text)
		r.Set("kind", w.kind)
		r.Set("pos", w.pos)
		if err := app.Save(r); err != nil {
			return err
		}
	}

	keys := mustCollection(app, "analysis_dept_keys")
	all := []string{"overview", "terms", "recurring", "search", "records", "export", "charts"}
	for _, k := range []struct {
		role, name string
		scope      []string
		villages   []string
		expires    time.Time
		active     bool
	}{
		{RoleDept, "镇信访办", all, nil, time.Now().AddDate(1, 0, 0), true},
		{RoleDeptNarrow, "镇综治中心", []string{"overview", "search"}, []string{f.VillageB}, time.Now().AddDate(1, 0, 0), true},
		{RoleDeptExpired, "县信访局", all, nil, time.Now().AddDate(0, 0, -1), true},
		{RoleDeptOff, "镇司法所", all, nil, time.Now().AddDate(1, 0, 0), false},
	} {
		tok := "dk_test" + k.role + "0123456789abcdefghijklmnopqrstuv"
		sum := sha256.Sum256([]byte(tok))
		r := core.NewRecord(keys)
		r.Set("name", k.name)
		r.Set("key_hash", hex.EncodeToString(sum[:]))
		r.Set("key_hint", tok[:7]+"…")
		r.Set("scope", k.scope)
		r.Set("villages", k.villages)
		r.Set("expires", k.expires.UTC())
		r.Set("active", k.active)
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs["key_"+k.role] = r.Id
		fixture.tokens[k.role] = tok
	}
	return nil
}

// backdate sets a record's created time (an autodate no save can set) and
// saves it again, so that every hook sees it at that time.
func backdate(app core.App, collection, id string, at time.Time) error {
	if _, err := app.DB().NewQuery("UPDATE " + collection + " SET created = {:at} WHERE id = {:id}").
		Bind(map[string]any{"at": at.UTC().Format("2006-01-02 15:04:05.000Z"), "id": id}).Execute(); err != nil {
		return err
	}
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		return err
	}
	return app.Save(r)
}
