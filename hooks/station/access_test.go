package station_test

import (
	"net/http"
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the liaison station's
// collections, denied cases first: guests, deputies, the presidium,
// handling units, former staff, then what office staff and the technician
// may do. Rosters,
// duties, swaps and bookings are written through the routes (tested in
// their own files); their collections take no writes from deputies.
func TestRulesStationCollections(t *testing.T) {
	f := testapp.F(t)
	col := func(name string) string { return "/api/collections/" + name + "/records" }
	one := func(name, key string) string { return col(name) + "/" + f.IDs[key] }
	station := one("stations", "station")
	item := one("station_items", "station_item")
	selfcheck := one("station_selfchecks", "station_selfcheck")
	settings := one("station_settings", "station_settings")
	roster := one("station_rosters", "roster")
	draft := one("station_rosters", "roster_draft")
	duty := one("station_duties", "duty_next")
	dutyDraft := one("station_duties", "duty_draft")
	unavailable := one("duty_unavailability", "unavailable")
	swap := one("duty_swaps", "swap")
	bookingURL := one("bookings", "booking")
	newStation := `{"name":"桥头村联络点","code":"qiaotou","address":"桥头村村部","active":true}`
	future := `{"deputy":"` + f.Deputy + `","date":"2099-05-04","reason":"外出"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// stations and their checklist: read by deputies, written by staff
		{Role: guest, Method: http.MethodGet, URL: col("stations"), Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: col("stations"), Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: station, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: col("stations"), Body: newStation, Status: 400, Contains: []string{"Failed to create record."}},
		{Role: presidium, Method: http.MethodPatch, URL: station, Body: `{"address":"改地址"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: station, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodGet, URL: col("station_items"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPatch, URL: item, Body: `{"title":"有饭吃"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodGet, URL: selfcheck, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: selfcheck, Body: `{"checked_by":"我"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodGet, URL: settings, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: settings, Body: `{"hotline":"110"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: superuser, Method: http.MethodPost, URL: col("station_settings"), Body: `{"hotline":"0745-1"}`, Status: 400, Contains: badField("hotline")},
		{Role: superuser, Method: http.MethodPost, URL: col("stations"), Body: `{"name":"坏代码","code":"Bad Code!","address":"某地"}`, Status: 400, Contains: badField("code")},
		{Role: superuser, Method: http.MethodPost, URL: col("station_selfchecks"), Body: `{"station":"` + f.IDs["station"] + `","year":2024,"results":[{"item":"` + f.IDs["station_item"] + `","met":true}],"checked_by":"周敏","checked_at":"2024-12-01 02:00:00.000Z"}`,
			Status: 400, Contains: badField("results")},
		// rosters and duties: deputies read published ones only
		{Role: guest, Method: http.MethodGet, URL: col("station_rosters"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodGet, URL: dutyDraft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: col("station_duties"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: col("station_duties"), Body: `{"roster":"` + f.IDs["roster"] + `","date":"2026-01-01","deputy":"` + f.Deputy + `","source":"staff","status":"attended"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: duty, Body: `{"checkin_method":"qr"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: duty, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: roster, Body: `{"status":"draft"}`, Status: 403, Contains: testapp.Forbidden},
		// unavailable days: one's own, created and deleted by oneself
		{Role: deputy2, Method: http.MethodGet, URL: unavailable, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: col("duty_unavailability"), Body: future, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy2, Method: http.MethodPost, URL: col("duty_unavailability"), Body: future, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy2, Method: http.MethodDelete, URL: unavailable, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: unavailable, Body: `{"date":"2099-06-01"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: col("duty_unavailability"), Body: `{"deputy":"` + f.Deputy + `","date":"2020-01-04"}`, Status: 400, Contains: badField("date")},
		{Role: deputy, Method: http.MethodPost, URL: col("duty_unavailability"), Body: `{"deputy":"` + f.Deputy + `","date":"2099-02-30"}`, Status: 400, Contains: badField("date")},
		// swaps: the two deputies and the presidium read; nobody writes through the records API
		{Role: guest, Method: http.MethodGet, URL: swap, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: swap, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodPatch, URL: swap, Body: `{"status":"accepted"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: col("duty_swaps"), Body: `{"kind":"cover"}`, Status: 403, Contains: testapp.Forbidden},
		// bookings: never through the records API but for staff
		{Role: guest, Method: http.MethodGet, URL: col("bookings"), Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: col("bookings"), Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodGet, URL: bookingURL, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: col("bookings"), Body: `{"station":"` + f.IDs["station"] + `"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodDelete, URL: bookingURL, Status: 403, Contains: testapp.Forbidden},
		// receptions: through /api/sync/push only
		{Role: deputy, Method: http.MethodPost, URL: col("station_receptions"), Body: `{"station":"` + f.IDs["station"] + `","content":"直接写入"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodGet, URL: col("station_receptions"), Status: 200, Contains: testapp.EmptyList},
		// handling units and former staff see nothing of the station; staff
		// never delete its register nor read bookings through the records API
		{Role: unit, Method: http.MethodGet, URL: col("stations"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: col("station_receptions"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPatch, URL: settings, Body: `{"hotline":"0745-3300000"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: bookingURL, Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodGet, URL: col("station_rosters"), Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodPatch, URL: settings, Body: `{"hotline":"0745-3300000"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodDelete, URL: station, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: col("bookings"), Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("station_duties"), Body: `{"roster":"` + f.IDs["roster"] + `","date":"2026-01-01","deputy":"` + f.Deputy + `","source":"staff","status":"attended"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("station_settings"), Body: `{"hotline":"0745-1"}`, Status: 400, Contains: badField("hotline")},
		// allowed
		{Role: staff, Method: http.MethodGet, URL: draft, Status: 200, Contains: []string{`"status":"draft"`}},
		{Role: staff, Method: http.MethodGet, URL: dutyDraft, Status: 200, Contains: []string{`"status":"rostered"`}},
		{Role: staff, Method: http.MethodGet, URL: swap, Status: 200, Contains: []string{`"kind":"cover"`}},
		{Role: staff, Method: http.MethodGet, URL: unavailable, Status: 200, Contains: []string{"外出学习"}},
		{Role: staff, Method: http.MethodPatch, URL: settings, Body: `{"hotline":"0745-3300001"}`, Status: 200, Contains: []string{"0745-3300001"}},
		{Role: staff, Method: http.MethodPost, URL: col("stations"), Body: newStation, Status: 200, Contains: []string{`"code":"qiaotou"`}},
		{Role: deputy, Method: http.MethodGet, URL: station, Status: 200, Contains: []string{`"code":"simeng"`, "思蒙镇人大代表联络站"}},
		{Role: deputy, Method: http.MethodGet, URL: col("station_items"), Status: 200, Contains: []string{`"totalItems":6`}},
		{Role: deputy2, Method: http.MethodGet, URL: selfcheck, Status: 200, Contains: []string{`"met":5`, `"total":6`}},
		{Role: deputy, Method: http.MethodGet, URL: settings, Status: 200, Contains: []string{"0745-3312345"}},
		{Role: deputy, Method: http.MethodGet, URL: col("station_rosters"), Status: 200, Contains: []string{`"totalItems":1`, f.IDs["roster"]}},
		{Role: deputy2, Method: http.MethodGet, URL: duty, Status: 200, Contains: []string{`"deputy":"` + f.Deputy + `"`, `"status":"rostered"`}},
		{Role: deputy, Method: http.MethodGet, URL: col("station_duties"), Status: 200, Contains: []string{`"totalItems":5`, `"status":"missed"`, `"status":"attended"`}},
		{Role: deputy, Method: http.MethodGet, URL: unavailable, Status: 200, Contains: []string{"外出学习"}},
		{Role: presidium, Method: http.MethodGet, URL: unavailable, Status: 200, Contains: []string{"外出学习"}},
		{Role: deputy, Method: http.MethodPost, URL: col("duty_unavailability"), Body: future, Status: 200, Contains: []string{`"date":"2099-05-04"`}},
		{Role: deputy, Method: http.MethodDelete, URL: unavailable, Status: 204},
		{Role: deputy2, Method: http.MethodGet, URL: swap, Status: 200, Contains: []string{`"status":"pending"`}},
		{Role: presidium, Method: http.MethodGet, URL: swap, Status: 200, Contains: []string{`"kind":"cover"`}},
		{Role: superuser, Method: http.MethodGet, URL: draft, Status: 200, Contains: []string{`"status":"draft"`}},
		{Role: superuser, Method: http.MethodGet, URL: bookingURL, Status: 200, Contains: []string{`"resident_phone_masked":"136****1234"`, `"resident_phone":"v1:`}, Absent: []string{testapp.BookingPhone}},
		{Role: superuser, Method: http.MethodPost, URL: col("stations"), Body: newStation, Status: 200,
			Contains: []string{`"duty_per_day":2`, `"booking_capacity":10`, `"booking_horizon_days":60`, `"holiday_policy":"keep"`}},
		{Role: superuser, Method: http.MethodPatch, URL: settings, Body: `{"hotline":"0745-3300000"}`, Status: 200, Contains: []string{"0745-3300000"}},
	})
}
