package station

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
)

// Who is the office (staff) and who oversees (the presidium and the
// office), as the access module decides: the capability asks only here.

// requireOffice guards the office's routes.
var requireOffice = access.RequireOffice("只有工作人员可以管理联络站排班")

// isOffice: staff and the technician (superuser).
func isOffice(auth *core.Record) bool { return access.IsOffice(auth) }

// isOversight: the presidium and staff, who see every deputy's station
// records.
func isOversight(auth *core.Record) bool { return access.IsPresidiumOrOffice(auth) }
