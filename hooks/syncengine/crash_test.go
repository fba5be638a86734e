package syncengine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks"
	"simeng/hooks/assessment"
	"simeng/internal/testapp"
	"simeng/internal/testbin"
	_ "simeng/migrations"
	"simeng/pii"
)

// TestSyncSurvivesSIGKILL kills the real server (kill -9) while a large
// sync is in flight, restarts it on the same data dir, lets the client
// retry what it did not see acknowledged, and checks that every record
// exists exactly once.
func TestSyncSurvivesSIGKILL(t *testing.T) {
	t.Parallel() // mostly waiting on the real server: overlaps the other tests
	b := startSeededBinary(t, filepath.Join(t.TempDir(), "pb_data"))
	bin, addr, dataDir, village, token, srv := b.bin, b.addr, b.dataDir, b.village, b.token, b.cmd

	// 12 pushes of 100 records: 20 households and 80 visits each.
	const batches = 12
	bodies := make([][]byte, batches)
	var ids []string
	for b := range batches {
		var recs []map[string]any
		for h := range 20 {
			hid := testapp.ClientID()
			ids = append(ids, hid)
			recs = append(recs, testapp.HouseholdRec(hid, village, fmt.Sprintf("户主%d-%d", b, h), fmt.Sprintf("%d组%d号", b+1, h+1)))
			for range 4 {
				vid := testapp.ClientID()
				ids = append(ids, vid)
				recs = append(recs, testapp.VisitRec(vid, hid, visitRecently, nil))
			}
		}
		bodies[b], _ = json.Marshal(map[string]any{"device": "crashdevice0001", "records": recs})
	}

	acked := make([]bool, batches)
	for b := range batches {
		if b == batches/2 {
			// Push this batch and kill the server while it works on it.
			done := make(chan bool, 1)
			go func() { _, ok := pushRaw(addr, token, bodies[b]); done <- ok }()
			time.Sleep(time.Duration(5+b) * time.Millisecond)
			if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			srv.Wait()
			acked[b] = <-done
			t.Logf("killed the server during push %d (acknowledged: %v)", b, acked[b])
			break
		}
		_, acked[b] = pushRaw(addr, token, bodies[b])
		if !acked[b] {
			t.Fatalf("push %d failed before the kill", b)
		}
	}

	startBinary(t, bin, addr, dataDir)
	// The client retries every push it has no acknowledgement of, and (to
	// prove retries are harmless) the acknowledged ones too.
	for b := range batches {
		res, ok := pushRaw(addr, token, bodies[b])
		if !ok {
			t.Fatalf("retry of push %d failed", b)
		}
		outcomesSeen := map[any]bool{}
		for _, r := range res {
			o := r["outcome"]
			outcomesSeen[o] = true
			if o != "created" && o != "already_have" {
				t.Fatalf("push %d after restart: %v", b, r)
			}
			if acked[b] && o != "already_have" {
				t.Fatalf("push %d was acknowledged but its record %v was not kept", b, r)
			}
		}
		// One transaction per push: the killed push was applied wholly or not at all.
		if len(outcomesSeen) != 1 {
			t.Fatalf("push %d was half-applied: %v", b, outcomesSeen)
		}
	}

	// Every record exactly once, seen through a full pull.
	seen := pulledCounts(t, addr, token)
	for _, id := range ids {
		if seen[id] != 1 {
			t.Fatalf("record %s seen %d times after the crash and retries", id, seen[id])
		}
	}
	if len(seen) != len(ids) {
		t.Fatalf("pulled %d records, pushed %d", len(seen), len(ids))
	}
}

// buildServer returns the real binary of these sources (internal/testbin
// builds it once for every test binary of the run).
func buildServer(t *testing.T) string {
	t.Helper()
	bin, err := testbin.Server()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// seededBinary is the real app serving a seeded data dir on loopback,
// with the deputy logged in.
type seededBinary struct {
	bin, addr, dataDir, village, token string
	cmd                                *exec.Cmd
}

// startSeededBinary builds the app, seeds dataDir (schema, a village, a
// deputy), serves it and logs the deputy in.
func startSeededBinary(t *testing.T, dataDir string) *seededBinary {
	t.Helper()
	b := &seededBinary{bin: buildServer(t), addr: freeLocalAddr(t), dataDir: dataDir}
	b.village = seedCrashDir(t, dataDir)
	b.cmd = startBinary(t, b.bin, b.addr, dataDir)
	b.token = loginDeputy(t, b.addr)
	return b
}

// seedCrashDir creates the schema, a village and a deputy in dataDir.
func seedCrashDir(t *testing.T, dataDir string) string {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	hooks.Register(app)
	// The rescore worker must be done with the app before it closes.
	defer func() {
		assessment.Flush(app)
		app.ResetBootstrapState()
	}()
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	v := core.NewRecord(testapp.Collection(t, app, "villages"))
	v.Set("name", "思蒙湾村")
	v.Set("code", "smw")
	if err := app.Save(v); err != nil {
		t.Fatal(err)
	}
	d := core.NewRecord(testapp.Collection(t, app, "deputies"))
	d.Set("name", "张三")
	d.Set("phone", "13800000001")
	d.SetPassword("crash-pass-123")
	d.Set("village", v.Id)
	d.Set("level", "township")
	d.Set("active", true)
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	// Retries after a restart come fast from one address.
	s := app.Settings()
	s.RateLimits.Enabled = false
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	return v.Id
}

func freeLocalAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startBinary(t *testing.T, bin, addr, dataDir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", dataDir)
	// serve refuses to start without the key; the test process may not have
	// set it yet (testapp sets it when it first builds an app).
	cmd.Env = append(os.Environ(), pii.KeyEnv+"="+pii.DevKey)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Whatever happens to the test, no server outlives it.
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + addr + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("server did not start:\n%s", logs.String())
	return nil
}

func loginDeputy(t *testing.T, addr string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"identity": "13800000001", "password": "crash-pass-123"})
	res, err := http.Post("http://"+addr+"/api/collections/deputies/auth-with-password", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("login: %d %v", res.StatusCode, err)
	}
	return out.Token
}

// pushRaw posts a push body; ok is false when no complete 200 answer came.
func pushRaw(addr, token string, body []byte) ([]map[string]any, bool) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/sync/push", bytes.NewReader(body))
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, false
	}
	defer res.Body.Close()
	var out struct {
		Results []map[string]any `json:"results"`
	}
	if res.StatusCode != 200 || json.NewDecoder(res.Body).Decode(&out) != nil {
		return nil, false
	}
	return out.Results, true
}

// pulledCounts pulls everything from the binary server and counts how
// often each record id came.
func pulledCounts(t *testing.T, addr, token string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for since, more := 0.0, true; more; {
		out := getJSONAuth(t, addr, token, fmt.Sprintf("/api/sync/pull?since=%d&limit=500", int(since)))
		for _, c := range out["changes"].([]any) {
			seen[c.(map[string]any)["id"].(string)]++
		}
		since, more = out["cursor"].(float64), out["more"].(bool)
	}
	return seen
}

func getJSONAuth(t *testing.T, addr, token, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return out
}
