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

// The role matrix of the platform in one table: who is what, and what each
// predicate grants.
func TestRoles(t *testing.T) {
	staff := core.NewRecord(core.NewAuthCollection(core.CollectionNameSuperusers))
	staff.SetEmail("staff@example.cn")
	stranger := core.NewRecord(core.NewAuthCollection("users"))
	tests := []struct {
		name                                 string
		auth                                 *core.Record
		role                                 access.Role
		deputyAccount, activeDeputy, manager bool
		staff                                bool
		label                                string
	}{
		{"nobody", nil, access.Guest, false, false, false, false, "系统"},
		{"another auth collection", stranger, access.Guest, false, false, false, false, "（代表）"},
		{"former deputy", deputy(false, false), access.Former, true, false, false, false, "张三（代表）"},
		{"former presidium member", deputy(false, true), access.Former, true, false, false, false, "张三（主席团）"},
		{"deputy", deputy(true, false), access.Deputy, true, true, false, false, "张三（代表）"},
		{"presidium member", deputy(true, true), access.Presidium, true, true, true, false, "张三（主席团）"},
		{"staff", staff, access.Staff, false, false, true, true, "工作人员 staff@example.cn"},
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
		if got := access.IsPresidiumOrStaff(tt.auth); got != tt.manager {
			t.Errorf("%s: IsPresidiumOrStaff = %v", tt.name, got)
		}
		if got := access.IsStaff(tt.auth); got != tt.staff {
			t.Errorf("%s: IsStaff = %v", tt.name, got)
		}
		if got := access.ActorLabel(tt.auth); got != tt.label {
			t.Errorf("%s: ActorLabel = %q, want %q", tt.name, got, tt.label)
		}
	}
	if !access.IsSelf(deputy(false, false), "dep000000000001") || access.IsSelf(staff, "dep000000000001") {
		t.Error("IsSelf")
	}
}
