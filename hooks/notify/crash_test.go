package notify_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks"
	"simeng/hooks/assessment"
	. "simeng/hooks/notify"
	"simeng/internal/testbin"
	_ "simeng/migrations"
	"simeng/notify/notifytest"
	"simeng/pii"
)

// TestExactlyOnceAcrossSIGKILL has staff send an urgent meeting notice to
// 8 deputies through the real binary (in-app and SMS: urgent texts go out
// at night too), kills the server (kill -9) while the SMS stand-in holds a
// text it accepted without answering, serves the data dir again, and
// checks that every deputy got one notice and one text: the text whose
// answer was lost is looked up by its OutId, not sent again.
func TestExactlyOnceAcrossSIGKILL(t *testing.T) {
	t.Parallel()
	pii.UseDevKeyIfUnset()
	bin, err := testbin.Server()
	if err != nil {
		t.Fatal(err)
	}
	p := notifytest.NewProviders()
	defer p.Close()
	dataDir := filepath.Join(t.TempDir(), "pb_data")
	const n = 8
	meeting := seedCrashDir(t, dataDir, p, n)

	addr := freeAddr(t)
	p.HangSMS(1)
	srv := serve(t, bin, addr, dataDir)
	token := superuserToken(t, addr)
	res := post(t, addr, token, "/api/simeng/meetings/"+meeting+"/notify", `{"urgent":true}`)
	if res != http.StatusOK {
		t.Fatalf("send notice: %d", res)
	}
	waitFor(t, "a text under way", func() bool { c, _ := p.Calls(); return c >= 1 })
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	if got := countIn(t, dataDir, Outbox, "channel = 'sms' AND state = 'sending'"); got != 1 {
		t.Fatalf("texts under way at the kill = %d, want 1", got)
	}

	srv = serve(t, bin, addr, dataDir)
	waitFor(t, "every message sent", func() bool { return countIn(t, dataDir, Outbox, "state = 'sent'") == 2*n })
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()

	seen := map[string]int{}
	phones := map[string]bool{}
	for _, x := range p.Texts() {
		seen[x.OutID]++
		phones[x.Phone] = true
	}
	for id, c := range seen {
		if c != 1 {
			t.Fatalf("text %s sent %d times", id, c)
		}
	}
	if len(seen) != n || len(phones) != n {
		t.Fatalf("texts = %d to %d phones, want %d each", len(seen), len(phones), n)
	}
	if c := countIn(t, dataDir, Notices, ""); c != n {
		t.Fatalf("notices = %d, want %d", c, n)
	}
}

// seedCrashDir creates the schema, a superuser, n deputies, the SMS and
// robot settings against the stand-ins, and a meeting tomorrow that
// expects every deputy; it returns the meeting's id.
func seedCrashDir(t *testing.T, dataDir string, p *notifytest.Providers, n int) string {
	t.Helper()
	app := openDir(t, dataDir)
	defer closeDir(app)
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	col := func(name string) *core.Collection {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	su := core.NewRecord(col(core.CollectionNameSuperusers))
	su.SetEmail("crash@test.simeng")
	su.SetPassword("crash-pass-123")
	must(t, app.Save(su))
	v := core.NewRecord(col("villages"))
	v.Set("name", "思蒙湾村")
	v.Set("code", "smw")
	must(t, app.Save(v))
	var ids []string
	for i := range n {
		d := core.NewRecord(col("deputies"))
		d.Set("name", fmt.Sprintf("代表%d", i+1))
		d.Set("phone", fmt.Sprintf("1380000010%d", i))
		d.SetPassword("crash-pass-123")
		d.Set("village", v.Id)
		d.Set("level", "township")
		d.Set("active", true)
		must(t, app.Save(d))
		ids = append(ids, d.Id)
	}
	configure(t, app, p)
	m := core.NewRecord(col("meetings"))
	m.Set("title", "镇人大主席团会议")
	m.Set("kind", col("meetings").Fields.GetByName("kind").(*core.SelectField).Values[0])
	m.Set("starts_at", time.Now().Add(24*time.Hour))
	m.Set("place", "镇政府三楼会议室")
	m.Set("expected", ids)
	must(t, app.Save(m))
	s := app.Settings()
	s.RateLimits.Enabled = false
	must(t, app.Save(s))
	return m.Id
}

func superuserToken(t *testing.T, addr string) string {
	t.Helper()
	body := `{"identity":"crash@test.simeng","password":"crash-pass-123"}`
	res, err := http.Post("http://"+addr+"/api/collections/_superusers/auth-with-password", "application/json", strings.NewReader(body))
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

func post(t *testing.T, addr, token, path, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func openDir(t *testing.T, dataDir string) *core.BaseApp {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	hooks.Register(app)
	return app
}

func closeDir(app *core.BaseApp) {
	assessment.Flush(app)
	app.ResetBootstrapState()
}

// countIn counts rows of a collection in a data dir the server may be
// using (SQLite readers do not block it).
func countIn(t *testing.T, dataDir, collection, where string) int {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()
	q := "SELECT count(*) FROM " + collection
	if where != "" {
		q += " WHERE " + where
	}
	var c int
	if err := app.DB().NewQuery(q).Row(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func serve(t *testing.T, bin, addr, dataDir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", dataDir)
	cmd.Env = append(os.Environ(), pii.KeyEnv+"="+pii.DevKey, LeaseEnv+"=2s")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, "the server", func() bool {
		res, err := http.Get("http://" + addr + "/api/health")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	})
	return cmd
}

// waitFor polls cond until it holds, failing after a minute.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
