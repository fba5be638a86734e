package meetings

import (
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
	qrcode "github.com/skip2/go-qrcode"

	"simeng/checkin"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/checkinkey"
)

// CheckinSecretEnv overrides the check-in signing key; without it a random
// key is created once in the data dir (and survives restarts and backups).
const CheckinSecretEnv = checkinkey.Env

// CheckinSecret returns the server key that signs check-in codes (shared
// with the liaison station's code of the day, hooks/internal/checkinkey).
func CheckinSecret(app core.App) ([]byte, error) { return checkinkey.Load(app) }

func bindMeetingCheckin(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/meetings/{id}/checkin-code", checkinCode)
		se.Router.POST("/api/meetings/checkin", checkinScan)
		return se.Next()
	})
	bindMeetingScreen(app)
}

type checkinCodeResponse struct {
	Meeting   string `json:"meeting"`
	Title     string `json:"title"`
	Present   int    `json:"present"`  // checked in so far
	Expected  int    `json:"expected"` // on the list`
	Token     string `json:"token"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
	QRPNG     string `json:"qr_png"` // data: URL of the QR image
}

// CheckinLeadEnv sets how long before a meeting's start its check-in opens
// (a Go duration such as 30m or 2h; default 1h).
const CheckinLeadEnv = "SIMENG_CHECKIN_LEAD"

func checkinLead() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(CheckinLeadEnv)); err == nil && d >= 0 && d <= 24*time.Hour {
		return d
	}
	return checkin.DefaultLead
}

// checkinOpen refuses a check-in (a code shown or scanned) outside the
// meeting's window or after staff closed its register: attendance after
// the fact is the office's, recorded and audited as such.
func checkinOpen(m *core.Record) error {
	if !m.GetDateTime("register_closed_at").IsZero() {
		return router.NewApiError(http.StatusConflict, "工作人员已关闭本次会议的签到，如有误请联系工作人员", nil)
	}
	err := checkin.Open(m.GetDateTime("starts_at").Time(), m.GetDateTime("ends_at").Time(), time.Now(), checkinLead())
	if err != nil {
		return router.NewApiError(http.StatusConflict, err.Error(), nil)
	}
	return nil
}

// checkinCode gives the meeting screen the current QR: staff, or the
// presidium member chairing that meeting, and only while it can be checked
// into. The screen asks again well before expires_at.
func checkinCode(e *core.RequestEvent) error {
	office := access.IsOffice(e.Auth)
	if !office && !access.IsActiveDeputy(e.Auth) {
		return e.ForbiddenError("只有工作人员和主持会议的主席团成员可以显示签到码", nil)
	}
	m, err := e.App.FindRecordById("meetings", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("会议不存在", nil)
	}
	if !office && (m.GetString("chair") != e.Auth.Id || !access.IsPresidiumOrOffice(e.Auth)) {
		return e.ForbiddenError("只有工作人员和主持本次会议的主席团成员可以显示签到码", nil)
	}
	if err := checkinOpen(m); err != nil {
		return err
	}
	secret, err := CheckinSecret(e.App)
	if err != nil {
		return err
	}
	expires := time.Now().Add(checkin.TTL)
	token := checkin.Sign(secret, m.Id, expires)
	url := strings.TrimRight(e.App.Settings().Meta.AppURL, "/") + "/#/checkin?t=" + token
	png, err := qrcode.Encode(url, qrcode.Medium, 320)
	if err != nil {
		return err
	}
	var present int
	if err := e.App.DB().Select("count(*)").From("meeting_attendance").
		Where(dbx.HashExp{"meeting": m.Id, "status": "present"}).Row(&present); err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, checkinCodeResponse{
		Meeting: m.Id, Title: m.GetString("title"), Present: present, Expected: len(m.GetStringSlice("expected")),
		Token: token, URL: url,
		ExpiresAt: expires.UTC().Format(types.DefaultDateLayout),
		QRPNG:     "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
	})
}

var errStaffRecorded = errors.New("attendance recorded by staff")

type checkinBody struct {
	Token  string `json:"token"`
	Deputy string `json:"deputy"`
}

// checkinScan records the logged-in deputy as present. The token is bound to
// one meeting and expires; it names nobody, so it can only ever check in the
// deputy whose login sends it.
func checkinScan(e *core.RequestEvent) error {
	if !access.IsActiveDeputy(e.Auth) {
		return e.ForbiddenError("请以代表身份登录后扫码签到", nil)
	}
	var body checkinBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式错误", err)
	}
	if body.Deputy != "" && body.Deputy != e.Auth.Id {
		return e.BadRequestError("只能为本人签到", validation.Errors{
			"deputy": validation.NewError("validation_checkin_self", "只能为本人签到，代签请联系工作人员")})
	}
	if strings.TrimSpace(body.Token) == "" {
		return e.BadRequestError("缺少签到码", validation.Errors{
			"token": validation.NewError("validation_required", "缺少签到码")})
	}
	secret, err := CheckinSecret(e.App)
	if err != nil {
		return err
	}
	meetingID, _, err := checkin.Verify(secret, strings.TrimSpace(body.Token), time.Now())
	if err != nil {
		return e.BadRequestError(err.Error(), validation.Errors{
			"token": validation.NewError("validation_checkin_token", err.Error())})
	}
	m, err := e.App.FindRecordById("meetings", meetingID)
	if err != nil {
		return e.BadRequestError("会议不存在", validation.Errors{
			"token": validation.NewError("validation_checkin_token", "会议不存在或已删除")})
	}
	expected := m.GetStringSlice("expected")
	if len(expected) > 0 && !slices.Contains(expected, e.Auth.Id) {
		return e.ForbiddenError("您不在本次会议的应到名单中，请联系工作人员", nil)
	}
	if err := checkinOpen(m); err != nil {
		return err
	}

	var att *core.Record
	already := false
	err = e.App.RunInTransaction(func(tx core.App) error {
		att, _ = tx.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}",
			dbx.Params{"m": m.Id, "d": e.Auth.Id})
		switch {
		case att != nil && att.GetString("status") == "present":
			already = true
			return nil
		case att != nil:
			// Leave or absence recorded by staff: a scan never overwrites it.
			return errStaffRecorded
		}
		col, err := tx.FindCachedCollectionByNameOrId("meeting_attendance")
		if err != nil {
			return err
		}
		att = core.NewRecord(col)
		att.Set("meeting", m.Id)
		att.Set("deputy", e.Auth.Id)
		att.Set("status", "present")
		att.Set("method", "qr")
		att.Set("checked_in_at", types.NowDateTime())
		att.Set("leave_reason", "")
		if err := tx.Save(att); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "checkin"), Action: audit.ActionCheckin,
			Collection: "meeting_attendance", RecordID: att.Id, Changes: audit.Diff(nil, att), Reason: "扫码签到"})
	})
	if errors.Is(err, errStaffRecorded) {
		return router.NewApiError(http.StatusConflict, "工作人员已登记您本次会议请假或缺席，扫码不能更改；如有误请联系工作人员", nil)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"meeting":       m.Id,
		"title":         m.GetString("title"),
		"attendance":    att.Id,
		"status":        "present",
		"checked_in_at": att.GetString("checked_in_at"),
		"already":       already,
		"message":       map[bool]string{true: "您已签到", false: "签到成功"}[already],
	})
}
