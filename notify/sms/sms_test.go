package sms_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"simeng/notify"
	"simeng/notify/sms"
)

const phone = "13800138000"

func request(outID string) sms.Request {
	return sms.Request{Phone: "+86 138-0013-8000", TemplateCode: "SMS_100001", ParamJSON: `{"code":"482913"}`, OutID: outID}
}

func TestSend(t *testing.T) {
	tests := []struct {
		name       string
		reply      reply
		timeout    time.Duration
		req        sms.Request
		want       notify.Result
		wantCode   string
		retryAfter time.Duration
		calls      int
	}{
		// Refused before anything leaves.
		{name: "invalid phone", req: sms.Request{Phone: "12345", TemplateCode: "SMS_1"}, want: notify.Reject, wantCode: "invalid phone"},
		{name: "no template code in the settings", req: sms.Request{Phone: phone}, want: notify.Blocked, wantCode: "no template code"},
		// The provider's answers.
		{name: "flow control", reply: reply{code: "isv.BUSINESS_LIMIT_CONTROL"}, want: notify.Retry, wantCode: "isv.BUSINESS_LIMIT_CONTROL", retryAfter: time.Hour, calls: 1},
		{name: "number refused", reply: reply{code: "isv.MOBILE_NUMBER_ILLEGAL"}, want: notify.Reject, wantCode: "isv.MOBILE_NUMBER_ILLEGAL", calls: 1},
		{name: "account in arrears", reply: reply{code: "isv.OUT_OF_SERVICE"}, want: notify.Blocked, wantCode: "isv.OUT_OF_SERVICE", calls: 1},
		{name: "template not approved", reply: reply{code: "isv.SMS_TEMPLATE_ILLEGAL"}, want: notify.Blocked, wantCode: "isv.SMS_TEMPLATE_ILLEGAL", calls: 1},
		{name: "wrong secret (HTTP 400)", reply: reply{status: 400, code: "SignatureDoesNotMatch"}, want: notify.Blocked, wantCode: "SignatureDoesNotMatch", calls: 1},
		{name: "provider system error", reply: reply{code: "isp.SYSTEM_ERROR"}, want: notify.Unknown, wantCode: "isp.SYSTEM_ERROR", calls: 1},
		{name: "unlisted code", reply: reply{code: "isv.SOMETHING_NEW"}, want: notify.Retry, wantCode: "isv.SOMETHING_NEW", calls: 1},
		{name: "HTTP 503", reply: reply{status: 503}, want: notify.Unknown, wantCode: "http 503 ServiceUnavailable", calls: 1},
		{name: "HTTP 502 with an HTML page", reply: reply{status: 502, body: "<html>Bad Gateway</html>"}, want: notify.Unknown, wantCode: "http 502", calls: 1},
		{name: "unreadable answer", reply: reply{body: "{not json"}, want: notify.Unknown, calls: 1},
		{name: "slow but in time", reply: reply{delay: 50 * time.Millisecond}, timeout: 5 * time.Second, want: notify.Delivered, wantCode: "OK", calls: 1},
		{name: "accepted but answers after the timeout", reply: reply{hang: true}, timeout: 200 * time.Millisecond, want: notify.Unknown, wantCode: "timeout", calls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, tt.reply)
			req := tt.req
			if req.Phone == "" && req.TemplateCode == "" {
				req = request("out-1")
			}
			o := s.client(t, cmpTimeout(tt.timeout)).Send(context.Background(), req)
			if o.Result != tt.want || (tt.wantCode != "" && o.Code != tt.wantCode) || o.RetryAfter != tt.retryAfter {
				t.Errorf("Send = %+v (%s), want %s %q after %s", o, o.Result, tt.want, tt.wantCode, tt.retryAfter)
			}
			if sends, _, _ := s.counts(); sends != tt.calls {
				t.Errorf("%d SendSms calls, want %d", sends, tt.calls)
			}
			if strings.Contains(o.Error(), "138") || strings.Contains(o.Error(), testKeyID) {
				t.Errorf("outcome quotes the request: %s", o.Error())
			}
		})
	}
}

