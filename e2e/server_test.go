package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	superEmail    = "staff@e2e.simeng"
	superPassword = "e2e-super-pass-1"
	deputyPass    = "e2e-deputy-pass-1"
)

// server is the real simeng binary serving a temp data dir on a fixed
// loopback port, so it can be stopped and started again at the same URL
// (the browser's origin, and so its storage, stays the same).
type server struct {
	t    testing.TB
	dir  string
	addr string
	URL  string
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd exited
	log  syncBuffer
	demo bool // serve the demo township (`simeng demo`) instead of an empty one

	// super is the superuser's token, logged in once: the server limits
	// password logins per address, as it should.
	super string
}

func startServer(t testing.TB) *server { return launch(t, false) }

// startDemoServer serves the demo township (its deputies log in with
// demo.DeputyPhone(i) and demo.Password).
func startDemoServer(t testing.TB) *server { return launch(t, true) }

func launch(t testing.TB, demo bool) *server {
	t.Helper()
	s := &server{t: t, dir: t.TempDir(), addr: freeAddr(t), demo: demo}
	s.URL = "http://" + s.addr
	if !demo { // the demo seeds only an empty data dir, with its own staff login
		if err := os.CopyFS(s.dir, os.DirFS(migratedDir(t))); err != nil {
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

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// e2ePIIKey seals residents' phones in the browser tests' throwaway data.
const e2ePIIKey = "e2e-only-pii-key-never-for-real-data-0123456789"

// Start runs the server and waits until it answers.
func (s *server) Start() {
	s.t.Helper()
	command := "serve"
	if s.demo {
		command = "demo"
	}
	s.cmd = exec.Command(serverBin, command, "--http", s.addr, "--dir", s.dir)
	// serve refuses to start without the key that seals residents' phones.
	s.cmd.Env = append(os.Environ(), "SIMENG_PII_KEY="+e2ePIIKey)
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
func (s *server) Stop() {
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
func (s *server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// syncBuffer is the server's log, written by the process copier and read by
// the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// api calls the server's JSON API; token may be "".
func (s *server) api(method, path, token string, body any, out any) int {
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

func (s *server) mustAPI(method, path, token string, body any, out any) {
	s.t.Helper()
	var raw json.RawMessage
	code := s.api(method, path, token, body, &raw)
	if code >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, code, raw)
	}
	if out != nil {
		json.Unmarshal(raw, out)
	}
}

func (s *server) login(collection, identity, password string) string {
	s.t.Helper()
	var res struct {
		Token string `json:"token"`
	}
	s.mustAPI("POST", "/api/collections/"+collection+"/auth-with-password", "",
		map[string]string{"identity": identity, "password": password}, &res)
	return res.Token
}

func (s *server) superToken() string {
	if s.super == "" {
		s.super = s.login("_superusers", superEmail, superPassword)
	}
	return s.super
}

type township struct {
	Village           string
	Deputy, Presidium account
}

type account struct{ ID, Name, Phone string }

// seedTownship creates a village, an ordinary deputy and a presidium member
// through the admin API, as staff would.
func (s *server) seedTownship() township {
	s.t.Helper()
	su := s.superToken()
	var v struct{ ID string }
	s.mustAPI("POST", "/api/collections/villages/records", su, map[string]any{"name": "思蒙湾村", "code": "smw"}, &v)
	mk := func(name, phone string, presidium bool) account {
		var d struct{ ID string }
		s.mustAPI("POST", "/api/collections/deputies/records", su, map[string]any{
			"name": name, "phone": phone, "password": deputyPass, "passwordConfirm": deputyPass,
			"village": v.ID, "level": "township", "active": true, "presidium": presidium, "term": "第十九届",
		}, &d)
		return account{ID: d.ID, Name: name, Phone: phone}
	}
	return township{Village: v.ID, Deputy: mk("向代表", "13900001001", false), Presidium: mk("舒主席", "13900001002", true)}
}

// syncRoutesExist tells whether the visits sync API is in this build.
func (s *server) syncRoutesExist(token string) bool {
	var body json.RawMessage
	code := s.api("GET", "/api/sync/pull?since=0&limit=1", token, nil, &body)
	return code != http.StatusNotFound
}

func urlQuery(s string) string { return url.QueryEscape(s) }
