package queryplan_test

import (
	"net/url"
	"strconv"
	"testing"

	"simeng/chinatime"
	"simeng/internal/queryplan"
	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// The reads of the capabilities that landed after the visits' (liaison
// station, deliberation, surveys, learning, proposals, projects,
// supervision, notify) stay on their indexes: a deputy's pull reads each
// of their synced collections by its lookup in seq order, and the lists
// the PWA asks for (filtered by deputy, topic, year) and the public pages
// (by code) find their rows by index. Analysis has its own test
// (hooks/analysis/queryplan_test.go).
func TestCapabilitiesReadsUseIndexes(t *testing.T) {
	f := testapp.F(t)
	year := strconv.Itoa(chinatime.CurrentYear())
	var pull []string
	for _, c := range []string{"station_receptions", "topic_comments", "notices", "article_reads"} {
		pull = append(pull, "SCAN "+c, "SORT "+c)
	}
	// The ledger's pull also lists what a deputy took part in, found in
	// each inspection's participants (a JSON list): that alternative reads
	// inspections whole and sorts the hazards and follow-ups it finds (a
	// township records tens of inspections a quarter). What it does own
	// is read by index.
	pull = append(pull, "SORT inspections", "SCAN hazards", "SCAN hazard_followups")
	list := func(role, collection, filter, sort string) func(t testing.TB, town *queryplan.Town) {
		return func(t testing.TB, town *queryplan.Town) {
			q := url.Values{"filter": {filter}, "sort": {sort}, "perPage": {"200"}, "skipTotal": {"1"}}
			town.Get(t, testapp.Token(t, role), "/api/collections/"+collection+"/records?"+q.Encode())
		}
	}
	get := func(role, path string) func(t testing.TB, town *queryplan.Town) {
		return func(t testing.TB, town *queryplan.Town) { town.Get(t, testapp.Token(t, role), path) }
	}
	queryplan.Check(t, []queryplan.Read{
		{Name: "a deputy's pull of every synced collection", Never: pull, Small: true,
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, testapp.Token(t, testapp.RoleDeputy), "/api/sync/pull?since=0&limit=500")
			}},
		{Name: "a deputy's own open suggestions", Never: []string{"SCAN suggestions"},
			Do: list(testapp.RoleDeputy, "suggestions", "deputy = '"+f.Deputy+"' && status != 'closed'", "feedback_due,received_at")},
		{Name: "a deputy's own problems", Small: true, Never: []string{"SCAN problems"},
			Do: list(testapp.RoleDeputy, "problems", "deputy = '"+f.Deputy+"'", "-created")},
		{Name: "a topic's comments", Small: true, Never: []string{"SCAN topic_comments"},
			Do: list(testapp.RoleDeputy, "topic_comments", "topic = '"+f.IDs["topic_open"]+"'", "created")},
		{Name: "the year's proposals", Small: true, Never: []string{"SCAN proposals"},
			Do: list(testapp.RolePresidium, "proposals", "year = "+year+" && (status = 'registered' || status = 'assigned')", "number")},
		{Name: "the year's candidate projects", Small: true, Never: []string{"SCAN projects"},
			Do: list(testapp.RolePresidium, "projects", "year = "+year+" && status = 'candidate'", "created")},
		{Name: "the liaison station's page", Small: true, Never: []string{"SCAN stations", "SCAN station_duties"},
			Do: get(testapp.RoleGuest, "/s/"+testapp.StationCode)},
		{Name: "a deputy's station duties", Small: true, Never: []string{"SCAN station_duties"},
			Do: get(testapp.RoleDeputy, "/api/station/my")},
		{Name: "a topic's public page", Small: true, Never: []string{"SCAN topics", "SCAN topic_comments"},
			Do: get(testapp.RoleGuest, "/topic/"+f.IDs["topic_open_code"])},
		{Name: "a survey's public page", Small: true, Never: []string{"SCAN surveys"},
			Do: get(testapp.RoleGuest, "/survey/"+f.IDs["survey_open_code"])},
	})
}
