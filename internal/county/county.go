// Package county fills a test township's database with a county's worth of
// records straight through SQL, for the benchmarks and the query-plan test;
// never for real data. No hook, no validation and no bcrypt run: each table
// is one INSERT … SELECT over a counter, so 500,000 visits take seconds,
// and what is measured afterwards never pays for the seeding.
//
// The records are what the platform's own writes would leave (stored date
// format, sync fields, ids in PocketBase's format), spread evenly: deputies
// over villages, households over deputies, visits and suggestions over
// deputies and over the last two years up to now.
package county

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// Size is how much to seed.
type Size struct {
	Villages    int
	Deputies    int // one in 20 is in the presidium
	Households  int // per deputy
	Visits      int // in all, over this year and the last
	Suggestions int // in all, over this year and the last
	Hazards     int // in all, found by inspections
	Tombstones  int // deletions phones pull
	Meetings    int // each attended by every deputy
	Activities  int // per deputy
}

// County is a county (溆浦县: about 25 townships) on one server:
// 1,500 deputies, 500,000 visits over two years, 100,000 suggestions.
var County = Size{Villages: 400, Deputies: 1500, Households: 20, Visits: 500_000, Suggestions: 100_000,
	Hazards: 5000, Tombstones: 5000, Meetings: 20, Activities: 10}

// Tenth is s ten times smaller.
func (s Size) Tenth() Size {
	return Size{Villages: max(1, s.Villages/10), Deputies: max(1, s.Deputies/10), Households: s.Households,
		Visits: s.Visits / 10, Suggestions: s.Suggestions / 10, Hazards: s.Hazards / 10, Tombstones: s.Tombstones / 10,
		Meetings: s.Meetings, Activities: s.Activities}
}

// Records is how many rows s seeds.
func (s Size) Records() int {
	return s.Villages + s.Deputies*(1+s.Households+s.Meetings+s.Activities) + s.Visits + s.Suggestions +
		s.Hazards + s.Tombstones + s.Meetings
}

// Seeded names what Seed makes.
type Seeded struct {
	Deputies  []string // ids, in order; Deputies[0] is in the presidium
	Villages  []string
	Codes     []string // the deputies' public codes (代表码), in the same order
	Presidium string   // a presidium member
}

// Names are the ids Seed gives the records of s.
func (s Size) Names() Seeded {
	var out Seeded
	for d := range s.Deputies {
		out.Deputies = append(out.Deputies, DeputyID(d))
		out.Codes = append(out.Codes, fmt.Sprintf("cc%08d", d))
	}
	for v := range s.Villages {
		out.Villages = append(out.Villages, VillageID(v))
	}
	out.Presidium = out.Deputies[0]
	return out
}

// DeputyID is the id of seeded deputy d, VillageID of village v, and so on:
// 15 characters of [a-z0-9], PocketBase's id format.
func DeputyID(d int) string  { return fmt.Sprintf("cd%013d", d) }
func VillageID(v int) string { return fmt.Sprintf("cl%013d", v) }

// HouseholdID is the id of household h of deputy d.
func (s Size) HouseholdID(d, h int) string {
	return fmt.Sprintf("ch%013d", d*s.Households+h%s.Households)
}

// counter is a recursive CTE of the integers 0…{:n}-1, as i.
const counter = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {:n}) "

