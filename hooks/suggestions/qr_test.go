package suggestions_test

import (
	"image"
	"image/color"
	_ "image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
	"simeng/internal/testqr"
)

const testAppURL = "https://rd.simeng.example"

func withAppURL(t testing.TB, app *tests.TestApp) {
	s := app.Settings()
	s.Meta.AppURL = testAppURL + "/"
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
}

func decodeQR(t testing.TB, img image.Image) string { return testqr.Decode(t, img) }

func TestQRPNGDecodesToTheDeputyPage(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	withAppURL(t, app)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	want := testAppURL + "/d/" + f.DeputyCode
	for _, size := range []int{256, 512, 1024, 2048} {
		res, body := r.get("/d/" + f.DeputyCode + "/qr.png?size=" + strconv.Itoa(size))
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("size %d: %d %s", size, res.StatusCode, res.Header.Get("Content-Type"))
		}
		img, _, err := image.Decode(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != size {
			t.Errorf("size %d: image is %d px", size, img.Bounds().Dx())
		}
		if got := decodeQR(t, img); got != want {
			t.Errorf("size %d decodes to %q, want %q", size, got, want)
		}
	}
	if res, _ := r.get("/d/" + f.DeputyCode + "/qr.png?size=13"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("odd size: %d", res.StatusCode)
	}
	inactive, _ := app.FindRecordById("deputies", f.Inactive)
	if res, _ := r.get("/d/" + inactive.GetString("code") + "/qr.png"); res.StatusCode != http.StatusNotFound {
		t.Errorf("inactive deputy's QR: %d", res.StatusCode)
	}
}

var svgRun = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)

func TestQRSVGDecodesToTheDeputyPage(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	withAppURL(t, app)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	res, body := r.get("/d/" + f.DeputyCode + "/qr.svg")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body, "<svg") {
		t.Fatalf("svg: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// Paint the path's runs at 8 px a module and decode the result.
	n, _ := strconv.Atoi(regexp.MustCompile(`viewBox="0 0 (\d+) `).FindStringSubmatch(body)[1])
	const px = 8
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, m := range svgRun.FindAllStringSubmatch(body, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for dy := range px {
			for dx := range w * px {
				img.Set(x*px+dx, y*px+dy, color.Black)
			}
		}
	}
	if got := decodeQR(t, img); got != testAppURL+"/d/"+f.DeputyCode {
		t.Fatalf("svg decodes to %q", got)
	}
}

func TestQRCardSheetIsForStaffOnly(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)

	// Denied first: no password form any more, only PocketBase's own login.
	for _, role := range []string{testapp.RoleGuest, testapp.RoleDeputy, testapp.RolePresidium, testapp.RoleUnit} {
		hdr := []string{}
		want := http.StatusUnauthorized
		if tok := testapp.Token(t, role); tok != "" {
			hdr = []string{"Authorization", tok}
			want = http.StatusForbidden
		}
		res, body := r.get("/staff/qr-cards", hdr...)
		if res.StatusCode != want || strings.Contains(body, `name="password"`) || strings.Contains(body, "张三") {
			t.Errorf("%s: %d, want %d without the sheet or a password form", role, res.StatusCode, want)
		}
	}
	for _, form := range []map[string]string{
		{"email": "staff@test.simeng", "password": testapp.Password},
		{"token": "not-a-token"},
		{"token": testapp.Token(t, testapp.RolePresidium)},
	} {
		if res, body := r.post("/staff/qr-cards", form, "", nil); res.StatusCode < 400 || strings.Contains(body, "张三") {
			t.Errorf("form %v: %d", form, res.StatusCode)
		}
	}

	check := func(res *http.Response, body string) {
		t.Helper()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("sheet: %d", res.StatusCode)
		}
		for _, want := range []string{"张三", "李四", "王主席", "思蒙湾村", "桥头村", "/d/" + f.DeputyCode + "/qr.svg", "/d/" + f.DeputyCode + "/qr.png?size=2048", "微信扫一扫"} {
			if !strings.Contains(body, want) {
				t.Errorf("sheet lacks %q", want)
			}
		}
		for _, never := range []string{"赵卸任", f.DeputyPhone, "13800000002", "<script"} {
			if strings.Contains(body, never) {
				t.Errorf("sheet contains %q", never)
			}
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP %q", csp)
		}
	}
	check(r.get("/staff/qr-cards", "Authorization", testapp.Token(t, testapp.RoleSuperuser)))
	check(r.get("/staff/qr-cards", "Authorization", testapp.Token(t, testapp.RoleStaff)))
	// The PWA opens the sheet in a tab of its own by POSTing its token.
	check(r.post("/staff/qr-cards", map[string]string{"token": testapp.Token(t, testapp.RoleStaff)}, "", nil))
}
