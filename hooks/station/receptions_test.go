package station_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
	"simeng/pii"
)

// receptionRec is a reception as the phone pushes it.
func receptionRec(id, station, at string, extra map[string]any) map[string]any {
	data := map[string]any{"station": station, "reception_at": at, "category": "养老助残", "content": "82岁老人想了解高龄补贴怎么申请"}
	for k, v := range extra {
		data[k] = v
	}
	return map[string]any{"collection": "station_receptions", "id": id, "base_version": 0, "schema_version": 1, "data": data}
}

// A reception logged on a duty day becomes one suggestion (source
// station, the receiving deputy, the 24-hour and 5-working-day clocks from
// the reception's time, the resident's phone sealed), even when the phone
// sends it again; a reception off duty, or with a phone but no consent, is
// refused naming the field; it cannot be edited after; its booking is
// marked received; its photos reach the suggestion.
func TestReceptionBecomesOneSuggestion(t *testing.T) {
	e := newEnv(t, china(2026, 4, 11, 11, 0))
	f := e.f
	e.roster("published", "2026-04-01", "2026-06-30", map[string][]string{"2026-04-11": {f.Deputy, f.Deputy2}})
	// A booking with the phone sealed, as the booking form stores it.
	v, err := pii.VaultFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := v.Seal("13900001111")
	booked := e.save("bookings", map[string]any{"station": e.station, "date": "2026-04-11", "code": "bcdefghj", "status": "booked",
		"description": "问危房改造", "resident_phone": sealed, "consent": true})
	srv := testapp.Serve(t, e.app, nil)

	id := testapp.ClientID()
	rec := receptionRec(id, e.station, "2026-04-11T10:30:00+08:00", map[string]any{"resident_name": "向大爷", "resident_phone": "139 0000 2222", "consent": true})
	res := srv.Push(deputy, rec)
	if res[0]["outcome"] != "created" {
		t.Fatalf("push: %v", res)
	}
	r, err := e.app.FindRecordById("station_receptions", id)
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.app.FindRecordById("suggestions", r.GetString("suggestion"))
	if err != nil {
		t.Fatalf("no suggestion for the reception: %v", err)
	}
	want := map[string]string{"source": "station", "deputy": f.Deputy, "station": e.station, "category": "养老助残",
		"received_at": "2026-04-11 02:30:00.000Z", "ack_due": "2026-04-12 02:30:00.000Z",
		"feedback_due": "2026-04-17 15:59:59.999Z", // Saturday: Mon–Fri are the 5 working days
		"status":       "received", "resident_phone_masked": "139****2222", "resident_name_masked": "向**"}
	for k, v := range want {
		if got := s.GetString(k); got != v {
			t.Errorf("suggestion %s = %q, want %q", k, got, v)
		}
	}
	if strings.Contains(s.GetString("resident_phone"), "2222") || r.GetString("duty") == "" {
		t.Errorf("phone not sealed (%q) or duty not linked (%q)", s.GetString("resident_phone"), r.GetString("duty"))
	}
	if res := srv.Push(deputy, rec); res[0]["outcome"] != "already_have" {
		t.Fatalf("retry: %v", res)
	}
	if n, _ := e.app.CountRecords("suggestions", dbxHash("source", "station", "deputy", f.Deputy)); n != 1 {
		t.Fatalf("%d station suggestions after a retry, want 1", n)
	}
	// The phone pulls its reception back without the resident's contact.
	changes, _ := srv.PullAll(0)
	for _, c := range changes {
		if c["id"] == id && (strings.Contains(toJSON(c), "2222") || strings.Contains(toJSON(c), "向大爷")) {
			t.Errorf("pulled reception carries the resident's contact: %v", c)
		}
	}

	refused := func(rec map[string]any, field string) {
		t.Helper()
		res := srv.Push(deputy, rec)
		errs, _ := res[0]["errors"].(map[string]any)
		if res[0]["outcome"] != "rejected" || errs[field] == nil {
			t.Errorf("%v: %v, want rejected naming %s", rec["data"], res[0], field)
		}
	}
	refused(receptionRec(testapp.ClientID(), e.station, "2026-04-12T10:30:00+08:00", nil), "reception_at")
	refused(receptionRec(testapp.ClientID(), e.station, "2026-04-11T10:30:00+08:00", map[string]any{"resident_phone": "13900003333"}), "consent")
	refused(receptionRec(testapp.ClientID(), e.station, "2026-04-11T10:30:00+08:00", map[string]any{"resident_phone": "12345", "consent": true}), "resident_phone")
	refused(receptionRec(testapp.ClientID(), e.station, "2026-04-11T10:30:00+08:00", map[string]any{"content": "短"}), "content")
	refused(receptionRec(testapp.ClientID(), e.station, "2026-04-11T10:30:00+08:00", map[string]any{"category": "乱写"}), "category")
	refused(receptionRec(testapp.ClientID(), "nosuchstation00", "2026-04-11T10:30:00+08:00", nil), "station")
	edited := testapp.WithBase(receptionRec(id, e.station, "2026-04-11T10:30:00+08:00", map[string]any{"content": "改过的内容，不应接受"}), 1)
	refused(edited, "content")
	if n, _ := e.app.CountRecords("suggestions", dbxHash("source", "station", "deputy", f.Deputy)); n != 1 {
		t.Fatalf("%d station suggestions after refused pushes, want 1", n)
	}

	// Deputy2 receives the booked resident: the booking is received and
	// linked, the suggestion keeps the phone given when booking.
	photo := testapp.PNG(t, 40, 30, 90)
	bid := testapp.ClientID()
	res = srv.Push(deputy2, receptionRec(bid, e.station, "2026-04-11T09:15:00+08:00", map[string]any{"booking": booked.Id,
		"photos": []any{testapp.PhotoDecl("ph1", photo)}}))
	if res[0]["outcome"] != "created" || res[0]["complete"] != false {
		t.Fatalf("booked reception: %v", res)
	}
	b, _ := e.app.FindRecordById("bookings", booked.Id)
	br, _ := e.app.FindRecordById("station_receptions", bid)
	if b.GetString("status") != "received" || b.GetString("reception") != bid || b.GetString("suggestion") != br.GetString("suggestion") {
		t.Errorf("booking after the reception: %s %s %s", b.GetString("status"), b.GetString("reception"), b.GetString("suggestion"))
	}
	code, raw := srv.DoRaw(testapp.Token(t, deputy2), http.MethodPut, "/api/sync/photos/station_receptions/"+bid+"/ph1", "image/png", bytes.NewReader(photo))
	if code != 200 || !strings.Contains(string(raw), `"complete":true`) {
		t.Fatalf("photo: %d %s", code, raw)
	}
	bs, _ := e.app.FindRecordById("suggestions", br.GetString("suggestion"))
	if len(bs.GetStringSlice("photos")) != 1 || bs.GetString("resident_phone_masked") != "139****1111" || bs.GetString("deputy") != f.Deputy2 {
		t.Errorf("booked resident's suggestion: photos %v phone %q deputy %q", bs.GetStringSlice("photos"), bs.GetString("resident_phone_masked"), bs.GetString("deputy"))
	}
	refused(receptionRec(testapp.ClientID(), e.station, "2026-04-11T10:30:00+08:00", map[string]any{"booking": booked.Id}), "booking")

	// Who reads a reception: its deputy and the presidium.
	one := "/api/collections/station_receptions/records/" + id
	for who, want := range map[string]int{guest: 404, deputy2: 404, inactive: 404, deputy: 200, presidium: 200, superuser: 200} {
		if c, _ := e.do(who, http.MethodGet, one, nil); c != want {
			t.Errorf("%s reads a reception: %d, want %d", who, c, want)
		}
	}
}
