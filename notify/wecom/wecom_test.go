package wecom_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"simeng/notify"
	"simeng/notify/notifytest"
	"simeng/notify/wecom"
)

const key = "693a91f6-7a0c-4bc4-97a0-0ec2f1fa5aaa"

// robot stands in for the WeCom webhook: it checks the key and the JSON it
// gets, and answers as told.
type robot struct {
	srv *httptest.Server

	mu       sync.Mutex
	got      []map[string]any
	answers  []func(w http.ResponseWriter, r *http.Request) // per call, then ok
	calls    int
	released chan struct{}
}

func newRobot(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) *robot {
	rb := &robot{answers: answers, released: make(chan struct{})}
	rb.srv = httptest.NewServer(http.HandlerFunc(rb.serve))
	t.Cleanup(func() {
		close(rb.released)
		rb.srv.Close()
	})
	return rb
}

func (rb *robot) url() string { return rb.srv.URL + "/cgi-bin/webhook/send?key=" + key }

func (rb *robot) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != key {
		errcode(93000, "invalid webhook url, hint: [1], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=93000")(w, r)
		return
	}
	var m map[string]any
	b, _ := io.ReadAll(r.Body)
	if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &m) != nil {
		errcode(40058, "invalid parameter")(w, r)
		return
	}
	rb.mu.Lock()
	rb.calls++
	rb.got = append(rb.got, m)
	var answer func(http.ResponseWriter, *http.Request)
	if rb.calls <= len(rb.answers) {
		answer = rb.answers[rb.calls-1]
	}
	rb.mu.Unlock()
	if answer == nil {
		answer = errcode(0, "ok")
	}
	answer(w, r)
}

func (rb *robot) count() int {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return rb.calls
}

func errcode(code int, msg string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": msg})
	}
}

func status(code int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

func (rb *robot) hang() func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-rb.released:
		case <-r.Context().Done():
		}
	}
}

func slow(d time.Duration) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(d)
		errcode(0, "ok")(w, r)
	}
}

