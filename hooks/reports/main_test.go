package reports_test

import (
	"testing"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) {
	// The analysis fixtures: a quarter of demands in 2025, department keys,
	// a 述职评议会 (internal/testapp/analysis.go, reports.go).
	testapp.Use("analysis", testapp.SeedAnalysis, testapp.SeedReports)
	testapp.Main(m)
}

// The fixture's logins (internal/testapp), by role.
const (
	guest, deputy, deputy2         = testapp.RoleGuest, testapp.RoleDeputy, testapp.RoleDeputy2
	presidium, inactive, superuser = testapp.RolePresidium, testapp.RoleInactive, testapp.RoleSuperuser
	staff, formerStaff, unit       = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
)
