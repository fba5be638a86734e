package syncengine_test

import (
	"testing"
	"time"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// The fixture's logins (internal/testapp), by role.
const (
	guest, deputy, deputy2         = testapp.RoleGuest, testapp.RoleDeputy, testapp.RoleDeputy2
	presidium, inactive, superuser = testapp.RolePresidium, testapp.RoleInactive, testapp.RoleSuperuser
	staff, formerStaff, unit       = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
)

// visitRecently is a visit time a phone with an honest clock stamps.
var visitRecently = time.Now().Add(-2 * time.Hour).Format(time.RFC3339)
