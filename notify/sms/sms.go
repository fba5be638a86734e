// Package sms sends text messages through Alibaba Cloud SMS (阿里云短信服务,
// dysmsapi) with its Go SDK, and looks sent ones up by OutId so that an
// attempt whose answer was lost is neither lost nor sent twice
// (notify.AtMostOnce). It is off until configured.
//
// The SDK is used with care: its default scheme is plain HTTP (Config
// defaults to HTTPS here), its errors quote the request URL with the phone
// number and access key id (outcomes here carry codes only), it keeps
// per-call timeouts in the shared client (calls are serialized), and setting
// DEBUG=sdk in the environment makes it print whole requests, phone numbers
// included: never in production.
package sms

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/dysmsapi"
)

// Defaults of Config.
const (
	DefaultRegion   = "cn-hangzhou"
	DefaultEndpoint = "dysmsapi.aliyuncs.com"
	DefaultTimeout  = 10 * time.Second
)

// Config holds the SMS settings staff enter (the access key is a secret).
type Config struct {
	AccessKeyID     string
	AccessKeySecret string
	SignName        string // 短信签名, approved by Alibaba, e.g. 思蒙镇人大
	Region          string // default cn-hangzhou
	// Endpoint is host[:port] of the API, default dysmsapi.aliyuncs.com;
	// tests point it at a local stand-in.
	Endpoint string
	// Scheme is "https" (default) or "http", which is refused unless the
	// endpoint is a loopback address.
	Scheme  string
	Timeout time.Duration // per call, default 10 s
}

// Enabled reports whether the settings needed to send are all there.
func (c Config) Enabled() bool {
	return c.AccessKeyID != "" && c.AccessKeySecret != "" && c.SignName != ""
}

// Errors from New.
var (
	ErrNotConfigured = errors.New("sms: access key, secret and sign name are required")
	ErrInsecure      = errors.New("sms: plain http is only allowed to a loopback endpoint")
)

// Client talks to dysmsapi. It is safe for concurrent use; calls are made
// one at a time.
type Client struct {
	cfg Config
	mu  sync.Mutex // the SDK sets per-call timeouts on its shared client
	api *dysmsapi.Client
	rt  *ctxTransport
}

// New returns a client for cfg, or ErrNotConfigured.
func New(cfg Config) (*Client, error) {
	if !cfg.Enabled() {
		return nil, ErrNotConfigured
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch strings.ToLower(cfg.Scheme) {
	case "", "https":
		cfg.Scheme = "HTTPS"
	case "http":
		if !loopback(cfg.Endpoint) {
			return nil, ErrInsecure
		}
		cfg.Scheme = "HTTP"
	default:
		return nil, fmt.Errorf("sms: unknown scheme %q", cfg.Scheme)
	}

	base := http.DefaultTransport.(*http.Transport).Clone()
	base.DialContext = (&net.Dialer{Timeout: min(5*time.Second, cfg.Timeout)}).DialContext
	rt := &ctxTransport{base: base, ctx: context.Background()}
	conf := sdk.NewConfig()
	conf.Scheme = cfg.Scheme
	conf.AutoRetry = false // retries belong to the outbox, which knows about OutId
	conf.Transport = rt
	conf.Timeout = cfg.Timeout
	api, err := dysmsapi.NewClientWithOptions(cfg.Region, conf, &credentials.AccessKeyCredential{
		AccessKeyId: cfg.AccessKeyID, AccessKeySecret: cfg.AccessKeySecret,
	})
	if err != nil {
		return nil, fmt.Errorf("sms: %w", err)
	}
	api.Domain = cfg.Endpoint
	return &Client{cfg: cfg, api: api, rt: rt}, nil
}

func loopback(endpoint string) bool {
	host := endpoint
	if h, _, err := net.SplitHostPort(endpoint); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ctxTransport gives the SDK's requests, which it builds without a context,
// the context of the call under way (calls are serialized by Client.mu).
type ctxTransport struct {
	base http.RoundTripper
	ctx  context.Context
}

func (t *ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.base.RoundTrip(r.WithContext(t.ctx))
}

// errSDKPanic stands for a panic inside the SDK. Its error parser asserts
// that an error answer's "Code" is a string and panics otherwise (found by
// FuzzSendAnswer with {"Code":0} and a non-2xx status); a provider's answer
// must never bring the server down.
var errSDKPanic = errors.New("sms: the SDK panicked on the answer")

// do runs one SDK call with ctx, bounded by the configured timeout.
func (c *Client) do(ctx context.Context, req requests.AcsRequest, resp responses.AcsResponse) (err error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req.SetReadTimeout(c.cfg.Timeout)
	req.SetConnectTimeout(min(5*time.Second, c.cfg.Timeout))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rt.ctx = ctx
	defer func() { c.rt.ctx = context.Background() }()
	defer func() {
		if recover() != nil {
			err = errSDKPanic
		}
	}()
	return c.api.DoAction(req, resp)
}
