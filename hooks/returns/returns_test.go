package returns_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pocketbase/dbx"

	"simeng/internal/testapp"
)

const (
	guest, deputy, presidium = testapp.RoleGuest, testapp.RoleDeputy, testapp.RolePresidium
	staff, unit, unit2       = testapp.RoleStaff, testapp.RoleUnit, testapp.RoleUnit2
)

const reason = "整改事项涉及施工安全，不属于市场监管所职责，建议交镇应急办办理"

// must sends body (marshalled to JSON) as role and wants status want.
func must(t *testing.T, s *testapp.Server, want int, role, method, url string, body any) testapp.Reply {
	t.Helper()
	if body == nil {
		return s.Must(want, role, method, url, nil)
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return s.Must(want, role, method, url, string(b))
}

// hasChinese: the field's message is in Chinese.
func hasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// wantField checks a refusal names field in Chinese.
func wantField(t *testing.T, r testapp.Reply, field string) {
	t.Helper()
	if msg := r.FieldError(t, field); !hasChinese(msg) {
		t.Errorf("%d %s: no Chinese message for %q", r.Status, r.Body, field)
	}
}

func backdate(t *testing.T, s *testapp.Server, table, field, id string, ago time.Duration) {
	t.Helper()
	_, err := s.App.DB().NewQuery("UPDATE " + table + " SET " + field + " = {:at} WHERE id = {:id}").
		Bind(dbx.Params{"at": time.Now().Add(-ago).UTC().Format("2006-01-02 15:04:05.000Z"), "id": id}).Execute()
	if err != nil {
		t.Fatal(err)
	}
}

func auditActions(t *testing.T, s *testapp.Server, collection, id string) []string {
	t.Helper()
	var actions []string
	if err := s.App.DB().NewQuery("SELECT action FROM audit_log WHERE collection = {:c} AND record_id = {:id} ORDER BY seq").
		Bind(dbx.Params{"c": collection, "id": id}).Column(&actions); err != nil {
		t.Fatal(err)
	}
	return actions
}

// A unit's 申请退办: denied cases first (not logged in, not a unit,
// another unit's item, past the limit, no reason, already answered, an
// unknown kind), then a request the office reassigns to another unit with
// a typed deadline; every step in the audit trail.
func TestReturnRectificationItemReassigned(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	item := f.IDs["rect_item_a"] // Unit2's, issued yesterday
	url := "/api/units/me/returns"
	body := map[string]any{"kind": "rectification", "id": item, "reason": reason}

	must(t, s, http.StatusUnauthorized, guest, http.MethodPost, url, body)
	must(t, s, http.StatusForbidden, deputy, http.MethodPost, url, body)
	must(t, s, http.StatusForbidden, staff, http.MethodPost, url, body)
	wantField(t, must(t, s, http.StatusForbidden, unit, http.MethodPost, url, body), "id") // another unit's item

	// past the limit: the proposal was assigned to Unit 30 days ago
	backdate(t, s, "proposals", "assigned_at", f.IDs["proposal_assigned"], 30*24*time.Hour)
	late := must(t, s, http.StatusBadRequest, unit, http.MethodPost, url, map[string]any{"kind": "proposal", "id": f.IDs["proposal_assigned"], "reason": reason})
	wantField(t, late, "id")
	if msg := late.FieldError(t, "id"); !strings.Contains(msg, "5个工作日") {
		t.Errorf("the limit's refusal does not say the limit: %s", msg)
	}
	wantField(t, must(t, s, http.StatusBadRequest, unit2, http.MethodPost, url, map[string]any{"kind": "rectification", "id": item, "reason": "  "}), "reason")
	wantField(t, must(t, s, http.StatusBadRequest, unit, http.MethodPost, url, map[string]any{"kind": "proposal", "id": f.IDs["proposal_answered"], "reason": reason}), "id")
	wantField(t, must(t, s, http.StatusBadRequest, unit, http.MethodPost, url, map[string]any{"kind": "project", "id": f.IDs["project_chosen"], "reason": reason}), "kind")
	if n, _ := s.App.CountRecords("unit_returns"); n != 0 {
		t.Fatalf("refused requests stored %d records", n)
	}

	got := must(t, s, http.StatusOK, unit2, http.MethodPost, url, body).JSON(t)
	if got["status"] != "pending" || got["unit_name"] != "市场监管所" {
		t.Fatalf("request = %v", got)
	}
	wantField(t, must(t, s, http.StatusBadRequest, unit2, http.MethodPost, url, body), "id") // asked already

	// the unit's inbox says it is waiting
	in := must(t, s, http.StatusOK, unit2, http.MethodGet, "/api/units/me/inbox", nil).JSON(t)
	found := false
	for _, it := range in["items"].([]any) {
		m := it.(map[string]any)
		if m["id"] == item {
			found = m["return_status"] == "pending"
		}
	}
	if !found {
		t.Errorf("inbox does not show the pending request: %v", in["items"])
	}

	// the office's list: waiting first
	must(t, s, http.StatusUnauthorized, guest, http.MethodGet, "/api/returns", nil)
	must(t, s, http.StatusForbidden, deputy, http.MethodGet, "/api/returns", nil)
	must(t, s, http.StatusForbidden, unit2, http.MethodGet, "/api/returns", nil)
	list := must(t, s, http.StatusOK, staff, http.MethodGet, "/api/returns", nil).JSON(t)
	items := list["items"].([]any)
	if list["pending"].(float64) != 1 || len(items) != 1 {
		t.Fatalf("list = %v", list)
	}
	id := items[0].(map[string]any)["id"].(string)
	decide := "/api/returns/" + id + "/decide"
	reassign := map[string]any{"decision": "reassigned", "unit": f.Unit, "deadline": time.Now().AddDate(0, 0, 20).Format("2006-01-02")}

	must(t, s, http.StatusUnauthorized, guest, http.MethodPost, decide, reassign)
	must(t, s, http.StatusForbidden, deputy, http.MethodPost, decide, reassign)
	must(t, s, http.StatusForbidden, unit2, http.MethodPost, decide, reassign)
	must(t, s, http.StatusForbidden, unit, http.MethodPost, decide, reassign)
	wantField(t, must(t, s, http.StatusBadRequest, staff, http.MethodPost, decide, map[string]any{"decision": "reassigned", "unit": f.IDs["unit2"],
		"deadline": reassign["deadline"]}), "unit")
	wantField(t, must(t, s, http.StatusBadRequest, staff, http.MethodPost, decide, map[string]any{"decision": "reassigned", "unit": f.Unit}), "deadline")
	wantField(t, must(t, s, http.StatusBadRequest, staff, http.MethodPost, decide, map[string]any{"decision": "reassigned", "unit": f.Unit,
		"deadline": "2020-01-01"}), "deadline")
	wantField(t, must(t, s, http.StatusBadRequest, staff, http.MethodPost, decide, map[string]any{"decision": "maybe"}), "decision")

	done := must(t, s, http.StatusOK, staff, http.MethodPost, decide, reassign).JSON(t)
	if done["status"] != "reassigned" || done["new_unit_name"] != "镇应急办" || done["new_deadline"] != reassign["deadline"] {
		t.Fatalf("decision = %v", done)
	}
	rec, err := s.App.FindRecordById("rectification_items", item)
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("unit") != f.Unit || rec.GetBool("overdue") {
		t.Errorf("item not reassigned: unit %s", rec.GetString("unit"))
	}
	wantField(t, must(t, s, http.StatusBadRequest, staff, http.MethodPost, decide, reassign), "decision") // decided already
	actions := strings.Join(auditActions(t, s, "rectification_items", item), ",")
	for _, a := range []string{"unit_return", "unit_return_reassign", "update"} {
		if !strings.Contains(actions, a) {
			t.Errorf("audit trail %s lacks %s", actions, a)
		}
	}
}

// A problem returned by its unit is forwarded again by the office to the
// unit it names, with the forward's own deadline, on the problem's
// timeline; a proposal the office insists on stays with the unit, which
// sees why and cannot ask again.
func TestReturnProblemReassignedAndProposalInsisted(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	prob := f.IDs["problem_a"]
	must(t, s, http.StatusOK, staff, http.MethodPost, "/api/problems/"+prob+"/forward", map[string]any{"unit": f.Unit})
	url := "/api/units/me/returns"
	r := must(t, s, http.StatusOK, unit, http.MethodPost, url, map[string]any{"kind": "problem", "id": prob,
		"reason": "自来水压力不足属供水站管理，建议转市场监管所督促供水企业"}).JSON(t)
	decide := "/api/returns/" + r["id"].(string) + "/decide"
	got := must(t, s, http.StatusOK, presidium, http.MethodPost, decide, map[string]any{"decision": "reassigned", "unit": f.IDs["unit2"]}).JSON(t)
	if got["new_deadline"] == "" || got["new_unit_name"] != "市场监管所" {
		t.Fatalf("decision = %v", got)
	}
	p, err := s.App.FindRecordById("problems", prob)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetString("unit") != f.IDs["unit2"] || p.GetString("forwarded_to") != "市场监管所" || p.GetString("status") != "forwarded" {
		t.Errorf("problem not forwarded again: %v", p.FieldsData())
	}
	tl := must(t, s, http.StatusOK, staff, http.MethodGet, "/api/problems/"+prob+"/timeline", nil)
	if strings.Count(string(tl.Body), `"forward"`) < 2 {
		t.Errorf("timeline lacks the second forward: %s", tl.Body)
	}
	// the old unit has lost it, the new one has it
	if strings.Contains(string(must(t, s, http.StatusOK, unit, http.MethodGet, "/api/units/me/inbox", nil).Body), prob) {
		t.Error("the returning unit still lists the problem")
	}
	if !strings.Contains(string(must(t, s, http.StatusOK, unit2, http.MethodGet, "/api/units/me/inbox", nil).Body), prob) {
		t.Error("the new unit does not list the problem")
	}

	// a proposal: the office insists
	prop := f.IDs["proposal_assigned"]
	backdate(t, s, "proposals", "assigned_at", prop, time.Hour)
	r = must(t, s, http.StatusOK, unit, http.MethodPost, url, map[string]any{"kind": "proposal", "id": prop,
		"reason": "通组公路硬化由交通站负责，本单位无此职能"}).JSON(t)
	decide = "/api/returns/" + r["id"].(string) + "/decide"
	wantField(t, must(t, s, http.StatusBadRequest, staff, http.MethodPost, decide, map[string]any{"decision": "insisted"}), "note")
	must(t, s, http.StatusOK, staff, http.MethodPost, decide, map[string]any{"decision": "insisted", "note": "镇应急办牵头，交通站配合，请按期答复"})
	in := string(must(t, s, http.StatusOK, unit, http.MethodGet, "/api/units/me/inbox", nil).Body)
	if !strings.Contains(in, `"return_status":"insisted"`) || !strings.Contains(in, "请按期答复") {
		t.Errorf("inbox does not show the office's decision: %s", in)
	}
	wantField(t, must(t, s, http.StatusBadRequest, unit, http.MethodPost, url, map[string]any{"kind": "proposal", "id": prop, "reason": "再次申请退办，确实不属于本单位"}), "id")
	rec, _ := s.App.FindRecordById("proposals", prop)
	if rec.GetString("main_unit") != f.Unit || rec.GetString("status") != "assigned" {
		t.Errorf("insisted proposal changed: %v", rec.FieldsData())
	}
	if a := strings.Join(auditActions(t, s, "proposals", prop), ","); !strings.Contains(a, "unit_return_insist") {
		t.Errorf("audit trail %s lacks the insist", a)
	}
}

// A proposal reassigned: 退回 and a new 交办 on its timeline, the new main
// unit with a deadline by the proposal's grade from today.
func TestReturnProposalReassigned(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	prop := f.IDs["proposal_assigned"]
	backdate(t, s, "proposals", "assigned_at", prop, time.Hour)
	r := must(t, s, http.StatusOK, unit, http.MethodPost, "/api/units/me/returns", map[string]any{"kind": "proposal", "id": prop,
		"reason": "通组公路硬化由交通站负责，本单位无此职能"}).JSON(t)
	decide := "/api/returns/" + r["id"].(string) + "/decide"
	must(t, s, http.StatusOK, staff, http.MethodPost, decide, map[string]any{"decision": "reassigned", "unit": f.IDs["unit2"]})
	rec, _ := s.App.FindRecordById("proposals", prop)
	if rec.GetString("main_unit") != f.IDs["unit2"] || rec.GetString("status") != "assigned" || len(rec.GetStringSlice("co_units")) != 0 {
		t.Fatalf("proposal not reassigned: %v", rec.FieldsData())
	}
	if !rec.GetDateTime("deadline").Time().After(time.Now().AddDate(0, 0, 50)) { // 一般: 60 working days
		t.Errorf("deadline %v is not a fresh term", rec.GetDateTime("deadline"))
	}
	tl := string(must(t, s, http.StatusOK, staff, http.MethodGet, "/api/proposals/"+prop+"/timeline", nil).Body)
	if !strings.Contains(tl, `"return"`) || !strings.Contains(tl, `"action":"assign","status":"assigned","actor_kind":"staff"`) || !strings.Contains(tl, "镇应急办退办") {
		t.Errorf("timeline lacks 退回 and the new 交办: %s", tl)
	}
}

// A hazard returned by its unit goes to the unit the office names, with
// the responsible unit's name and the deadline the office typed; the
// audit trail's unit change is the new unit's assignment time.
func TestReturnHazardReassigned(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	hz, err := s.App.FindRecordById("hazards", f.IDs["hazard_a"])
	if err != nil {
		t.Fatal(err)
	}
	hz.Set("unit", f.Unit)
	if err := s.App.Save(hz); err != nil {
		t.Fatal(err)
	}
	r := must(t, s, http.StatusOK, unit, http.MethodPost, "/api/units/me/returns", map[string]any{"kind": "hazard", "id": hz.Id,
		"reason": "该隐患在企业厂区内，属市场监管所监管范围"}).JSON(t)
	due := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
	must(t, s, http.StatusOK, staff, http.MethodPost, "/api/returns/"+r["id"].(string)+"/decide",
		map[string]any{"decision": "reassigned", "unit": f.IDs["unit2"], "deadline": due, "note": "请市场监管所督促企业整改"})
	hz, _ = s.App.FindRecordById("hazards", hz.Id)
	if hz.GetString("unit") != f.IDs["unit2"] || hz.GetString("responsible_unit") != "市场监管所" || hz.GetBool("overdue") {
		t.Fatalf("hazard not reassigned: %v", hz.FieldsData())
	}
	if got := hz.GetDateTime("deadline").Time().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"); got != due {
		t.Errorf("deadline %s, want %s", got, due)
	}
	// the new unit may return it in its turn: its clock starts now
	in := must(t, s, http.StatusOK, unit2, http.MethodGet, "/api/units/me/inbox", nil).JSON(t)
	found := false
	for _, it := range in["items"].([]any) {
		m := it.(map[string]any)
		if m["id"] == hz.Id {
			found = m["returnable"] == true && m["return_until"] != nil && m["return_status"] == nil
		}
	}
	if !found {
		t.Errorf("new unit's inbox does not offer 退办 on the hazard: %v", in["items"])
	}
}
