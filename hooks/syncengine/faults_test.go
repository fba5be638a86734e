package syncengine_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

// noisePNG is a valid PNG of w×h random pixels: it does not compress, so
// its size is about 4·w·h bytes.
func noisePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// putPhotoRaw uploads a photo to the binary server; ok is false when no
// complete answer came.
func putPhotoRaw(addr, token, visit, key string, body io.Reader, size int) (int, map[string]any, bool) {
	req, _ := http.NewRequest(http.MethodPut, "http://"+addr+"/api/sync/photos/visits/"+visit+"/"+key, body)
	req.ContentLength = int64(size)
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "image/png")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, false
	}
	defer res.Body.Close()
	var out map[string]any
	if json.NewDecoder(res.Body).Decode(&out) != nil {
		return res.StatusCode, nil, false
	}
	return res.StatusCode, out, true
}

// pushVisitWithPhoto pushes a household and a visit declaring photo as
// "ph1" and returns their ids.
func (b *seededBinary) pushVisitWithPhoto(t *testing.T, photo []byte) (household, visit string) {
	t.Helper()
	household, visit = testapp.ClientID(), testapp.ClientID()
	body, _ := json.Marshal(map[string]any{"device": "faultdevice0001", "records": []map[string]any{
		testapp.HouseholdRec(household, b.village, "向德胜", "3组12号"),
		testapp.VisitRec(visit, household, visitRecently, map[string]any{"photos": []any{testapp.PhotoDecl("ph1", photo)}}),
	}})
	if res, ok := pushRaw(b.addr, b.token, body); !ok || res[1]["outcome"] != "created" {
		t.Fatalf("push of a visit with a photo: %v", res)
	}
	return household, visit
}

// storedFiles lists the files PocketBase keeps for a record (thumbnails
// aside) anywhere under dataDir/storage.
func storedFiles(t *testing.T, dataDir, recordID string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(filepath.Join(dataDir, "storage"), func(p string, d os.DirEntry, err error) error {
		// .attrs files are the local storage's metadata of a blob.
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) == recordID && !strings.HasSuffix(p, ".attrs") {
			files = append(files, p)
		}
		return nil
	})
	return files
}

func wantPhotoState(t *testing.T, what string, out map[string]any, present string, complete bool) {
	t.Helper()
	if _, p := photoLists(out); p != present || out["complete"] != complete {
		t.Fatalf("%s: present %s complete %v, want %s %v", what, p, out["complete"], present, complete)
	}
}

