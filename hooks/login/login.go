// Package login is SMS-code login (验证码登录) and password reset (忘记密码)
// for deputies and handling units, on PocketBase's own one-time passwords:
// POST /api/simeng/otp/request {phone, collection} creates the OTP record
// and sends its code through the outbox (hooks/notify); the PWA then calls
// PocketBase's own POST /api/collections/{c}/auth-with-otp {otpId,
// password}, with newPassword and newPasswordConfirm added to reset the
// password. No second auth system: no codes or reset tokens of our own.
package login

import (
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/hooks/audit"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/notify"
	nt "simeng/notify"
	"simeng/otplimit"
	"simeng/passpolicy"
	"simeng/pii"
)

// Collections whose accounts may log in by SMS code.
var Collections = []string{"deputies", "units"}

// CodeValid is how long a code works (the collections' OTP duration).
const CodeValid = 5 * time.Minute

// Register binds the request route and the reset, and closes PocketBase's
// e-mail OTP route for these collections (one way in, by phone).
func Register(app core.App) {
	phones, addrs := otplimit.New(otplimit.Phone), otplimit.New(otplimit.Address)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/simeng/otp/request", func(e *core.RequestEvent) error { return handleRequest(e, phones, addrs) })
		return se.Next()
	})
	for _, c := range Collections {
		app.OnRecordRequestOTPRequest(c).BindFunc(func(e *core.RecordCreateOTPRequestEvent) error {
			return e.BadRequestError("请在登录页选择「验证码登录」，用手机号获取验证码。", nil)
		})
		app.OnRecordAuthWithOTPRequest(c).BindFunc(resetPassword)
	}
}

type otpRequest struct {
	Phone      string `json:"phone"`
	Collection string `json:"collection"`
}

// handleRequest answers every valid request alike, known phone or not, at
// once ({"otpId": …}); the account is looked up and the code sent
// afterwards, so neither the answer nor its timing says whether the phone
// has an account.
func handleRequest(e *core.RequestEvent, phones, addrs *otplimit.Limiter) error {
	var body otpRequest
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式不正确。", nil)
	}
	phone := pii.NormalizeMobile(body.Phone)
	if !pii.ValidMobile(phone) {
		return e.BadRequestError("手机号不正确。", fielderr.New("phone", "invalid", "请输入11位手机号。"))
	}
	col := body.Collection
	if col == "" {
		col = "deputies"
	}
	if !slices.Contains(Collections, col) {
		return e.BadRequestError("账号类别不正确。", fielderr.New("collection", "invalid", "只有人大代表和承办单位可以用验证码登录。"))
	}
	if !notify.ChannelOn(e.App, nt.SMS) {
		return e.JSON(http.StatusServiceUnavailable, map[string]any{"status": 503,
			"message": "短信服务未开通，请联系联络员重置密码。", "data": map[string]any{}})
	}
	v, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	now := time.Now()
	if !addrs.Allow(e.RealIP(), now) || !phones.Allow(v.Hash(phone), now) {
		return e.TooManyRequestsError("请稍后再试。", nil)
	}
	otpID := core.GenerateDefaultRandomId()
	app := e.App
	routine.FireAndForget(func() {
		if err := sendCode(app, col, phone, otpID); err != nil {
			app.Logger().Error("login: SMS code", "error", err) // no phone in the log
		}
	})
	return e.JSON(http.StatusOK, map[string]string{"otpId": otpID})
}

// sendCode creates the OTP of the active account with phone, if any, and
// queues its code (urgent: it goes out at night too, and only while it is
// valid).
func sendCode(app core.App, col, phone, otpID string) error {
	acc, err := app.FindFirstRecordByData(col, "phone", phone)
	if err != nil || !acc.GetBool("active") {
		return nil // nobody to send to; the answer was the same
	}
	code := security.RandomStringWithAlphabet(6, "0123456789")
	otp := core.NewOTP(app)
	otp.Id = otpID
	otp.SetCollectionRef(acc.Collection().Id)
	otp.SetRecordRef(acc.Id)
	otp.SetSentTo("sms") // never the e-mail: PocketBase would then set a random password
	otp.SetPassword(code)
	if err := app.Save(otp); err != nil {
		return err
	}
	return notify.Enqueue(app, nt.Message{EventKey: nt.EventKey(nt.TplLoginCode, otpID), Recipient: acc.Id, Channel: nt.SMS,
		Template: nt.TplLoginCode, Params: map[string]string{"code": code}, Urgent: true, NotAfter: time.Now().Add(CodeValid)})
}

// resetPassword runs after PocketBase checked the code (and its own limit
// of 5 tries in 3 minutes): with newPassword in the body it sets the new
// password, which also logs out the account's other devices, before the
// login answer is made.
func resetPassword(e *core.RecordAuthWithOTPRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	pass, _ := info.Body["newPassword"].(string)
	confirm, _ := info.Body["newPasswordConfirm"].(string)
	if pass == "" && confirm == "" {
		return e.Next()
	}
	if pass != confirm {
		return e.BadRequestError("两次输入的新密码不一致。", fielderr.New("newPasswordConfirm", "mismatch", "两次输入的新密码不一致。"))
	}
	if err := passpolicy.Check(pass, e.Record.GetString("phone")); err != nil {
		msg, code := err.Error(), "weak"
		if pe, ok := err.(*passpolicy.Error); ok {
			msg, code = pe.Message, pe.Code
		}
		return e.BadRequestError(msg, fielderr.New("newPassword", code, msg))
	}
	e.Record.SetPassword(pass)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(e.Record); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e.RequestEvent, "sms_code"), Action: audit.ActionUpdate,
			Collection: e.Record.Collection().Name, RecordID: e.Record.Id,
			Changes: map[string][2]any{"password": {"（已更改）", "（已更改）"}}, Reason: "短信验证码重置密码"})
	})
	if err != nil {
		return err
	}
	return e.Next()
}
