package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/booking"
	"simeng/chinatime"
	"simeng/dutyroster"
	"simeng/pii"
)

// The liaison station (代表联络站): the township's station with its 六有
// checklist and evidence, last year's self-check, the hotline; last
// quarter's roster with its duties attended (QR and staff) and three
// missed; this quarter's roster published, its past days attended, and
// in the quarter's last five weeks next quarter's roster published ahead,
// so that whatever the date there are market days to come; two days
// deputies marked unavailable and a swap waiting for an answer; bookings
// on the next market days; two receptions already turned into station
// suggestions. The station went live at the start of last quarter:
// earlier station duty is the staff-typed kind (seedActivities).

// stationGoLive is the first day of last quarter (China time): from then
// on station duty comes from the roster.
func stationGoLive(now time.Time) time.Time {
	now = now.In(chinatime.Location())
	q := (int(now.Month()) - 1) / 3
	return time.Date(now.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, chinatime.Location()).AddDate(0, -3, 0)
}

var demoSixItems = []struct{ title, desc string }{
	{"有场所", "在思蒙湾村集镇综合楼一楼设固定接待室，面积40平方米"},
	{"有牌子", "门口悬挂“思蒙镇人大代表联络站”标牌，公示值班表"},
	{"有制度", "接待、登记、交办、反馈制度上墙"},
	{"有人员", "镇人大专职联络员1名，代表按赶集日轮流值班"},
	{"有活动", "每逢农历四、九赶集日接待选民，每季度组织一次集中活动"},
	{"有台账", "接待登记、办理反馈台账齐全，按月归档"},
}

