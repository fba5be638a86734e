package surveys_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"simeng/internal/testapp"
)

var tokenRe = regexp.MustCompile(`name="t" value="([^"]+)"`)

// A survey's form is kept rendered (each visit its own token, the gzip
// stream made once), and a change to what it shows is on it at once: the
// survey edited, a village renamed, the closing time passing.
func TestSurveyPageIsKeptAndChangesShowAtOnce(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil)
	r := testapp.NewResident(t, srv.URL)
	path := "/survey/" + f.IDs["survey_open_code"]

	first, second := r.Get(path), r.Get(path)
	checkPublic(t, path, second)
	a, b := tokenRe.FindStringSubmatch(first.Body), tokenRe.FindStringSubmatch(second.Body)
	if a == nil || b == nil || a[1] == b[1] {
		t.Fatalf("each visit needs a token of its own: %v %v", a, b)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatalf("not gzipped (%q): %v", res.Header.Get("Content-Encoding"), err)
	}
	plain, err := io.ReadAll(zr)
	res.Body.Close()
	if err != nil || !tokenRe.Match(plain) || !strings.Contains(string(plain), "留守儿童课后看护需求微调研") {
		t.Fatalf("gzipped page: %v\n%s", err, plain)
	}

	village, err := app.FindRecordById("villages", f.VillageB)
	if err != nil {
		t.Fatal(err)
	}
	village.Set("name", "桥头社区")
	if err := app.Save(village); err != nil {
		t.Fatal(err)
	}
	if p := r.Get(path); !strings.Contains(p.Body, "桥头社区") {
		t.Fatal("the renamed village is not shown at once")
	}

	survey, err := app.FindRecordById("surveys", f.IDs["survey_open"])
	if err != nil {
		t.Fatal(err)
	}
	survey.Set("closes_at", time.Now().Add(1500*time.Millisecond))
	if err := app.Save(survey); err != nil {
		t.Fatal(err)
	}
	if p := r.Get(path); !strings.Contains(p.Body, "<form") {
		t.Fatal("no form before the survey closes")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		p := r.Get(path)
		if strings.Contains(p.Body, "本次调查已结束") && !strings.Contains(p.Body, "<form") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the kept form is still served after the survey closed")
		}
	}
}