// TestPhotoUploadSurvivesSIGKILL kills the real server (kill -9) while a
// 4 MB photo is half-way up, restarts it on the same data dir and resumes:
// no half photo is kept, the resumed upload completes the record, and a
// second kill right after the last byte leaves either no photo or the
// whole one, never a second copy.
func TestPhotoUploadSurvivesSIGKILL(t *testing.T) {
	t.Parallel() // mostly waiting on the real server: overlaps the other tests
	b := startSeededBinary(t, filepath.Join(t.TempDir(), "pb_data"))
	bin, addr, dataDir, token, srv := b.bin, b.addr, b.dataDir, b.token, b.cmd
	photo := noisePNG(t, 1024, 1000)
	_, vid := b.pushVisitWithPhoto(t, photo)

	// Half the photo goes up, then the server dies.
	pr, pw := io.Pipe()
	done := make(chan bool, 1)
	go func() { _, _, ok := putPhotoRaw(addr, token, vid, "ph1", pr, len(photo)); done <- ok }()
	if _, err := pw.Write(photo[:len(photo)/2]); err != nil {
		t.Fatal(err)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	pw.CloseWithError(errors.New("the phone lost the server"))
	if <-done {
		t.Fatal("the upload was answered although the server was killed mid-body")
	}

	srv = startBinary(t, bin, addr, dataDir)
	out := getJSONAuth(t, addr, token, "/api/sync/status/visits/"+vid)
	wantPhotoState(t, "after a kill mid-body", out, "[]", false)
	if files := storedFiles(t, dataDir, vid); len(files) != 0 {
		t.Fatalf("half a photo was kept: %v", files)
	}

	// The whole photo goes up, and the server dies as the last byte is sent:
	// it may or may not have stored it.
	pr, pw = io.Pipe()
	go func() { _, _, ok := putPhotoRaw(addr, token, vid, "ph1", pr, len(photo)); done <- ok }()
	if _, err := pw.Write(photo); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	acked := <-done
	startBinary(t, bin, addr, dataDir)
	out = getJSONAuth(t, addr, token, "/api/sync/status/visits/"+vid)
	t.Logf("kill after the last byte: acknowledged %v, stored %v", acked, out["complete"])
	if acked && out["complete"] != true {
		t.Fatal("an acknowledged photo was lost by the kill")
	}

	// The phone resumes until complete; a repeat changes nothing.
	for range 2 {
		status, out, ok := putPhotoRaw(addr, token, vid, "ph1", bytes.NewReader(photo), len(photo))
		if !ok || status != http.StatusOK {
			t.Fatalf("resumed upload: %d %v", status, out)
		}
		wantPhotoState(t, "resumed upload", out, "[ph1]", true)
	}
	files := storedFiles(t, dataDir, vid)
	if len(files) != 1 {
		t.Fatalf("files kept for the visit: %v, want exactly one", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Size() != int64(len(photo)) {
		t.Fatalf("stored photo: %v, %v; want %d bytes", fi, err, len(photo))
	}
}

// TestDiskFullOnARealSmallFilesystem puts the data dir on a 64 MB tmpfs,
// starts the real server on it, fills the filesystem to the last byte and
// syncs: the push and the photo are refused with a 5xx that the PWA treats
// as "retry later" (pb_public/app/outbox.js keeps the records queued),
// nothing of either is applied, the server keeps serving, and once space
// is freed the same push and photo go through exactly once. Mounting needs
// root (CI runs as root); where mount is refused the test is skipped and
// TestDiskFullSimulated covers the same contract.
func TestDiskFullOnARealSmallFilesystem(t *testing.T) {
	mnt := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a size-limited tmpfs here (%v: %s); TestDiskFullSimulated covers the contract", err, out)
	}
	// Registered before the server's cleanup, so it runs after the kill.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v: %s", err, out)
		}
	})
	b := startSeededBinary(t, filepath.Join(mnt, "pb_data"))
	addr, dataDir, token := b.addr, b.dataDir, b.token
	photo := noisePNG(t, 400, 300)
	hid, vid := b.pushVisitWithPhoto(t, photo)

	// A later push of 100 records with full notes, not yet sent.
	var recs []map[string]any
	var ids []string
	for i := range 100 {
		id := testapp.ClientID()
		ids = append(ids, id)
		recs = append(recs, testapp.VisitRec(id, hid, visitRecently, map[string]any{"notes": fmt.Sprintf("第%d次走访：%s", i, strings.Repeat("详细记录了农户反映的情况。", 80))}))
	}
	big, _ := json.Marshal(map[string]any{"device": "fulldevice00001", "records": recs})

	filler := fillDisk(t, mnt)
	status, raw := postPush(t, addr, token, big)
	t.Logf("push on a full disk: %d %s", status, raw)
	if status < 500 {
		t.Fatalf("push on a full disk: status %d, want a 5xx the phone retries", status)
	}
	status, out, _ := putPhotoRaw(addr, token, vid, "ph1", bytes.NewReader(photo), len(photo))
	t.Logf("photo on a full disk: %d %v", status, out)
	if status < 500 {
		t.Fatalf("photo on a full disk: status %d %v, want a 5xx the phone retries", status, out)
	}
	if res, err := http.Get("http://" + addr + "/api/health"); err != nil || res.StatusCode != 200 {
		t.Fatalf("the server stopped serving on a full disk: %v", err)
	}

	// Space comes back (staff clear old backups): the same push and photo
	// go through, as new records, i.e. nothing was half-applied before.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	status, raw = postPush(t, addr, token, big)
	if status != 200 {
		t.Fatalf("push after space came back: %d %s", status, raw)
	}
	var after struct{ Results []map[string]any }
	json.Unmarshal(raw, &after)
	for _, r := range after.Results {
		if r["outcome"] != "created" {
			t.Fatalf("after the full disk, a record was already there or failed: %v", r)
		}
	}
	status, out, _ = putPhotoRaw(addr, token, vid, "ph1", bytes.NewReader(photo), len(photo))
	if status != 200 {
		t.Fatalf("photo after space came back: %d %v", status, out)
	}
	wantPhotoState(t, "photo after space came back", out, "[ph1]", true)
	if files := storedFiles(t, dataDir, vid); len(files) != 1 {
		t.Fatalf("files kept for the visit: %v", files)
	}
	seen := pulledCounts(t, addr, token)
	for _, id := range append(ids, vid, hid) {
		if seen[id] != 1 {
			t.Fatalf("record %s pulled %d times", id, seen[id])
		}
	}
}