// evidencePNG is a small picture standing in for a photo of the station.
func evidencePNG(i int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	base := color.RGBA{uint8(180 - i*15), uint8(60 + i*20), uint8(50 + i*10), 255}
	for y := range 120 {
		for x := range 160 {
			c := base
			if (x/20+y/20)%2 == 0 {
				c.R, c.G, c.B = c.R/2+100, c.G/2+100, c.B/2+100
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func seedStation(app core.App) error {
	loc := chinatime.Location()
	now := time.Now().In(loc)
	today := chinatime.Date(now)
	save := func(collection string, fields map[string]any) (*core.Record, error) {
		col, err := app.FindCollectionByNameOrId(collection)
		if err != nil {
			return nil, err
		}
		r := core.NewRecord(col)
		for k, v := range fields {
			r.Set(k, v)
		}
		if err := app.Save(r); err != nil {
			return nil, fmt.Errorf("%s: %w", collection, err)
		}
		return r, nil
	}

	st, err := save("stations", map[string]any{"name": "思蒙镇人大代表联络站", "code": "simeng",
		"address": "思蒙镇思蒙湾村集镇综合楼一楼", "opening_notes": "每逢农历四、九赶集日上午8:30–12:00由代表值班接待（演示数据）",
		"position": types.GeoPoint{Lon: 110.5904, Lat: 27.7251}, "active": true})
	if err != nil {
		return err
	}
	var results []map[string]any
	for i, it := range demoSixItems {
		f, err := filesystem.NewFileFromBytes(evidencePNG(i), fmt.Sprintf("evidence-%d.png", i+1))
		if err != nil {
			return err
		}
		item, err := save("station_items", map[string]any{"station": st.Id, "title": it.title, "description": it.desc,
			"sort": i, "evidence": []*filesystem.File{f}})
		if err != nil {
			return err
		}
		r := map[string]any{"item": item.Id, "met": true}
		if it.title == "有台账" {
			r["met"], r["note"] = false, "部分月份接待登记未及时归档，已整改"
		}
		results = append(results, r)
	}
	if _, err := save("station_selfchecks", map[string]any{"station": st.Id, "year": now.Year() - 1, "results": results,
		"checked_by": "镇人大专职联络员 舒敏", "checked_at": time.Date(now.Year()-1, 12, 20, 10, 0, 0, 0, loc),
		"note": "六项达标五项；台账归档已整改（演示数据）"}); err != nil {
		return err
	}
	if _, err := save("station_settings", map[string]any{"hotline": "0745-3312345", "hotline_hours": "工作日 8:30–17:30"}); err != nil {
		return err
	}

	var deputies []*core.Record
	for i := range 20 {
		d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
		if err != nil {
			return err
		}
		deputies = append(deputies, d)
	}
	ids := make([]string, len(deputies))
	for i, d := range deputies {
		ids[i] = d.Id
	}
	login := deputies[5].Id // the ordinary deputy printed with the logins

	goLive := stationGoLive(now)
	rosters := 2
	if now.AddDate(0, 0, 35).After(goLive.AddDate(0, 6, 0)) {
		rosters = 3 // next quarter's, published ahead
	}
	var quarters [][2]string
	for qi := range rosters {
		quarters = append(quarters, [2]string{chinatime.Date(goLive.AddDate(0, 3*qi, 0)), chinatime.Date(goLive.AddDate(0, 3*qi+3, -1))})
	}
	prior := map[string]int{}
	last := map[string]string{}
	missedLeft := 3
	rostered := map[string][]string{} // date → deputies, every roster
	for qi, q := range quarters {
		req := dutyroster.Request{From: q[0], To: q[1], Policy: dutyroster.HolidayKeep, PerDay: 2}
		for _, id := range ids {
			req.Deputies = append(req.Deputies, dutyroster.Deputy{ID: id, PriorDuties: prior[id], LastDuty: last[id]})
		}
		roster, err := dutyroster.Generate(nil, req)
		if err != nil {
			return err
		}
		days := map[string][]string{}
		for _, d := range roster.Days {
			if !d.Skipped {
				days[d.Date] = d.Deputies
			}
		}
		if qi > 0 && !onFutureDuty(rostered, login, today) {
			ensureFutureDuty(days, login, today)
		}
		maps.Copy(rostered, days)
		rec, err := save("station_rosters", map[string]any{"station": st.Id, "first_day": q[0], "last_day": q[1], "status": "published",
			"per_day": 2, "holiday_policy": "keep", "generated_at": earlier(goLive.AddDate(0, 3*qi, -10), now.AddDate(0, 0, -2)),
			"published_at": earlier(goLive.AddDate(0, 3*qi, -7), now.AddDate(0, 0, -1))})
		if err != nil {
			return err
		}
		dates := make([]string, 0, len(days))
		for d := range days {
			dates = append(dates, d)
		}
		slices.Sort(dates)
		n := 0
		for _, date := range dates {
			for _, id := range days[date] {
				n++
				fields := map[string]any{"roster": rec.Id, "station": st.Id, "date": date, "deputy": id, "source": "generated"}
				if date < today {
					day, _ := time.ParseInLocation(chinatime.DateLayout, date, loc)
					switch {
					case qi == 0 && missedLeft > 0 && n%11 == 5:
						missedLeft-- // missed: no check-in
					case n%4 == 0:
						fields["checkin_method"], fields["checked_in_at"], fields["confirmed_by"] = "staff", day.Add(11*time.Hour), "工作人员 舒敏"
					default:
						fields["checkin_method"], fields["checked_in_at"] = "qr", day.Add(8*time.Hour+time.Duration(n%25)*time.Minute)
					}
				}
				if _, err := save("station_duties", fields); err != nil {
					return err
				}
				prior[id]++
				last[id] = max(last[id], date)
			}
		}
	}

	future, past := splitDays(rostered, today)
	// Two days deputies cannot serve, and a swap the login deputy is asked.
	for i, d := range []int{1, 5} {
		if len(future) > 3+i {
			date := addDay(future[3+i], 1)
			if _, err := save("duty_unavailability", map[string]any{"deputy": deputies[d].Id, "date": date, "reason": []string{"外出学习", "家中老人住院"}[i]}); err != nil {
				return err
			}
		}
	}
	for _, date := range future {
		on := rostered[date]
		if slices.Contains(on, login) || date <= addDay(today, 1) {
			continue
		}
		if _, err := save("duty_swaps", map[string]any{"station": st.Id, "kind": "cover", "requester": on[0], "other": login,
			"date": date, "status": "pending", "note": "那天要去县里参加培训，麻烦帮我值一次班（演示数据）"}); err != nil {
			return err
		}
		break
	}

	// Bookings on the next market days.
	v, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	if len(future) >= 2 {
		next, after := future[0], future[1]
		if next == today && len(future) >= 3 {
			next, after = future[1], future[2]
		}
		rows := []struct {
			date, desc, phone, status string
			named                     bool
		}{
			{next, "想咨询危房改造补助政策，家里老房子漏雨", "13700000011", "booked", true},
			{next, "村里的机耕道垮了一段，春耕前想请代表看看", "", "booked", false},
			{after, "孩子上学的营养餐补助没有发下来", "13700000012", "booked", false},
			{after, "原想反映低保的事，村里已经解决了", "", "cancelled", false},
		}
		for _, b := range rows {
			fields := map[string]any{"station": st.Id, "date": b.date, "code": booking.NewCode(), "status": b.status, "description": b.desc}
			if b.named {
				fields["deputy"] = rostered[b.date][0]
			}
			if b.phone != "" {
				sealed, err := v.Seal(b.phone)
				if err != nil {
					return err
				}
				fields["resident_phone"], fields["resident_phone_hash"], fields["resident_phone_masked"], fields["consent"] = sealed, v.Hash(b.phone), pii.MaskPhone(b.phone), true
			}
			if b.status == "cancelled" {
				fields["cancelled_at"] = now.Add(-20 * time.Hour)
			}
			if _, err := save("bookings", fields); err != nil {
				return err
			}
		}
	}

	// Two receptions of the last duty days, each already a suggestion.
	receptions := []struct{ category, content, name, phone string }{
		{"道路交通", "演示数据（联络站接待）：集镇到桥头村的公路有几处坑洼，赶集日车多，摩托车容易摔倒。", "", ""},
		{"社会保障", "演示数据（联络站接待）：母亲今年满80岁，想问高龄津贴要准备哪些材料、到哪里办。", "米大姐", "13700000013"},
	}
	for i, rc := range receptions {
		if i >= len(past) {
			break
		}
		date := past[len(past)-1-i]
		day, _ := time.ParseInLocation(chinatime.DateLayout, date, loc)
		at := day.Add(9*time.Hour + 40*time.Minute)
		dep := rostered[date][0]
		duty, err := app.FindFirstRecordByFilter("station_duties", "station = {:s} && date = {:d} && deputy = {:dep}",
			map[string]any{"s": st.Id, "d": date, "dep": dep})
		if err != nil {
			return err
		}
		r, err := save("station_receptions", map[string]any{"deputy": dep, "station": st.Id, "duty": duty.Id, "reception_at": at,
			"category": rc.category, "content": rc.content})
		if err != nil {
			return err
		}
		s, err := app.FindRecordById("suggestions", r.GetString("suggestion"))
		if err != nil {
			return err
		}
		if rc.phone != "" {
			s.Set("resident_name", rc.name)
			s.Set("resident_phone", rc.phone)
			s.Set("consent", true)
		}
		s.Set("acknowledged_at", at.Add(3*time.Hour))
		s.Set("status", "acknowledged")
		if i == 0 {
			s.Set("answered_at", at.Add(50*time.Hour))
			s.Set("status", "answered")
			s.Set("reply", "已联系镇交通站，坑洼路段已列入本月养护计划，赶集日前完成修补。")
		}
		if err := app.Save(s); err != nil {
			return err
		}
	}
	return nil
}

// onFutureDuty reports whether deputy is on one of the days from today on.
func onFutureDuty(days map[string][]string, deputy, today string) bool {
	future, _ := splitDays(days, today)
	for _, d := range future {
		if slices.Contains(days[d], deputy) {
			return true
		}
	}
	return false
}

// ensureFutureDuty puts deputy on the first day after today they are not
// on already (replacing that day's last deputy) when the rotation gave
// them none: the printed demo login then has a duty to see and swap.
func ensureFutureDuty(days map[string][]string, deputy, today string) {
	if onFutureDuty(days, deputy, today) {
		return
	}
	future, _ := splitDays(days, today)
	for _, d := range future {
		if d > today {
			on := slices.Clone(days[d])
			on[len(on)-1] = deputy
			slices.Sort(on)
			days[d] = on
			return
		}
	}
}

// splitDays returns the roster's dates from today on and before today, in order.
func splitDays(days map[string][]string, today string) (future, past []string) {
	for d := range days {
		if d >= today {
			future = append(future, d)
		} else {
			past = append(past, d)
		}
	}
	slices.Sort(future)
	slices.Sort(past)
	return future, past
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func addDay(date string, n int) string {
	t, _ := time.Parse(chinatime.DateLayout, date)
	return t.AddDate(0, 0, n).Format(chinatime.DateLayout)
}
