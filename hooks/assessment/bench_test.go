package assessment_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/assessment"
	"simeng/internal/testapp"
)

// county is the benchmark dataset: deputies and, per deputy, records of each
// source. See BENCHMARKS.md ("Assessment").
type county struct {
	deputies       int
	visitsPer      int // visits, over visitsPer/5 households
	suggestionsPer int // residents' suggestions
	activitiesPer  int // staff-recorded deputy_activities
	attendancePer  int // meetings attended (one meeting each, every deputy)
}

// countyOf is the county: per deputy 100 visits and 30 suggestions
// (plus 10 activities and 10 meetings).
func countyOf(deputies int) county {
	return county{deputies: deputies, visitsPer: 100, suggestionsPer: 30, activitiesPer: 10, attendancePer: 10}
}

func (c county) records() int {
	return c.deputies * (c.visitsPer + c.suggestionsPer + c.activitiesPer + c.attendancePer)
}

func benchID() string {
	return security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
}

// seedCounty bulk-inserts the dataset with plain SQL (bcrypt for 1,000
// deputy passwords and 130,000 hooked saves would dominate the setup);
// columns left out take their defaults.
func seedCounty(b *testing.B, app core.App, c county) []string {
	b.Helper()
	f := testapp.F(b)
	year := testapp.AssessmentDate().Year()
	loc := time.FixedZone("CST", 8*3600)
	date := func(k int) string {
		return time.Date(year, time.Month(1+k%12), 1+k%28, 10, 0, 0, 0, loc).UTC().Format(types.DefaultDateLayout)
	}
	var ids []string
	err := app.RunInTransaction(func(tx core.App) error {
		insert := func(table string, p dbx.Params) error {
			_, err := tx.DB().Insert(table, p).Execute()
			return err
		}
		var cols []string
		if err := tx.DB().NewQuery("SELECT name FROM pragma_table_info('deputies')").Column(&cols); err != nil {
			return err
		}
		for i := range c.deputies {
			id := benchID()
			sel := make([]string, len(cols))
			for j, col := range cols {
				switch col {
				case "id", "phone", "code", "tokenKey", "name":
					sel[j] = "{:" + col + "}"
				default:
					sel[j] = "[[" + col + "]]"
				}
			}
			q := "INSERT INTO deputies (" + quoteCols(cols) + ") SELECT " + strings.Join(sel, ",") + " FROM deputies WHERE id = {:src}"
			_, err := tx.DB().NewQuery(q).Bind(dbx.Params{"id": id, "phone": fmt.Sprintf("137%08d", i), "code": fmt.Sprintf("bench%05d", i),
				"tokenKey": security.RandomString(50), "name": fmt.Sprintf("代表%04d", i), "src": f.Deputy2}).Execute()
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}

		kinds := []string{"station_duty", "proposal", "project_tracking", "supervision_activity", "report_to_voters"}
		for _, d := range ids {
			for k := range c.activitiesPer {
				if err := insert("deputy_activities", dbx.Params{"id": benchID(), "deputy": d, "kind": kinds[k%len(kinds)],
					"occurred_on": date(k), "title": "事项", "created": date(k), "updated": date(k)}); err != nil {
					return err
				}
			}
		}
		meetingKinds := []string{"congress_session", "presidium", "training", "wuchang", "inquiry", "party_committee"}
		statuses := []string{"present", "present", "present", "leave", "absent"}
		for k := range c.attendancePer {
			mid := fmt.Sprintf("benchmeeting%03d", k)
			if err := insert("meetings", dbx.Params{"id": mid, "title": "会议", "kind": meetingKinds[k%len(meetingKinds)],
				"starts_at": date(k), "place": "镇政府", "half_days": 2, "expected": "[]", "created": date(k), "updated": date(k)}); err != nil {
				return err
			}
			for j, d := range ids {
				if err := insert("meeting_attendance", dbx.Params{"id": benchID(), "meeting": mid, "deputy": d,
					"status": statuses[(j+k)%len(statuses)], "method": "staff", "half_days": 1, "created": date(k), "updated": date(k)}); err != nil {
					return err
				}
			}
		}

		for i, d := range ids {
			var households []string
			for h := range c.visitsPer / 5 {
				hid := benchID()
				households = append(households, hid)
				if err := insert("households", dbx.Params{"id": hid, "village": f.VillageB, "head_name": "户主", "address": fmt.Sprintf("%d组%d号", i, h),
					"dedupe_key": hid, "deputy": d, "created": date(h), "updated": date(h)}); err != nil {
					return err
				}
			}
			for k := range c.visitsPer {
				if err := insert("visits", dbx.Params{"id": benchID(), "deputy": d, "household": households[k%len(households)],
					"visited_at": date(k), "late": false, "created": date(k), "updated": date(k)}); err != nil {
					return err
				}
			}
		}

		satisfaction := []string{"satisfied", "satisfied", "basic", "unsatisfied", ""}
		for i, d := range ids {
			for k := range c.suggestionsPer {
				received := date(k)
				due, _ := types.ParseDateTime(received)
				ackDue := due.Add(24 * time.Hour).String()
				feedbackDue := due.Add(7 * 24 * time.Hour).String()
				ack, answered := due.Add(2*time.Hour).String(), due.Add(3*24*time.Hour).String()
				if (i+k)%7 == 0 {
					ack = due.Add(30 * time.Hour).String() // late
				}
				if err := insert("suggestions", dbx.Params{"id": benchID(), "tracking": security.RandomStringWithAlphabet(10, "abcdefghijklmnopqrstuvwxyz0123456789"),
					"source": "qr", "deputy": d, "category": "其他", "content": "建议内容", "received_at": received,
					"ack_due": ackDue, "feedback_due": feedbackDue, "status": "closed", "acknowledged_at": ack, "answered_at": answered,
					"satisfaction": satisfaction[(i+k)%len(satisfaction)], "moderation": "ok", "created": received, "updated": received}); err != nil {
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
	for _, n := range []int{100, 1000} {
		c := countyOf(n)
		b.Run(fmt.Sprintf("deputies=%d/records=%d", n, c.records()), func(b *testing.B) {
			app := testapp.New(b)
			seedCounty(b, app, c)
			year := testapp.AssessmentDate().Year()
			b.ResetTimer()
			for b.Loop() {
				n, err := assessment.RecomputeYear(app, year)
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
			ids := seedCounty(b, app, countyOf(100))
			if _, err := assessment.RecomputeYear(app, day.Year()); err != nil {
				b.Fatal(err)
			}
			assessment.SetIncrementalScoring(app, on)
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

// saveFieldRecord is the write deputies make most: a visit to one of their
// households where visits are in this build, else a recorded activity.
func saveFieldRecord(app core.App, deputy string, day time.Time) error {
	col, err := app.FindCachedCollectionByNameOrId("visits")
	if err != nil {
		return saveActivity(app, deputy, day)
	}
	var household string
	if err := app.DB().Select("id").From("households").Where(dbx.HashExp{"deputy": deputy}).Limit(1).Row(&household); err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"deputy": deputy, "household": household, "visited_at": day, "schema_version": 1})
	return app.Save(r)
}

// BenchmarkAssessmentWrite: one field record (a visit, or an activity where
// visits are not in this build) saved through the record layer, with the
// incremental score hooks and with scoring off.
func BenchmarkAssessmentWrite(b *testing.B) {
	benchWrites(b, saveFieldRecord)
}

// BenchmarkAssessmentBatch: 100 field records of one deputy saved in one
// transaction (as a synced batch is), with and without scoring. The
// rescores of a transaction are coalesced: one per deputy and year.
func BenchmarkAssessmentBatch(b *testing.B) {
	benchWrites(b, func(app core.App, deputy string, day time.Time) error {
		return app.RunInTransaction(func(tx core.App) error {
			for range 100 {
				if err := saveFieldRecord(tx, deputy, day); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
