package durability_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	_ "modernc.org/sqlite"
)

const interval = 100 * time.Millisecond

// replicaKind is one way to configure durability: the environment of
// serve and restore, and the settings a technician saves in the admin UI.
type replicaKind struct {
	name     string
	env      []string
	settings map[string]any
	files    string // the status' "files"
}

func fileReplica(t testing.TB) replicaKind {
	return replicaKind{
		name:  "file",
		env:   []string{"SIMENG_REPLICA_URL=file://" + filepath.Join(t.TempDir(), "replica")},
		files: "mirrored",
	}
}

// s3Replica stands an in-process S3 server (gofakes3) in for OSS/COS/MinIO.
// With pbStorage, photos live in PocketBase's own S3 file storage in the
// same bucket; without, they are mirrored under the replica's prefix.
func s3Replica(t testing.TB, pbStorage bool) replicaKind {
	backend := s3mem.New()
	if err := backend.CreateBucket("rd-replica"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(ts.Close)
	k := replicaKind{
		name: "s3",
		env: []string{
			"SIMENG_REPLICA_URL=s3://rd-replica/xupu/simeng?endpoint=" + ts.URL + "&force-path-style=true",
			"AWS_ACCESS_KEY_ID=test-access-key", "AWS_SECRET_ACCESS_KEY=test-secret-key",
		},
		files: "mirrored",
	}
	if pbStorage {
		k.name, k.files = "s3+pocketbase-storage", "pocketbase_s3"
		k.settings = map[string]any{"s3": map[string]any{
			"enabled": true, "bucket": "rd-replica", "region": "us-east-1", "endpoint": ts.URL,
			"accessKey": "test-access-key", "secret": "test-secret-key", "forcePathStyle": true,
		}}
	}
	return k
}

// TestKillDeleteRestore is the disaster drill: deputies sync a few hundred
// visits with photos and residents send suggestions; the server is killed
// (kill -9) and its whole data dir deleted; `restore` brings it back from
// the replica and `serve` starts on it. Every record whose push was
// answered, every suggestion and every photo is there exactly once, and a
// restore as of a moment between two syncs holds only the first.
func TestKillDeleteRestore(t *testing.T) {
	for _, kind := range []func(testing.TB) replicaKind{
		fileReplica,
		func(t testing.TB) replicaKind { return s3Replica(t, false) },
		func(t testing.TB) replicaKind { return s3Replica(t, true) },
	} {
		k := kind(t)
		t.Run(k.name, func(t *testing.T) { killDeleteRestore(t, k) })
	}
}

func killDeleteRestore(t *testing.T, k replicaKind) {
	bin := buildBinary(t)
	env := append([]string{fmt.Sprintf("SIMENG_REPLICA_INTERVAL=%s", interval)}, k.env...)
	dir := filepath.Join(t.TempDir(), "pb_data")
	if out, err := run(t, bin, nil, "superuser", "upsert", suEmail, suPass, "--dir", dir); err != nil {
		t.Fatalf("superuser upsert: %v\n%s", err, out)
	}
	s := startServer(t, bin, dir, env)
	if !strings.Contains(s.logs.String(), "replication on:") || strings.Contains(s.logs.String(), "test-secret-key") {
		t.Fatalf("serve log should say replication is on, without the secret:\n%s", s.logs)
	}
	tw := seed(t, s, k.settings)
	if st := s.status(t); !st.Enabled || st.Files != k.files {
		t.Fatalf("status = %+v, want replication on with files %q", st, k.files)
	}

	// Three pushes of 20 households and 80 visits with one photo each.
	d := &deputy{s: s, token: tw.deputy, village: tw.village, photos: map[string][]byte{}}
	d.sync(t, 0)
	s.waitReplicated(t, interval)
	moment := time.Now()
	time.Sleep(50 * time.Millisecond) // replicated times have millisecond resolution
	d.sync(t, 1)
	d.sync(t, 2)
	tracking := residentsSuggest(t, s, 20)
	s.waitReplicated(t, interval)
	// Residents' photos are re-encoded on intake (issue 12): the restore
	// must bring back the files as the server stored them.
	tracking = storedPhotos(t, s, s.login(t, "_superusers", suEmail, suPass), tracking)

	s.kill(t)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}

	out, err := run(t, bin, k.env, "restore", "--dir", dir)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	for _, want := range []string{"data.db", "txid", "replicated at", "files"} {
		if !strings.Contains(out, want) {
			t.Errorf("restore output lacks %q:\n%s", want, out)
		}
	}
	if out, err := run(t, bin, k.env, "restore", "--dir", dir); err == nil || !strings.Contains(out, "not empty") {
		t.Errorf("a second restore into the restored dir: %v\n%s", err, out)
	}

	s = startServer(t, bin, dir, env)
	d.s, d.token = s, s.login(t, "deputies", depPhone, depPass)
	d.checkAll(t)
	checkSuggestions(t, s, s.login(t, "_superusers", suEmail, suPass), tracking)

	// The moment between the first and the second push.
	past := filepath.Join(t.TempDir(), "past")
	if out, err := run(t, bin, k.env, "restore", "--dir", past, "--timestamp", moment.Format(time.RFC3339Nano)); err != nil {
		t.Fatalf("restore --timestamp: %v\n%s", err, out)
	}
	if n := countRows(t, filepath.Join(past, "data.db"), "visits"); n != 80 {
		t.Errorf("restore as of the moment after the first push holds %d visits, want 80", n)
	}
	if n := countRows(t, filepath.Join(past, "data.db"), "suggestions"); n != 0 {
		t.Errorf("restore as of that moment holds %d suggestions sent later", n)
	}
}

