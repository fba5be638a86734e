package testapp

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/dutyroster"
	"simeng/pii"
)

// StationCode is the public code of the template's liaison station (/s/simeng).
const StationCode = "simeng"

// BookingPhone is the phone of the template's booking (sealed at rest).
const BookingPhone = "13600001234"

// StationDays are the template's station dates, relative to when the
// template was built (China dates): a market day in the past, two market
// days ahead, and today.
type StationDays struct {
	Past, Next, After, Today string
}

// StationDates picks the station fixture's dates from now.
func StationDates(now time.Time) StationDays {
	today := dutyroster.ChinaDate(now)
	t, _ := time.Parse(chinatime.DateLayout, today)
	days, _ := dutyroster.MarketDays(nil, dutyroster.HolidayKeep, t.AddDate(0, 0, -30).Format(chinatime.DateLayout), t.AddDate(0, 0, 50).Format(chinatime.DateLayout))
	var out StationDays
	out.Today = today
	for _, d := range days {
		switch {
		case d.Date < today && d.Date[:4] == today[:4]:
			out.Past = d.Date
		case d.Date > today && out.Next == "":
			out.Next = d.Date
		case d.Date > out.Next && out.Next != "" && out.After == "":
			out.After = d.Date
		}
	}
	// The past duties stay in this year (the assessment's fixtures count
	// this year): in the first days of January, yesterday will do (on
	// 1 January itself that is last year).
	if out.Past == "" {
		out.Past = t.AddDate(0, 0, -1).Format(chinatime.DateLayout)
	}
	return out
}

// Liaison station fixtures, in F(t).IDs (dates from StationDates at build):
//
//	station            思蒙镇人大代表联络站, code simeng, every active deputy eligible
//	station_item       its first 六有 item (of 6); station_selfcheck last year's self-check, 5/6 met
//	roster             a published roster from 30 days back to 60 ahead
//	roster_draft       a draft roster after it (deputies do not see it)
//	duty_next          Deputy on the next market day
//	duty_after         Deputy2 on the market day after
//	duty_today         Deputy today (added by staff: today need not be a market day)
//	duty_attended      Deputy2 on the last market day this year, checked in by QR
//	duty_missed        Presidium on the last market day this year, no check-in
//	duty_draft         Presidium on the draft roster
//	unavailable        Deputy cannot serve 20 days ahead
//	swap               Deputy asks Deputy2 to cover duty_next (pending)
//	booking            a booking of the next market day with Deputy, phone BookingPhone; booking_code its code
//	station_settings   the hotline 0745-3312345
func seedStation(app core.App, f *Fixture) error {
	days := StationDates(time.Now())
	if days.Next == "" || days.After == "" {
		return fmt.Errorf("station fixture: no market days around %s", days.Today)
	}
	save := func(key, collection string, fields map[string]any) (*core.Record, error) {
		r := core.NewRecord(mustCollection(app, collection))
		for k, v := range fields {
			r.Set(k, v)
		}
		if err := app.Save(r); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if key != "" {
			f.IDs[key] = r.Id
		}
		return r, nil
	}
	st, err := save("station", "stations", map[string]any{"name": "思蒙镇人大代表联络站", "code": StationCode,
		"address": "思蒙镇思蒙湾村集镇综合楼一楼", "opening_notes": "赶集日上午8:30–12:00", "active": true})
	if err != nil {
		return err
	}
	var results []map[string]any
	for i, title := range []string{"有场所", "有牌子", "有制度", "有人员", "有活动", "有台账"} {
		key := ""
		if i == 0 {
			key = "station_item"
		}
		it, err := save(key, "station_items", map[string]any{"station": st.Id, "title": title, "sort": i})
		if err != nil {
			return err
		}
		results = append(results, map[string]any{"item": it.Id, "met": i != 5})
	}
	if _, err := save("station_selfcheck", "station_selfchecks", map[string]any{"station": st.Id,
		"year": time.Now().In(chinatime.Location()).Year() - 1, "results": results, "checked_by": "联络员 周敏",
		"checked_at": time.Now().AddDate(0, -2, 0)}); err != nil {
		return err
	}
	if _, err := save("station_settings", "station_settings", map[string]any{"hotline": "0745-3312345", "hotline_hours": "工作日 8:30–17:30"}); err != nil {
		return err
	}
	t, _ := time.Parse(chinatime.DateLayout, days.Today)
	d := func(n int) string { return t.AddDate(0, 0, n).Format(chinatime.DateLayout) }
	roster, err := save("roster", "station_rosters", map[string]any{"station": st.Id, "first_day": d(-30), "last_day": d(60),
		"status": "published", "per_day": 2, "holiday_policy": "keep"})
	if err != nil {
		return err
	}
	draft, err := save("roster_draft", "station_rosters", map[string]any{"station": st.Id, "first_day": d(61), "last_day": d(90),
		"status": "draft", "per_day": 2, "holiday_policy": "keep"})
	if err != nil {
		return err
	}
	duties := []struct {
		key, roster, date, deputy, source, method string
	}{
		{"duty_next", roster.Id, days.Next, f.Deputy, "generated", ""},
		{"duty_after", roster.Id, days.After, f.Deputy2, "generated", ""},
		{"duty_today", roster.Id, days.Today, f.Deputy, "staff", ""},
		{"duty_attended", roster.Id, days.Past, f.Deputy2, "generated", "qr"},
		{"duty_missed", roster.Id, days.Past, f.Presidium, "generated", ""},
		{"duty_draft", draft.Id, d(70), f.Presidium, "generated", ""},
	}
	for _, x := range duties {
		if _, err := save(x.key, "station_duties", map[string]any{"roster": x.roster, "station": st.Id, "date": x.date,
			"deputy": x.deputy, "source": x.source, "checkin_method": x.method}); err != nil {
			return err
		}
	}
	if _, err := save("unavailable", "duty_unavailability", map[string]any{"deputy": f.Deputy, "date": d(20), "reason": "外出学习"}); err != nil {
		return err
	}
	if _, err := save("swap", "duty_swaps", map[string]any{"station": st.Id, "kind": "cover", "requester": f.Deputy,
		"other": f.Deputy2, "date": days.Next, "status": "pending", "note": "那天要送孩子上学"}); err != nil {
		return err
	}
	v, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	sealed, err := v.Seal(BookingPhone)
	if err != nil {
		return err
	}
	b, err := save("booking", "bookings", map[string]any{"station": st.Id, "date": days.Next, "deputy": f.Deputy,
		"code": "k7m2x9qp", "status": "booked", "description": "想问问危房改造补助怎么申请",
		"resident_phone": sealed, "resident_phone_hash": v.Hash(BookingPhone), "resident_phone_masked": pii.MaskPhone(BookingPhone), "consent": true})
	if err != nil {
		return err
	}
	f.IDs["booking_code"] = b.GetString("code")
	return nil
}
