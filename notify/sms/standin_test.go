package sms_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"simeng/notify"
	"simeng/notify/sms"
)

const (
	testKeyID  = "LTAItestkeyid"
	testSecret = "test-secret"
	testSign   = "思蒙镇人大"
)

// sent is a message the stand-in accepted.
type sent struct {
	Phone, Sign, Template, Param, OutID, BizID, Day string
}

// reply is how the stand-in answers one SendSms call.
type reply struct {
	status int    // HTTP status; 0: 200
	code   string // answer code; "": OK
	body   string // raw body instead of JSON
	hang   bool   // accept, then answer only when released or the client gives up
	delay  time.Duration
}

// standIn plays Alibaba's dysmsapi on a local HTTP server: SendSms and
// QuerySendDetails, signed requests only.
type standIn struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	accepted    []sent
	sendCalls   int
	queryCalls  int
	replies     []reply // answers to the SendSms calls in order; then OK
	queryStatus int     // HTTP status of QuerySendDetails; 0: 200
	sendStatus  int64   // SendStatus reported for accepted messages; 0: 3
	release     chan struct{}
	now         func() time.Time // dates what it accepts; default time.Now
}

func newStandIn(t *testing.T, replies ...reply) *standIn {
	s := &standIn{t: t, replies: replies, release: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.releaseAll()
		s.srv.Close()
	})
	return s
}

func (s *standIn) releaseAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

func (s *standIn) endpoint() string { return strings.TrimPrefix(s.srv.URL, "http://") }

func (s *standIn) client(t *testing.T, timeout time.Duration) *sms.Client {
	t.Helper()
	c, err := sms.New(sms.Config{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SignName: testSign,
		Endpoint: s.endpoint(), Scheme: "http", Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *standIn) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("AccessKeyId") != testKeyID || q.Get("Signature") == "" || q.Get("SignatureMethod") != "HMAC-SHA1" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"Code": "IncompleteSignature", "Message": "unsigned"})
		return
	}
	switch q.Get("Action") {
	case "SendSms":
		s.sendSms(w, r)
	case "QuerySendDetails":
		s.query(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"Code": "InvalidAction.NotFound"})
	}
}

func (s *standIn) sendSms(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.sendCalls++
	rep := reply{}
	if s.sendCalls <= len(s.replies) {
		rep = s.replies[s.sendCalls-1]
	}
	accept := rep.status == 0 && rep.code == "" && rep.body == ""
	var biz string
	if accept {
		biz = fmt.Sprintf("biz-%d", len(s.accepted)+1)
		s.accepted = append(s.accepted, sent{
			Phone: q.Get("PhoneNumbers"), Sign: q.Get("SignName"), Template: q.Get("TemplateCode"),
			Param: q.Get("TemplateParam"), OutID: q.Get("OutId"), BizID: biz,
			Day: s.clock().In(notify.ChinaTime).Format("20060102"),
		})
	}
	release := s.release
	s.mu.Unlock()

	if rep.delay > 0 {
		time.Sleep(rep.delay)
	}
	if rep.hang {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case rep.body != "":
		w.WriteHeader(cmp.Or(rep.status, http.StatusOK))
		w.Write([]byte(rep.body))
	case rep.status >= 300:
		writeJSON(w, rep.status, map[string]string{"Code": cmp.Or(rep.code, "ServiceUnavailable"), "Message": "stand-in failure", "RequestId": "r"})
	case rep.code != "":
		writeJSON(w, http.StatusOK, map[string]string{"Code": rep.code, "Message": "stand-in refusal", "RequestId": "r"})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": "r"})
	}
}

func (s *standIn) query(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queryCalls++
	if s.queryStatus >= 300 {
		writeJSON(w, s.queryStatus, map[string]string{"Code": "ServiceUnavailable"})
		return
	}
	size, _ := strconv.Atoi(q.Get("PageSize"))
	page, _ := strconv.Atoi(q.Get("CurrentPage"))
	if size < 1 || size > 50 || page < 1 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"Code": "isv.INVALID_PARAMETERS"})
		return
	}
	type dto struct {
		OutId, PhoneNum, TemplateCode, ErrCode string
		SendStatus                             int64
	}
	var all []dto
	for _, m := range s.accepted {
		if m.Phone == q.Get("PhoneNumber") && m.Day == q.Get("SendDate") {
			all = append(all, dto{OutId: m.OutID, PhoneNum: m.Phone, TemplateCode: m.Template, ErrCode: "DELIVERED", SendStatus: cmp.Or(s.sendStatus, int64(3))})
		}
	}
	from, to := min((page-1)*size, len(all)), min(page*size, len(all))
	writeJSON(w, http.StatusOK, map[string]any{
		"Code": "OK", "Message": "OK", "RequestId": "r", "TotalCount": strconv.Itoa(len(all)),
		"SmsSendDetailDTOs": map[string]any{"SmsSendDetailDTO": all[from:to]},
	})
}

func (s *standIn) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (s *standIn) counts() (sends, queries, accepted int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendCalls, s.queryCalls, len(s.accepted)
}
