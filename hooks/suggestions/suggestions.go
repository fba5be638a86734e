// Package suggestions is residents' suggestions (码上提建议, R5/R6, X2, X4)
// and the enterprise channel (企业诉求直报通道): the public pages a deputy's
// QR code (代表码) opens, with their templates and abuse guard, phones
// sealed with the PII vault, the 24-hour and 5-working-day deadlines on
// the Chinese calendar (with staff's overrides), the reply flow deputies
// drive from the PWA, and the overdue escalation to the presidium.
package suggestions

import (
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/formguard"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/problems"
	"simeng/hooks/roster"
	"simeng/pii"
)

// Suggestion statuses (vocab.SuggestionStatuses).
const (
	statusReceived     = "received"
	statusAcknowledged = "acknowledged"
	statusAnswered     = "answered"
	statusTransferred  = "transferred"
	statusClosed       = "closed"
)

// deputyTransitions are the status changes a deputy may make from the PWA.
// Staying in the same status is always allowed, so an offline outbox may
// replay a change safely.
var deputyTransitions = map[string][]string{
	statusReceived:     {statusAcknowledged, statusAnswered, statusTransferred},
	statusAcknowledged: {statusAnswered, statusTransferred},
	statusAnswered:     {statusClosed},
	statusTransferred:  {statusAnswered, statusClosed},
	statusClosed:       {},
}

// deputyEditable are the only fields a deputy may change on a suggestion.
var deputyEditable = []string{"status", "reply"}

// deputyCreatable are the fields a deputy may send when recording a
// suggestion heard on a visit.
var deputyCreatable = []string{"source", "deputy", "category", "content", "photos", "received_at"}

// suggestionDesk is the per-app state of the suggestions capability: the
// working-day calendar, the abuse guard and the public pages.
type suggestionDesk struct {
	cal   *calendarCache
	guard *formguard.Guard
	// pages keeps the empty forms of the deputies' 代表码 pages and of the
	// enterprise channel: a deputy's name, level, village and photo are on
	// them.
	pages *pagecache.Cache
}

const deskStoreKey = "simeng.suggestions"

