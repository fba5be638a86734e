package demo

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/assessment"
)

// seedYearEnd scores the demo: the past year is closed (closing its visit
// logs in seedVisits closed it; a demo seeded inside January's grace period
// closes it here) and this year is scored from every record. Scoring is
// switched off while the seeders write and done once here.
func seedYearEnd(app core.App) error {
	last, this, _ := demoYears()
	if _, err := assessment.CloseYearBy(app, last, staffActor(app), "年终考核"); err != nil {
		return err
	}
	_, err := assessment.RecomputeYear(app, this)
	return err
}
