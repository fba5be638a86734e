package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/fielderr"
)

// Department keys (部门密钥): the read-only access 信访办 and 综治中心 get
// to the analysis. A key is a token `dk_…` shown once when staff create it;
// only its SHA-256 is kept, so the database never holds a usable key. A
// key has a scope (which views), optionally villages, an expiry, and can be
// switched off; every request made with it is logged, and it is limited to
// deptRateLimit requests a minute.
const (
	deptTokenPrefix = "dk_"
	deptTokenLength = 40
	deptRateLimit   = 60
	maxKeyLifetime  = 2 * 366 * 24 * time.Hour
)

// Scopes a key may name (the migration's select).
var deptScopes = []string{"overview", "terms", "recurring", "search", "records", "export", "charts"}

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// identifyDepartment checks a department's key: known (by its hash),
// active, not expired, under its rate limit.
func identifyDepartment(e *core.RequestEvent, tok string) error {
	key, err := e.App.FindFirstRecordByData("analysis_dept_keys", "key_hash", hashToken(tok))
	if err != nil || !key.GetBool("active") || !key.GetDateTime("expires").Time().After(time.Now()) {
		return e.UnauthorizedError("部门密钥无效、已停用或已过期。", nil)
	}
	if !deskOf(e.App).guard.allow(key.Id, time.Now()) {
		return e.TooManyRequestsError("请求过于频繁，请稍后再试（每分钟不超过60次）。", nil)
	}
	v := &viewer{kind: kindDepartment, id: key.Id, name: key.GetString("name"),
		villages: key.GetStringSlice("villages"), scope: map[string]bool{}}
	for _, s := range key.GetStringSlice("scope") {
		v.scope[s] = true
	}
	e.Set(viewerKey, v)
	if last := key.GetDateTime("last_used"); last.IsZero() || time.Since(last.Time()) > time.Minute {
		key.Set("last_used", types.NowDateTime())
		if err := e.App.SaveNoValidate(key); err != nil {
			e.App.Logger().Warn("analysis: department key last_used", "error", err)
		}
	}
	err = e.Next()
	status := http.StatusOK
	if err != nil {
		status = 0
	}
	logDepartment(e, v, status)
	return err
}

// rateGuard counts requests per key in one-minute windows.
type rateGuard struct {
	mu     sync.Mutex
	window time.Time
	counts map[string]int
}

func newRateGuard() *rateGuard { return &rateGuard{counts: map[string]int{}} }

func (g *rateGuard) allow(key string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if w := now.Truncate(time.Minute); !w.Equal(g.window) {
		g.window = w
		clear(g.counts)
	}
	g.counts[key]++
	return g.counts[key] <= deptRateLimit
}

// createDeptKey is POST /api/simeng/analysis/dept-keys (staff):
// {name, scope: [...], villages: [...], expires: "2026-12-31", note}. The
// answer holds the token, once.
func createDeptKey(e *core.RequestEvent) error {
	var body struct {
		Name     string   `json:"name"`
		Scope    []string `json:"scope"`
		Villages []string `json:"villages"`
		Expires  string   `json:"expires"`
		Note     string   `json:"note"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式错误", err)
	}
	errs := validation.Errors{}
	body.Name = strings.TrimSpace(body.Name)
	if n := utf8.RuneCountInString(body.Name); n == 0 || n > 40 {
		errs["name"] = validation.NewError("validation_required", "请填写部门名称（不超过40字）")
	}
	if len(body.Scope) == 0 {
		errs["scope"] = validation.NewError("validation_required", "请至少选择一项可使用的功能")
	}
	for _, s := range body.Scope {
		if !slices.Contains(deptScopes, s) {
			errs["scope"] = validation.NewError("validation_invalid_scope", "功能“"+s+"”不存在")
		}
	}
	expires, err := parseDay(body.Expires)
	switch {
	case err != nil:
		errs["expires"] = validation.NewError("validation_invalid_date", "到期日期格式应为 2026-12-31")
	case !expires.After(time.Now()):
		errs["expires"] = validation.NewError("validation_past", "到期日期须在今天之后")
	case expires.After(time.Now().Add(maxKeyLifetime)):
		errs["expires"] = validation.NewError("validation_too_far", "有效期最长两年，到期后可重新发放")
	}
	for _, id := range body.Villages {
		if _, err := e.App.FindRecordById("villages", id); err != nil {
			errs["villages"] = validation.NewError("validation_not_found", "所选村（社区）不存在")
		}
	}
	if len(errs) > 0 {
		return e.BadRequestError("部门密钥的设置有误", errs)
	}
	col, err := e.App.FindCollectionByNameOrId("analysis_dept_keys")
	if err != nil {
		return e.InternalServerError("", err)
	}
	tok := deptTokenPrefix + security.RandomString(deptTokenLength)
	r := core.NewRecord(col)
	r.Set("name", body.Name)
	r.Set("key_hash", hashToken(tok))
	r.Set("key_hint", tok[:len(deptTokenPrefix)+4]+"…")
	r.Set("scope", body.Scope)
	r.Set("villages", body.Villages)
	r.Set("expires", expires.UTC())
	r.Set("active", true)
	r.Set("created_by", viewerOf(e).name)
	r.Set("note", body.Note)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "analysis:dept-keys"), Action: audit.ActionCreate,
			Collection: "analysis_dept_keys", RecordID: r.Id, Changes: audit.Diff(nil, r, deptKeyAudited...)})
	})
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": r.Id, "name": body.Name, "token": tok, "expires": r.GetDateTime("expires"),
		"notice": "密钥只显示这一次，请立即交给对方妥善保存；丢失后请停用并重新发放。",
	})
}

// parseDay reads 2026-12-31 (end of that day, China time) or an RFC 3339
// time.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseInLocation(chinatime.DateLayout, s, chinatime.Location()); err == nil {
		return d.AddDate(0, 0, 1).Add(-time.Second), nil
	}
	return time.Parse(time.RFC3339, s)
}

// deptKeyAudited are the fields of a key the audit trail follows.
var deptKeyAudited = []string{"name", "scope", "villages", "expires", "active"}

// bindDeptKeys refuses creating a key through the record API or the admin
// UI (it would have no token): keys are made by the route above.
func bindDeptKeys(app core.App) {
	audit.Watch(app, "analysis_dept_keys", deptKeyAudited...)
	audit.Watch(app, "analysis_words", "text", "kind", "weight", "pos")
	app.OnRecordCreateRequest("analysis_dept_keys").BindFunc(func(e *core.RecordRequestEvent) error {
		return e.BadRequestError("请在诉求分析的“部门共享”中发放密钥（POST /api/simeng/analysis/dept-keys），密钥只显示一次。",
			fielderr.New("key_hash", "validation_use_route", "密钥须由系统生成"))
	})
	app.OnRecordUpdateRequest("analysis_dept_keys").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Record.GetString("key_hash") != e.Record.Original().GetString("key_hash") {
			return e.BadRequestError("密钥不能修改，请停用后重新发放。", fielderr.New("key_hash", "validation_readonly", "密钥不能修改"))
		}
		return e.Next()
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