// Register wires residents' suggestions: the public pages and their abuse
// guard, the records' hooks (sealed phones, deadlines, the reply flow),
// calendar overrides, staff lookups and the overdue job.
func Register(app core.App) {
	desk := &suggestionDesk{cal: &calendarCache{app: app}, guard: formguard.New(),
		pages: pagecache.New(app, "deputies", "villages")}
	app.Store().Set(deskStoreKey, desk)

	requirePIIKey(app)
	bindCalendarOverrides(app, desk)

	app.OnRecordCreate("suggestions").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("tracking") == "" {
			r.Set("tracking", roster.NewCode())
		}
		if r.GetString("status") == "" {
			r.Set("status", statusReceived)
		}
		if r.GetString("moderation") == "" {
			r.Set("moderation", "ok")
		}
		if r.GetDateTime("received_at").IsZero() {
			r.Set("received_at", time.Now().UTC())
		}
		// Only a resident's own case can be rated, and only with the key
		// their link carries; what a deputy logs from a visit has none.
		if r.GetString("rating_key") == "" && r.GetString("source") != "visit" {
			r.Set("rating_key", newRatingKey())
		}
		if err := prepareSuggestion(e.App, desk, r); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordUpdate("suggestions").BindFunc(func(e *core.RecordEvent) error {
		if err := prepareSuggestion(e.App, desk, e.Record); err != nil {
			return err
		}
		return e.Next()
	})

	app.OnRecordCreateRequest("suggestions").BindFunc(func(e *core.RecordRequestEvent) error {
		if access.IsOffice(e.Auth) {
			return e.Next()
		}
		for _, f := range e.Collection.Fields {
			name := f.GetName()
			if slices.Contains(deputyCreatable, name) || f.GetSystem() || !hasValue(e.Record, name) {
				continue
			}
			return fielderr.New(name, "validation_not_allowed", "代表记录走访建议时不能填写此项")
		}
		// Who logged it is the server's word: their own entries never count
		// toward their own timeliness or satisfaction.
		if access.IsDeputyAccount(e.Auth) {
			e.Record.Set("entered_by", e.Auth.Id)
		}
		return e.Next()
	})

	app.OnRecordUpdateRequest("suggestions").BindFunc(func(e *core.RecordRequestEvent) error {
		if access.IsOffice(e.Auth) {
			return e.Next()
		}
		r, old := e.Record, e.Record.Original()
		for _, f := range e.Collection.Fields {
			name := f.GetName()
			if slices.Contains(deputyEditable, name) || f.Type() == core.FieldTypeAutodate {
				continue
			}
			if r.GetString(name) != old.GetString(name) || !slices.Equal(r.GetStringSlice(name), old.GetStringSlice(name)) {
				return fielderr.New(name, "validation_not_allowed", "代表只能修改状态和答复")
			}
		}
		from, to := old.GetString("status"), r.GetString("status")
		if from != to && !slices.Contains(deputyTransitions[from], to) {
			return fielderr.New("status", "validation_bad_transition", "不能从“"+statusLabels[from]+"”改为“"+statusLabels[to]+"”")
		}
		if r.GetString("reply") != old.GetString("reply") {
			if from == statusClosed {
				return fielderr.New("reply", "validation_closed", "已办结的建议不能再修改答复")
			}
			if auth := e.Auth; auth != nil {
				r.Set("replied_by", auth.Id)
			}
		}
		return e.Next()
	})

	// Residents' names and phone numbers, sealed at rest: staff read them
	// in full, the deputy handling the case too (to call back); everyone
	// else sees only the masked copies.
	app.OnRecordEnrich("suggestions").BindFunc(func(e *core.RecordEnrichEvent) error {
		auth := e.RequestInfo.Auth
		if access.IsOffice(auth) {
			// the office gives a hotline or paper-letter resident their rating link
			e.Record.Unhide("rating_key")
		}
		handler := access.IsOffice(auth) || access.IsSelf(auth, e.Record.GetString("deputy"))
		if handler {
			e.Record.Unhide("resident_name", "resident_phone")
			for _, field := range []string{"resident_name", "resident_phone"} {
				if sealed := e.Record.GetString(field); pii.IsSealed(sealed) {
					if v, err := pii.VaultFromEnv(); err == nil {
						if plain, err := v.Open(sealed); err == nil {
							e.Record.Set(field, plain)
						}
					}
				}
			}
		}
		return e.Next()
	})

	// Staff record hotline and station suggestions with the resident's
	// name and phone (sealed on save).
	access.LetOfficeWriteHidden(app, "suggestions", "resident_name", "resident_phone")
	// What counts in a suggestion's handling is audited: its status and
	// reply, its deadlines and escalation, moderation, and who it is
	// addressed to (the resident's phone and name only as 「（已更改）」).
	audit.Watch(app, "suggestions", "status", "reply", "received_at", "ack_due", "feedback_due", "ack_overdue",
		"feedback_overdue", "escalated_at", "escalated_to", "moderation", "moderation_note", "deputy", "source",
		"category", "resident_name", "resident_phone", "consent")
	audit.Watch(app, "calendar_overrides")

	bindSuggestionRoutes(app, desk)
	bindSuggestionLookup(app)
	bindSuggestionCron(app)
}

func deskOf(app core.App) *suggestionDesk {
	d, _ := app.Store().Get(deskStoreKey).(*suggestionDesk)
	return d
}

// prepareSuggestion keeps the derived fields true whatever door a record
// came in by (public page, admin UI, PWA, seeder): sealed phone with its hash
// and mask, masked name, deadlines, status timestamps.
func prepareSuggestion(app core.App, desk *suggestionDesk, r *core.Record) error {
	received := r.GetDateTime("received_at")
	if !received.IsZero() && received.Time().After(time.Now().Add(5*time.Minute)) {
		if old := r.Original(); r.IsNew() || old == nil || !old.GetDateTime("received_at").Equal(received) {
			return fielderr.New("received_at", "validation_future", "收到时间不能晚于现在")
		}
	}
	if r.GetString("village") == "" && r.GetString("deputy") != "" {
		if dep, err := app.FindRecordById("deputies", r.GetString("deputy")); err == nil {
			r.Set("village", dep.GetString("village"))
		}
	}
	if err := sealResidentPhone(r); err != nil {
		return err
	}
	if err := sealResidentName(r); err != nil {
		return err
	}
	if err := setDeadlines(desk, r); err != nil {
		return err
	}

	status := r.GetString("status")
	if (status == statusAnswered || status == statusTransferred) && utf8.RuneCountInString(strings.TrimSpace(r.GetString("reply"))) < 5 {
		return fielderr.New("reply", "validation_reply_required", "答复或转办时请写明答复内容（至少5个字）")
	}
	old := r.Original()
	if old != nil && !r.IsNew() && old.GetString("status") == status {
		return nil
	}
	now := types.NowDateTime()
	stamp := func(field string) {
		if r.GetDateTime(field).IsZero() {
			r.Set(field, now)
		}
	}
	switch status {
	case statusAcknowledged:
		stamp("acknowledged_at")
	case statusAnswered:
		stamp("acknowledged_at")
		stamp("answered_at")
	case statusTransferred:
		stamp("acknowledged_at")
		stamp("answered_at")
		return transferToProblems(app, r)
	case statusClosed:
		stamp("closed_at")
	}
	return nil
}

