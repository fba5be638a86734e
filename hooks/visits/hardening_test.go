package visits_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

var recently = time.Now().Add(-2 * time.Hour).Format(time.RFC3339)

// visitOf stores a visit of deputyID to household (as a phone once could,
// naming any household id).
func visitOf(t testing.TB, app core.App, deputyID, household string) {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId("visits")
	r := core.NewRecord(col)
	r.Set("deputy", deputyID)
	r.Set("household", household)
	r.Set("visited_at", time.Now().Add(-time.Hour))
	r.Set("notes", "了解饮水情况")
	r.Set("topics", []string{"饮水安全"})
	r.Set("schema_version", 1)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func shareWith(t testing.TB, app core.App, household, deputyID string) {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId("household_shares")
	r := core.NewRecord(col)
	r.Set("household", household)
	r.Set("deputy", deputyID)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func pulledIDs(t *testing.T, s *testapp.Server, role string) string {
	t.Helper()
	status, out := s.Do(role, http.MethodGet, "/api/sync/pull?since=0&limit=500", nil)
	if status != 200 {
		t.Fatalf("pull: %d %v", status, out)
	}
	var ids []string
	for _, c := range out["changes"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	return strings.Join(ids, " ")
}

// Issue 12, item 5: a deputy links visits only to households of their own
// village, their own and those staff shared with them; naming another one
// answers like a missing household, opens nothing and pulls nothing; a
// push duplicating a household they cannot read is refused without its id.
func TestHouseholdsOutsideTheVillageStayClosed(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	hA := f.IDs["household_a"] // village A, recorded by Deputy, with a phone

	// Deputy2 (village B) names household_a in a visit.
	v := testapp.ClientID()
	res := s.Push(deputy2, testapp.VisitRec(v, hA, recently, nil))
	if res[0]["outcome"] != "rejected" || !strings.Contains(res[0]["reason"].(string), "农户不存在") {
		t.Fatalf("visit to a household of another village: %v", res[0])
	}
	if status, _ := s.Do(deputy2, http.MethodGet, "/api/collections/households/records/"+hA, nil); status != 404 {
		t.Fatalf("deputy2 reads household_a: %d", status)
	}
	if ids := pulledIDs(t, s, deputy2); strings.Contains(ids, hA) {
		t.Fatal("deputy2 pulls household_a")
	}
	// Pushing its head and address: refused, the id is never named.
	h := testapp.ClientID()
	status, out := s.Do(deputy2, http.MethodPost, "/api/sync/push", map[string]any{"device": "testdevice00002",
		"records": []any{testapp.HouseholdRec(h, f.VillageA, "向德胜", "3组12号")}})
	body := testapp.PushResults(t, out)[0]
	if status != 200 || body["outcome"] != "rejected" || body["code"] != "duplicate_elsewhere" || body["merged_into"] != nil {
		t.Fatalf("duplicate of a household elsewhere: %d %v", status, body)
	}
	if strings.Contains(jsonString(t, out), hA) {
		t.Fatalf("the answer names household_a: %v", out)
	}
	if n := testapp.CountWhere(t, s.App, "household_aliases", "household = '"+hA+"'"); n != 0 {
		t.Fatalf("%d aliases made for household_a", n)
	}

	// The presidium member lives in village A: a duplicate merges there.
	res = s.Push(presidium, testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "向 德胜", "3组 12号"))
	if res[0]["outcome"] != "merged" || res[0]["merged_into"] != hA {
		t.Fatalf("duplicate in one's own village: %v", res[0])
	}

	// Staff share household_a with Deputy2: now it can be visited and pulled.
	if status, out := s.Do(staff, http.MethodPost, "/api/collections/household_shares/records",
		map[string]any{"household": hA, "deputy": f.Deputy2, "note": "户主搬到桥头村居住"}); status != 200 {
		t.Fatalf("share: %d %v", status, out)
	}
	testapp.WantOutcomes(t, s.Push(deputy2, testapp.VisitRec(v, hA, recently, nil)), "created")
	if ids := pulledIDs(t, s, deputy2); !strings.Contains(ids, hA) {
		t.Fatal("deputy2 does not pull the shared household")
	}
	if status, out := s.Do(deputy2, http.MethodGet, "/api/collections/households/records/"+hA, nil); status != 200 || out["phone"] != nil {
		t.Fatalf("shared household: %d %v (the phone stays its deputy's and staff's)", status, out)
	}
}

// Issue 12, item 6: a household's phone is sealed in data.db; its deputy
// and staff read it in the clear (REST and pull), nobody else at all; a
// malformed phone is refused naming the field.
func TestHouseholdPhoneIsSealedAtRest(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	raw := func(id string) string {
		var phone string
		if err := s.App.DB().NewQuery("SELECT phone FROM households WHERE id = {:id}").Bind(map[string]any{"id": id}).Row(&phone); err != nil {
			t.Fatal(err)
		}
		return phone
	}
	if p := raw(f.IDs["household_a"]); !strings.HasPrefix(p, "v1:") || strings.Contains(p, "1391234") {
		t.Fatalf("seeded phone stored as %q", p)
	}
	h := testapp.ClientID()
	rec := testapp.HouseholdRec(h, f.VillageA, "覃桂花", "5组3号")
	rec["data"].(map[string]any)["phone"] = "13900001111"
	testapp.WantOutcomes(t, s.Push(deputy, rec), "created")
	if p := raw(h); !strings.HasPrefix(p, "v1:") || strings.Contains(p, "1111") {
		t.Fatalf("pushed phone stored as %q", p)
	}
	// The same content again is already_have: hashes see the clear phone.
	testapp.WantOutcomes(t, s.Push(deputy, rec), "already_have")
	changes, _ := s.PullAll(0)
	found := false
	for _, c := range changes {
		if c["id"] == h {
			found = c["data"].(map[string]any)["phone"] == "13900001111"
		}
	}
	if !found {
		t.Fatal("the deputy does not pull the phone in the clear")
	}
	for role, want := range map[string]bool{deputy: true, staff: true, presidium: false} {
		status, out := s.Do(role, http.MethodGet, "/api/collections/households/records/"+h, nil)
		if status != 200 || (out["phone"] == "13900001111") != want || strings.Contains(jsonString(t, out), "v1:") {
			t.Errorf("%s reads %d %v", role, status, out["phone"])
		}
	}
	bad := testapp.HouseholdRec(testapp.ClientID(), f.VillageA, "覃桂兰", "5组4号")
	bad["data"].(map[string]any)["phone"] = "12345"
	if res := s.Push(deputy, bad); res[0]["outcome"] != "rejected" || res[0]["errors"].(map[string]any)["phone"] == nil {
		t.Fatalf("bad phone: %v", res[0])
	}
}

// Issue 12, item 3: a conflict copy keeps the household's phone sealed
// apart; the presidium (who reads conflict copies) never sees it, by list,
// view or filter; the deputy who pushed it and staff open it whole.
func TestConflictCopiesKeepHiddenFieldsSealed(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	h := testapp.ClientID()
	rec := testapp.HouseholdRec(h, f.VillageA, "滕德才", "6组1号")
	testapp.WantOutcomes(t, s.Push(deputy, rec), "created")
	edit := testapp.WithBase(testapp.HouseholdRec(h, f.VillageA, "滕德才", "6组1号附1"), 1)
	testapp.WantOutcomes(t, s.Push(deputy, edit), "updated")
	stale := testapp.WithBase(testapp.HouseholdRec(h, f.VillageA, "滕德才", "6组一号"), 1)
	stale["data"].(map[string]any)["phone"] = "13977778888"
	testapp.WantOutcomes(t, s.Push(deputy, stale), "conflict")

	c, err := s.App.FindFirstRecordByFilter("sync_conflicts", "record_id = {:id}", map[string]any{"id": h})
	if err != nil {
		t.Fatal(err)
	}
	var data, sealed string
	if err := s.App.DB().NewQuery("SELECT data, sealed FROM sync_conflicts WHERE id = {:id}").Bind(map[string]any{"id": c.Id}).Row(&data, &sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, "7777") || !strings.Contains(data, "6组一号") || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("stored copy: data %s sealed %q", data, sealed)
	}
	list := "/api/collections/sync_conflicts/records"
	for _, url := range []string{list, list + "/" + c.Id, list + "?filter=" + testapp.URLQuery("sealed != ''"), list + "?fields=*,sealed"} {
		status, out := s.Do(presidium, http.MethodGet, url, nil)
		// (a filter on a hidden field is refused with a 400)
		if js := jsonString(t, out); (status != 200 && status != 400) || strings.Contains(js, "7777") || strings.Contains(js, "v1:") {
			t.Errorf("presidium %s: %d %s", url, status, js)
		}
	}
	route := "/api/sync/conflicts/" + c.Id
	for _, role := range []string{guest, presidium, deputy2, unit} {
		if status, out := s.Do(role, http.MethodGet, route, nil); status != 404 || strings.Contains(jsonString(t, out), "7777") {
			t.Errorf("%s %s: %d %v", role, route, status, out)
		}
	}
	for _, role := range []string{deputy, staff} {
		status, out := s.Do(role, http.MethodGet, route, nil)
		if d, _ := out["data"].(map[string]any); status != 200 || d["phone"] != "13977778888" || d["address"] != "6组一号" {
			t.Errorf("%s %s: %d %v", role, route, status, out)
		}
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Rows stored before sealing (an existing install) are sealed when the
// server starts, conflict copies' hidden fields too; records' content,
// version and sequence stay as they were.
func TestStoredPhonesAreSealedOnStart(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	id := f.IDs["household_a"]
	before, _ := app.FindRecordById("households", id)
	if _, err := app.DB().NewQuery("UPDATE households SET phone = '13912340001' WHERE id = {:id}").Bind(map[string]any{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
	// A conflict copy kept before copies were split.
	col, _ := app.FindCollectionByNameOrId("sync_conflicts")
	c := core.NewRecord(col)
	c.Load(map[string]any{"collection": "households", "record_id": id, "deputy": f.Deputy, "device": "old-phone",
		"base_version": 1, "server_version": 2, "schema_version": 1,
		"data": map[string]any{"village": f.VillageA, "head_name": "向德胜", "address": "3组12号", "phone": "13912340009"}})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	testapp.Serve(t, app, nil) // the serve event runs
	var data, sealed string
	if err := app.DB().NewQuery("SELECT data, sealed FROM sync_conflicts WHERE id = {:id}").Bind(map[string]any{"id": c.Id}).Row(&data, &sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, "0009") || !strings.Contains(data, "3组12号") || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("old conflict copy after start: data %s sealed %q", data, sealed)
	}
	after, _ := app.FindRecordById("households", id)
	if p := after.GetString("phone"); !strings.HasPrefix(p, "v1:") {
		t.Fatalf("phone still %q", p)
	}
	if after.GetInt("version") != before.GetInt("version") || after.GetInt("seq") != before.GetInt("seq") {
		t.Fatalf("version/seq moved: %d/%d → %d/%d", before.GetInt("version"), before.GetInt("seq"), after.GetInt("version"), after.GetInt("seq"))
	}
}
