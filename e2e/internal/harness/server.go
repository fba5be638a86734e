package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"simeng/internal/testbin"
)

const (
	superEmail    = "staff@e2e.simeng"
	superPassword = "e2e-super-pass-1"
	// DeputyPass is the password of the deputies SeedTownship makes.
	DeputyPass = "e2e-deputy-pass-1"
	// AccountPass is the password of the accounts SeedAccounts makes
	// (staff and units want ≥ 10 characters).
	AccountPass = "e2e-account-pass-1"
)

// PBTime is the layout of PocketBase's date fields.
const PBTime = "2006-01-02 15:04:05.000Z"

// Server is the real simeng binary serving a temp data dir on a fixed
// loopback port, so it can be stopped and started again at the same URL
// (the browser's origin, and so its storage, stays the same).
type Server struct {
	t    testing.TB
	Dir  string // the data dir
	addr string
	URL  string
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd exited
	log  testbin.Output
	demo bool // serve the demo township (`simeng demo`) instead of an empty one

	// super is the superuser's token, logged in once: the server limits
	// password logins per address, as it should.
	super string
}

// StartServer serves an empty township: migrated, with a superuser.
func StartServer(t testing.TB) *Server { return launch(t, false) }

// StartDemoServer serves the demo township (its deputies log in with
// demo.DeputyPhone(i) and demo.Password).
func StartDemoServer(t testing.TB) *Server { return launch(t, true) }

func launch(t testing.TB, demo bool) *Server {
	t.Helper()
	s := &Server{t: t, Dir: t.TempDir(), addr: FreeAddr(t), demo: demo}
	s.URL = "http://" + s.addr
	if !demo { // the demo seeds only an empty data dir, with its own staff login
		if err := os.CopyFS(s.Dir, os.DirFS(migratedDir(t))); err != nil {
			t.Fatal(err)
		}
	}
	s.Start()
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("server log:\n%s", s.log.String())
		}
	})
	return s
}

// migrated is a data dir with every migration applied and the superuser
// made, once per test binary: each test's server starts from a copy of it
// (applying the migrations to a fresh dir cost every server seconds).
var migrated struct {
	once sync.Once
	dir  string
	err  error
}

func migratedDir(t testing.TB) string {
	t.Helper()
	migrated.once.Do(func() {
		if migrated.dir, migrated.err = os.MkdirTemp("", "simeng-e2e-migrated-"); migrated.err != nil {
			return
		}
		for _, args := range [][]string{
			{"migrate", "up", "--dir", migrated.dir},
			{"superuser", "upsert", superEmail, superPassword, "--dir", migrated.dir},
		} {
			if out, err := exec.Command(serverBin, args...).CombinedOutput(); err != nil {
				migrated.err = fmt.Errorf("%s %s: %v\n%s", serverBin, args[0], err, out)
				return
			}
		}
	})
	if migrated.err != nil {
		t.Fatal(migrated.err)
	}
	return migrated.dir
}

// FreeAddr is a loopback address with a port free a moment ago.
func FreeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// piiKey seals residents' phones in the browser tests' throwaway data.
const piiKey = "e2e-only-pii-key-never-for-real-data-0123456789"

// Start runs the server and waits until it answers.
func (s *Server) Start() {
	s.t.Helper()
	command := "serve"
	if s.demo {
		command = "demo"
	}
	s.cmd = exec.Command(serverBin, command, "--http", s.addr, "--dir", s.Dir)
	// serve refuses to start without the key that seals residents' phones.
	s.cmd.Env = append(os.Environ(), "SIMENG_PII_KEY="+piiKey)
	s.cmd.Stdout, s.cmd.Stderr = &s.log, &s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	done := make(chan struct{})
	s.done = done
	go func() { s.cmd.Wait(); close(done) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			s.t.Fatalf("server exited at start:\n%s", s.log.String())
		default:
		}
		res, err := http.Get(s.URL + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("server on %s did not answer /api/health within 60s:\n%s", s.addr, s.log.String())
}

// Stop ends the server (the phone loses its signal as far as the service
// worker is concerned: DevTools network emulation does not cover it).
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// Kill ends the server with SIGKILL: no graceful shutdown, replies in
// flight are lost.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// API calls the server's JSON API; token may be "".
func (s *Server) API(method, path, token string, body any, out any) int {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode
}

// MustAPI is API failing the test on a status of 300 or more.
func (s *Server) MustAPI(method, path, token string, body any, out any) {
	s.t.Helper()
	var raw json.RawMessage
	code := s.API(method, path, token, body, &raw)
	if code >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, code, raw)
	}
	if out != nil {
		json.Unmarshal(raw, out)
	}
}

