package idlist_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/hooks/internal/idlist"
	"simeng/internal/testapp"
)

// BenchmarkFrom reads 100 of 20,000 households by id under the statistics
// a new township takes (renewed before the rows were added), as a plain
// "IN (SELECT value FROM json_each(…))" and through From, in turn;
// in/from (in_us over from_us) is what looking each id up in the key
// saves there.
//
//	go test ./hooks/internal/idlist -run '^$' -bench BenchmarkFrom -benchtime 200x -count 3
func BenchmarkFrom(b *testing.B) {
	app := testapp.New(b)
	testapp.RenewStatistics(b, app)
	const rows = 20_000
	_, err := app.DB().NewQuery(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {:n})
		INSERT INTO households (id, dedupe_key) SELECT printf('bench%010d', i), printf('bench%010d', i) FROM n`).Bind(dbx.Params{"n": rows}).Execute()
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench%010d", i*rows/len(ids))
	}
	read := func(sql string) time.Duration {
		start := time.Now()
		var got []string
		if err := app.DB().NewQuery(sql).Bind(idlist.Params(ids)).Column(&got); err != nil {
			b.Fatal(err)
		}
		if len(got) != len(ids) {
			b.Fatalf("read %d of %d households", len(got), len(ids))
		}
		return time.Since(start)
	}
	var in, from time.Duration
	for range b.N {
		in += read("SELECT id FROM households WHERE id IN (SELECT value FROM json_each({:ids})) AND head_name = ''")
		from += read("SELECT t.id FROM " + idlist.ByID("households") + " WHERE t.head_name = ''")
	}
	n := float64(b.N)
	b.ReportMetric(in.Seconds()*1e6/n, "in_us")
	b.ReportMetric(from.Seconds()*1e6/n, "from_us")
	b.ReportMetric(in.Seconds()/from.Seconds(), "in/from")
}
