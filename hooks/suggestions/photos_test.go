package suggestions_test

import (
	"bytes"
	"image/jpeg"
	"io"
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// Issue 12: a decompression bomb posted to the resident form or the
// enterprise channel is refused from its header with a Chinese message
// under the photo field, keeping what was typed; nothing is stored.
func TestResidentFormsRefuseImageBombs(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	bombs := map[string][]byte{"one-bit 20000×20000": testapp.BombPNG(), "rgba 20000×20000": testapp.RGBABombPNG(t)}
	for name, bomb := range bombs {
		fields := map[string]string{"content": "村口路灯坏了三个月，见照片", "name": "向德胜", "consent": "1"}
		res, body := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, fields), "bomb.png", bomb)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "照片像素太大（20000×20000）") ||
			!strings.Contains(body, "村口路灯坏了三个月") || !strings.Contains(body, "向德胜") {
			t.Errorf("%s on /d: %d, want 400 naming the photo and keeping the text\n%s", name, res.StatusCode, body)
		}
		_, page := r.get("/e")
		fields = map[string]string{"content": "执法检查过多影响经营，见照片", "company": "向记农家乐", "topic": "涉企执法"}
		res, body = r.post("/e", withToken(t, page, fields), "bomb.png", bomb)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "照片像素太大") || !strings.Contains(body, "向记农家乐") {
			t.Errorf("%s on /e: %d, want 400 naming the photo and keeping the text", name, res.StatusCode)
		}
	}
	if n := countSuggestions(t, app, "content ~ '见照片'"); n != 0 {
		t.Fatalf("%d suggestions stored with a bomb", n)
	}
}

// Issue 12: a resident's photo is re-encoded on intake: at most 1600 px on
// its long side, and without the EXIF block that carried the GPS position
// of their home.
func TestResidentPhotoIsReencodedWithoutEXIF(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	photo := testapp.GPSPhoto(t, 2400, 1800)
	if !bytes.Contains(photo, []byte("Exif")) {
		t.Fatal("the test photo has no EXIF")
	}
	res, _ := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, map[string]string{"content": "水渠堵了，照片是现场拍的"}), "IMG_0001.jpg", photo)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d", res.StatusCode)
	}
	rec, err := app.FindFirstRecordByFilter("suggestions", "content = '水渠堵了，照片是现场拍的'")
	if err != nil || len(rec.GetStringSlice("photos")) != 1 {
		t.Fatalf("photo not stored: %v", err)
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	rd, err := fsys.GetReader(rec.BaseFilesPath() + "/" + rec.GetStringSlice("photos")[0])
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(rd)
	rd.Close()
	if bytes.Contains(stored, []byte("Exif")) || bytes.Contains(stored, []byte("II*\x00")) {
		t.Fatal("the stored photo still carries EXIF (GPS)")
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored))
	if err != nil || cfg.Width != 1600 || cfg.Height != 1200 {
		t.Fatalf("stored %dx%d (%v), want a 1600×1200 JPEG", cfg.Width, cfg.Height, err)
	}
}