// Seed adds s to app's database in one transaction, with the ids of
// s.Names. The deputies copy template's row (its password, so they log in
// with the template's password, and its other settings); template must be
// an active deputy.
func Seed(app core.App, template string, s Size) error {
	now := time.Now()
	since := chinatime.YearStart(chinatime.Year(now) - 1)
	// Dates are spread over [since, now): seconds after since, in SQL.
	p := dbx.Params{"since": since.UTC().Format(chinatime.StoredLayout), "span": int64(now.Sub(since).Seconds()),
		"deputies": s.Deputies, "villages": s.Villages, "per": s.Households, "template": template}
	at := func(expr string) string {
		return "strftime('%Y-%m-%d %H:%M:%S.000Z', {:since}, '+' || ((" + expr + ") % {:span}) || ' seconds')"
	}
	steps := []struct {
		n   int
		sql string
	}{
		{s.Villages, counter + `INSERT INTO villages (id, name, code, created, updated)
			SELECT printf('cl%013d', i), printf('县村%05d', i), printf('cv%05d', i), {:since}, {:since} FROM n`},
		{s.Deputies, counter + `INSERT INTO deputies (id, name, phone, code, tokenKey, email, password, active, presidium,
				level, term, village, verified, emailVisibility, created, updated)
			SELECT printf('cd%013d', i), printf('代表%04d', i), printf('139%08d', i), printf('cc%08d', i),
				printf('county-token-key-%033d', i), '', t.password, TRUE, i % 20 = 0, t.level, t.term,
				printf('cl%013d', i % {:villages}), t.verified, FALSE, {:since}, {:since}
			FROM n, deputies t WHERE t.id = {:template}`},
		{s.Deputies * s.Households, counter + `INSERT INTO households (id, village, head_name, address, dedupe_key, deputy,
				version, seq, schema_version, created, updated)
			SELECT printf('ch%013d', i), printf('cl%013d', (i / {:per}) % {:villages}), printf('户主%d', i),
				printf('%d组%d号', i % 9 + 1, i), printf('county-household-%d', i), printf('cd%013d', i / {:per}),
				1, {:visits} + i + 1, 1, {:since}, {:since} FROM n`},
		{s.Visits, counter + `INSERT INTO visits (id, deputy, household, visited_at, notes, topics, problems, location,
				location_accuracy, photo_manifest, complete, late, version, seq, received_at, schema_version, created, updated)
			SELECT printf('cv%013d', i), printf('cd%013d', i % {:deputies}),
				printf('ch%013d', (i % {:deputies}) * {:per} + (i / {:deputies}) % {:per}),
				r, '了解春耕用水和医保缴费情况。', '["饮水安全"]', '[]', '{"lon":110.5,"lat":27.7}',
				25, '[]', TRUE, FALSE, 1, i + 1, r, 1, r, r
			FROM (SELECT i, ` + at("i * 7919") + ` AS r FROM n)`},
		{s.Suggestions, counter + `INSERT INTO suggestions (id, tracking, source, deputy, village, category, content,
				received_at, ack_due, feedback_due, status, acknowledged_at, answered_at, satisfaction, moderation, created, updated)
			SELECT printf('cs%013d', i), printf('s%09d', i), 'qr', printf('cd%013d', i % {:deputies}),
				printf('cl%013d', (i % {:deputies}) % {:villages}), '其他', '村口路灯坏了，晚上看不见路。', r,
				strftime('%Y-%m-%d %H:%M:%S.000Z', r, '+1 day'), strftime('%Y-%m-%d %H:%M:%S.000Z', r, '+7 days'),
				CASE i % 4 WHEN 0 THEN 'received' WHEN 1 THEN 'acknowledged' ELSE 'closed' END,
				CASE i % 4 WHEN 0 THEN '' ELSE strftime('%Y-%m-%d %H:%M:%S.000Z', r, '+2 hours') END,
				CASE WHEN i % 4 > 1 THEN strftime('%Y-%m-%d %H:%M:%S.000Z', r, '+3 days') ELSE '' END,
				CASE i % 8 WHEN 2 THEN 'satisfied' WHEN 3 THEN 'basic' ELSE '' END, 'ok', r, r
			FROM (SELECT i, ` + at("i * 104729") + ` AS r FROM n)`},
		{s.Hazards, counter + `INSERT INTO hazards (id, title, description, severity, source, inspection, site, village,
				deputy, responsible_unit, responsible_person, deadline, status, version, seq, schema_version, complete,
				photo_manifest, created, updated)
			SELECT printf('cz%013d', i), printf('隐患%d', i), '消防通道堆放杂物，需清理并设置警示标志。',
				CASE i % 10 WHEN 0 THEN 'major' ELSE 'general' END, 'inspection', '', '', printf('cl%013d', i % {:villages}),
				printf('cd%013d', i % {:deputies}), '镇安监办', '主任', strftime('%Y-%m-%d %H:%M:%S.000Z', r, '+30 days'),
				CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'rectifying' ELSE 'closed' END, 1, 0, 1, TRUE, '[]', r, r
			FROM (SELECT i, ` + at("i * 15485863") + ` AS r FROM n)`},
		{s.Tombstones, counter + `INSERT INTO sync_tombstones (id, collection, record_id, deputy, village, seq, deleted_at)
			SELECT printf('ct%013d', i), 'households', printf('cx%013d', i), printf('cd%013d', i % {:deputies}),
				printf('cl%013d', (i % {:deputies}) % {:villages}), {:visits} + {:households} + i + 1, ` + at("i * 31") + ` FROM n`},
		{s.Meetings, counter + `INSERT INTO meetings (id, title, kind, starts_at, place, half_days, expected, created, updated)
			SELECT printf('cm%013d', i), '代表培训', 'training', ` + at("i * 86413") + `, '镇政府', 1, '[]', {:since}, {:since} FROM n`},
		{s.Meetings * s.Deputies, counter + `INSERT INTO meeting_attendance (id, meeting, deputy, status, method, half_days, created, updated)
			SELECT printf('ca%013d', i), printf('cm%013d', i / {:deputies}), printf('cd%013d', i % {:deputies}),
				CASE i % 7 WHEN 0 THEN 'leave' ELSE 'present' END, 'staff', 1, {:since}, {:since} FROM n`},
		{s.Activities * s.Deputies, counter + `INSERT INTO deputy_activities (id, deputy, kind, occurred_on, title, created, updated)
			SELECT printf('cy%013d', i), printf('cd%013d', i % {:deputies}),
				CASE i % 3 WHEN 0 THEN 'station_duty' WHEN 1 THEN 'proposal' ELSE 'project_tracking' END,
				` + at("i * 7727") + `, '值班接待', {:since}, {:since} FROM n`},
	}
	p["visits"], p["households"] = s.Visits, s.Deputies*s.Households
	err := app.RunInTransaction(func(tx core.App) error {
		for _, step := range steps {
			if step.n == 0 {
				continue
			}
			// Filling a table and then building its indexes (one sort each)
			// is many times faster than inserting into every index row by row.
			table := tableOf(step.sql)
			var indexes []string
			if err := tx.DB().NewQuery("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = {:t} AND sql IS NOT NULL").
				Bind(dbx.Params{"t": table}).Column(&indexes); err != nil {
				return err
			}
			for _, ix := range indexes {
				if _, err := tx.DB().NewQuery("DROP INDEX " + indexName(ix)).Execute(); err != nil {
					return err
				}
			}
			params := dbx.Params{"n": step.n}
			for k, v := range p {
				params[k] = v
			}
			if _, err := tx.DB().NewQuery(step.sql).Bind(params).Execute(); err != nil {
				return fmt.Errorf("county: %w\n%s", err, step.sql)
			}
			for _, ix := range indexes {
				if _, err := tx.DB().NewQuery(ix).Execute(); err != nil {
					return err
				}
			}
		}
		// The sequence never goes back: its floor is above every seeded seq.
		_, err := tx.DB().NewQuery("UPDATE sync_counters SET value = MAX(value, {:top}) WHERE name = 'seq'").
			Bind(dbx.Params{"top": s.Visits + s.Deputies*s.Households + s.Tombstones + 1}).Execute()
		return err
	})
	return err
}

// tableOf is the table an INSERT statement fills.
func tableOf(insert string) string {
	_, rest, _ := strings.Cut(insert, "INSERT INTO ")
	table, _, _ := strings.Cut(rest, " ")
	return table
}

// indexName is the quoted name in a CREATE INDEX statement.
func indexName(create string) string {
	_, rest, _ := strings.Cut(create, "INDEX ")
	rest = strings.TrimPrefix(rest, "IF NOT EXISTS ")
	name, _, _ := strings.Cut(rest, " ")
	return name
}

// Analyze gathers the statistics SQLite's planner uses, as PocketBase's
// periodic PRAGMA optimize does on a database that has grown.
func Analyze(app core.App) error {
	_, err := app.DB().NewQuery("ANALYZE").Execute()
	return err
}