// sealResidentPhone encrypts a phone number given in the clear (by the public
// page, or typed by staff in the admin UI) and derives its hash and mask.
func sealResidentPhone(r *core.Record) error {
	phone := r.GetString("resident_phone")
	if phone == "" {
		r.Set("resident_phone_hash", "")
		r.Set("resident_phone_masked", "")
		return nil
	}
	if pii.IsSealed(phone) {
		return nil
	}
	phone = pii.NormalizeMobile(phone)
	if !pii.ValidMobile(phone) {
		return fielderr.New("resident_phone", "validation_invalid_mobile", "手机号应为11位数字，例如 13812345678")
	}
	v, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	sealed, err := v.Seal(phone)
	if err != nil {
		return err
	}
	r.Set("resident_phone", sealed)
	r.Set("resident_phone_hash", v.Hash(phone))
	r.Set("resident_phone_masked", pii.MaskPhone(phone))
	return nil
}

// sealResidentName encrypts a name given in the clear and derives its mask
// (张**); a sealed name keeps the mask made when it was sealed.
func sealResidentName(r *core.Record) error {
	name := strings.TrimSpace(r.GetString("resident_name"))
	if name == "" {
		r.Set("resident_name", "")
		r.Set("resident_name_masked", "")
		return nil
	}
	if pii.IsSealed(name) {
		return nil
	}
	if utf8.RuneCountInString(name) > maxNameRunes {
		return fielderr.New("resident_name", "validation_max_text_constraint", "姓名不超过20个字")
	}
	v, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	sealed, err := v.Seal(name)
	if err != nil {
		return err
	}
	r.Set("resident_name", sealed)
	r.Set("resident_name_masked", pii.MaskName(name))
	return nil
}

func hasValue(r *core.Record, name string) bool {
	switch v := r.Get(name).(type) {
	case nil:
		return false
	case string:
		return v != ""
	case bool:
		return v
	case float64:
		return v != 0
	case []string:
		return len(v) > 0
	case types.DateTime:
		return !v.IsZero()
	}
	return r.GetString(name) != ""
}

var statusLabels = map[string]string{
	statusReceived:     "已收到",
	statusAcknowledged: "已响应，正在办理",
	statusAnswered:     "已答复",
	statusTransferred:  "已转交镇党委政府办理（代表直通车）",
	statusClosed:       "已办结",
}

// transferToProblems puts a suggestion that needs the party committee or
// government on the problems list (急难愁盼, R4), where the presidium forwards
// it through 代表直通车 and follows it up. A retry finds the same problem.
func transferToProblems(app core.App, r *core.Record) error {
	if r.GetString("problem") != "" {
		return nil
	}
	if r.Id == "" {
		r.Set(core.FieldNameId, core.GenerateDefaultRandomId())
	}
	id, err := problems.OpenFor(app, problems.Origin{Source: problems.FromSuggestion, SourceID: r.Id,
		Village: r.GetString("village"), Deputy: r.GetString("deputy")}, r.GetString("category"), r.GetString("content"))
	if err != nil {
		return err
	}
	r.Set("problem", id)
	return nil
}

// Acknowledge marks a suggestion still waiting for its 24-hour response as
// acknowledged (the ledger does when it registers a hazard from it); one
// past that is left as it is.
func Acknowledge(app core.App, id string) error {
	s, err := app.FindRecordById("suggestions", id)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if s.GetString("status") != statusReceived {
		return nil
	}
	s.Set("status", statusAcknowledged)
	return app.Save(s)
}

// AddressedTo is the deputy a suggestion is addressed to ("" for the
// enterprise channel's, which the presidium answers).
func AddressedTo(app core.App, id string) (string, error) {
	s, err := app.FindRecordById("suggestions", id)
	if err != nil {
		return "", err
	}
	return s.GetString("deputy"), nil
}

// ErrNotFound: no suggestion has that id.
var ErrNotFound = errors.New("suggestions: no such suggestion")