func client(t *testing.T, url string, timeout time.Duration) *wecom.Client {
	t.Helper()
	c, err := wecom.New(wecom.Config{WebhookURL: url, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestText(t *testing.T) {
	tests := []struct {
		name       string
		answer     func(*robot) func(http.ResponseWriter, *http.Request)
		url        func(*robot) string
		timeout    time.Duration
		want       notify.Result
		code       string
		retryAfter time.Duration
	}{
		{name: "wrong key", url: func(rb *robot) string { return strings.Replace(rb.url(), key, "nope", 1) }, want: notify.Blocked, code: "errcode 93000"},
		{name: "rate limited", answer: func(*robot) func(http.ResponseWriter, *http.Request) {
			return errcode(45009, "api freq out of limit, hint: [2]")
		}, want: notify.Retry, code: "errcode 45009", retryAfter: time.Minute},
		{name: "system busy", answer: func(*robot) func(http.ResponseWriter, *http.Request) { return errcode(-1, "system busy") }, want: notify.Retry, code: "errcode -1"},
		{name: "refused message", answer: func(*robot) func(http.ResponseWriter, *http.Request) { return errcode(44004, "empty content") }, want: notify.Reject, code: "errcode 44004"},
		{name: "unlisted errcode", answer: func(*robot) func(http.ResponseWriter, *http.Request) { return errcode(12345, "new") }, want: notify.Retry, code: "errcode 12345"},
		{name: "HTTP 502", answer: func(*robot) func(http.ResponseWriter, *http.Request) { return status(502) }, want: notify.Unknown, code: "http 502"},
		{name: "not JSON", answer: func(*robot) func(http.ResponseWriter, *http.Request) { return status(200) }, want: notify.Unknown, code: "unreadable answer"},
		{name: "slow but in time", answer: func(*robot) func(http.ResponseWriter, *http.Request) { return slow(50 * time.Millisecond) }, want: notify.Delivered, code: "errcode 0"},
		{name: "no answer in time", answer: func(rb *robot) func(http.ResponseWriter, *http.Request) { return rb.hang() }, timeout: 200 * time.Millisecond, want: notify.Unknown, code: "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb := newRobot(t)
			if tt.answer != nil {
				rb.answers = append(rb.answers, tt.answer(rb))
			}
			url := rb.url()
			if tt.url != nil {
				url = tt.url(rb)
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 5 * time.Second
			}
			o := client(t, url, timeout).Text(context.Background(), "测试")
			if o.Result != tt.want || o.Code != tt.code || o.RetryAfter != tt.retryAfter {
				t.Errorf("Text = %+v (%s), want %s %q", o, o.Result, tt.want, tt.code)
			}
			if strings.Contains(o.Error(), key) || strings.Contains(o.Error(), "from ip") {
				t.Errorf("the outcome quotes the key or the caller: %s", o.Error())
			}
		})
	}
}

func TestTextBody(t *testing.T) {
	rb := newRobot(t)
	c := client(t, rb.url(), 5*time.Second)
	long := strings.Repeat("逾期", 2000)
	if o := c.Text(context.Background(), long, "13800138000"); o.Result != notify.Delivered {
		t.Fatalf("Text = %+v", o)
	}
	if o := c.Markdown(context.Background(), "**逾期** 事项"); o.Result != notify.Delivered {
		t.Fatalf("Markdown = %+v", o)
	}
	text := rb.got[0]["text"].(map[string]any)
	content := text["content"].(string)
	if rb.got[0]["msgtype"] != "text" || len(content) > wecom.MaxText || !utf8.ValidString(content) || !strings.HasSuffix(content, "…") {
		t.Errorf("text message: %d bytes, %v", len(content), rb.got[0]["msgtype"])
	}
	if m := text["mentioned_mobile_list"].([]any); len(m) != 1 || m[0] != "13800138000" {
		t.Errorf("mentions: %v", m)
	}
	if rb.got[1]["msgtype"] != "markdown" || rb.got[1]["markdown"].(map[string]any)["content"] != "**逾期** 事项" {
		t.Errorf("markdown message: %v", rb.got[1])
	}
}

func TestRobotDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	o := client(t, "http://"+addr+"/cgi-bin/webhook/send?key="+key, 2*time.Second).Text(context.Background(), "x")
	if o.Result != notify.Retry || o.Code != "connect" || strings.Contains(o.Error(), key) {
		t.Errorf("Text = %+v", o)
	}
}

func TestNew(t *testing.T) {
	for url, want := range map[string]error{
		"": wecom.ErrNotConfigured,
		"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x": wecom.ErrBadURL,
		"qyapi.weixin.qq.com/cgi-bin/webhook/send":              wecom.ErrBadURL,
		"https://": wecom.ErrBadURL,
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x": nil,
		"http://127.0.0.1:9/cgi-bin/webhook/send?key=x":          nil,
	} {
		if _, err := wecom.New(wecom.Config{WebhookURL: url}); !errors.Is(err, want) {
			t.Errorf("New(%q) = %v, want %v", url, err, want)
		}
	}
}

// TestOutboxRobot drives office messages through the worker: one post per
// message while the robot works, at least once when it does not answer, and
// never more than 20 a minute.
func TestOutboxRobot(t *testing.T) {
	pol := notify.DefaultPolicies()
	now := time.Date(2025, 6, 1, 22, 0, 0, 0, notify.ChinaTime) // night: the robot has no quiet hours
	rb := newRobot(t)
	rb.answers = []func(http.ResponseWriter, *http.Request){status(503), errcode(45009, "api freq out of limit")}
	store := notifytest.NewStore(pol)
	for i := range 25 {
		_, err := store.Enqueue(notify.Message{
			EventKey: notify.EventKey(notify.TplDeadlinePassed, "hz"+string(rune('a'+i)), "2025-06-01"), Recipient: "office", Channel: notify.WeCom,
			Template: notify.TplDeadlinePassed, Params: map[string]string{"kind": "隐患", "due": "2025-06-01", "title": "校门口护栏缺失"},
		}, now)
		if err != nil {
			t.Fatal(err)
		}
	}
	clock := notifytest.NewClock(now)
	w := &notify.Worker{Store: store, Policies: pol, Now: clock.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.WeCom: &wecom.Sender{Robots: map[string]*wecom.Client{"office": client(t, rb.url(), 5*time.Second)}}}}
	if err := notifytest.Drain(context.Background(), w, clock, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if store.Count(notify.Sent) != 25 || rb.count() != 27 {
		t.Errorf("%d sent with %d posts; want 25 with 27 (a 503 and a rate limit retried)", store.Count(notify.Sent), rb.count())
	}
	tries := store.Attempts()
	for i, a := range tries {
		n := 0
		for _, b := range tries[i:] {
			if b.At.Sub(a.At) < time.Minute {
				n++
			}
		}
		if n > 20 {
			t.Fatalf("%d posts within a minute", n)
		}
	}
	body := rb.got[2]["text"].(map[string]any)["content"].(string)
	if body != "隐患已逾期\n校门口护栏缺失，期限2025-06-01，已逾期，请尽快办理并报告进展。" {
		t.Errorf("robot text = %q", body)
	}
}
