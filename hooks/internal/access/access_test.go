package access_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
)

func deputy(active, presidium bool) *core.Record {
	r := core.NewRecord(core.NewAuthCollection("deputies"))
	r.Id = "dep000000000001"
	r.Set("name", "张三")
	r.Set("active", active)
	r.Set("presidium", presidium)
	return r
}

func account(collection, name string, active bool) *core.Record {
	r := core.NewRecord(core.NewAuthCollection(collection))
	r.Set("name", name)
	r.Set("active", active)
	return r
}

// The role matrix of the platform in one table: who is what, and what each
// predicate grants.
func TestRoles(t *testing.T) {
	su := core.NewRecord(core.NewAuthCollection(core.CollectionNameSuperusers))
	su.SetEmail("tech@example.cn")
	stranger := core.NewRecord(core.NewAuthCollection("users"))
	tests := []struct {
		name                                 string
		auth                                 *core.Record
		role                                 access.Role
		deputyAccount, activeDeputy, manager bool
		office, unit, superuser              bool
		label, actor                         string
	}{
		{"nobody", nil, access.Guest, false, false, false, false, false, false, "系统", ""},
		{"another auth collection", stranger, access.Guest, false, false, false, false, false, false, "（代表）", ""},
		{"former deputy", deputy(false, false), access.Former, true, false, false, false, false, false, "张三（代表）", "张三"},
		{"former presidium member", deputy(false, true), access.Former, true, false, false, false, false, false, "张三（主席团）", "张三"},
		{"deputy", deputy(true, false), access.Deputy, true, true, false, false, false, false, "张三（代表）", "张三"},
		{"presidium member", deputy(true, true), access.Presidium, true, true, true, false, false, false, "张三（主席团）", "张三"},
		{"staff who left", account("staff", "刘联络", false), access.Former, false, false, false, false, false, false, "刘联络（工作人员）", "刘联络"},
		{"staff", account("staff", "刘联络", true), access.Staff, false, false, true, true, false, false, "刘联络（工作人员）", "刘联络"},
		{"closed unit", account("units", "镇应急办", false), access.Former, false, false, false, false, false, false, "镇应急办（承办单位）", "镇应急办"},
		{"unit", account("units", "镇应急办", true), access.Unit, false, false, false, false, true, false, "镇应急办（承办单位）", "镇应急办"},
		{"technician", su, access.Superuser, false, false, true, true, false, true, "工作人员 tech@example.cn", "tech@example.cn"},
	}
	for _, tt := range tests {
		if got := access.Of(tt.auth); got != tt.role {
			t.Errorf("%s: Of = %q, want %q", tt.name, got, tt.role)
		}
		if got := access.IsDeputyAccount(tt.auth); got != tt.deputyAccount {
			t.Errorf("%s: IsDeputyAccount = %v", tt.name, got)
		}
		if got := access.IsActiveDeputy(tt.auth); got != tt.activeDeputy {
			t.Errorf("%s: IsActiveDeputy = %v", tt.name, got)
		}
		if got := access.IsPresidiumOrOffice(tt.auth); got != tt.manager {
			t.Errorf("%s: IsPresidiumOrOffice = %v", tt.name, got)
		}
		if got := access.IsOffice(tt.auth); got != tt.office {
			t.Errorf("%s: IsOffice = %v", tt.name, got)
		}
		if got := access.IsUnit(tt.auth); got != tt.unit {
			t.Errorf("%s: IsUnit = %v", tt.name, got)
		}
		if got := access.IsSuperuser(tt.auth); got != tt.superuser {
			t.Errorf("%s: IsSuperuser = %v", tt.name, got)
		}
		if got := access.ActorLabel(tt.auth); got != tt.label {
			t.Errorf("%s: ActorLabel = %q, want %q", tt.name, got, tt.label)
		}
		if got := access.ActorName(tt.auth); got != tt.actor {
			t.Errorf("%s: ActorName = %q, want %q", tt.name, got, tt.actor)
		}
	}
	if !access.IsSelf(deputy(false, false), "dep000000000001") || access.IsSelf(su, "dep000000000001") {
		t.Error("IsSelf")
	}
}
