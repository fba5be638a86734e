package durability_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"simeng/internal/testbin"
)

// The real binary, built once per test run, driven over HTTP on loopback.

const (
	piiKey     = "durability-test-pii-key-0123456789abcdef"
	suEmail    = "staff@durability.test"
	suPass     = "staff-pass-123456"
	depPhone   = "13800000009"
	depPass    = "deputy-pass-123"
	deputyCode = "durtest01"
)

var binary struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

func buildBinary(t testing.TB) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "simeng-durability-"); binary.err != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binary.dir, "simeng"), "simeng").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return filepath.Join(binary.dir, "simeng")
}

// server is one run of `simeng serve` on a data dir with an environment.
type server struct {
	bin, addr, dir string
	env            []string
	cmd            *exec.Cmd
	wait           <-chan struct{} // closed when the process has exited
	logs           *testbin.Output
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// run runs a one-shot command of the binary and returns its output.
func run(t testing.TB, bin string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func startServer(t testing.TB, bin, dir string, env []string) *server {
	t.Helper()
	s := &server{bin: bin, addr: freeAddr(t), dir: dir, env: append([]string{"SIMENG_PII_KEY=" + piiKey}, env...), logs: &testbin.Output{}}
	s.cmd = exec.Command(bin, "serve", "--http", s.addr, "--dir", dir)
	s.cmd.Env = append(os.Environ(), s.env...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { s.cmd.Wait(); close(exited) }()
	s.wait = exited
	t.Cleanup(func() { s.cmd.Process.Kill(); <-exited })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("server exited:\n%s", s.logs)
		default:
		}
		if res, err := http.Get(s.url("/api/health")); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not start:\n%s", s.logs)
	return nil
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// kill is kill -9: no shutdown hook runs, no last upload.
func (s *server) kill(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.wait
}

// call sends a JSON request and decodes a JSON answer.
func (s *server) call(t testing.TB, method, path, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url(path), rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode
}

func (s *server) mustCall(t testing.TB, method, path, token string, body any, out any) {
	t.Helper()
	var raw json.RawMessage
	code := s.call(t, method, path, token, body, &raw)
	if code != http.StatusOK {
		t.Fatalf("%s %s = %d %s\nthe server's output:\n%s", method, path, code, raw, s.logs)
	}
	if out != nil {
		json.Unmarshal(raw, out)
	}
}

func (s *server) login(t testing.TB, collection, identity, password string) string {
	t.Helper()
	var out struct{ Token string }
	s.mustCall(t, http.MethodPost, "/api/collections/"+collection+"/auth-with-password", "",
		map[string]string{"identity": identity, "password": password}, &out)
	return out.Token
}

// status reads the durability status route.
type statusBody struct {
	Enabled   bool   `json:"enabled"`
	State     string `json:"state"`
	Files     string `json:"files"`
	Databases []struct {
		Name        string `json:"name"`
		LocalTXID   uint64 `json:"local_txid"`
		ReplicaTXID uint64 `json:"replica_txid"`
	} `json:"databases"`
}

func (s *server) status(t testing.TB) statusBody {
	t.Helper()
	var st statusBody
	if code := s.call(t, http.MethodGet, "/api/durability/status", "", nil, &st); code != http.StatusOK {
		t.Fatalf("status = %d %+v", code, st)
	}
	return st
}

// waitReplicated waits until everything committed so far is in the replica:
// Litestream has read the WAL to the end (its position no longer moves over
// a few intervals) and uploaded up to there.
func (s *server) waitReplicated(t testing.TB, interval time.Duration) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last statusBody
	for time.Now().Before(deadline) {
		a := s.status(t)
		if caughtUp(a) {
			time.Sleep(4 * interval)
			if b := s.status(t); caughtUp(b) && b.Databases[0].LocalTXID == a.Databases[0].LocalTXID {
				return
			}
		}
		last = a
		time.Sleep(interval / 2)
	}
	t.Fatalf("replica did not catch up: %+v\n%s", last, s.logs)
}

func caughtUp(st statusBody) bool {
	if st.State != "ok" || len(st.Databases) == 0 {
		return false
	}
	for _, d := range st.Databases {
		if d.ReplicaTXID != d.LocalTXID {
			return false
		}
	}
	return true
}

// township is the seeded state: a superuser, a village, a deputy.
type township struct {
	su, deputy, village string
}

// seed creates the superuser with the CLI and the rest over the API, as a
// technician would, and opens the settings the test needs: no rate limits
// (one test client is many phones) and X-Forwarded-For as the client
// address, so that residents come from many addresses.
func seed(t testing.TB, s *server, settings map[string]any) township {
	t.Helper()
	var tw township
	tw.su = s.login(t, "_superusers", suEmail, suPass)
	patch := map[string]any{
		"rateLimits":   map[string]any{"enabled": false},
		"trustedProxy": map[string]any{"headers": []string{"X-Forwarded-For"}, "useLeftmostIP": true},
	}
	for k, v := range settings {
		patch[k] = v
	}
	s.mustCall(t, http.MethodPatch, "/api/settings", tw.su, patch, nil)
	var v struct{ ID string }
	s.mustCall(t, http.MethodPost, "/api/collections/villages/records", tw.su, map[string]any{"name": "思蒙湾村", "code": "smw"}, &v)
	tw.village = v.ID
	s.mustCall(t, http.MethodPost, "/api/collections/deputies/records", tw.su, map[string]any{
		"name": "向德胜", "phone": depPhone, "password": depPass, "passwordConfirm": depPass,
		"village": tw.village, "level": "township", "active": true, "code": deputyCode,
	}, nil)
	tw.deputy = s.login(t, "deputies", depPhone, depPass)
	return tw
}

func newID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 15)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// photo is a small PNG, different for every n.
func photo(n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 24, 24))
	for i := range img.Pix {
		img.Pix[i] = byte(n >> (8 * (i % 3)))
	}
	img.Set(n%24, (n/24)%24, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// multipartForm posts a resident's form from addr (X-Forwarded-For).
func postForm(t testing.TB, s *server, path, from string, fields map[string]string, pic []byte) *http.Response {
	t.Helper()
	var body bytes.Buffer
	w := newMultipart(&body, fields, pic)
	req, _ := http.NewRequest(http.MethodPost, s.url(path), &body)
	req.Header.Set("Content-Type", w)
	req.Header.Set("X-Forwarded-For", from)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func getPage(t testing.TB, s *server, path, from string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.url(path), nil)
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func getBytes(t testing.TB, s *server, path string) (int, []byte) {
	t.Helper()
	res, err := http.Get(s.url(path))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func formToken(t testing.TB, page string) string {
	t.Helper()
	const marker = `name="t" value="`
	i := strings.Index(page, marker)
	if i < 0 {
		t.Fatalf("no form token in the deputy page:\n%.500s", page)
	}
	rest := page[i+len(marker):]
	return strings.ReplaceAll(rest[:strings.IndexByte(rest, '"')], "&#43;", "+")
}