func cmpTimeout(d time.Duration) time.Duration {
	if d == 0 {
		return 5 * time.Second
	}
	return d
}

func TestSendAccepted(t *testing.T) {
	s := newStandIn(t)
	o := s.client(t, 5*time.Second).Send(context.Background(), request("abc123"))
	if o.Result != notify.Delivered || o.Ref != "biz-1" {
		t.Fatalf("Send = %+v", o)
	}
	want := sent{Phone: phone, Sign: testSign, Template: "SMS_100001", Param: `{"code":"482913"}`, OutID: "abc123", BizID: "biz-1"}
	s.mu.Lock()
	got := s.accepted[0]
	s.mu.Unlock()
	got.Day = ""
	if got != want {
		t.Errorf("the provider got %+v, want %+v", got, want)
	}
}

func TestSendProviderDown(t *testing.T) {
	// A port nothing listens on: the request never leaves, so a retry is safe.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := sms.New(sms.Config{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SignName: testSign, Endpoint: addr, Scheme: "http", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Send(context.Background(), request("x")); o.Result != notify.Retry || o.Code != "connect" {
		t.Errorf("Send = %+v", o)
	}
}

func TestSendCancelled(t *testing.T) {
	s := newStandIn(t, reply{hang: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan notify.Outcome)
	go func() { done <- s.client(t, 5*time.Second).Send(ctx, request("x")) }()
	waitFor(t, "the send", func() bool { sends, _, _ := s.counts(); return sends == 1 })
	cancel()
	if o := <-done; o.Result != notify.Unknown {
		t.Errorf("a send stopped mid-way is unknown, got %+v", o)
	}
}

func TestSendTimeoutThenLookupFindsIt(t *testing.T) {
	s := newStandIn(t, reply{hang: true})
	attempted := time.Date(2025, 6, 1, 10, 0, 0, 0, notify.ChinaTime)
	s.now = func() time.Time { return attempted }
	c := s.client(t, 200*time.Millisecond)
	if o := c.Send(context.Background(), request("lost-answer")); o.Result != notify.Unknown {
		t.Fatalf("Send = %+v", o)
	}
	s.releaseAll()
	if o := c.Lookup(context.Background(), phone, "lost-answer", attempted); o.Result != notify.Delivered {
		t.Errorf("Lookup = %+v, want the accepted message found", o)
	}
	if sends, queries, _ := s.counts(); sends != 1 || queries != 1 {
		t.Errorf("%d sends, %d queries", sends, queries)
	}
}

func TestLookup(t *testing.T) {
	// A fixed clock: an attempt within ten minutes of midnight (China time)
	// also looks at the next day, which a test run at that hour must not see
	// by accident.
	noon := time.Date(2025, 6, 1, 12, 0, 0, 0, notify.ChinaTime)
	beforeMidnight := time.Date(2025, 6, 1, 23, 55, 0, 0, notify.ChinaTime)
	tests := []struct {
		name    string
		now     time.Time // when the attempt was made; noon unless set
		setup   func(s *standIn, c *sms.Client)
		outID   string
		want    notify.Result
		queries int
	}{
		{name: "attempted before midnight, accepted after: the next day is looked at", outID: "o-1",
			now: beforeMidnight, want: notify.Delivered, queries: 2,
			setup: func(s *standIn, c *sms.Client) {
				s.now = func() time.Time { return beforeMidnight.Add(6 * time.Minute) }
				c.Send(context.Background(), request("o-1"))
			}},
		{name: "attempted before midnight, never accepted: both days", outID: "nope",
			now: beforeMidnight, want: notify.Retry, queries: 2},
		{name: "never accepted", outID: "nope", want: notify.Retry, queries: 1},
		{name: "accepted", outID: "o-1", want: notify.Delivered, queries: 1,
			setup: func(s *standIn, c *sms.Client) { c.Send(context.Background(), request("o-1")) }},
		{name: "accepted, carrier failed: may be sent again", outID: "o-1", want: notify.Retry, queries: 1,
			setup: func(s *standIn, c *sms.Client) { c.Send(context.Background(), request("o-1")); s.sendStatus = 2 }},
		{name: "on the second page", outID: "o-60", want: notify.Delivered, queries: 2,
			setup: func(s *standIn, c *sms.Client) {
				for i := range 61 {
					c.Send(context.Background(), request("o-"+string(rune('0'+i/10))+string(rune('0'+i%10))))
				}
			}},
		{name: "lookup fails", outID: "o-1", want: notify.Unknown, queries: 1,
			setup: func(s *standIn, c *sms.Client) { s.queryStatus = 503 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := noon
			if !tt.now.IsZero() {
				now = tt.now
			}
			s := newStandIn(t)
			s.now = func() time.Time { return now }
			c := s.client(t, 5*time.Second)
			if tt.setup != nil {
				tt.setup(s, c)
			}
			o := c.Lookup(context.Background(), phone, tt.outID, now)
			if o.Result != tt.want {
				t.Errorf("Lookup = %+v, want %s", o, tt.want)
			}
			if _, q, _ := s.counts(); q != tt.queries {
				t.Errorf("%d queries, want %d", q, tt.queries)
			}
		})
	}
}

func TestNew(t *testing.T) {
	full := sms.Config{AccessKeyID: "k", AccessKeySecret: "s", SignName: "n"}
	tests := []struct {
		name string
		cfg  func(sms.Config) sms.Config
		want error
	}{
		{name: "off until configured", cfg: func(c sms.Config) sms.Config { return sms.Config{} }, want: sms.ErrNotConfigured},
		{name: "no sign name", cfg: func(c sms.Config) sms.Config { c.SignName = ""; return c }, want: sms.ErrNotConfigured},
		{name: "plain http to the internet", cfg: func(c sms.Config) sms.Config { c.Scheme = "http"; return c }, want: sms.ErrInsecure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sms.New(tt.cfg(full)); !errors.Is(err, tt.want) {
				t.Errorf("New = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := sms.New(sms.Config{AccessKeyID: "k", AccessKeySecret: "s", SignName: "n", Scheme: "ftp"}); err == nil {
		t.Error("an unknown scheme is refused")
	}
	if sms.Config.Enabled(full) != true {
		t.Error("a full config is enabled")
	}
}

func TestDefaultSchemeIsHTTPS(t *testing.T) {
	// The SDK's own default is plain HTTP. A client configured without a
	// scheme must not speak plain HTTP even to a local server.
	s := newStandIn(t)
	c, err := sms.New(sms.Config{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SignName: testSign, Endpoint: s.endpoint(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	o := c.Send(context.Background(), request("x"))
	if sends, _, _ := s.counts(); sends != 0 || o.Result == notify.Delivered {
		t.Errorf("%d plain HTTP sends (%+v)", sends, o)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		code string
		want notify.Result
	}{
		{"OK", notify.Delivered},
		{"isv.BUSINESS_LIMIT_CONTROL", notify.Retry},
		{"isv.DAY_LIMIT_CONTROL", notify.Retry},
		{"isv.MOBILE_NUMBER_ILLEGAL", notify.Reject},
		{"isv.TEMPLATE_MISSING_PARAMETERS", notify.Reject},
		{"isv.AMOUNT_NOT_ENOUGH", notify.Blocked},
		{"InvalidAccessKeyId.NotFound", notify.Blocked},
		{"isp.SYSTEM_ERROR", notify.Unknown},
		{"", notify.Retry},
		{"whatever", notify.Retry},
	}
	for _, tt := range tests {
		if o := sms.Classify(tt.code); o.Result != tt.want || o.Code != tt.code {
			t.Errorf("Classify(%q) = %+v, want %s", tt.code, o, tt.want)
		}
	}
}
