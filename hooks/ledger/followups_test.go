package ledger_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// A deputy who only took part in an inspection (a participant, not the
// recorder) pulls it and its hazards offline; deputies who may see a
// hazard send photos taken after its rectification through the outbox
// (hazard_followups), and those photos count for 已整改.
func TestParticipantPullsAndFollowUpPhotosSync(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	// inspection_a: recorded by Deputy, Presidium took part
	pulled := string(c.Must(http.StatusOK, presidium, http.MethodGet, "/api/sync/pull?since=0", nil).Body)
	for _, id := range []string{f.IDs["inspection_a"], f.IDs["hazard_a"]} {
		if !strings.Contains(pulled, id) {
			t.Fatalf("the participant's pull lacks %s", id)
		}
	}
	if other := string(c.Must(http.StatusOK, deputy2, http.MethodGet, "/api/sync/pull?since=0", nil).Body); strings.Contains(other, f.IDs["inspection_a"]) || strings.Contains(other, f.IDs["hazard_a"]) {
		t.Fatal("a deputy who took no part pulls the inspection")
	}

	photo := testapp.PNG(t, 4, 4, 9)
	sum := sha256.Sum256(photo)
	manifest := fmt.Sprintf(`[{"key":"ph1","sha256":"%s","size":%d}]`, hex.EncodeToString(sum[:]), len(photo))
	followup := func(id, hazard, takenAt string) string {
		return `{"collection":"hazard_followups","id":"` + id + `","base_version":0,"schema_version":1,"data":{
		  "hazard":"` + hazard + `","taken_at":"` + takenAt + `","note":"复查：灭火器已更换","photos":` + manifest + `}}`
	}
	push := func(role string, recs ...string) []map[string]any {
		t.Helper()
		r := c.Must(http.StatusOK, role, http.MethodPost, "/api/sync/push", `{"device":"dev000000000009","records":[`+strings.Join(recs, ",")+`]}`)
		var out []map[string]any
		for _, x := range r.JSON(t)["results"].([]any) {
			out = append(out, x.(map[string]any))
		}
		return out
	}
	// denied first: a deputy who has nothing to do with the hazard, an
	// unknown hazard, a time in the future
	res := push(deputy2, followup("fup000000000001", f.IDs["hazard_a"], "2026-03-01T10:00:00+08:00"))
	if res[0]["outcome"] == "created" || res[0]["errors"].(map[string]any)["hazard"] == nil {
		t.Fatalf("an outsider's follow-up: %v", res[0])
	}
	res = push(presidium, followup("fup000000000002", "nosuch000000000", "2026-03-01T10:00:00+08:00"),
		followup("fup000000000003", f.IDs["hazard_a"], "2099-03-01T10:00:00+08:00"))
	if res[0]["outcome"] != "rejected" || res[1]["outcome"] != "rejected" || res[1]["errors"].(map[string]any)["taken_at"] == nil {
		t.Fatalf("bad follow-ups: %v", res)
	}
	res = push(presidium, followup("fup000000000004", f.IDs["hazard_a"], "2026-03-01T10:00:00+08:00"))
	if res[0]["outcome"] != "created" {
		t.Fatalf("the participant's follow-up: %v", res[0])
	}
	if r := c.Send(presidium, http.MethodPut, "/api/sync/photos/hazard_followups/fup000000000004/ph1", photo); r.Status != 200 || !strings.Contains(string(r.Body), `"complete":true`) {
		t.Fatalf("photo: %d %s", r.Status, r.Body)
	}
	// the recorder pulls the follow-up too
	if !strings.Contains(string(c.Must(http.StatusOK, deputy, http.MethodGet, "/api/sync/pull?since=0", nil).Body), "fup000000000004") {
		t.Fatal("the recorder does not pull the follow-up")
	}

	// 已整改 with the photos that came through the outbox
	url := "/api/collections/hazards/records/" + f.IDs["hazard_a"]
	c.Must(http.StatusOK, deputy, http.MethodPatch, url, `{"status":"rectifying"}`)
	r := c.Must(http.StatusOK, deputy, http.MethodPatch, url, `{"status":"rectified","rectification":"已更换两具灭火器"}`)
	if r.JSON(t)["status"] != "rectified" {
		t.Fatalf("rectified: %s", r.Body)
	}
}

// A hazard assigned to a handling unit: the unit starts and records the
// rectification; re-inspection and 销号 are not the unit's.
func TestUnitRectifiesItsHazard(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	url := "/api/collections/hazards/records/" + f.IDs["hazard_a"]
	c.Must(http.StatusNotFound, unit, http.MethodPatch, url, `{"status":"rectifying"}`) // not yet its own
	if r := c.Must(http.StatusBadRequest, staff, http.MethodPatch, url, `{"unit":"nosuchunit00000"}`); r.FieldError(t, "unit") == "" {
		t.Fatalf("an unknown unit: %s", r.Body)
	}
	got := c.Must(http.StatusOK, staff, http.MethodPatch, url, `{"unit":"`+f.Unit+`","responsible_unit":""}`).JSON(t)
	if got["responsible_unit"] != "镇应急办" {
		t.Fatalf("responsible unit not named after the unit: %v", got["responsible_unit"])
	}
	c.Must(http.StatusNotFound, testapp.RoleUnit2, http.MethodPatch, url, `{"status":"rectifying"}`)
	c.Must(http.StatusNotFound, unit, http.MethodPatch, url, `{"deadline":"2099-01-01 00:00:00Z"}`) // not the unit's field
	c.Must(http.StatusOK, unit, http.MethodPatch, url, `{"status":"rectifying"}`)
	c.Must(http.StatusOK, unit, http.MethodPatch, url, testapp.NewForm(t,
		map[string]string{"status": "rectified", "rectification": "已更换两具灭火器"}, map[string]int{"photos_after": 1}))
	c.Must(http.StatusForbidden, unit, http.MethodPatch, url, `{"status":"closed"}`)
	c.Must(http.StatusOK, unit, http.MethodGet, url, nil)
}

// A 专题视察 (inspection of kind project) names the chosen 民生实事
// project it looked at, offline through the same outbox.
func TestProjectInspectionLinksItsProject(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	insp := func(id, project, kind string) string {
		return `{"collection":"inspections","id":"` + id + `","base_version":0,"schema_version":1,"data":{
		  "kind":"` + kind + `","project":"` + project + `","inspected_at":"2026-03-20T10:00:00+08:00",
		  "participants":["` + f.Deputy + `"],"findings":"施工进度滞后约两周，质量总体良好","progress":"完成60%","status":"completed"}}`
	}
	r := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/sync/push", `{"device":"dev00000000000a","records":[`+
		insp("insp0000000000p", f.IDs["project_a"], "project")+`,`+
		insp("insp0000000000q", f.IDs["project_chosen"], "safety")+`,`+
		insp("insp0000000000r", f.IDs["project_chosen"], "project")+`]}`)
	res := r.JSON(t)["results"].([]any)
	for i, want := range []string{"rejected", "rejected", "created"} {
		m := res[i].(map[string]any)
		if m["outcome"] != want {
			t.Fatalf("record %d: %v, want %s", i, m, want)
		}
		if want == "rejected" && m["errors"].(map[string]any)["project"] == nil {
			t.Fatalf("record %d does not name the project: %v", i, m)
		}
	}
	rec, err := c.App.FindRecordById("inspections", "insp0000000000r")
	if err != nil || rec.GetString("subject") != "溆水河堤加固工程" || rec.GetString("project") != f.IDs["project_chosen"] {
		t.Fatalf("stored %v %v", rec, err)
	}
}
