package audit_test

import (
	"testing"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// The fixture's logins (internal/testapp), by role.
const (
	guest, deputy, presidium = testapp.RoleGuest, testapp.RoleDeputy, testapp.RolePresidium
	inactive, superuser      = testapp.RoleInactive, testapp.RoleSuperuser
	staff, formerStaff, unit = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
)
