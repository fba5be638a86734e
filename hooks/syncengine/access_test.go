package syncengine_test

import (
	"net/http"
	"testing"

	"simeng/internal/testapp"
)

// The sync bookkeeping is the server's: no deputy reads the sequence or the
// tombstones through the REST API.
func TestRulesSyncBookkeeping(t *testing.T) {
	col := func(name string) string { return "/api/collections/" + name + "/records" }
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: deputy, Method: http.MethodGet, URL: col("sync_counters"), Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: col("sync_tombstones"), Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: col("sync_counters"), Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: col("sync_tombstones"), Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: col("sync_tombstones"), Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("sync_counters"), Body: `{"name":"x","value":1}`, Status: 403, Contains: testapp.Forbidden},
		// the sync routes are the deputies' alone
		{Role: staff, Method: http.MethodGet, URL: "/api/sync/pull", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodPost, URL: "/api/sync/push", Body: `{"device":"x","records":[]}`, Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodGet, URL: "/api/sync/pull", Status: 403, Contains: testapp.Forbidden},
		// superusers keep reading the bookkeeping
		{Role: superuser, Method: http.MethodGet, URL: col("sync_counters"), Status: 200, Contains: []string{`"items"`}},
	})
}
