// Package access is the one place that decides who is asking: a guest, an
// account no longer active, a deputy (人大代表), a presidium member
// (主席团成员), a handling unit (承办单位), office staff (联络员、工作人员) or
// the technician (a PocketBase superuser). Route guards and record hooks ask
// it; the collections' API rules in the migrations say the same in
// PocketBase's rule language (frozen literals there, so an applied
// migration never changes meaning).
//
// Office work (the registers, intake, year close, exports) is done by
// active staff accounts; superusers can do it too, but they are the
// technician's accounts for configuration and repair, not the office's.
package access

import (
	"github.com/pocketbase/pocketbase/core"
)

// Role is what a login may do.
type Role string

const (
	// Guest: no login (residents, the public pages).
	Guest Role = "guest"
	// Former: an account that is no longer active (a deputy whose term
	// ended, staff who left, a unit closed): logged in, no rights.
	Former Role = "former"
	// Deputy: an active deputy.
	Deputy Role = "deputy"
	// Presidium: an active deputy with the presidium flag.
	Presidium Role = "presidium"
	// Unit: an active handling unit (承办单位: 镇直部门, 站所, 村委会).
	Unit Role = "unit"
	// Staff: an active office account (联络员, 工作人员).
	Staff Role = "staff"
	// Superuser: the technician (PocketBase's superusers, the admin UI).
	Superuser Role = "superuser"
)

// The auth collections of the platform's accounts.
const (
	DeputiesCollection = "deputies"
	StaffCollection    = "staff"
	UnitsCollection    = "units"
)

// Of is the role of an auth record (nil: a guest).
func Of(auth *core.Record) Role {
	if auth == nil {
		return Guest
	}
	if auth.IsSuperuser() {
		return Superuser
	}
	var active Role
	switch auth.Collection().Name {
	case DeputiesCollection:
		active = Deputy
		if auth.GetBool("presidium") {
			active = Presidium
		}
	case StaffCollection:
		active = Staff
	case UnitsCollection:
		active = Unit
	default:
		return Guest
	}
	if !auth.GetBool("active") {
		return Former
	}
	return active
}

// IsActiveDeputy: an active deputy, presidium members included.
func (r Role) IsActiveDeputy() bool { return r == Deputy || r == Presidium }

// IsOffice: the office's daily work (registers, intake, year close,
// exports): active staff or the technician.
func (r Role) IsOffice() bool { return r == Staff || r == Superuser }

// IsPresidiumOrOffice: may see every deputy's records and manage the ledgers.
func (r Role) IsPresidiumOrOffice() bool { return r == Presidium || r.IsOffice() }

// IsDeputyAccount reports whether auth is a deputy's login, whatever their
// term: the owner the server stamps on what a deputy records.
func IsDeputyAccount(auth *core.Record) bool {
	return auth != nil && auth.Collection().Name == DeputiesCollection
}

// IsActiveDeputy reports whether auth is an active deputy (presidium included).
func IsActiveDeputy(auth *core.Record) bool { return Of(auth).IsActiveDeputy() }

// IsOffice reports whether auth may do the office's work: an active staff
// account or a superuser.
func IsOffice(auth *core.Record) bool { return Of(auth).IsOffice() }

// IsPresidiumOrOffice reports whether auth is an active presidium member,
// staff or a superuser.
func IsPresidiumOrOffice(auth *core.Record) bool { return Of(auth).IsPresidiumOrOffice() }

// IsUnit reports whether auth is an active handling unit.
func IsUnit(auth *core.Record) bool { return Of(auth) == Unit }

// IsSuperuser reports whether auth is the technician (a superuser): only
// for what office staff must not do.
func IsSuperuser(auth *core.Record) bool { return Of(auth) == Superuser }

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
	}
	switch auth.Collection().Name {
	case StaffCollection:
		return auth.GetString("name") + "（工作人员）"
	case UnitsCollection:
		return auth.GetString("name") + "（承办单位）"
	}
	if auth.GetBool("presidium") {
		return auth.GetString("name") + "（主席团）"
	}
	return auth.GetString("name") + "（代表）"
}

// ActorName is the name an account goes by (a superuser: the e-mail), ""
// for nil: the audit trail's snapshot of who acted.
func ActorName(auth *core.Record) string {
	switch {
	case auth == nil:
		return ""
	case auth.IsSuperuser():
		return auth.Email()
	}
	return auth.GetString("name")
}

// RequireActiveDeputy is a route guard: 401 without a deputy's login, 403
// for a deputy whose term ended (the same condition as the collections'
// rules) and for other accounts.
func RequireActiveDeputy(e *core.RequestEvent) error {
	switch Of(e.Auth) {
	case Deputy, Presidium:
		return e.Next()
	case Guest:
		if e.Auth == nil {
			return e.UnauthorizedError("请先以代表身份登录。", nil)
		}
	case Former:
		if IsDeputyAccount(e.Auth) {
			return e.ForbiddenError("该代表账号已停用。", nil)
		}
	}
	return e.ForbiddenError("请以代表身份登录。", nil)
}

// RequireOffice is a route guard: 401 without a login, 403 with forbidden
// for anyone but active staff and superusers.
func RequireOffice(forbidden string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if IsOffice(e.Auth) {
			return e.Next()
		}
		if e.Auth == nil {
			return e.UnauthorizedError("请以工作人员身份登录。", nil)
		}
		return e.ForbiddenError(forbidden, nil)
	}
}

// RequirePresidiumOrOffice is a route guard: 401 without a login, 403 with
// forbidden for anyone but presidium members, staff and superusers.
func RequirePresidiumOrOffice(forbidden string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		if !IsPresidiumOrOffice(e.Auth) {
			return e.ForbiddenError(forbidden, nil)
		}
		return e.Next()
	}
}
