package guard

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simeng/passpolicy"
	"simeng/pii"
)

// loginCollections are the accounts that log in with a password: deputies,
// office staff, handling units (phone + password) and the technician's
// superusers (e-mail + password).
var loginCollections = []string{"deputies", "staff", "units", core.CollectionNameSuperusers}

// deviceCookie carries a device token (passpolicy.DeviceTokens) after a
// successful login, so that the owner's own phone is throttled in a lane of
// its own.
const deviceCookie = "simeng_dev"

// logins is an app's login state: the throttle and the device tokens.
type logins struct {
	mu       sync.Mutex
	throttle *passpolicy.Throttle
	devices  *passpolicy.DeviceTokens
}

const loginsKey = "simeng.guard.logins"

func loginsOf(app core.App) *logins {
	return app.Store().GetOrSet(loginsKey, func() any {
		return &logins{throttle: passpolicy.NewThrottle(passpolicy.DefaultThrottle, nil)}
	}).(*logins)
}

// UseClock makes app's login throttle tell time by clock (tests).
func UseClock(app core.App, clock passpolicy.Clock) {
	l := loginsOf(app)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttle = passpolicy.NewThrottle(passpolicy.DefaultThrottle, clock)
}

func (l *logins) current() *passpolicy.Throttle {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.throttle
}

// deviceTokens signs device cookies with a key kept in the data dir
// (.device_secret, made once).
func (l *logins) deviceTokens(app core.App) (*passpolicy.DeviceTokens, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.devices != nil {
		return l.devices, nil
	}
	path := filepath.Join(app.DataDir(), ".device_secret")
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		rand.Read(key)
		raw = []byte(hex.EncodeToString(key))
		err = os.WriteFile(path, raw, 0o600)
	}
	if err != nil {
		return nil, err
	}
	d, err := passpolicy.NewDeviceTokens([]byte(strings.TrimSpace(string(raw))))
	if err != nil {
		return nil, err
	}
	l.devices = d
	return d, nil
}

// bindLogins applies the password policy wherever a password is chosen
// through a request (create, update, password reset: the PWA, the records
// API, the admin UI) and slows repeated failed logins per account.
// Passwords set by the server itself (the demo's seed, `staff create`'s
// generated ones) are not requests and are chosen by the server.
func bindLogins(app core.App) {
	checkRecord := func(e *core.RecordRequestEvent) error {
		if pw := e.Record.GetString("password"); pw != "" {
			if err := policyError(pw, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	}
	app.OnRecordCreateRequest(loginCollections...).BindFunc(checkRecord)
	app.OnRecordUpdateRequest(loginCollections...).BindFunc(checkRecord)
	app.OnRecordConfirmPasswordResetRequest(loginCollections...).BindFunc(func(e *core.RecordConfirmPasswordResetRequestEvent) error {
		info, err := e.RequestInfo()
		if err != nil {
			return err
		}
		if pw, _ := info.Body["password"].(string); pw != "" {
			if err := policyError(pw, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	})

	app.OnRecordAuthWithPasswordRequest(loginCollections...).BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		l := loginsOf(e.App)
		th := l.current()
		account := accountKey(e.Collection.Name, e.Identity)
		devices, err := l.deviceTokens(e.App)
		if err != nil {
			return err
		}
		lane := account
		if c, err := e.Request.Cookie(deviceCookie); err == nil {
			if id, ok := devices.Verify(c.Value, account); ok {
				lane = passpolicy.LaneKey(account, id)
			}
		}
		if wait := th.Begin(lane); wait > 0 {
			secs := int(math.Ceil(wait.Seconds()))
			e.Response.Header().Set("Retry-After", fmt.Sprint(secs))
			return router.NewApiError(http.StatusTooManyRequests, fmt.Sprintf("登录失败次数过多，请%d秒后再试。", secs), nil)
		}
		err = e.Next()
		var apiErr *router.ApiError
		switch {
		case err == nil:
			th.Succeeded(lane)
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest:
			th.Failed(lane)
		}
		return err
	})
	// A successful password login gives the browser its device cookie
	// (set here: the response is written before the request hook returns).
	app.OnRecordAuthRequest(loginCollections...).BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if e.AuthMethod == core.MFAMethodPassword && e.Record != nil {
			identity := e.Record.GetString("phone")
			if e.Record.IsSuperuser() {
				identity = e.Record.Email()
			}
			if devices, err := loginsOf(e.App).deviceTokens(e.App); err == nil {
				http.SetCookie(e.Response, &http.Cookie{Name: deviceCookie, Value: devices.Issue(accountKey(e.Collection.Name, identity)),
					Path: "/api/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
			}
		}
		return e.Next()
	})
}

// accountKey names the account a login tries, the same whether or not it
// exists (no oracle): its collection and the identity as stored.
func accountKey(collection, identity string) string {
	if collection == core.CollectionNameSuperusers {
		return collection + ":" + strings.ToLower(strings.TrimSpace(identity))
	}
	return collection + ":" + pii.NormalizeMobile(identity)
}

// policyError is the 400 naming the password field when pw breaks the
// policy (passpolicy: length, all digits, the account's phone, common).
func policyError(pw string, rec *core.Record) error {
	err := passpolicy.Check(pw, rec.GetString("phone"), rec.Original().GetString("phone"))
	var pe *passpolicy.Error
	if !errors.As(err, &pe) {
		return nil
	}
	return router.NewBadRequestError(pe.Message, validation.Errors{"password": validation.NewError("validation_"+pe.Code, pe.Message)})
}
