package syncengine_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// Issue 12, item 4: the sync fields are the server's (docs/SYNC.md). No
// deputy or presidium member sets them through the records API or batch,
// on any synced collection: not the version (neither up nor down), the
// content hash, the receipt time, the device, the schema version, the
// sequence or the photo manifest. The office's whole-form saves (the admin
// UI) keep the stored values, and every content change bumps the version
// by exactly one.
func TestServerOwnedSyncFieldsAreNotWritableThroughREST(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.Serve(t, testapp.New(t), nil)
	app := srv.App
	values := map[string]string{
		"version": `99`, "content_hash": `"0000"`, "received_at": `"2020-01-01 00:00:00.000Z"`,
		"device": `"attacker-phone"`, "schema_version": `9`, "seq": `99999`,
		"photo_manifest": `[{"key":"ph1","sha256":"00","size":1}]`, "complete": `true`,
	}
	records := []struct{ role, collection, id string }{
		{deputy, "inspections", f.IDs["inspection_a"]},
		{deputy, "hazards", f.IDs["hazard_a"]},
		{presidium, "hazards", f.IDs["hazard_a"]},
	}
	stored := func(collection, id, field string) string {
		r, err := app.FindRecordById(collection, id)
		if err != nil {
			t.Fatal(err)
		}
		return r.GetString(field)
	}
	// Denied first: each field, each door.
	snap := map[string]string{}
	for _, rc := range records {
		for field := range values {
			snap[rc.collection+field] = stored(rc.collection, rc.id, field)
		}
	}
	for _, rc := range records {
		for field, v := range values {
			before := stored(rc.collection, rc.id, field)
			if field == "complete" && before == "false" {
				v = "true"
			} else if field == "complete" {
				v = "false"
			}
			url := "/api/collections/" + rc.collection + "/records/" + rc.id
			r := srv.Send(rc.role, http.MethodPatch, url, `{"`+field+`":`+v+`}`)
			if r.Status != http.StatusBadRequest || !strings.Contains(r.FieldError(t, field), "由服务器维护") {
				t.Errorf("%s PATCH %s.%s: %d %s", rc.role, rc.collection, field, r.Status, r.Body)
			}
			if field != "version" {
				continue // batch is rate-limited to 3 a second: one field per record
			}
			batch := fmt.Sprintf(`{"requests":[{"method":"PATCH","url":"/api/collections/%s/records/%s","body":{"%s":%s}}]}`, rc.collection, rc.id, field, v)
			if r := srv.Send(rc.role, http.MethodPost, "/api/batch", batch); r.Status != http.StatusBadRequest {
				t.Errorf("%s batch %s.%s: %d %s", rc.role, rc.collection, field, r.Status, r.Body)
			}
		}
		for field := range values {
			if got := stored(rc.collection, rc.id, field); got != snap[rc.collection+field] {
				t.Errorf("%s.%s changed from %q to %q", rc.collection, field, snap[rc.collection+field], got)
			}
		}
	}
	// Visits and households: the records API writes them only for the
	// office, whose values are put back.
	for _, rc := range []struct{ collection, id string }{{"visits", f.IDs["visit_a"]}, {"households", f.IDs["household_a"]}} {
		for _, role := range []string{deputy, presidium} {
			r := srv.Send(role, http.MethodPatch, "/api/collections/"+rc.collection+"/records/"+rc.id, `{"version":99,"device":"x"}`)
			if r.Status < 400 {
				t.Errorf("%s PATCH %s version: %d %s", role, rc.collection, r.Status, r.Body)
			}
		}
		srv.Must(200, superuser, http.MethodPatch, "/api/collections/"+rc.collection+"/records/"+rc.id, `{"version":99,"device":"x"}`)
		if v := stored(rc.collection, rc.id, "version"); v == "99" || stored(rc.collection, rc.id, "device") == "x" {
			t.Errorf("the office set %s version %s", rc.collection, v)
		}
	}
	// Lowering the version is refused like raising it.
	if r := srv.Send(deputy, http.MethodPatch, "/api/collections/inspections/records/"+f.IDs["inspection_a"], `{"version":0,"findings":"改"}`); r.Status != http.StatusBadRequest {
		t.Errorf("lowering the version: %d %s", r.Status, r.Body)
	}
	// A create may not choose them either.
	create := `{"kind":"safety","site":"` + f.IDs["site_school"] + `","inspected_at":"2026-03-01 01:00:00.000Z","deputy":"` + f.Deputy +
		`","findings":"消防通道畅通","status":"completed","version":50}`
	if r := srv.Send(deputy, http.MethodPost, "/api/collections/inspections/records", create); r.Status != http.StatusBadRequest || r.FieldError(t, "version") == "" {
		t.Errorf("create with a version: %d %s", r.Status, r.Body)
	}

	// Allowed: a deputy's content edit bumps the version by one and rehashes.
	id := f.IDs["inspection_a"]
	v0, h0 := stored("inspections", id, "version"), stored("inspections", id, "content_hash")
	srv.Must(200, deputy, http.MethodPatch, "/api/collections/inspections/records/"+id, `{"findings":"学校食堂灭火器过期两具，已要求更换"}`)
	if v1 := stored("inspections", id, "version"); v1 != fmt.Sprint(atoi(t, v0)+1) || stored("inspections", id, "content_hash") == h0 {
		t.Errorf("after a content edit: version %s → %s, hash %s → %s", v0, v1, h0, stored("inspections", id, "content_hash"))
	}
	// The office's whole-form save: server fields put back, version + 1.
	v1 := atoi(t, stored("inspections", id, "version"))
	srv.Must(200, superuser, http.MethodPatch, "/api/collections/inspections/records/"+id,
		`{"findings":"已更换灭火器","version":1,"device":"admin-ui","received_at":"2020-01-01 00:00:00.000Z"}`)
	if got := atoi(t, stored("inspections", id, "version")); got != v1+1 || stored("inspections", id, "device") == "admin-ui" ||
		strings.HasPrefix(stored("inspections", id, "received_at"), "2020") {
		t.Errorf("superuser save: version %d → %d, device %q, received_at %q", v1, got, stored("inspections", id, "device"), stored("inspections", id, "received_at"))
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