// fillDisk writes a file into dir until the filesystem has no byte left
// and returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 1} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
	}
	return path
}

func postPush(t *testing.T, addr, token string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/sync/push", bytes.NewReader(body))
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// TestDiskFullSimulated injects the error a full disk gives (ENOSPC) into
// the database write of one record of a push, and into the save of a
// photo: the client gets a 5xx (which the PWA retries, keeping its copy),
// nothing of the push or the photo is applied, and the retry after the
// fault goes through exactly once.
func TestDiskFullSimulated(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	var full atomic.Bool
	diskFull := func(e *core.RecordEvent) error {
		if full.Load() {
			return fmt.Errorf("write %s: %w", e.Record.Id, syscall.ENOSPC)
		}
		return e.Next()
	}
	app.OnRecordCreateExecute("visits").BindFunc(diskFull)
	app.OnRecordUpdateExecute("visits").BindFunc(diskFull)
	s := testapp.Serve(t, app, nil)

	ph := testapp.PNG(t, 30, 20, 0)
	v0 := testapp.ClientID()
	testapp.WantOutcomes(t, s.Push(deputy, testapp.VisitRec(v0, f.IDs["household_a"], visitRecently, map[string]any{"photos": []any{testapp.PhotoDecl("ph1", ph)}})), "created")
	h, v1, v2 := testapp.ClientID(), testapp.ClientID(), testapp.ClientID()
	batch := []map[string]any{testapp.HouseholdRec(h, f.VillageA, "谌永福", "2组7号"), testapp.VisitRec(v1, h, visitRecently, nil), testapp.VisitRec(v2, h, visitRecently, nil)}
	cursor := s.Cursor()

	full.Store(true)
	status, out := s.Do(deputy, http.MethodPost, "/api/sync/push", map[string]any{"device": "testdevice00001", "records": batch})
	if status != http.StatusInternalServerError || !strings.Contains(fmt.Sprint(out["message"]), "都未保存") {
		t.Fatalf("push on a full disk: %d %v", status, out)
	}
	// The household came first and its own write worked: rolled back too.
	for _, c := range []struct{ col, id string }{{"households", h}, {"visits", v1}, {"visits", v2}} {
		if n := testapp.CountWhere(t, s.App, c.col, "id = '"+c.id+"'"); n != 0 {
			t.Fatalf("%s %s was stored by a failed push", c.col, c.id)
		}
	}
	if s.Cursor() != cursor {
		t.Fatal("a failed push moved the sequence")
	}
	status, out = s.PutPhoto(deputy, v0, "ph1", ph, "image/png")
	if status != http.StatusInternalServerError {
		t.Fatalf("photo on a full disk: %d %v", status, out)
	}
	_, out = s.Do(deputy, http.MethodGet, "/api/sync/status/visits/"+v0, nil)
	wantPhotoState(t, "after a failed photo save", out, "[]", false)
	if files := storedFiles(t, app.DataDir(), v0); len(files) != 0 {
		t.Fatalf("a photo whose save failed was left in storage: %v", files)
	}

	full.Store(false)
	testapp.WantOutcomes(t, s.Push(deputy, batch...), "created", "created", "created")
	status, out = s.PutPhoto(deputy, v0, "ph1", ph, "image/png")
	if status != 200 {
		t.Fatalf("photo after the fault: %d %v", status, out)
	}
	wantPhotoState(t, "photo after the fault", out, "[ph1]", true)
	if files := storedFiles(t, app.DataDir(), v0); len(files) != 1 {
		t.Fatalf("files for the visit: %v", files)
	}
}

// TestDeviceClockSkew: one phone's clock runs ahead (within the server's
// 10-minute window, docs/SYNC.md), another's days behind. Their records are
// accepted, pulled in the order the server received them (by sequence, not
// device time), and a record with an old device time pushed last is not
// missed by a phone that already pulled. A clock hours ahead stamps visits
// in the future: a phone that says what its clock reads (sent_at) has them
// accepted; without it, or with a clock days ahead, they are refused naming
// visited_at (the phone keeps them as 需处理), without blocking the rest of
// the push.
func TestDeviceClockSkew(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	h := f.IDs["household_a"]
	now := time.Now()
	ahead := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }

	_, third := s.PullAll(0) // a third phone has pulled everything up to here
	aheadIDs := []string{testapp.ClientID(), testapp.ClientID()}
	testapp.WantOutcomes(t, s.PushFrom("aheaddevice0001",
		testapp.VisitRec(aheadIDs[0], h, ahead(9*time.Minute), nil),
		testapp.VisitRec(aheadIDs[1], h, ahead(5*time.Minute), nil)), "created", "created")
	_, afterAhead := s.PullAll(third)

	behindIDs := []string{testapp.ClientID(), testapp.ClientID()}
	tooFar := testapp.ClientID()
	res := s.PushFrom("behinddevice001",
		testapp.VisitRec(behindIDs[0], h, ahead(-72*time.Hour), nil),
		testapp.VisitRec(tooFar, h, ahead(3*time.Hour), nil),
		testapp.VisitRec(behindIDs[1], h, ahead(-9*24*time.Hour), nil))
	testapp.WantOutcomes(t, res, "created", "rejected", "created")
	if res[1]["errors"].(map[string]any)["visited_at"] == nil {
		t.Fatalf("a visit 3 hours in the future is refused without naming visited_at: %v", res[1])
	}

	// A phone that says its clock (sent_at) runs 3 hours ahead has its
	// honest visits, stamped by that clock, accepted; a clock days ahead is
	// a broken one and still refused.
	fastClock := testapp.ClientID()
	testapp.WantOutcomes(t, s.PushAt(ahead(3*time.Hour), testapp.VisitRec(fastClock, h, ahead(3*time.Hour-time.Minute), nil)), "created")
	if r, err := s.App.FindRecordById("visits", fastClock); err != nil || r.GetDateTime("visited_at").Time().Before(now.Add(2*time.Hour)) {
		t.Fatalf("the fast clock's visit is not stored with its device time: %v %v", r, err)
	}
	broken := s.PushAt(ahead(72*time.Hour), testapp.VisitRec(testapp.ClientID(), h, ahead(72*time.Hour), nil))
	testapp.WantOutcomes(t, broken, "rejected")
	if broken[0]["errors"].(map[string]any)["visited_at"] == nil {
		t.Fatalf("a clock 3 days ahead is refused without naming visited_at: %v", broken[0])
	}
	// Its retry, the same content sent later, is the same record.
	testapp.WantOutcomes(t, s.PushAt(ahead(3*time.Hour+time.Minute), testapp.VisitRec(fastClock, h, ahead(3*time.Hour-time.Minute), nil)), "already_have")
	// So is its retry after the phone's clock was corrected (no lead any
	// more, its device time now "in the future"): already_have, not
	// rejected, or the phone would stop sending its photos.
	testapp.WantOutcomes(t, s.PushFrom("fastclock000001", testapp.VisitRec(fastClock, h, ahead(3*time.Hour-time.Minute), nil)), "already_have")

	// The third phone sees all four, in the order received, seq rising.
	changes, _ := s.PullAll(third)
	var order []string
	last := float64(third)
	for _, c := range changes {
		if c["seq"].(float64) <= last {
			t.Fatalf("pull not in sequence order: %v after %v", c["seq"], last)
		}
		last = c["seq"].(float64)
		order = append(order, c["id"].(string))
	}
	want := append(append(append([]string{}, aheadIDs...), behindIDs...), fastClock)
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Fatalf("pulled %v, want %v (the order received)", order, want)
	}
	// A phone that pulled after the fast clock's records still gets the
	// slow clock's, whose device time is days older.
	if got, _ := s.PullAll(afterAhead); len(got) != 3 || got[0]["id"] != behindIDs[0] || got[1]["id"] != behindIDs[1] {
		t.Fatalf("pull after the fast phone's records: %v", got)
	}
	// Edits are ordered by version, not by clock: the slow phone edits the
	// fast phone's record and wins, because it edited the current version.
	edit := testapp.VisitRec(aheadIDs[0], h, ahead(9*time.Minute), map[string]any{"notes": "慢时钟手机补充的内容"})
	res = s.PushFrom("behinddevice001", testapp.WithBase(edit, 1))
	testapp.WantOutcomes(t, res, "updated")
	rec, _ := s.App.FindRecordById("visits", aheadIDs[0])
	if rec.GetInt("version") != 2 || rec.GetString("notes") != "慢时钟手机补充的内容" {
		t.Fatalf("after the slow phone's edit: version %d notes %q", rec.GetInt("version"), rec.GetString("notes"))
	}
}

