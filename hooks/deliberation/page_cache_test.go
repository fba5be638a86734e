package deliberation_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

var tokenRe = regexp.MustCompile(`name="t" value="([^"]+)"`)

// A topic's page is kept rendered (each visit its own token, the gzip
// stream made once), and any change to what it shows is on it at once:
// the topic, a newly approved comment, the deadline passing.
func TestTopicPageIsKeptAndChangesShowAtOnce(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil)
	r := testapp.NewResident(t, srv.URL)
	path := "/topic/" + f.IDs["topic_open_code"]

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
	if err != nil || !tokenRe.Match(plain) || !strings.Contains(string(plain), "思蒙湾村集镇停车场选址") {
		t.Fatalf("gzipped page: %v\n%s", err, plain)
	}

	topic, err := app.FindRecordById("topics", f.IDs["topic_open"])
	if err != nil {
		t.Fatal(err)
	}
	topic.Set("title", "思蒙湾村集镇停车场选址（第二轮）")
	if err := app.Save(topic); err != nil {
		t.Fatal(err)
	}
	if p := r.Get(path); !strings.Contains(p.Body, "停车场选址（第二轮）") {
		t.Fatal("the new title is not shown at once")
	}

	comments, _ := app.FindCachedCollectionByNameOrId("topic_comments")
	c := core.NewRecord(comments)
	c.Load(map[string]any{"topic": f.IDs["topic_open"], "author": "resident", "village": f.VillageA,
		"body": "建议停车场旁边留出赶集日的摊位。", "moderation": "approved"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	if p := r.Get(path); !strings.Contains(p.Body, "留出赶集日的摊位") {
		t.Fatal("the approved comment is not shown at once")
	}

	// The deadline passes while the page is kept: the form goes with it.
	topic.Set("deadline", time.Now().Add(1500*time.Millisecond))
	if err := app.Save(topic); err != nil {
		t.Fatal(err)
	}
	if p := r.Get(path); !strings.Contains(p.Body, "<form") {
		t.Fatal("no form before the deadline")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		p := r.Get(path)
		if !strings.Contains(p.Body, "<form") && !tokenRe.MatchString(p.Body) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the kept page still takes comments after the deadline")
		}
	}
}
