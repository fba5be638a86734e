package hooks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks"
	"simeng/internal/testapp"
)

// county is the benchmark dataset: deputies and, per deputy, records of each
// wired source. See BENCHMARKS.md ("Assessment").
type county struct {
	deputies      int
	activitiesPer int // deputy_activities: stands in for visits while visits are not in this branch
	attendancePer int // meeting_attendance rows (one meeting each)
}

// seedCounty bulk-inserts the dataset with plain SQL (bcrypt for 1,000
// deputy passwords and 130,000 hooked saves would dominate the setup).
func seedCounty(b *testing.B, app core.App, c county) []string {
	b.Helper()
	f := testapp.F(b)
	year := testapp.AssessmentDate().Year()
	var ids []string
	err := app.RunInTransaction(func(tx core.App) error {
		var cols []string
		if err := tx.DB().NewQuery("SELECT name FROM pragma_table_info('deputies')").Column(&cols); err != nil {
			return err
		}
		for i := range c.deputies {
			id := security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
			sel := make([]string, len(cols))
			for j, col := range cols {
				switch col {
				case "id":
					sel[j] = "{:id}"
				case "phone":
					sel[j] = "{:phone}"
				case "code":
					sel[j] = "{:code}"
				case "tokenKey":
					sel[j] = "{:token}"
				case "name":
					sel[j] = "{:name}"
				default:
					sel[j] = "[[" + col + "]]"
				}
			}
			q := "INSERT INTO deputies (" + quoteCols(cols) + ") SELECT " + strings.Join(sel, ",") + " FROM deputies WHERE id = {:src}"
			_, err := tx.DB().NewQuery(q).Bind(dbx.Params{"id": id, "phone": fmt.Sprintf("137%08d", i), "code": fmt.Sprintf("bench%05d", i),
				"token": security.RandomString(50), "name": fmt.Sprintf("代表%04d", i), "src": f.Deputy2}).Execute()
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}

		loc := time.FixedZone("CST", 8*3600)
		date := func(k int) string {
			return time.Date(year, time.Month(1+k%12), 1+k%28, 10, 0, 0, 0, loc).UTC().Format(types.DefaultDateLayout)
		}
		kinds := []string{"station_duty", "proposal", "project_tracking", "supervision_activity", "report_to_voters"}
		for _, d := range ids {
			for k := range c.activitiesPer {
				if _, err := tx.DB().Insert("deputy_activities", dbx.Params{"id": security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"),
					"deputy": d, "kind": kinds[k%len(kinds)], "occurred_on": date(k), "title": "事项", "notes": "", "evidence": "[]",
					"created": date(k), "updated": date(k)}).Execute(); err != nil {
					return err
				}
			}
		}
		meetingKinds := []string{"congress_session", "presidium", "training", "wuchang", "inquiry", "party_committee"}
		statuses := []string{"present", "present", "present", "leave", "absent"}
		for k := range c.attendancePer {
			mid := fmt.Sprintf("benchmeeting%03d", k)
			if _, err := tx.DB().Insert("meetings", dbx.Params{"id": mid, "title": "会议", "kind": meetingKinds[k%len(meetingKinds)],
				"starts_at": date(k), "ends_at": "", "place": "镇政府", "half_days": 2, "expected": "[]", "research": "", "notes": "",
				"created": date(k), "updated": date(k)}).Execute(); err != nil {
				return err
			}
			for j, d := range ids {
				if _, err := tx.DB().Insert("meeting_attendance", dbx.Params{"id": security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"),
					"meeting": mid, "deputy": d, "status": statuses[(j+k)%len(statuses)], "method": "staff", "checked_in_at": "",
					"half_days": 1, "leave_reason": "", "created": date(k), "updated": date(k)}).Execute(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

func quoteCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = "[[" + c + "]]"
	}
	return strings.Join(q, ",")
}

// BenchmarkAssessmentRecompute: full recompute of one year. The county size
// (1,000 deputies, 100,000 activity records, 30,000 attendance rows) and ten
// times less; per-op time should grow no worse than linearly.
func BenchmarkAssessmentRecompute(b *testing.B) {
	for _, c := range []county{
		{deputies: 100, activitiesPer: 100, attendancePer: 30},
		{deputies: 1000, activitiesPer: 100, attendancePer: 30},
	} {
		b.Run(fmt.Sprintf("deputies=%d/records=%d", c.deputies, c.deputies*(c.activitiesPer+c.attendancePer)), func(b *testing.B) {
			app := testapp.New(b)
			seedCounty(b, app, c)
			year := testapp.AssessmentDate().Year()
			b.ResetTimer()
			for b.Loop() {
				n, err := hooks.RecomputeAssessmentYear(app, year)
				if err != nil || n < c.deputies {
					b.Fatalf("%d %v", n, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(c.deputies), "µs/deputy")
		})
	}
}

// benchWrites runs write(app, deputyID, day) with the incremental scoring
// off and on, each on a fresh scored 100-deputy dataset (130 records per
// deputy).
func benchWrites(b *testing.B, write func(app core.App, deputy string, day time.Time) error) {
	day := testapp.AssessmentDate()
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("scoring=%v", on), func(b *testing.B) {
			// a fresh dataset each, so that neither side writes into a
			// dataset the other has grown
			app := testapp.New(b)
			ids := seedCounty(b, app, county{deputies: 100, activitiesPer: 100, attendancePer: 30})
			if _, err := hooks.RecomputeAssessmentYear(app, day.Year()); err != nil {
				b.Fatal(err)
			}
			hooks.SetIncrementalScoring(app, on)
			i := 0
			for b.Loop() {
				if err := write(app, ids[i%len(ids)], day); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func saveActivity(app core.App, deputy string, day time.Time) error {
	col, err := app.FindCachedCollectionByNameOrId("deputy_activities")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"deputy": deputy, "kind": "station_duty", "occurred_on": day, "title": "值班"})
	return app.Save(r)
}

// BenchmarkAssessmentWrite: one staff-recorded activity saved through the
// record layer, with the incremental score hooks and with scoring off.
func BenchmarkAssessmentWrite(b *testing.B) {
	benchWrites(b, saveActivity)
}

// BenchmarkAssessmentBatch: 100 activities of one deputy saved in one
// transaction (as a synced batch is), with and without scoring. The
// rescores of a transaction are coalesced: one per deputy and year.
func BenchmarkAssessmentBatch(b *testing.B) {
	benchWrites(b, func(app core.App, deputy string, day time.Time) error {
		return app.RunInTransaction(func(tx core.App) error {
			for range 100 {
				if err := saveActivity(tx, deputy, day); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