// TestTwoDevicesOfOneDeputySyncAtOnce: two phones of one deputy push at the
// same moment, again and again: the same records (a second phone restored
// from the first's outbox), records of their own, and edits of one record.
// Every record exists exactly once, created once, and versions move by one
// per accepted edit, the other edit answered as a conflict.
func TestTwoDevicesOfOneDeputySyncAtOnce(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	_, cursor := s.PullAll(0)

	shared := []map[string]any{}
	var sharedIDs []string
	for i := range 10 {
		h := testapp.ClientID()
		shared = append(shared, testapp.HouseholdRec(h, f.VillageA, fmt.Sprintf("共同户%d", i), fmt.Sprintf("%d组1号", i+1)))
		sharedIDs = append(sharedIDs, h)
		for range 3 {
			v := testapp.ClientID()
			shared = append(shared, testapp.VisitRec(v, h, visitRecently, nil))
			sharedIDs = append(sharedIDs, v)
		}
	}
	own := map[string][]map[string]any{}
	var ownIDs []string
	for _, dev := range []string{"phoneA000000001", "phoneB000000001"} {
		for range 20 {
			v := testapp.ClientID()
			own[dev] = append(own[dev], testapp.VisitRec(v, f.IDs["household_a"], visitRecently, nil))
			ownIDs = append(ownIDs, v)
		}
	}

	var mu sync.Mutex
	created := map[string]int{}
	record := func(res []map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range res {
			switch r["outcome"] {
			case "created":
				created[r["id"].(string)]++
			case "already_have":
			default:
				t.Errorf("concurrent push: %v", r)
			}
		}
	}
	for round := range 3 {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, dev := range []string{"phoneA000000001", "phoneB000000001"} {
			wg.Go(func() {
				<-start
				record(s.PushFrom(dev, shared...))
				record(s.PushFrom(dev, own[dev][round*5:round*5+10]...))
			})
		}
		close(start)
		wg.Wait()
	}
	for _, id := range append(append([]string{}, sharedIDs...), ownIDs...) {
		if created[id] != 1 {
			t.Errorf("record %s created %d times", id, created[id])
		}
	}

	// Both phones edit the same visit from version 1 at once.
	target := sharedIDs[1]
	outcomes := make(chan map[string]any, 2)
	var wg sync.WaitGroup
	for i, dev := range []string{"phoneA000000001", "phoneB000000001"} {
		wg.Go(func() {
			edit := testapp.VisitRec(target, sharedIDs[0], visitRecently, map[string]any{"notes": fmt.Sprintf("手机%d的修改", i)})
			outcomes <- s.PushFrom(dev, testapp.WithBase(edit, 1))[0]
		})
	}
	wg.Wait()
	close(outcomes)
	got := map[any]int{}
	for r := range outcomes {
		got[r["outcome"]]++
		if r["version"].(float64) != 2 {
			t.Errorf("version after concurrent edits: %v", r)
		}
	}
	if got["updated"] != 1 || got["conflict"] != 1 {
		t.Fatalf("concurrent edits of one record: %v, want one updated and one conflict", got)
	}
	if n := testapp.CountWhere(t, s.App, "sync_conflicts", "id != ''"); n != 1 {
		t.Errorf("%d conflict copies kept, want 1", n)
	}

	// A pull sees each record once, with its current version, seq rising.
	seen := map[string]int{}
	last := float64(cursor)
	changes, _ := s.PullAll(cursor)
	for _, c := range changes {
		if c["seq"].(float64) <= last {
			t.Fatalf("seq not rising: %v after %v", c["seq"], last)
		}
		last = c["seq"].(float64)
		id := c["id"].(string)
		seen[id]++
		want := 1.0
		if id == target {
			want = 2
		}
		if c["version"].(float64) != want {
			t.Errorf("record %s pulled at version %v, want %v", id, c["version"], want)
		}
	}
	for _, id := range append(append([]string{}, sharedIDs...), ownIDs...) {
		if seen[id] != 1 {
			t.Errorf("record %s pulled %d times", id, seen[id])
		}
	}
}