// deputy is a phone's outbox: what it pushed and which photos it holds.
type deputy struct {
	s              *server
	token, village string
	households     []string
	visits         []string
	photos         map[string][]byte // visit id → its photo
}

// sync pushes batch b (20 households, 80 visits) and uploads the photos,
// checking that every answer is "created" and every visit ends complete.
func (d *deputy) sync(t *testing.T, b int) {
	t.Helper()
	var recs []map[string]any
	var visits []string
	for h := range 20 {
		hid := newID()
		d.households = append(d.households, hid)
		recs = append(recs, map[string]any{"collection": "households", "id": hid, "base_version": 0, "schema_version": 1,
			"data": map[string]any{"village": d.village, "head_name": fmt.Sprintf("户主%d-%d", b, h), "address": fmt.Sprintf("%d组%d号", b+1, h+1)}})
		for range 4 {
			vid := newID()
			pic := photo(len(d.visits) + len(visits) + 1)
			sum := sha256.Sum256(pic)
			d.photos[vid] = pic
			visits = append(visits, vid)
			recs = append(recs, map[string]any{"collection": "visits", "id": vid, "base_version": 0, "schema_version": 1,
				"data": map[string]any{"household": hid, "visited_at": time.Now().Add(-2 * time.Hour).Format(time.RFC3339),
					"notes": "走访了解用水情况", "topics": []string{"饮水安全"},
					"photos": []map[string]any{{"key": "ph1", "sha256": hex.EncodeToString(sum[:]), "size": len(pic)}}}})
		}
	}
	var res struct {
		Results []struct {
			ID      string `json:"id"`
			Outcome string `json:"outcome"`
		} `json:"results"`
	}
	d.s.mustCall(t, http.MethodPost, "/api/sync/push", d.token, map[string]any{"device": "durabilityphone", "records": recs}, &res)
	for _, r := range res.Results {
		if r.Outcome != "created" {
			t.Fatalf("push %d: %s %s", b, r.ID, r.Outcome)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, len(visits))
	sem := make(chan struct{}, 3)
	for _, vid := range visits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs <- d.putPhoto(vid)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			su := d.s.login(t, "_superusers", suEmail, suPass)
			var logs any
			d.s.call(t, http.MethodGet, "/api/logs?sort=-created&perPage=3&filter=level%3E0", su, nil, &logs)
			t.Fatalf("%v\n%s\n%v", err, d.s.logs, logs)
		}
	}
	d.visits = append(d.visits, visits...)
}

