package assessment_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

// An inspection or 视察 counts once as an activity for the deputy who
// recorded it and for each participating deputy, once someone else
// confirmed it; changing who took part withdraws the confirmation.
func TestInspectionsCountAsActivities(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	col, err := app.FindCachedCollectionByNameOrId("inspections")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	// An hour ago, this year: AssessmentDate (15 March) is ahead in
	// January to March, and a future inspection is refused.
	r.Load(map[string]any{"kind": "project", "subject": "桥思公路建设进度视察", "inspected_at": testapp.InThisYear(time.Now().Add(-time.Hour)),
		"deputy": f.Deputy2, "participants": []string{f.Deputy2, f.Presidium}, "findings": "路面硬化过半", "status": "completed"})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	count := func(deputyID string) int {
		ids := testapp.Item(t, testapp.Score(t, app, deputyID), "activities").RecordIDs
		n := 0
		for _, id := range ids {
			if id == r.Id {
				n++
			}
		}
		return n
	}
	if count(f.Deputy2) != 0 || count(f.Presidium) != 0 {
		t.Fatal("an unconfirmed inspection counts")
	}
	confirm := func(role string, want int) string {
		t.Helper()
		res := testapp.Request(t, app, http.MethodPost, "/api/ledger/inspections/"+r.Id+"/confirm", "", role)
		if res.Code != want {
			t.Fatalf("%s confirms: %d %s, want %d", role, res.Code, res.Body, want)
		}
		return res.Body.String()
	}
	confirm(presidium, 200)
	if count(f.Deputy2) != 1 || count(f.Presidium) != 1 || count(f.Deputy) != 0 {
		t.Fatalf("recorder %d, participant %d, outsider %d; want 1 1 0", count(f.Deputy2), count(f.Presidium), count(f.Deputy))
	}
	r, _ = app.FindRecordById("inspections", r.Id)
	r.Set("participants", []string{f.Deputy})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if count(f.Deputy) != 0 || count(f.Deputy2) != 0 {
		t.Fatal("a confirmation outlived a change of who took part")
	}
	confirm(deputy, 200) // the participant added now
	if count(f.Presidium) != 0 || count(f.Deputy) != 1 || count(f.Deputy2) != 1 {
		t.Fatal("a participant removed from the inspection still counts it, or the one added does not")
	}
	if !slices.Contains(testapp.Item(t, testapp.Score(t, app, f.Deputy), "activities").RecordIDs, r.Id) {
		t.Fatal("the added participant's explanation lacks the inspection")
	}
}

// The abuse the issue found: a deputy records inspections through REST
// with status completed, and confirms them or sets the confirmation in the
// body. None of it counts until someone else confirms.
func TestOwnInspectionsDoNotCountUnconfirmed(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	before := len(testapp.Item(t, testapp.Score(t, app, f.Deputy2), "activities").RecordIDs)
	body := `{"kind":"project","subject":"自己组织的视察","inspected_at":"` + testapp.InThisYear(time.Now().Add(-time.Hour)).UTC().Format("2006-01-02 15:04:05.000Z") +
		`","participants":["` + f.Deputy2 + `"],"findings":"一切正常","status":"completed","confirmed_at":"2026-01-01 00:00:00.000Z","confirmed_by":"主席团"}`
	var ids []string
	for range 3 {
		res := testapp.Request(t, app, http.MethodPost, "/api/collections/inspections/records", body, deputy2)
		if res.Code != 200 || strings.Contains(res.Body.String(), `"confirmed_at":"2`) {
			t.Fatalf("create: %d %s", res.Code, res.Body)
		}
		var made struct{ ID string }
		if err := json.Unmarshal(res.Body.Bytes(), &made); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, made.ID)
	}
	for _, id := range ids {
		if res := testapp.Request(t, app, http.MethodPost, "/api/ledger/inspections/"+id+"/confirm", "", deputy2); res.Code != 403 {
			t.Fatalf("the recorder confirmed their own inspection: %d %s", res.Code, res.Body)
		}
		if res := testapp.Request(t, app, http.MethodPatch, "/api/collections/inspections/records/"+id, `{"confirmed_at":"2026-01-01 00:00:00.000Z"}`, deputy2); res.Code != 200 || strings.Contains(res.Body.String(), `"confirmed_at":"2`) {
			t.Fatalf("a body set the confirmation: %d %s", res.Code, res.Body)
		}
		if res := testapp.Request(t, app, http.MethodPost, "/api/ledger/inspections/"+id+"/confirm", "", deputy); res.Code != 404 {
			t.Fatalf("an outsider confirmed: %d %s", res.Code, res.Body)
		}
	}
	if after := len(testapp.Item(t, testapp.Score(t, app, f.Deputy2), "activities").RecordIDs); after != before {
		t.Fatalf("activities went from %d to %d without anyone confirming", before, after)
	}
	// Staff confirm one: it counts, once.
	if res := testapp.Request(t, app, http.MethodPost, "/api/ledger/inspections/"+ids[0]+"/confirm", "", superuser); res.Code != 200 {
		t.Fatalf("staff confirm: %d %s", res.Code, res.Body)
	}
	if res := testapp.Request(t, app, http.MethodPost, "/api/ledger/inspections/"+ids[0]+"/confirm", "", superuser); res.Code != 400 {
		t.Fatalf("confirmed twice: %d %s", res.Code, res.Body)
	}
	if after := len(testapp.Item(t, testapp.Score(t, app, f.Deputy2), "activities").RecordIDs); after != before+1 {
		t.Fatalf("activities %d after one confirmation, want %d", after, before+1)
	}
}
