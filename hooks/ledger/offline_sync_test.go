package ledger_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"simeng/internal/testapp"
)

// An inspection recorded offline with two hazards and their photos reaches
// the server exactly once, however often the phone retries, and counts for
// the quarterly plan.
func TestOfflineInspectionWithHazardsSyncsExactlyOnce(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	photo := testapp.PNG(t, 4, 4, 7)
	sum := sha256.Sum256(photo)
	manifest := fmt.Sprintf(`[{"key":"ph1","sha256":"%s","size":%d}]`, hex.EncodeToString(sum[:]), len(photo))
	const insp, hz1, hz2 = "insp00000000001", "hazd00000000001", "hazd00000000002"
	push := `{"device":"dev000000000001","records":[
	 {"collection":"inspections","id":"` + insp + `","base_version":0,"schema_version":1,"data":{
	   "kind":"safety","site":"` + f.IDs["site_kindergarten"] + `","inspected_at":"2026-03-20T10:00:00+08:00",
	   "participants":["` + f.Deputy + `","` + f.Presidium + `"],"departments":["镇应急办","市监所"],
	   "findings":"厨房燃气管老化；午睡室应急灯不亮","status":"completed","photos":` + manifest + `}},
	 {"collection":"hazards","id":"` + hz1 + `","base_version":0,"schema_version":1,"data":{
	   "title":"厨房燃气管老化","description":"燃气软管开裂","source":"inspection","inspection":"` + insp + `",
	   "severity":"major","responsible_unit":"思蒙镇幼儿园","responsible_person":"园长","deadline":"2026-04-05T00:00:00+08:00","photos":` + manifest + `}},
	 {"collection":"hazards","id":"` + hz2 + `","base_version":0,"schema_version":1,"data":{
	   "title":"应急灯不亮","description":"午睡室应急灯两盏不亮","source":"inspection","inspection":"` + insp + `",
	   "responsible_unit":"思蒙镇幼儿园","deadline":"2026-04-05T00:00:00+08:00"}}
	]}`
	outcomes := func(r testapp.Reply) []string {
		t.Helper()
		var out []string
		for _, x := range r.JSON(t)["results"].([]any) {
			res := x.(map[string]any)
			out = append(out, res["outcome"].(string))
		}
		return out
	}

	r := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/sync/push", push)
	if got := strings.Join(outcomes(r), ","); got != "created,created,created" {
		t.Fatalf("first push: %s: %s", got, r.Body)
	}
	// the reply was lost: the phone sends the same push again
	r = c.Must(http.StatusOK, deputy, http.MethodPost, "/api/sync/push", push)
	if got := strings.Join(outcomes(r), ","); got != "already_have,already_have,already_have" {
		t.Fatalf("retry: %s: %s", got, r.Body)
	}

	// photos, twice each: idempotent
	for _, target := range []string{"inspections/" + insp, "hazards/" + hz1} {
		for range 2 {
			r := c.Send(deputy, http.MethodPut, "/api/sync/photos/"+target+"/ph1", photo)
			if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"complete":true`) {
				t.Fatalf("photo %s: %d %s", target, r.Status, r.Body)
			}
		}
	}

	// exactly one inspection and two hazards, owned by the deputy
	n, _ := c.App.CountRecords("inspections", dbx.HashExp{"site": f.IDs["site_kindergarten"]})
	h, _ := c.App.CountRecords("hazards", dbx.HashExp{"inspection": insp})
	if n != 1 || h != 2 {
		t.Fatalf("%d inspections, %d hazards after push, retry and photos", n, h)
	}
	rec, err := c.App.FindRecordById("hazards", hz1)
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("deputy") != f.Deputy || rec.GetString("status") != "open" || rec.GetString("site") != f.IDs["site_kindergarten"] ||
		len(rec.GetStringSlice("photos")) != 1 || !rec.GetBool("complete") {
		t.Fatalf("hazard stored as %v", rec.FieldsData())
	}
	// the quarterly plan counts it (2026-Q1 for the kindergarten)
	plan, err := c.App.FindFirstRecordByFilter("inspection_plan", "quarter = '2026-Q1' && site = {:s}", dbx.Params{"s": f.IDs["site_kindergarten"]})
	if err != nil || plan.GetString("status") != "done" || plan.GetString("inspection") != insp {
		t.Fatalf("plan entry after sync: %v %v", plan, err)
	}
	// and a second phone of the same deputy pulls them
	r = c.Must(http.StatusOK, deputy, http.MethodGet, "/api/sync/pull?since=0", nil)
	for _, id := range []string{insp, hz1, hz2} {
		if !strings.Contains(string(r.Body), id) {
			t.Fatalf("pull lacks %s: %s", id, r.Body)
		}
	}
	// the presidium took part, and sees both hazards in the ledger
	c.Must(http.StatusOK, presidium, http.MethodGet, "/api/collections/hazards/records/"+hz2, nil)
	c.Must(http.StatusNotFound, deputy2, http.MethodGet, "/api/collections/hazards/records/"+hz2, nil)
}

func TestSyncedHazardsAreChecked(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	hazard := func(id, extra string) string {
		return `{"collection":"hazards","id":"` + id + `","base_version":0,"schema_version":1,"data":{
		  "title":"隐患","description":"描述","source":"inspection","responsible_unit":"单位","deadline":"2026-04-05T00:00:00+08:00"` + extra + `}}`
	}
	var manifest []string
	for i := range 7 {
		manifest = append(manifest, fmt.Sprintf(`{"key":"p%d","sha256":"%064d","size":100}`, i, i))
	}
	sevenPhotos := "[" + strings.Join(manifest, ",") + "]"
	push := `{"device":"dev000000000001","records":[` +
		hazard("hazd0000000000a", `,"inspection":"nosuch000000000"`) + `,` +
		hazard("hazd0000000000b", `,"inspection":"`+f.IDs["inspection_b"]+`"`) + `,` +
		hazard("hazd0000000000c", `,"inspection":"`+f.IDs["inspection_a"]+`","status":"closed"`) + `,` +
		hazard("hazd0000000000d", `,"inspection":"`+f.IDs["inspection_a"]+`","supervised":true`) + `,` +
		hazard("hazd0000000000e", `,"inspection":"`+f.IDs["inspection_a"]+`","deadline":""`) + `,` +
		hazard("hazd0000000000f", `,"inspection":"`+f.IDs["inspection_a"]+`","deputy":"`+f.Deputy2+`"`) + `,` +
		hazard("hazd0000000000g", `,"inspection":"`+f.IDs["inspection_a"]+`","photos":`+sevenPhotos) + `]}`
	r := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/sync/push", push)
	results := r.JSON(t)["results"].([]any)
	want := []struct{ outcome, field string }{
		{"rejected", "inspection"}, // not pushed yet
		{"rejected", "inspection"}, // another deputy's inspection
		{"rejected", "status"},     // the lifecycle is not the phone's
		{"rejected", "supervised"}, // nor is 挂牌督办
		{"rejected", "deadline"},
		{"forbidden", "deputy"},
		{"rejected", "photos"}, // more than 6
	}
	for i, w := range want {
		res := results[i].(map[string]any)
		errs, _ := res["errors"].(map[string]any)
		if res["outcome"] != w.outcome || errs[w.field] == nil {
			t.Errorf("record %d: %v, want %s naming %s", i, res, w.outcome, w.field)
		}
	}
	if n, _ := c.App.CountRecords("hazards"); n != 2 {
		t.Fatalf("%d hazards stored, want the 2 fixtures only", n)
	}
}