func (d *deputy) putPhoto(vid string) error {
	req, _ := http.NewRequest(http.MethodPut, d.s.url("/api/sync/photos/visits/"+vid+"/ph1"), bytes.NewReader(d.photos[vid]))
	req.Header.Set("Authorization", d.token)
	req.Header.Set("Content-Type", "image/png")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"complete":true`) {
		return fmt.Errorf("photo of %s: %d %s", vid, res.StatusCode, body)
	}
	return nil
}

// checkAll pulls everything and checks each record once, each visit
// complete, each photo byte for byte.
func (d *deputy) checkAll(t *testing.T) {
	t.Helper()
	seen := map[string]int{}
	photoURL := map[string]string{}
	for since, more := 0, true; more; {
		var page struct {
			Changes []struct {
				ID       string `json:"id"`
				Complete bool   `json:"complete"`
				Photos   []struct {
					Key string `json:"key"`
					URL string `json:"url"`
				} `json:"photos"`
				Collection string `json:"collection"`
			} `json:"changes"`
			Cursor int  `json:"cursor"`
			More   bool `json:"more"`
		}
		d.s.mustCall(t, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d&limit=500", since), d.token, nil, &page)
		for _, c := range page.Changes {
			seen[c.ID]++
			if c.Collection == "visits" {
				if !c.Complete || len(c.Photos) != 1 {
					t.Fatalf("restored visit %s: complete=%v photos=%v", c.ID, c.Complete, c.Photos)
				}
				photoURL[c.ID] = c.Photos[0].URL
			}
		}
		since, more = page.Cursor, page.More
	}
	for _, id := range append(append([]string{}, d.households...), d.visits...) {
		if seen[id] != 1 {
			t.Fatalf("record %s seen %d times after the restore", id, seen[id])
		}
	}
	var ft struct{ Token string }
	d.s.mustCall(t, http.MethodPost, "/api/files/token", d.token, nil, &ft)
	for _, vid := range d.visits {
		code, got := getBytes(t, d.s, photoURL[vid]+sep(photoURL[vid])+"token="+ft.Token)
		if code != http.StatusOK || !bytes.Equal(got, d.photos[vid]) {
			t.Fatalf("photo of visit %s after the restore: %d, %d bytes, want %d", vid, code, len(got), len(d.photos[vid]))
		}
	}
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

var trackingRe = regexp.MustCompile(`^/t/([^?]+)`)

// residentsSuggest sends n suggestions from n addresses, every other one
// with a photo, and returns their tracking codes (查询码).
func residentsSuggest(t *testing.T, s *server, n int) map[string][]byte {
	t.Helper()
	tokens := make([]string, n)
	for i := range n {
		code, page := getPage(t, s, "/d/"+deputyCode, fmt.Sprintf("10.9.%d.%d", i/200, i%200+1))
		if code != http.StatusOK {
			t.Fatalf("GET /d/%s = %d", deputyCode, code)
		}
		tokens[i] = formToken(t, page)
	}
	time.Sleep(3100 * time.Millisecond) // the form's minimum fill time
	out := map[string][]byte{}
	for i := range n {
		var pic []byte
		if i%2 == 0 {
			pic = photo(10000 + i)
		}
		res := postForm(t, s, "/d/"+deputyCode, fmt.Sprintf("10.9.%d.%d", i/200, i%200+1), map[string]string{
			"t": tokens[i], "content": fmt.Sprintf("村口第%d盏路灯坏了，晚上看不见路", i+1), "category": "道路交通",
		}, pic)
		m := trackingRe.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("suggestion %d: %d %s", i, res.StatusCode, res.Header.Get("Location"))
		}
		out[m[1]] = pic
	}
	return out
}

// checkSuggestions finds every answered suggestion once, its status page
// and its photo.
func checkSuggestions(t *testing.T, s *server, su string, tracking map[string][]byte) {
	t.Helper()
	var list struct {
		Items []struct {
			ID       string   `json:"id"`
			Tracking string   `json:"tracking"`
			Photos   []string `json:"photos"`
		} `json:"items"`
	}
	s.mustCall(t, http.MethodGet, "/api/collections/suggestions/records?perPage=500", su, nil, &list)
	if len(list.Items) != len(tracking) {
		t.Fatalf("%d suggestions after the restore, %d were answered", len(list.Items), len(tracking))
	}
	var ft struct{ Token string }
	s.mustCall(t, http.MethodPost, "/api/files/token", su, nil, &ft)
	for _, it := range list.Items {
		pic, ok := tracking[it.Tracking]
		if !ok {
			t.Fatalf("suggestion %s (%s) was never answered", it.ID, it.Tracking)
		}
		delete(tracking, it.Tracking)
		if code, _ := getPage(t, s, "/t/"+it.Tracking, ""); code != http.StatusOK {
			t.Errorf("GET /t/%s = %d after the restore", it.Tracking, code)
		}
		if (pic != nil) != (len(it.Photos) == 1) {
			t.Fatalf("suggestion %s photos %v", it.ID, it.Photos)
		}
		if pic != nil {
			code, got := getBytes(t, s, "/api/files/suggestions/"+it.ID+"/"+it.Photos[0]+"?token="+ft.Token)
			if code != http.StatusOK || !bytes.Equal(got, pic) {
				t.Fatalf("photo of suggestion %s after the restore: %d, %d bytes", it.ID, code, len(got))
			}
		}
	}
}

func countRows(t *testing.T, dbPath, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func newMultipart(body *bytes.Buffer, fields map[string]string, pic []byte) string {
	w := multipart.NewWriter(body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if pic != nil {
		fw, _ := w.CreateFormFile("photo", "photo.png")
		fw.Write(pic)
	}
	w.Close()
	return w.FormDataContentType()
}

// storedPhotos is tracking with each sent photo replaced by the file the
// server stored for it.
func storedPhotos(t *testing.T, s *server, su string, tracking map[string][]byte) map[string][]byte {
	t.Helper()
	var list struct {
		Items []struct {
			ID       string   `json:"id"`
			Tracking string   `json:"tracking"`
			Photos   []string `json:"photos"`
		} `json:"items"`
	}
	s.mustCall(t, http.MethodGet, "/api/collections/suggestions/records?perPage=500", su, nil, &list)
	var ft struct{ Token string }
	s.mustCall(t, http.MethodPost, "/api/files/token", su, nil, &ft)
	out := map[string][]byte{}
	for k, v := range tracking {
		out[k] = v
	}
	for _, it := range list.Items {
		if out[it.Tracking] == nil || len(it.Photos) != 1 {
			continue
		}
		code, got := getBytes(t, s, "/api/files/suggestions/"+it.ID+"/"+it.Photos[0]+"?token="+ft.Token)
		if code != http.StatusOK {
			t.Fatalf("photo of suggestion %s before the kill: %d", it.ID, code)
		}
		out[it.Tracking] = got
	}
	return out
}
