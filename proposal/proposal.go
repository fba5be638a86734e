// Package proposal holds the rules of deputies' proposals (议案建议, R11):
// the lifecycle from a draft on the phone to 办结, who may take each step,
// reply deadlines in working days and when a proposal is overdue, the
// completion and satisfaction rates (办结率, 满意率) and the yearly choice
// of 金点子. It knows nothing of PocketBase: the integrator reads a record
// into a Proposal, calls Apply (routes) or CheckSave (every other door:
// admin UI, sync), and writes the result back.
package proposal

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Proposal is what the rules look at in a proposal record. Times are
// instants; the date that counts is the date in China time.
type Proposal struct {
	ID       string
	Type     Type
	Status   Status
	Title    string
	Body     string
	Category string // 分类: one of Config.Categories

	Sponsor     string      // 领衔代表: deputy id
	CoSponsors  []CoSponsor // 附议代表, invited and confirmed
	SubmittedAt time.Time

	// 立案 review
	Converted bool   // a 议案 turned into a 建议 (转为建议)
	Decision  string // the reason for 转为建议 or 不予立案
	Grade     Grade  // 分级
	MainID    string // Merged: the main proposal (并案)

	// Handling
	MainUnit   string   // 主办单位: unit id
	CoUnits    []string // 协办单位: unit ids
	AssignedAt time.Time
	Deadline   time.Time // end of the last working day for the reply
	Round      int       // 1, or 2 once sent back for 重新办理
	RedoReason string    // the sponsor's reason for 不满意 in round 1

	ReplyClass ReplyClass
	Reply      string
	AnsweredAt time.Time

	Rating        Rating
	RatingComment string
	ClosedAt      time.Time
	Closure       Closure
}

// CoSponsor is an invited co-sponsor (附议代表); only Confirmed ones count.
type CoSponsor struct {
	Deputy    string
	Confirmed bool
}

// JointSponsors is the number of deputies putting the proposal forward: the
// sponsor and the co-sponsors who confirmed, each counted once.
func (p Proposal) JointSponsors() int {
	seen := map[string]bool{p.Sponsor: true}
	n := 1
	for _, c := range p.CoSponsors {
		if c.Confirmed && !seen[c.Deputy] {
			seen[c.Deputy] = true
			n++
		}
	}
	return n
}

// ConfirmedCoSponsors lists the deputies who confirmed, in invitation order.
func (p Proposal) ConfirmedCoSponsors() []string {
	var out []string
	for _, c := range p.CoSponsors {
		if c.Confirmed && c.Deputy != p.Sponsor {
			out = append(out, c.Deputy)
		}
	}
	return out
}

// involves reports whether deputy is the sponsor or an invited co-sponsor.
func (p Proposal) involves(deputy string) bool {
	if deputy == "" {
		return false
	}
	if p.Sponsor == deputy {
		return true
	}
	for _, c := range p.CoSponsors {
		if c.Deputy == deputy {
			return true
		}
	}
	return false
}

func (p Proposal) invited(deputy string) (int, bool) {
	for i, c := range p.CoSponsors {
		if c.Deputy == deputy {
			return i, true
		}
	}
	return -1, false
}

// Role is who acts, as the integrator reads it from the auth record.
type Role string

const (
	RoleGuest     Role = "guest"     // not logged in
	RoleDeputy    Role = "deputy"    // a deputy who is not in the presidium
	RolePresidium Role = "presidium" // a deputy in the presidium (主席团成员)
	RoleUnit      Role = "unit"      // a handling unit's account (承办单位)
	RoleStaff     Role = "staff"     // township congress staff (superusers)
	RoleSystem    Role = "system"    // the server itself (cron jobs)
)

// Actor is who takes a step: a role and the id of the deputy or unit.
type Actor struct {
	Role Role
	ID   string
}

func (a Actor) deputy() bool  { return (a.Role == RoleDeputy || a.Role == RolePresidium) && a.ID != "" }
func (a Actor) manager() bool { return a.Role == RolePresidium || a.Role == RoleStaff }

// FieldErrors maps a field name to a Chinese message, in the shape of
// PocketBase's 400 response data.
type FieldErrors map[string]string

func (e FieldErrors) orNil() FieldErrors {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Refusal is why a step was refused. Forbidden means the actor may not take
// it at all (answer 403); otherwise the input or the state is wrong (400).
// Fields always names at least one field.
type Refusal struct {
	Forbidden bool
	Fields    FieldErrors
}

func (r *Refusal) Error() string {
	var parts []string
	for f, m := range r.Fields {
		parts = append(parts, f+": "+m)
	}
	return strings.Join(parts, "; ")
}

func forbid(field, msg string) *Refusal {
	return &Refusal{Forbidden: true, Fields: FieldErrors{field: msg}}
}

func invalid(field, msg string) *Refusal {
	return &Refusal{Fields: FieldErrors{field: msg}}
}

func invalids(errs FieldErrors) *Refusal {
	if len(errs) == 0 {
		return nil
	}
	return &Refusal{Fields: errs}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func blank(s string) bool { return strings.TrimSpace(s) == "" }
