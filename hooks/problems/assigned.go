package problems

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// AssignedTo lists the problems forwarded to the handling unit unitID that
// still involve it (forwarded, waiting for its answer, or answered and not
// yet closed), for the unit's home screen: overdue first (listed for
// supervision, then reported to the presidium), then by deadline. The unit
// answers through POST /api/problems/{id}/answer or the records API
// (status answered with a reply); the same rules apply at both.
func AssignedTo(app core.App, unitID string) ([]*core.Record, error) {
	if unitID == "" {
		return []*core.Record{}, nil
	}
	return app.FindRecordsByFilter("problems", "unit = {:u} && (status = 'forwarded' || status = 'answered')",
		"-overdue,-escalation,deadline,created", 0, 0, dbx.Params{"u": unitID})
}
