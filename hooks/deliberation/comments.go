package deliberation

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/syncengine"
	"simeng/topic"
)

// Moderation of a comment: a resident's waits (pending) until the
// presidium or staff approve it; a deputy's is approved when written.
const (
	modPending  = "pending"
	modApproved = "approved"
	modRejected = "rejected"
)

// Comment lengths: a deputy may write more than a resident on a phone form.
const (
	minCommentRunes         = 2
	maxDeputyCommentRunes   = 1000
	minResidentCommentRunes = 5
	maxResidentCommentRunes = 500
)

// moderationFields are all a presidium member changes on a comment.
var moderationFields = []string{"moderation", "moderation_note", "moderated_by", "moderated_at"}

func bindComments(app core.App) {
	// Deputies comment from the PWA, offline if need be: their comments go
	// through the outbox and the sync routes (docs/SYNC.md).
	syncengine.AddCollection(app, syncengine.Collection{
		Name:         commentsCollection,
		OwnerField:   "deputy",
		Schema:       [2]int{1, 1},
		Fields:       []string{"topic", "body", "written_at"},
		ServerFields: []string{"author", "village", "moderation", "moderation_note", "moderated_by", "moderated_at"},
		Apply:        applyDeputyComment,
	})

	// Every door: who wrote it and whether it is public follow from who
	// wrote it; staff typing in a comment received on paper choose.
	app.OnRecordCreate(commentsCollection).BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		author := topic.ByResident
		if r.GetString("deputy") != "" {
			author = topic.ByDeputy
			if r.GetString("village") == "" {
				if dep, err := e.App.FindRecordById("deputies", r.GetString("deputy")); err == nil {
					r.Set("village", dep.GetString("village"))
				}
			}
		}
		r.Set("author", string(author))
		if r.GetString("moderation") == "" {
			if author == topic.ByDeputy {
				r.Set("moderation", modApproved)
			} else {
				r.Set("moderation", modPending)
			}
		}
		if r.GetDateTime("written_at").IsZero() {
			r.Set("written_at", types.NowDateTime())
		}
		return e.Next()
	})
	app.OnRecordUpdate(commentsCollection).BindFunc(func(e *core.RecordEvent) error {
		r, old := e.Record, stored(e.App, e.Record)
		if r.GetString("deputy") != old.GetString("deputy") || r.GetString("topic") != old.GetString("topic") {
			return fielderr.New("topic", "validation_locked", "意见所属的议题和发言人不能更改。")
		}
		if r.GetString("moderation") != old.GetString("moderation") {
			r.Set("moderated_at", types.NowDateTime())
		}
		return e.Next()
	})

	// The presidium moderates through the records API and changes nothing
	// else; staff may correct anything.
	app.OnRecordUpdateRequest(commentsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		r, old := e.Record, e.Record.Original()
		if !access.IsOffice(e.Auth) {
			for _, f := range e.Collection.Fields {
				name := f.GetName()
				if slices.Contains(moderationFields, name) || f.Type() == core.FieldTypeAutodate {
					continue
				}
				if r.GetString(name) != old.GetString(name) {
					return fielderr.New(name, "validation_not_allowed", "审核时只能更改审核结果和说明。")
				}
			}
		}
		if r.GetString("moderation") != old.GetString("moderation") {
			r.Set("moderated_by", access.ActorLabel(e.Auth))
		}
		return e.Next()
	})
}

// applyDeputyComment checks a comment a deputy's phone pushed: the topic
// asks deputies and is still open, and the comment was written before the
// deadline (it may have waited offline since).
func applyDeputyComment(c *syncengine.ApplyContext) error {
	rec := c.Record
	errs := validation.Errors{}
	body := strings.TrimSpace(rec.GetString("body"))
	if n := utf8.RuneCountInString(body); n < minCommentRunes || n > maxDeputyCommentRunes || !utf8.ValidString(body) {
		errs["body"] = validation.NewError("invalid_body", "请填写意见，2到1000个字。")
	}
	rec.Set("body", body)

	written := rec.GetDateTime("written_at").Time()
	now := time.Now()
	switch c.CheckDeviceTime(written, now) {
	case syncengine.TimeMissing:
		errs["written_at"] = validation.NewError("validation_required", "缺少填写时间（格式 2026-03-05T09:30:00+08:00）。")
	case syncengine.TimeInFuture:
		errs["written_at"] = validation.NewError("future_date", "填写时间不能晚于现在，请检查手机时间。")
	case syncengine.TimeTooOld:
		errs["written_at"] = validation.NewError("too_old", "填写时间早于2020年，请检查手机时间。")
	}

	old := rec.Original()
	t, err := c.App.FindRecordById(topicsCollection, rec.GetString("topic"))
	switch {
	case err != nil:
		errs["topic"] = validation.NewError("not_found", "议题不存在或已删除。")
	case !rec.IsNew() && old.GetString("topic") != rec.GetString("topic"):
		errs["topic"] = validation.NewError("validation_locked", "意见所属的议题不能更改。")
	default:
		// An edit is judged like a new comment: the topic must still be
		// open; a comment written before the deadline counts.
		if refusal := ruleView(t).CommentRefusal(topic.ByDeputy, written, now); refusal != nil {
			errs["topic"] = validation.NewError(refusal.Code, refusal.Message)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
