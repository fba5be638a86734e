package hooks_test

import (
	"simeng/internal/testapp"
)

const (
	guest     = testapp.RoleGuest
	deputy    = testapp.RoleDeputy
	deputy2   = testapp.RoleDeputy2
	presidium = testapp.RolePresidium
	inactive  = testapp.RoleInactive
	superuser = testapp.RoleSuperuser
)
