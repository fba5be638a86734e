package verification_test

import (
	"testing"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// The fixture's logins (internal/testapp), by role.
const (
	guest, deputy, deputy2         = testapp.RoleGuest, testapp.RoleDeputy, testapp.RoleDeputy2
	presidium, inactive, superuser = testapp.RolePresidium, testapp.RoleInactive, testapp.RoleSuperuser
	staff, formerStaff, unit       = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
)
