package analysis

import (
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
)

// Who may see what (the README's table says the same):
//   - staff and presidium members: every view, every record; the export;
//     only staff may export personal data;
//   - a deputy: search and drill-down, over the demands addressed to or
//     raised by them (the collections' own rule: deputy = me);
//   - a department's key (信访办, 综治中心): the views its scope names,
//     limited to its villages if it has any; never residents' names or
//     phones; every request logged.
const (
	kindStaff      = "staff"
	kindPresidium  = "presidium"
	kindDeputy     = "deputy"
	kindDepartment = "department"
)

// viewer is who asks, as the analysis sees them.
type viewer struct {
	kind     string
	id, name string
	deputy   string          // deputies: only their records
	villages []string        // departments with villages: only these
	scope    map[string]bool // departments: what they may open
}

const viewerKey = "analysis.viewer"

func viewerOf(e *core.RequestEvent) *viewer {
	v, _ := e.Get(viewerKey).(*viewer)
	return v
}

// identify is the group's middleware: it decides who asks, from a
// department's key or a login.
func identify(e *core.RequestEvent) error {
	if tok := deptToken(e); tok != "" {
		return identifyDepartment(e, tok)
	}
	v := &viewer{}
	switch {
	case e.Auth == nil:
		return e.UnauthorizedError("请先登录。", nil)
	case access.IsOffice(e.Auth):
		v.kind = kindStaff
	case access.Of(e.Auth) == access.Presidium:
		v.kind = kindPresidium
	case access.Of(e.Auth) == access.Deputy:
		v.kind, v.deputy = kindDeputy, e.Auth.Id
	default:
		return e.ForbiddenError("无权查看诉求分析。", nil)
	}
	v.id, v.name = e.Auth.Id, actorName(e.Auth)
	e.Set(viewerKey, v)
	return e.Next()
}

func actorName(auth *core.Record) string {
	if auth.IsSuperuser() {
		return auth.Email()
	}
	return auth.GetString("name")
}

// deptToken is a department key in the Authorization header, "" if none.
func deptToken(e *core.RequestEvent) string {
	h := strings.TrimSpace(e.Request.Header.Get("Authorization"))
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		h = strings.TrimSpace(h[7:])
	}
	if strings.HasPrefix(h, deptTokenPrefix) {
		return h
	}
	return ""
}

// requireScope guards a route: a department needs scope in its key, a
// deputy may open only what deputies may, staff and the presidium all.
func requireScope(scope string, deputies bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		v := viewerOf(e)
		switch {
		case v == nil:
			return e.UnauthorizedError("请先登录。", nil)
		case v.kind == kindDepartment && !v.scope[scope]:
			logRefused(e, v, "scope "+scope)
			return e.ForbiddenError("无权访问该功能。", nil)
		case v.kind == kindDeputy && !deputies:
			return e.ForbiddenError("只有主席团成员或工作人员可以查看诉求分析。", nil)
		}
		return e.Next()
	}
}

// requireOffice guards the office's own routes (dictionary import,
// rebuild, department keys): never a department's key.
func requireOffice(e *core.RequestEvent) error {
	v := viewerOf(e)
	if v == nil || v.kind != kindStaff {
		if v != nil && v.kind == kindDepartment {
			logRefused(e, v, "office route")
		}
		return e.ForbiddenError("只有工作人员可以进行此操作。", nil)
	}
	return e.Next()
}

// scoped adds the viewer's limits to a query over demand_index (alias s).
func (v *viewer) scoped(where []string, params dbx.Params) []string {
	if v.deputy != "" {
		where = append(where, "s.deputy = {:viewer_deputy}")
		params["viewer_deputy"] = v.deputy
	}
	if len(v.villages) > 0 {
		names := make([]string, len(v.villages))
		for i, id := range v.villages {
			k := "viewer_village" + itoa(i)
			params[k] = id
			names[i] = "{:" + k + "}"
		}
		where = append(where, "s.village IN ("+strings.Join(names, ", ")+")")
	}
	return where
}

// seesVillage reports whether the viewer may see a village's demands.
func (v *viewer) seesVillage(village string) bool {
	return len(v.villages) == 0 || slices.Contains(v.villages, village)
}

// seesPersonal: personal data may only ever reach staff.
func (v *viewer) seesPersonal() bool { return v.kind == kindStaff }
