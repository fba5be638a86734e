package guard_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/internal/testapp"
)

// Issue 12: every door that takes an image refuses the attack run's bombs
// from their headers, with PocketBase's 400 naming the field, and stores
// nothing: a deputy's avatar, a superuser's and staff's uploads through
// the records API, and the sync photo route for visits and hazards.
func TestImageBombsAreRefusedAtEveryDoor(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	bombs := map[string][]byte{"one-bit": testapp.BombPNG(), "rgba": testapp.RGBABombPNG(t)}
	for name, bomb := range bombs {
		t.Run(name, func(t *testing.T) {
			// The records API (multipart), whoever sends it.
			doors := []struct {
				role, method, url, field string
				fields                   map[string]string
			}{
				{testapp.RoleDeputy, http.MethodPatch, "/api/collections/deputies/records/" + f.Deputy, "avatar", nil},
				{testapp.RoleSuperuser, http.MethodPatch, "/api/collections/deputies/records/" + f.Deputy2, "avatar", nil},
				{testapp.RoleStaff, http.MethodPost, "/api/collections/suggestions/records", "photos",
					map[string]string{"source": "hotline", "category": "其他", "content": "热线反映：路灯坏了"}},
				// a hazard's after-photos (整改后照片), by its deputy and by staff
				{testapp.RoleDeputy, http.MethodPatch, "/api/collections/hazards/records/" + f.IDs["hazard_a"], "photos_after", nil},
				{testapp.RoleStaff, http.MethodPatch, "/api/collections/hazards/records/" + f.IDs["hazard_a"], "photos_after", nil},
			}
			for _, d := range doors {
				r := s.Send(d.role, d.method, d.url, testapp.FileForm(t, d.fields, d.field, "bomb.png", bomb))
				if r.Status != http.StatusBadRequest || !strings.Contains(r.FieldError(t, d.field), "照片像素太大") {
					t.Errorf("%s %s %s: %d %s, want 400 naming %s", d.role, d.method, d.url, r.Status, r.Body, d.field)
				}
			}
			if n := testapp.CountWhere(t, s.App, "suggestions", "content = '热线反映：路灯坏了'"); n != 0 {
				t.Errorf("%d suggestions stored with a bomb", n)
			}
			if d, _ := s.App.FindRecordById("deputies", f.Deputy); d.GetString("avatar") != "" {
				t.Error("the bomb became an avatar")
			}
			if h, _ := s.App.FindRecordById("hazards", f.IDs["hazard_a"]); len(h.GetStringSlice("photos_after")) != 0 {
				t.Error("the bomb became an after-photo")
			}

			// The sync photo route, for a visit and a hazard.
			v, hz, in := testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
			photos := []any{testapp.PhotoDecl("ph1", bomb)}
			push := map[string]any{"device": "dev-bomb", "records": []any{
				testapp.VisitRec(v, f.IDs["household_a"], time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), map[string]any{"photos": photos}),
				map[string]any{"collection": "hazards", "id": hz, "base_version": 0, "schema_version": 1, "data": map[string]any{
					"title": "桥头护栏断裂", "description": "护栏断了两米", "source": "inspection", "inspection": f.IDs["inspection_a"], "village": f.VillageA,
					"responsible_unit": "镇交通站", "deadline": time.Now().AddDate(0, 0, 10).Format(time.RFC3339), "photos": photos}},
				map[string]any{"collection": "inspections", "id": in, "base_version": 0, "schema_version": 1, "data": map[string]any{
					"kind": "safety", "site": f.IDs["site_school"], "inspected_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
					"findings": "消防通道畅通", "status": "completed", "photos": photos}},
			}}
			body, _ := json.Marshal(push)
			r := s.Must(http.StatusOK, testapp.RoleDeputy, http.MethodPost, "/api/sync/push", string(body))
			var res struct{ Results []map[string]any }
			json.Unmarshal(r.Body, &res)
			testapp.WantOutcomes(t, res.Results, "created", "created", "created")
			for _, path := range []string{"/api/sync/photos/visits/" + v + "/ph1", "/api/sync/photos/hazards/" + hz + "/ph1", "/api/sync/photos/inspections/" + in + "/ph1"} {
				r := s.Send(testapp.RoleDeputy, http.MethodPut, path, bomb)
				if r.Status != http.StatusBadRequest || !strings.Contains(r.FieldError(t, "photo"), "照片像素太大") {
					t.Errorf("PUT %s: %d %s", path, r.Status, r.Body)
				}
			}
			for col, id := range map[string]string{"visits": v, "hazards": hz, "inspections": in} {
				if rec, _ := s.App.FindRecordById(col, id); rec == nil || len(rec.GetStringSlice("photos")) != 0 || rec.GetBool("complete") {
					t.Errorf("%s: the bomb was stored", col)
				}
			}
		})
	}
}

// A bomb stored before the cap existed never reaches PocketBase's
// thumbnailer: its thumbnail answers 404 without decoding it, while an
// ordinary photo's thumbnail is made.
func TestThumbnailOfAStoredBombIsNotDecoded(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	dep, err := s.App.FindRecordById("deputies", f.Deputy)
	if err != nil {
		t.Fatal(err)
	}
	bomb, err := filesystem.NewFileFromBytes(testapp.RGBABombPNG(t), "old.png")
	if err != nil {
		t.Fatal(err)
	}
	dep.Set("avatar", bomb)
	if err := s.App.SaveNoValidate(dep); err != nil { // as an upload before the fix did
		t.Fatal(err)
	}
	col := dep.Collection().Id
	url := fmt.Sprintf("/api/files/%s/%s/%s?thumb=100x100", col, dep.Id, dep.GetString("avatar"))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := s.Send(testapp.RoleGuest, http.MethodGet, url, nil)
	runtime.ReadMemStats(&after)
	if r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "图片尺寸过大") {
		t.Fatalf("thumb of a bomb: %d %s", r.Status, r.Body)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Fatalf("serving the bomb's thumbnail allocated %d MB: it was decoded", grew>>20)
	}

	// An ordinary avatar gets its thumbnail.
	dep2, _ := s.App.FindRecordById("deputies", f.Deputy2)
	ok, _ := filesystem.NewFileFromBytes(testapp.PNG(t, 300, 200, 7), "ok.png")
	dep2.Set("avatar", ok)
	if err := s.App.Save(dep2); err != nil {
		t.Fatal(err)
	}
	r = s.Send(testapp.RoleGuest, http.MethodGet, fmt.Sprintf("/api/files/%s/%s/%s?thumb=100x100", col, dep2.Id, dep2.GetString("avatar")), nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("thumb of an ordinary avatar: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	if exists := thumbExists(t, s.App, dep2, "100x100"); !exists {
		t.Fatal("no thumbnail was made for the ordinary avatar")
	}
}

func thumbExists(t *testing.T, app core.App, rec *core.Record, size string) bool {
	t.Helper()
	fsys, err := app.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	name := rec.GetString("avatar")
	ok, _ := fsys.Exists(rec.BaseFilesPath() + "/thumbs_" + name + "/" + size + "_" + name)
	return ok
}
