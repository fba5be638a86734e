package sms_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"simeng/notify"
	"simeng/notify/sms"
)

// FuzzSendAnswer feeds arbitrary provider answers (status and body) through
// the SDK: no panic, a valid outcome, a 5xx never taken for a refusal, and
// no outcome quoting the request (phone number, access key id).
func FuzzSendAnswer(f *testing.F) {
	f.Add(200, []byte(`{"Code":"OK","BizId":"1^2","RequestId":"r","Message":"OK"}`))
	f.Add(200, []byte(`{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1"}`))
	f.Add(400, []byte(`{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched"}`))
	f.Add(503, []byte(`<html>busy</html>`))
	f.Add(200, []byte(`{"Code":13800138000}`))
	f.Add(200, []byte(``))

	var mu sync.Mutex
	var status int
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}))
	defer srv.Close()
	c, err := sms.New(sms.Config{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SignName: testSign,
		Endpoint: strings.TrimPrefix(srv.URL, "http://"), Scheme: "http", Timeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, st int, b []byte) {
		if st < 200 || st > 599 {
			st = 200 + (st%400+400)%400
		}
		mu.Lock()
		status, body = st, b
		mu.Unlock()
		o := c.Send(context.Background(), request("fuzz"))
		if o.Result < notify.Delivered || o.Result > notify.Blocked {
			t.Fatalf("invalid result %+v", o)
		}
		if st >= 500 && o.Result != notify.Unknown {
			t.Fatalf("HTTP %d taken as %s", st, o.Result)
		}
		if o.Result == notify.Delivered && st >= 300 {
			t.Fatalf("HTTP %d taken as delivered", st)
		}
		text := o.Error()
		if !strings.Contains(string(b), testKeyID) && strings.Contains(text, testKeyID) ||
			!strings.Contains(string(b), phone) && strings.Contains(text, phone) {
			t.Fatalf("outcome quotes the request: %q", text)
		}
		if len(o.Code) > 80 || !utf8.ValidString(o.Code) && utf8.Valid(b) {
			t.Fatalf("code %q", o.Code)
		}
	})
}

// FuzzClassify: any code maps to a valid outcome with a bounded code.
func FuzzClassify(f *testing.F) {
	for _, c := range []string{"OK", "isv.MOBILE_NUMBER_ILLEGAL", "", strings.Repeat("x", 200)} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, code string) {
		o := sms.Classify(code)
		if o.Result < notify.Delivered || o.Result > notify.Blocked || len(o.Code) > 64 {
			t.Fatalf("Classify(%q) = %+v", code, o)
		}
	})
}
