package notifytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"simeng/notify"
)

// StandIn credentials: the SMS stand-in accepts requests signed with this
// access key id only.
const (
	StandInKeyID  = "LTAIstandin"
	StandInSecret = "standin-secret"
	StandInSign   = "思蒙镇人大"
)

// SMS is a text the SMS stand-in accepted.
type SMS struct {
	Phone, Template, Param, OutID string
}

// Providers plays the notification providers on local HTTP servers:
// Alibaba's dysmsapi (SendSms, QuerySendDetails by phone and date) and a
// 企业微信 group robot. Each can be told to fail or hang for the next
// calls. Use it in tests of anything that sends; Close it at the end.
type Providers struct {
	smsSrv, robotSrv *httptest.Server

	mu         sync.Mutex
	sms        []smsRow
	robot      []string
	smsCalls   int
	robotCalls int
	smsFail    int // the next n SendSms calls answer 503 without accepting
	smsHang    int // the next n SendSms calls accept, then never answer
	robotFail  int // the next n robot posts answer errcode -1 (busy)
	release    chan struct{}
	now        func() time.Time // dates the texts it accepts; default time.Now
}

type smsRow struct {
	SMS
	day string
}

// NewProviders starts the stand-ins.
func NewProviders() *Providers {
	p := &Providers{release: make(chan struct{})}
	p.smsSrv = httptest.NewServer(http.HandlerFunc(p.serveSMS))
	p.robotSrv = httptest.NewServer(http.HandlerFunc(p.serveRobot))
	return p
}

// Close releases hanging calls and stops the servers.
func (p *Providers) Close() {
	p.mu.Lock()
	select {
	case <-p.release:
	default:
		close(p.release)
	}
	p.mu.Unlock()
	p.smsSrv.Close()
	p.robotSrv.Close()
}

// SMSEndpoint is the host:port to put in the SMS settings (scheme http).
func (p *Providers) SMSEndpoint() string { return strings.TrimPrefix(p.smsSrv.URL, "http://") }

// RobotURL is the webhook URL to put in the robot settings.
func (p *Providers) RobotURL() string { return p.robotSrv.URL + "/cgi-bin/webhook/send?key=standin" }

// SetClock makes the SMS stand-in date the texts it accepts (and answers
// QuerySendDetails by) with now: give it the clock the worker runs on, or a
// try made on the worker's day is looked up on another day and sent again.
func (p *Providers) SetClock(now func() time.Time) { p.mu.Lock(); p.now = now; p.mu.Unlock() }

// FailSMS makes the next n SendSms calls fail (HTTP 503, nothing sent).
func (p *Providers) FailSMS(n int) { p.mu.Lock(); p.smsFail = n; p.mu.Unlock() }

// HangSMS makes the next n SendSms calls accept the text and then never
// answer (the client times out: the outcome is unknown to it).
func (p *Providers) HangSMS(n int) { p.mu.Lock(); p.smsHang = n; p.mu.Unlock() }

// FailRobot makes the next n robot posts answer "system busy".
func (p *Providers) FailRobot(n int) { p.mu.Lock(); p.robotFail = n; p.mu.Unlock() }

// Texts are the SMS accepted, in order.
func (p *Providers) Texts() []SMS {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]SMS, len(p.sms))
	for i, r := range p.sms {
		out[i] = r.SMS
	}
	return out
}

// RobotPosts are the texts the robot accepted, in order.
func (p *Providers) RobotPosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.robot...)
}

// Calls counts the SendSms calls and robot posts, accepted or not.
func (p *Providers) Calls() (sms, robot int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.smsCalls, p.robotCalls
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (p *Providers) serveSMS(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	q := r.Form
	if q.Get("AccessKeyId") != StandInKeyID || q.Get("Signature") == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"Code": "IncompleteSignature", "Message": "unsigned"})
		return
	}
	switch q.Get("Action") {
	case "SendSms":
		p.sendSms(w, r, q.Get)
	case "QuerySendDetails":
		p.query(w, q.Get)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"Code": "InvalidAction.NotFound"})
	}
}

func (p *Providers) sendSms(w http.ResponseWriter, r *http.Request, get func(string) string) {
	p.mu.Lock()
	p.smsCalls++
	if p.smsFail > 0 {
		p.smsFail--
		p.mu.Unlock()
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"Code": "ServiceUnavailable", "Message": "stand-in failure", "RequestId": "r"})
		return
	}
	hang := p.smsHang > 0
	if hang {
		p.smsHang--
	}
	now := time.Now
	if p.now != nil {
		now = p.now
	}
	p.sms = append(p.sms, smsRow{SMS: SMS{Phone: get("PhoneNumbers"), Template: get("TemplateCode"), Param: get("TemplateParam"), OutID: get("OutId")},
		day: now().In(notify.ChinaTime).Format("20060102")})
	biz := fmt.Sprintf("biz-%d", len(p.sms))
	release := p.release
	p.mu.Unlock()
	if hang {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": "r"})
}

func (p *Providers) query(w http.ResponseWriter, get func(string) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	size, _ := strconv.Atoi(get("PageSize"))
	page, _ := strconv.Atoi(get("CurrentPage"))
	if size < 1 || size > 50 || page < 1 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"Code": "isv.INVALID_PARAMETERS"})
		return
	}
	type dto struct {
		OutId, PhoneNum, TemplateCode, ErrCode string
		SendStatus                             int64
	}
	var all []dto
	for _, m := range p.sms {
		if m.Phone == get("PhoneNumber") && m.day == get("SendDate") {
			all = append(all, dto{OutId: m.OutID, PhoneNum: m.Phone, TemplateCode: m.Template, ErrCode: "DELIVERED", SendStatus: 3})
		}
	}
	from, to := min((page-1)*size, len(all)), min(page*size, len(all))
	writeJSON(w, http.StatusOK, map[string]any{
		"Code": "OK", "Message": "OK", "RequestId": "r", "TotalCount": strconv.Itoa(len(all)),
		"SmsSendDetailDTOs": map[string]any{"SmsSendDetailDTO": all[from:to]},
	})
}

func (p *Providers) serveRobot(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	json.NewDecoder(r.Body).Decode(&body)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.robotCalls++
	if p.robotFail > 0 {
		p.robotFail--
		writeJSON(w, http.StatusOK, map[string]any{"errcode": -1, "errmsg": "system busy"})
		return
	}
	p.robot = append(p.robot, body.Text.Content)
	writeJSON(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok"})
}
