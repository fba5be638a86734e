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
	})
}