// Login logs identity in to an auth collection and returns the token.
func (s *Server) Login(collection, identity, password string) string {
	s.t.Helper()
	var res struct {
		Token string `json:"token"`
	}
	s.MustAPI("POST", "/api/collections/"+collection+"/auth-with-password", "",
		map[string]string{"identity": identity, "password": password}, &res)
	return res.Token
}

// SuperToken is the superuser's token.
func (s *Server) SuperToken() string {
	if s.super == "" {
		s.super = s.Login("_superusers", superEmail, superPassword)
	}
	return s.super
}

// Township is what SeedTownship made.
type Township struct {
	Village           string
	Deputy, Presidium Account
}

// Account is a person who logs in.
type Account struct{ ID, Name, Phone string }

// SeedTownship creates a village, an ordinary deputy and a presidium member
// through the admin API, as staff would.
func (s *Server) SeedTownship() Township {
	s.t.Helper()
	su := s.SuperToken()
	var v struct{ ID string }
	s.MustAPI("POST", "/api/collections/villages/records", su, map[string]any{"name": "思蒙湾村", "code": "smw"}, &v)
	mk := func(name, phone string, presidium bool) Account {
		var d struct{ ID string }
		s.MustAPI("POST", "/api/collections/deputies/records", su, map[string]any{
			"name": name, "phone": phone, "password": DeputyPass, "passwordConfirm": DeputyPass,
			"village": v.ID, "level": "township", "active": true, "presidium": presidium, "term": "第十九届",
		}, &d)
		return Account{ID: d.ID, Name: name, Phone: phone}
	}
	return Township{Village: v.ID, Deputy: mk("向代表", "13900001001", false), Presidium: mk("舒主席", "13900001002", true)}
}

// SyncRoutesExist tells whether the visits sync API is in this build.
func (s *Server) SyncRoutesExist(token string) bool {
	var body json.RawMessage
	code := s.API("GET", "/api/sync/pull?since=0&limit=1", token, nil, &body)
	return code != http.StatusNotFound
}

// SeedAccounts adds an office staff account (made by the technician) and a
// handling unit (made by that staff account, as the office would).
func (s *Server) SeedAccounts(town Township) (staff, unit Account) {
	s.t.Helper()
	var rec struct{ ID string }
	s.MustAPI("POST", "/api/collections/staff/records", s.SuperToken(), map[string]any{
		"name": "田联络", "phone": "13700001001", "role": "liaison", "title": "镇人大办主任", "active": true,
		"password": AccountPass, "passwordConfirm": AccountPass,
	}, &rec)
	staff = Account{ID: rec.ID, Name: "田联络", Phone: "13700001001"}
	tok := s.Login("staff", staff.Phone, AccountPass)
	s.MustAPI("POST", "/api/collections/units/records", tok, map[string]any{
		"name": "镇应急办", "kind": "department", "contact_name": "杨主任", "phone": "13600001001", "active": true,
		"password": AccountPass, "passwordConfirm": AccountPass,
	}, &rec)
	unit = Account{ID: rec.ID, Name: "镇应急办", Phone: "13600001001"}
	return staff, unit
}

// RelaxedSuperToken logs the superuser in once PocketBase's auth rate
// limit (2 a 3 s per address, which every login of a test shares) lets it,
// and switches the limits off for the rest of the test: these tests follow
// several people through the app, not the limiter.
func (s *Server) RelaxedSuperToken() string {
	s.t.Helper()
	var res struct {
		Token string `json:"token"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code := s.API("POST", "/api/collections/_superusers/auth-with-password", "",
			map[string]string{"identity": superEmail, "password": superPassword}, &res)
		if code == 200 {
			break
		}
		if code != 429 || time.Now().After(deadline) {
			s.t.Fatalf("superuser login: %d", code)
		}
		time.Sleep(250 * time.Millisecond) // the limiter's window, polled
	}
	s.MustAPI("PATCH", "/api/settings", res.Token, map[string]any{"rateLimits": map[string]any{"enabled": false}}, nil)
	return res.Token
}
