package visits_test

import (
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/internal/queryplan"
	"simeng/internal/testapp"
)

// The visits' frequent reads stay on their indexes with 100,000 visits:
// the year the presidium's progress is counted from is read from a
// covering index (then kept in memory), the monthly pace check counts a
// year in SQL from the same index, and the office's newest-first list
// (staff through the API, superusers in the admin UI) reads visits in the
// order of an index.
func TestVisitReadsUseIndexes(t *testing.T) {
	queryplan.Check(t, []queryplan.Read{
		{Name: "the presidium's progress of every deputy, the year read afresh", Never: []string{"SCAN visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				visits.ForgetKept(town.App)
				town.Get(t, town.Token(t, town.Presidium), "/api/visits/progress")
			}},
		{Name: "the monthly pace flags of every deputy", Never: []string{"SCAN visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				// Last month; in January this month: the township's visits
				// go back to 1 January of last year, so in January last
				// year is nearly all of them, which the planner rightly
				// reads whole (a real township holds more years).
				now := chinatime.In(time.Now())
				month := chinatime.PrevMonthStart(now)
				if month.Year() != now.Year() {
					month = now
				}
				if _, err := visits.FlagBehindPace(town.App, month.Year(), int(month.Month())); err != nil {
					t.Fatal(err)
				}
			}},
		{Name: "the office's progress of every deputy", Never: []string{"SCAN visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				visits.ForgetKept(town.App)
				town.Get(t, testapp.Token(t, testapp.RoleStaff), "/api/visits/progress")
			}},
		{Name: "staff's list of visits, newest first", Never: []string{"SORT visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, testapp.Token(t, testapp.RoleStaff), "/api/collections/visits/records?sort=-created&perPage=30&skipTotal=1")
			}},
		{Name: "a superuser's list of visits in the admin UI, newest first", Never: []string{"SORT visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, testapp.Token(t, testapp.RoleSuperuser), "/api/collections/visits/records?sort=-created&perPage=30&skipTotal=1")
			}},
	})
}
