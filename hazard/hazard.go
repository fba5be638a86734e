// Package hazard holds the rules of the hazard ledger (隐患台账, R7): the
// rectification lifecycle that ends in 销号, and when an unrectified hazard
// is overdue and escalated. It knows nothing of PocketBase; hooks/ledger/hazards.go
// applies it to every save, whichever door the save came in by (REST, admin
// UI, offline sync, cron).
package hazard

import (
	"time"

	"simeng/chinatime"
	"simeng/workdays"
)

// Status is where a hazard stands in its lifecycle.
type Status string

// The lifecycle, in order. Each step needs the previous one: a hazard is
// closed (销号) only after a re-inspection verified the rectification, which
// needs photos taken after the work.
const (
	Open       Status = "open"       // 待整改: found, responsible unit told
	Rectifying Status = "rectifying" // 整改中: the unit is working on it
	Rectified  Status = "rectified"  // 已整改: the unit says done, photos after
	Verified   Status = "verified"   // 复查通过: a re-inspection confirmed it
	Closed     Status = "closed"     // 已销号: struck off the ledger
)

// Statuses lists every status in lifecycle order (the select field's values).
var Statuses = []Status{Open, Rectifying, Rectified, Verified, Closed}

// Label is the Chinese name of s shown to deputies and in exports.
func (s Status) Label() string {
	switch s {
	case Open:
		return "待整改"
	case Rectifying:
		return "整改中"
	case Rectified:
		return "已整改待复查"
	case Verified:
		return "复查通过"
	case Closed:
		return "已销号"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// next lists the allowed moves. Rectified may go back to Rectifying when the
// re-inspection finds the work not done (复查不合格).
var next = map[Status][]Status{
	Open:       {Rectifying},
	Rectifying: {Rectified},
	Rectified:  {Verified, Rectifying},
	Verified:   {Closed},
}

// CanMove reports whether a hazard may go from one status to another in one
// save. Staying put is always allowed.
func CanMove(from, to Status) bool {
	if from == to {
		return true
	}
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// State is what the lifecycle rules look at in a hazard record.
type State struct {
	Status        Status
	Rectification string // 整改情况: what the unit did
	PhotosAfter   int    // photos taken after the rectification
	// VerifyInspection is the id of the re-inspection (复查) that verified the
	// rectification; FoundInInspection the inspection that found the hazard.
	VerifyInspection  string
	FoundInInspection string
}

// FieldErrors maps a field name to a Chinese message, in the shape of
// PocketBase's 400 response data.
type FieldErrors map[string]string

// Check validates a hazard about to be saved. old is nil for a new hazard.
// It returns nil when the save may go ahead.
func Check(old *State, cur State) FieldErrors {
	errs := FieldErrors{}
	if !cur.Status.Valid() {
		errs["status"] = "状态无效"
		return errs
	}
	if old == nil {
		if cur.Status != Open {
			errs["status"] = "新登记的隐患状态必须是「待整改」，之后按 整改中 → 已整改 → 复查通过 → 已销号 逐步办理"
		}
		return errs.orNil()
	}
	if old.Status == Closed && cur.Status != Closed {
		errs["status"] = "隐患已销号，不能再更改状态"
		return errs
	}
	if !CanMove(old.Status, cur.Status) {
		errs["status"] = skipMessage(old.Status, cur.Status)
		return errs
	}
	if cur.Status == old.Status {
		return nil
	}
	switch cur.Status {
	case Rectified:
		if cur.PhotosAfter == 0 {
			errs["photos_after"] = "标记「已整改」须上传至少一张整改后照片"
		}
		if cur.Rectification == "" {
			errs["rectification"] = "标记「已整改」须填写整改情况"
		}
	case Verified:
		switch {
		case cur.VerifyInspection == "":
			errs["verify_inspection"] = "复查通过须关联一次复查（执法检查记录）"
		case cur.VerifyInspection == cur.FoundInInspection:
			errs["verify_inspection"] = "复查须是另一次检查，不能用发现隐患的那次检查"
		}
	case Closed:
		if cur.PhotosAfter == 0 {
			errs["photos_after"] = "销号须有整改后照片"
		}
		if cur.VerifyInspection == "" {
			errs["verify_inspection"] = "销号须先经复查通过"
		}
	}
	return errs.orNil()
}

func (e FieldErrors) orNil() FieldErrors {
	if len(e) == 0 {
		return nil
	}
	return e
}

func skipMessage(from, to Status) string {
	want := next[from]
	msg := "不能从「" + from.Label() + "」直接改为「" + to.Label() + "」"
	if len(want) > 0 {
		msg += "，下一步只能是「" + want[0].Label() + "」"
		if len(want) > 1 {
			msg += "（复查不合格可退回「" + want[1].Label() + "」）"
		}
	}
	return msg + "。流程：待整改 → 整改中 → 已整改 → 复查通过 → 已销号"
}

// EscalateAfterWorkdays is how many working days past its deadline an
// unrectified hazard waits before it is listed for supervision (挂牌督办)
// automatically.
const EscalateAfterWorkdays = 5

// Stage is how far an unrectified hazard has been escalated.
type Stage string

// The escalation stages, in order.
const (
	StageNone       Stage = "none"       // not overdue
	StagePresidium  Stage = "presidium"  // overdue: reported to the presidium
	StageSupervised Stage = "supervised" // long overdue: listed for 挂牌督办
)

// Pending reports whether s still waits for the responsible unit's work,
// so that its deadline counts.
func (s Status) Pending() bool { return s == Open || s == Rectifying }

// Overdue returns the escalation stage of a hazard in status s with the given
// rectification deadline, at now. The deadline counts to the end of its day
// in China time; the grace before 挂牌督办 is counted in working days.
func Overdue(cal *workdays.Calendar, s Status, deadline, now time.Time) Stage {
	if !s.Pending() || deadline.IsZero() {
		return StageNone
	}
	end := EndOfDay(deadline)
	if !now.After(end) {
		return StageNone
	}
	escalate := EndOfDay(cal.AddWorkdays(end, EscalateAfterWorkdays))
	if now.After(escalate) {
		return StageSupervised
	}
	return StagePresidium
}

// EndOfDay returns the last instant of t's date in China time.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.In(chinatime.Location()).Date()
	return time.Date(y, m, d, 23, 59, 59, 999999999, chinatime.Location())
}
