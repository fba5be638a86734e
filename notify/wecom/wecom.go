// Package wecom posts to a 企业微信 (WeCom) group robot: a plain HTTPS POST of
// {"msgtype":"text","text":{"content":…}} or markdown to the robot's webhook
// URL, whose key is a secret. A robot takes 20 messages a minute
// (notify.DefaultPolicies keeps to that). Delivery is at least once: the
// webhook has no idempotency key and no way to ask what arrived.
package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"simeng/notify"
)

// Limits of the robot's message content, in bytes of UTF-8.
const (
	MaxText     = 2048
	MaxMarkdown = 4096
)

// DefaultTimeout bounds one post.
const DefaultTimeout = 10 * time.Second

// Config holds a robot's settings.
type Config struct {
	// WebhookURL is https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
	// as shown when the robot is added to the group. It is a secret: anyone
	// holding it can post to the group.
	WebhookURL string
	Timeout    time.Duration
}

// Enabled reports whether a webhook URL is set.
func (c Config) Enabled() bool { return c.WebhookURL != "" }

// Errors from New.
var (
	ErrNotConfigured = errors.New("wecom: no webhook URL")
	ErrBadURL        = errors.New("wecom: the webhook URL must be an https URL")
)

// Client posts to one robot.
type Client struct {
	url string
	hc  *http.Client
}

// New returns a client for cfg. Plain http is refused except to a loopback
// address (tests).
func New(cfg Config) (*Client, error) {
	if !cfg.Enabled() {
		return nil, ErrNotConfigured
	}
	u, err := url.Parse(cfg.WebhookURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
		return nil, ErrBadURL
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Client{url: u.String(), hc: &http.Client{Timeout: cfg.Timeout}}, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type textBody struct {
	Content             string   `json:"content"`
	MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
}

type message struct {
	MsgType  string    `json:"msgtype"`
	Text     *textBody `json:"text,omitempty"`
	Markdown *textBody `json:"markdown,omitempty"`
}

// Text posts content as a text message, cut to MaxText bytes.
// mentionMobiles are phone numbers of group members to @ (or "@all").
func (c *Client) Text(ctx context.Context, content string, mentionMobiles ...string) notify.Outcome {
	return c.post(ctx, message{MsgType: "text", Text: &textBody{Content: cut(content, MaxText), MentionedMobileList: mentionMobiles}})
}

// Markdown posts content as a markdown message, cut to MaxMarkdown bytes.
func (c *Client) Markdown(ctx context.Context, content string) notify.Outcome {
	return c.post(ctx, message{MsgType: "markdown", Markdown: &textBody{Content: cut(content, MaxMarkdown)}})
}

// cut shortens s to at most max bytes of valid UTF-8, ending with "…" if cut.
func cut(s string, max int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= max {
		return s
	}
	const ell = "…"
	s = s[:max-len(ell)]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + ell
}

func (c *Client) post(ctx context.Context, m message) notify.Outcome {
	body, err := json.Marshal(m)
	if err != nil {
		return notify.Outcome{Result: notify.Reject, Code: "encode", Detail: "message cannot be encoded"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return notify.Outcome{Result: notify.Blocked, Code: "webhook url", Detail: "the webhook URL is unusable"}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return classifyErr(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return notify.Outcome{Result: notify.Unknown, Code: "read", Detail: "answer cut off"}
	}
	return Classify(resp.StatusCode, answer)
}

// classifyErr never quotes err: a *url.Error holds the webhook URL and key.
func classifyErr(err error) notify.Outcome {
	var op *net.OpError
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &op) && op.Op == "dial", errors.As(err, &dns):
		return notify.Outcome{Result: notify.Retry, Code: "connect", Detail: "robot unreachable"}
	case errors.Is(err, context.Canceled):
		return notify.Outcome{Result: notify.Unknown, Code: "cancelled", Detail: "stopped while waiting for the robot"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return notify.Outcome{Result: notify.Unknown, Code: "timeout", Detail: "no answer in time"}
	}
	return notify.Outcome{Result: notify.Unknown, Code: "transport", Detail: "connection failed"}
}

// answer is the robot's JSON answer.
type answer struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// Classify maps the robot's answer (HTTP status and body) to an outcome
// whose Code is "errcode N" or "http N".
func Classify(status int, body []byte) notify.Outcome {
	if status != http.StatusOK {
		return notify.Outcome{Result: notify.Unknown, Code: "http " + strconv.Itoa(status), Detail: "robot error"}
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil || a.ErrCode == nil {
		return notify.Outcome{Result: notify.Unknown, Code: "unreadable answer", Detail: "the robot's answer could not be parsed"}
	}
	code := *a.ErrCode
	o := notify.Outcome{Code: "errcode " + strconv.Itoa(code), Detail: summary(a.ErrMsg)}
	switch code {
	case 0:
		o.Result = notify.Delivered
	case 45009: // api freq out of limit
		o.Result, o.RetryAfter = notify.Retry, time.Minute
	case -1: // system busy
		o.Result = notify.Retry
	case 93000: // invalid webhook url: wrong key, or the robot was removed
		o.Result = notify.Blocked
	case 40008, 40058, 44004: // invalid message type, invalid parameter, empty content
		o.Result = notify.Reject
	default:
		o.Result = notify.Retry
	}
	return o
}

// summary keeps the robot's errmsg up to its first comma ("invalid webhook
// url", "api freq out of limit"), without the hint and caller address.
func summary(msg string) string {
	msg, _, _ = strings.Cut(msg, ",")
	msg = strings.ToValidUTF8(msg, "")
	if len(msg) > 60 {
		msg = cut(msg, 60)
	}
	return strings.TrimSpace(msg)
}

// Sender delivers outbox messages to group robots: a notify.Sender. The
// message's recipient names the robot.
type Sender struct {
	Robots map[string]*Client
}

// Send posts the template's WeCom text to the recipient's robot.
func (s *Sender) Send(ctx context.Context, _ notify.Delivery, m notify.Message) notify.Outcome {
	robot := s.Robots[m.Recipient]
	if robot == nil {
		return notify.Outcome{Result: notify.Blocked, Code: "no robot", Detail: fmt.Sprintf("no webhook URL for robot %q", m.Recipient)}
	}
	tpl, ok := notify.Lookup(m.Template)
	if !ok {
		return notify.Outcome{Result: notify.Reject, Code: "template", Detail: "unknown template"}
	}
	text, err := tpl.WeComText(m.Params)
	if err != nil {
		return notify.Outcome{Result: notify.Reject, Code: "template", Detail: "parameters missing"}
	}
	return robot.Text(ctx, text)
}
