package suggestions_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// A deputy's page is rendered once and kept (package pagecache), yet every
// resident gets a token of their own, compressed or not, and the page
// follows its deputy and village as soon as they change.
func TestKeptResidentPageFollowsItsDeputy(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	page := func() string {
		t.Helper()
		res, body := r.get("/d/" + f.DeputyCode)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		return body
	}
	token := func(page string) string { return withToken(t, page, nil)["t"] }

	first, second := page(), page()
	if token(first) == token(second) {
		t.Fatal("two residents got the same form token")
	}
	if strings.Replace(first, token(first), "", 1) != strings.Replace(second, token(second), "", 1) {
		t.Fatal("the kept page differs between requests beyond the token")
	}

	// Compressed, it is the same page with a token of its own.
	req, _ := http.NewRequest(http.MethodGet, r.base+"/d/"+f.DeputyCode, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	res.Body.Close()
	if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %v, encoding %q", err, res.Header.Get("Content-Encoding"))
	}
	if z := string(plain); token(z) == token(first) || strings.Replace(z, token(z), "", 1) != strings.Replace(first, token(first), "", 1) {
		t.Fatal("the compressed page is not the page with a token of its own")
	}

	dep, _ := app.FindRecordById("deputies", f.Deputy)
	dep.Set("name", "李四")
	if err := app.Save(dep); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "李四") || strings.Contains(p, "张三") {
		t.Fatal("the page still shows the deputy's old name")
	}
	village, _ := app.FindRecordById("villages", f.VillageA)
	village.Set("name", "思蒙新村")
	if err := app.Save(village); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "思蒙新村") {
		t.Fatal("the page still shows the village's old name")
	}
	dep.Set("active", false)
	if err := app.Save(dep); err != nil {
		t.Fatal(err)
	}
	if res, _ := r.get("/d/" + f.DeputyCode); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a deputy whose term ended: %d, want 404", res.StatusCode)
	}
}
