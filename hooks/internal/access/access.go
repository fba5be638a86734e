// Package access is the one place that decides who is asking: a guest, a
// deputy (人大代表) whose term ended, a deputy, a presidium member (主席团成员)
// or staff (联络员). Route guards and record hooks ask it; the collections'
// API rules in the migrations say the same in PocketBase's rule language
// (frozen literals there, so an applied migration never changes meaning).
//
// Staff are PocketBase superusers today. When staff get an auth collection
// of their own, Of learns it here and every caller follows.
package access

import (
	"github.com/pocketbase/pocketbase/core"
)

// Role is what a login may do.
type Role string

const (
	// Guest: no login (residents, the public pages).
	Guest Role = "guest"
	// Former: a deputy whose term ended (active = false): logged in, no rights.
	Former Role = "former"
	// Deputy: an active deputy.
	Deputy Role = "deputy"
	// Presidium: an active deputy with the presidium flag.
	Presidium Role = "presidium"
	// Staff: the township's staff (superusers today).
	Staff Role = "staff"
)

// DeputiesCollection is the auth collection of deputies.
const DeputiesCollection = "deputies"

// Of is the role of an auth record (nil: a guest).
func Of(auth *core.Record) Role {
	switch {
	case auth == nil:
		return Guest
	case auth.IsSuperuser():
		return Staff
	case auth.Collection().Name != DeputiesCollection:
		return Guest
	case !auth.GetBool("active"):
		return Former
	case auth.GetBool("presidium"):
		return Presidium
	}
	return Deputy
}

// IsActiveDeputy: an active deputy, presidium members included.
func (r Role) IsActiveDeputy() bool { return r == Deputy || r == Presidium }

// IsPresidiumOrStaff: may see every deputy's records and manage the ledgers.
func (r Role) IsPresidiumOrStaff() bool { return r == Presidium || r == Staff }

// IsDeputyAccount reports whether auth is a deputy's login, whatever their
// term: the owner the server stamps on what a deputy records.
func IsDeputyAccount(auth *core.Record) bool {
	return auth != nil && auth.Collection().Name == DeputiesCollection
}

// IsActiveDeputy reports whether auth is an active deputy (presidium included).
func IsActiveDeputy(auth *core.Record) bool { return Of(auth).IsActiveDeputy() }

// IsPresidiumOrStaff reports whether auth is an active presidium member or staff.
func IsPresidiumOrStaff(auth *core.Record) bool { return Of(auth).IsPresidiumOrStaff() }

// IsStaff reports whether auth is staff.
func IsStaff(auth *core.Record) bool { return Of(auth) == Staff }

// IsSelf reports whether auth is the deputy deputyID, active or not.
func IsSelf(auth *core.Record, deputyID string) bool {
	return IsDeputyAccount(auth) && auth.Id == deputyID
}

// ActorLabel names who did something, for the ledgers' "by" fields.
func ActorLabel(auth *core.Record) string {
	switch {
	case auth == nil:
		return "系统"
	case auth.IsSuperuser():
		return "工作人员 " + auth.Email()
	case auth.GetBool("presidium"):
		return auth.GetString("name") + "（主席团）"
	default:
		return auth.GetString("name") + "（代表）"
	}
}

// RequireActiveDeputy is a route guard: 401 without a deputy's login, 403
// for a deputy whose term ended (the same condition as the collections'
// rules).
func RequireActiveDeputy(e *core.RequestEvent) error {
	switch Of(e.Auth) {
	case Deputy, Presidium:
		return e.Next()
	case Former:
		return e.ForbiddenError("该代表账号已停用。", nil)
	}
	return e.UnauthorizedError("请先以代表身份登录。", nil)
}

// RequireStaff is a route guard: 401 without a login, 403 with forbidden
// for anyone but staff.
func RequireStaff(forbidden string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		switch Of(e.Auth) {
		case Staff:
			return e.Next()
		case Guest:
			if e.Auth == nil {
				return e.UnauthorizedError("请以工作人员身份登录。", nil)
			}
		}
		return e.ForbiddenError(forbidden, nil)
	}
}

// RequirePresidiumOrStaff is a route guard: 401 without a login, 403 with
// forbidden for anyone but presidium members and staff.
func RequirePresidiumOrStaff(forbidden string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		if !IsPresidiumOrStaff(e.Auth) {
			return e.ForbiddenError(forbidden, nil)
		}
		return e.Next()
	}
}
