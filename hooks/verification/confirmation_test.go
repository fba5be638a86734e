package verification_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"simeng/internal/testapp"
)

// confirmed is a visit's data with the household's confirmation and its
// signature declared in the manifest.
func confirmedVisit(t *testing.T, id, household string, at time.Time, name string, sig []byte) map[string]any {
	return testapp.VisitRec(id, household, iso(at), map[string]any{
		"location":     offset(200, 0),
		"confirmation": map[string]any{"name": name, "at": iso(at.Add(20 * time.Minute))},
		"photos":       []any{testapp.PhotoDecl("p1", testapp.PNG(t, 4, 4, 90)), testapp.PhotoDecl("signature", sig)},
	})
}

// rejectedOn checks a push was refused naming field, in words containing text.
func rejectedOn(t *testing.T, res []map[string]any, field, text string) {
	t.Helper()
	if res[0]["outcome"] != "rejected" {
		t.Fatalf("outcome %v, want rejected on %s", res[0], field)
	}
	msg, _ := res[0]["errors"].(map[string]any)[field].(string)
	if !strings.Contains(msg, text) {
		t.Fatalf("errors %v, want %s: …%s…", res[0]["errors"], field, text)
	}
}

// TestHouseholdConfirmation: the confirmation travels with the visit, its
// signature through the photo route; bad signatures, bad confirmations,
// changed confirmations and other deputies are refused.
func TestHouseholdConfirmation(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	at := time.Now().Add(-5 * time.Hour).Truncate(time.Minute)
	sig := testapp.PNG(t, 120, 50, 0)
	h, v := testapp.ClientID(), testapp.ClientID()
	rec := confirmedVisit(t, v, h, at, "向德胜", sig)
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h, f.VillageA, "向德胜", "3组7号"), rec), "created", "created")

	visit := func() map[string]any {
		_, out := s.Do(deputy, http.MethodGet, "/api/collections/visits/records/"+v, nil)
		return out
	}
	if got := visit(); got["signed"] != false || got["complete"] != false {
		t.Fatalf("before the signature arrived: signed %v complete %v", got["signed"], got["complete"])
	}

	// bad signature images, each refused naming the field
	var jpg bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	img.Set(1, 1, color.Black)
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{
		"jpeg":        jpg.Bytes(),
		"not image":   []byte("这不是图片"),
		"too large":   bytes.Repeat([]byte{0x89}, 70<<10),
		"too many px": blankPNG(t, 2000, 1000),
	} {
		status, out := s.PutPhoto(deputy, v, "signature", body, "image/png")
		if status != http.StatusBadRequest || out["data"].(map[string]any)["signature"] == nil {
			t.Errorf("%s signature: %d %v", name, status, out)
		}
	}
	// another deputy cannot confirm this visit
	if status, _ := s.PutPhoto(deputy2, v, "signature", sig, "image/png"); status != http.StatusForbidden {
		t.Errorf("deputy2's signature upload: %d, want 403", status)
	}
	res := s.Push(deputy2, testapp.WithBase(confirmedVisit(t, v, h, at, "舒桂花", sig), 1))
	if res[0]["outcome"] != "forbidden" {
		t.Errorf("deputy2's confirmation on deputy's visit: %v", res[0])
	}

	// the signature arrives: the visit is complete and signed
	if status, out := s.PutPhoto(deputy, v, "signature", sig, "image/png"); status != http.StatusOK {
		t.Fatalf("signature upload: %d %v", status, out)
	}
	for _, key := range []string{"p1"} {
		if status, out := s.PutPhoto(deputy, v, key, testapp.PNG(t, 4, 4, 90), "image/png"); status != http.StatusOK {
			t.Fatalf("photo upload: %d %v", status, out)
		}
	}
	if got := visit(); got["signed"] != true || got["complete"] != true {
		t.Fatalf("after the signature: signed %v complete %v", got["signed"], got["complete"])
	}
	// the same push again is unchanged; another name or signature is locked
	if res := s.Push(deputy, testapp.WithBase(rec, 1)); res[0]["outcome"] != "already_have" {
		t.Errorf("re-push: %v", res[0])
	}
	rejectedOn(t, s.Push(deputy, testapp.WithBase(confirmedVisit(t, v, h, at, "向德福", sig), 1)), "confirmation", "不能更改")
	rejectedOn(t, s.Push(deputy, testapp.WithBase(confirmedVisit(t, v, h, at, "向德胜", testapp.PNG(t, 120, 50, 40)), 1)), "confirmation", "不能更改")
	removed := testapp.WithBase(testapp.VisitRec(v, h, iso(at), map[string]any{"confirmation": nil}), 1)
	rejectedOn(t, s.Push(deputy, removed), "confirmation", "不能撤销")

	// bad confirmations on new visits
	newVisit := func(conf any, withSig bool) []map[string]any {
		h2 := testapp.ClientID()
		photos := []any{}
		if withSig {
			photos = append(photos, testapp.PhotoDecl("signature", sig))
		}
		data := map[string]any{"photos": photos}
		if conf != nil {
			data["confirmation"] = conf
		}
		s.Push(deputy, testapp.HouseholdRec(h2, f.VillageA, "舒桂花", "5组"+h2[:4]+"号"))
		return s.Push(deputy, testapp.VisitRec(testapp.ClientID(), h2, iso(at), data))
	}
	rejectedOn(t, newVisit(map[string]any{"name": "", "at": iso(at)}, true), "confirmation", "请")
	rejectedOn(t, newVisit(map[string]any{"name": "一二三四五六七八九十一二三四五六七八九十一", "at": iso(at)}, true), "confirmation", "20个字")
	rejectedOn(t, newVisit(map[string]any{"name": "舒桂花", "at": iso(at.Add(13 * time.Hour))}, true), "confirmation", "12小时")
	rejectedOn(t, newVisit(map[string]any{"name": "舒桂花", "at": "昨天"}, true), "confirmation", "格式")
	rejectedOn(t, newVisit(map[string]any{"name": "舒桂花", "at": iso(at)}, false), "confirmation", "签名")
	rejectedOn(t, newVisit(nil, true), "confirmation", "请")

	// the township switches confirmation off: new confirmations are refused
	settings, _ := s.App.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if status, out := s.Do(staff, http.MethodPatch, "/api/collections/verification_settings/records/"+settings[0].Id,
		map[string]any{"confirmation": "off"}); status != 200 {
		t.Fatalf("switch off: %d %v", status, out)
	}
	rejectedOn(t, newVisit(map[string]any{"name": "舒桂花", "at": iso(at)}, true), "confirmation", "未启用")
}

// blankPNG is a white image of w×h: a few hundred bytes whatever its size.
func blankPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
