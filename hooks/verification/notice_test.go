package verification_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/notify"
	"simeng/internal/testapp"
	nt "simeng/notify"
	"simeng/notify/notifytest"
)

// TestCallbackSMSNotice: where the township sends notices instead of
// calls, SMS is configured and the household agreed when it signed, the
// month's sample queues a text to the household (its sealed phone opened
// only at sending) through the notification outbox, and the SMS stand-in
// receives it once, with the visit's date and the office's number and
// nothing else; a household that did not agree is called as before.
func TestCallbackSMSNotice(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()

	// Bad input first: a notice without the office's number is refused.
	settings, err := s.App.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if err != nil || len(settings) != 1 {
		t.Fatal("no settings row", err)
	}
	url := "/api/collections/verification_settings/records/" + settings[0].Id
	status, out := s.Do(staff, http.MethodPatch, url, map[string]any{"sms_notice": true})
	if data, _ := out["data"].(map[string]any); status != http.StatusBadRequest || data["office_phone"] == nil {
		t.Fatalf("sms_notice without office_phone: %d %v, want 400 naming office_phone", status, out)
	}
	if status, out := s.Do(staff, http.MethodPatch, url, map[string]any{"sms_notice": true, "office_phone": "0838-6512345"}); status != 200 {
		t.Fatalf("sms_notice: %d %v", status, out)
	}

	// SMS through the stand-in.
	col, err := s.App.FindCollectionByNameOrId(notify.Settings)
	if err != nil {
		t.Fatal(err)
	}
	cfg := core.NewRecord(col)
	cfg.Set("sms_access_key_id", notifytest.StandInKeyID)
	cfg.Set("sms_access_key_secret", notifytest.StandInSecret)
	cfg.Set("sms_sign_name", notifytest.StandInSign)
	cfg.Set("sms_endpoint", p.SMSEndpoint())
	cfg.Set("sms_scheme", "http")
	cfg.Set("sms_templates", map[string]string{string(nt.TplVisitNotice): "SMS_visit_notice"})
	if err := s.App.Save(cfg); err != nil {
		t.Fatal(err)
	}
	if !notify.ChannelOn(s.App, nt.SMS) {
		t.Fatal("SMS stays off")
	}

	// Last month: a signed visit whose household agreed to a text, and one
	// that did not agree.
	start := chinatime.PrevMonthStart(time.Now())
	at := time.Date(start.Year(), start.Month(), 12, 10, 0, 0, 0, chinatime.Location())
	sig := testapp.PNG(t, 120, 50, 0)
	visit := func(phone string, agreed bool) string {
		h, v := testapp.ClientID(), testapp.ClientID()
		hh := testapp.HouseholdRec(h, f.VillageA, "向德胜", "3组"+h[:4]+"号")
		hh["data"].(map[string]any)["phone"] = phone
		conf := map[string]any{"name": "向德胜", "at": iso(at.Add(20 * time.Minute))}
		if agreed {
			conf["sms"] = true
		}
		rec := testapp.VisitRec(v, h, iso(at), map[string]any{"location": offset(200, 0), "confirmation": conf,
			"photos": []any{testapp.PhotoDecl("signature", sig)}})
		testapp.WantOutcomes(t, s.Push(deputy, hh, rec), "created", "created")
		if status, out := s.PutPhoto(deputy, v, "signature", sig, "image/png"); status != http.StatusOK {
			t.Fatalf("signature upload: %d %v", status, out)
		}
		return v
	}
	agreed, declined := visit("13912345601", true), visit("13912345602", false)

	status, out = s.Do(staff, http.MethodGet, "/api/verification/callbacks?month="+start.Format("2006-01"), nil)
	if status != 200 {
		t.Fatalf("sample: %d %v", status, out)
	}
	methods := map[string]string{}
	for _, it := range out["items"].([]any) {
		m := it.(map[string]any)
		methods[m["visit"].(string)] = m["method"].(string)
	}
	if methods[agreed] != "sms_notice" || methods[declined] != "phone" {
		t.Fatalf("methods %v: want sms_notice for the household that agreed, phone for the other", methods)
	}

	rows, err := s.App.FindRecordsByFilter(notify.Outbox, "template = 'visit_notice'", "", 0, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%d visit notices queued (%v), want 1", len(rows), err)
	}
	agreedVisit, err := s.App.FindRecordById("visits", agreed)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0].GetString("recipient"), notify.HouseholdRecipient(agreedVisit.GetString("household")); got != want || rows[0].GetString("channel") != string(nt.SMS) {
		t.Fatalf("queued to %s on %s, want %s on sms", got, rows[0].GetString("channel"), want)
	}
	// The outbox holds texts to households during the night's quiet hours;
	// the test sends it now, as staff would mark a message urgent.
	if _, err := s.App.DB().Update(notify.Outbox, dbx.Params{"urgent": true, "next_at": types.NowDateTime().Add(-time.Second).String()},
		dbx.HashExp{"id": rows[0].Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if err := notify.Flush(s.App); err != nil {
		t.Fatal(err)
	}
	texts := p.Texts()
	if len(texts) != 1 || texts[0].Phone != "13912345601" || texts[0].Template != "SMS_visit_notice" {
		t.Fatalf("texts sent %+v, want one visit notice to 13912345601", texts)
	}
	var params map[string]string
	if err := json.Unmarshal([]byte(texts[0].Param), &params); err != nil {
		t.Fatal(err)
	}
	if params["date"] != at.Format(time.DateOnly) || params["office"] != "0838-6512345" || len(params) != 2 {
		t.Fatalf("notice params %v: want only the visit's date and the office's number", params)
	}
	if strings.Contains(texts[0].Param, "向德胜") {
		t.Fatal("the notice names a person")
	}
	// Drawing again sends nothing more.
	s.Do(staff, http.MethodGet, "/api/verification/callbacks?month="+start.Format("2006-01"), nil)
	if err := notify.Flush(s.App); err != nil {
		t.Fatal(err)
	}
	if n := len(p.Texts()); n != 1 {
		t.Fatalf("%d texts after the second request, want 1", n)
	}
}
