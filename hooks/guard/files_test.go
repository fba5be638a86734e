package guard_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"simeng/internal/testapp"
	"simeng/internal/testbin"
	"simeng/pii"
)

// Issue 6: the real server keeps its data dir to its own user: the dir
// 0700, the databases (and their -wal), uploads, backups and its secrets
// 0600, whatever the umask it was started with; a data dir made loose
// before is tightened when it starts.
func TestDataDirIsPrivate(t *testing.T) {
	t.Parallel() // mostly waits for the real server
	bin, err := testbin.Server()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "pb_data")
	env := append(os.Environ(), pii.KeyEnv+"="+pii.DevKey)
	run := func(args ...string) {
		cmd := exec.Command(bin, append(args, "--dir", dir)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("superuser", "upsert", "tech@test.simeng", "files-test-pass-2026")
	// An install from before: loose modes.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "data.db"), 0o644); err != nil {
		t.Fatal(err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", dir)
	cmd.Env = env
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res, err := http.Get(base + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	call := func(method, path, token, contentType string, body io.Reader) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, body)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, out)
		}
		return out
	}
	login := call(http.MethodPost, "/api/collections/_superusers/auth-with-password", "", "application/json",
		strings.NewReader(`{"identity":"tech@test.simeng","password":"files-test-pass-2026"}`))
	token, _ := login["token"].(string)
	village := call(http.MethodPost, "/api/collections/villages/records", token, "application/json", strings.NewReader(`{"name":"思蒙湾村","code":"smw"}`))
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	for k, v := range map[string]string{"name": "张三", "phone": "13800000001", "village": village["id"].(string), "level": "township",
		"active": "true", "password": "路灯修好了吗2026", "passwordConfirm": "路灯修好了吗2026"} {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("avatar", "zhang.png")
	fw.Write(testapp.PNG(t, 64, 64, 3))
	w.Close()
	call(http.MethodPost, "/api/collections/deputies/records", token, w.FormDataContentType(), &form)
	call(http.MethodPost, "/api/backups", token, "application/json", strings.NewReader(`{"name":"drill.zip"}`))

	want := map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "notes.txt"): 0o600}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		switch {
		case d.IsDir() && (name == "storage" || name == "backups"):
			want[p] = 0o700
		case name == "data.db", name == "data.db-wal", name == "auxiliary.db", name == "drill.zip", name == ".device_secret",
			strings.HasSuffix(name, ".png"):
			want[p] = 0o600
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"data.db", "data.db-wal", "auxiliary.db", "drill.zip", ".png", "storage", "backups"} {
		found := false
		for p := range want {
			found = found || strings.HasSuffix(p, must)
		}
		if !found {
			t.Errorf("no %s in the data dir to check", must)
		}
	}
	for p, mode := range want {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %o, want %o", strings.TrimPrefix(p, dir), got, mode)
		}
	}
}
