// Package queryplan keeps the platform's frequent reads on their indexes.
// A capability lists its frequent reads in its own queryplan_test.go, each
// as something the platform does (a request a deputy makes, a job that
// runs) and the plans none of its SQL may have:
//
//	func TestReadsUseIndexes(t *testing.T) {
//		queryplan.Check(t, []queryplan.Read{{
//			Name:  "a deputy's first pull",
//			Do:    func(t testing.TB, town *queryplan.Town) { town.Get(t, town.Deputy, "/api/sync/pull") },
//			Never: []string{"SCAN visits", "SORT visits"},
//		}})
//	}
//
// Check builds a township of 100,000 visits (package county), runs each
// read while recording every query it sends, and fails on a query whose
// EXPLAIN QUERY PLAN has a forbidden plan, first without statistics and
// again after ANALYZE (which PocketBase's periodic PRAGMA optimize runs
// once the database has grown), since the planner may choose differently.
// So a change that loses an index, or rewrites a query so that it no
// longer uses one, fails `go test ./...`.
package queryplan

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/county"
	"simeng/internal/testapp"
)

// Read is one frequent read.
type Read struct {
	Name string
	// Do does what the platform does, e.g. a request as a deputy.
	Do func(t testing.TB, town *Town)
	// Never lists the plans none of its queries may have:
	//   - "SCAN visits": visits read whole, through an index or not;
	//   - "SORT visits": a query on visits sorts its rows for ORDER BY in
	//     a temporary b-tree instead of reading them in order.
	// Each table named must be read by at least one of its queries.
	Never []string
	// Small: the tables it guards hold only the test township's few rows,
	// so it is judged without statistics only (after ANALYZE the planner
	// rightly reads a table of ten rows whole).
	Small bool
}

// Size is the township the reads run in: 100,000 visits over 100 deputies
// and two years, with households, suggestions, hazards and tombstones.
var Size = county.Size{Villages: 20, Deputies: 100, Households: 50, Visits: 100_000, Suggestions: 20_000,
	Hazards: 500, Tombstones: 3000, Meetings: 5, Activities: 5}

// Town is the test township with Size added, served over HTTP.
type Town struct {
	*testapp.Server
	county.Seeded
	// Deputy is a seeded deputy (not in the presidium) with 1,000 visits,
	// the DeputyIndex-th seeded.
	Deputy      *core.Record
	DeputyIndex int
}

// Token is an auth token of the deputy with id.
func (town *Town) Token(t testing.TB, id string) string {
	t.Helper()
	rec, err := town.App.FindRecordById("deputies", id)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := rec.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Get sends a GET with token ("" for none; testapp.Token for the fixture
// roles) and fails unless it answers 200.
func (town *Town) Get(t testing.TB, token, path string) []byte {
	t.Helper()
	status, body := town.DoRaw(token, http.MethodGet, path, "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	return body
}

// Send sends a request with a JSON body (see testapp.JSONBody) and fails
// unless it answers 200.
func (town *Town) Send(t testing.TB, token, method, path string, body any) []byte {
	t.Helper()
	status, out := town.DoRaw(token, method, path, "application/json", testapp.JSONBody(t, body))
	if status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, status, out)
	}
	return out
}

// NewTown is a fresh copy of the township: the test township with Size
// seeded in SQL (once per test run: testapp.Derived).
func NewTown(t testing.TB) *Town {
	t.Helper()
	app := testapp.Derived(t, "queryplan", func(app core.App) error {
		return county.Seed(app, testapp.F(t).Deputy2, Size)
	})
	seeded := Size.Names()
	s := testapp.Serve(t, app, nil)
	const deputy = 1
	dep, err := s.App.FindRecordById("deputies", seeded.Deputies[deputy])
	if err != nil {
		t.Fatal(err)
	}
	return &Town{Server: s, Seeded: seeded, Deputy: dep, DeputyIndex: deputy}
}

// Check runs the reads in one township, without and with statistics.
func Check(t *testing.T, reads []Read) {
	t.Helper()
	town := NewTown(t)
	rec := record(t, town.App)
	for _, stats := range []string{"without statistics", "after ANALYZE"} {
		if stats == "after ANALYZE" {
			if err := county.Analyze(town.App); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range reads {
			if r.Small && stats == "after ANALYZE" {
				continue
			}
			t.Run(r.Name+" "+stats, func(t *testing.T) {
				queries := rec.during(func() { r.Do(t, town) })
				for _, problem := range judge(t, town.App, queries, r.Never) {
					t.Error(problem)
				}
			})
		}
	}
}

// recorder collects the queries the app sends while a read runs.
type recorder struct {
	mu      sync.Mutex
	on      bool
	queries []string
}

func record(t testing.TB, app core.App) *recorder {
	rec := &recorder{}
	log := func(_ context.Context, _ time.Duration, sql string, _ *sql.Rows, _ error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if rec.on {
			rec.queries = append(rec.queries, sql)
		}
	}
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		db, ok := b.(*dbx.DB)
		if !ok {
			t.Fatalf("queryplan: %T is not a *dbx.DB", b)
		}
		db.QueryLogFunc = log
	}
	return rec
}

func (rec *recorder) during(do func()) []string {
	rec.mu.Lock()
	rec.on, rec.queries = true, nil
	rec.mu.Unlock()
	do()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.on = false
	return rec.queries
}

// judge explains every query and lists those that have a forbidden plan,
// and guarded tables no query read.
func judge(t testing.TB, app core.App, queries []string, never []string) []string {
	var problems []string
	read := map[string]bool{}
	partial, err := partialIndexes(app)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q)), "SELECT") {
			continue
		}
		tables := tablesOf(q)
		for _, tb := range tables {
			read[tb] = true
		}
		plan, err := explain(app, q)
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", q, err)
		}
		for _, rule := range never {
			if violates(rule, plan, tables, partial, q) {
				problems = append(problems, fmt.Sprintf("%s:\n  %s\nplan:\n  %s", rule, q, strings.Join(plan, "\n  ")))
			}
		}
	}
	for _, rule := range never {
		if _, table, _ := strings.Cut(rule, " "); !read[table] {
			problems = append(problems, fmt.Sprintf("%s: no query read %s (%d queries)", rule, table, len(queries)))
		}
	}
	return problems
}

func explain(app core.App, q string) ([]string, error) {
	var rows []struct {
		Detail string `db:"detail"`
	}
	err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).All(&rows)
	plan := make([]string, len(rows))
	for i, r := range rows {
		plan[i] = r.Detail
	}
	return plan, err
}

// partialIndexes are the database's indexes with a WHERE: each holds only
// the rows its WHERE admits.
func partialIndexes(app core.App) (map[string]bool, error) {
	var names []string
	err := app.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'").Column(&names)
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, err
}

// violates reports whether plan breaks rule ("SCAN t" or "SORT t"). tables
// maps the names a query gives its tables (aliases too) to the tables. A
// scan of a partial index (one of partial) reads only the rows that index
// holds, not the table: it is no SCAN of the table.
func violates(rule string, plan []string, tables map[string]string, partial map[string]bool, q string) bool {
	kind, table, _ := strings.Cut(rule, " ")
	switch kind {
	case "SCAN":
		for _, line := range plan {
			if rest, ok := strings.CutPrefix(line, "SCAN "); ok {
				name, how, _ := strings.Cut(rest, " ")
				if tables[name] != table {
					continue
				}
				how = strings.TrimPrefix(strings.TrimPrefix(how, "USING "), "COVERING ")
				if index, ok := strings.CutPrefix(how, "INDEX "); ok && partial[strings.Fields(index)[0]] {
					continue
				}
				return true
			}
		}
	case "SORT":
		if mainTable(q, tables) != table {
			return false
		}
		for _, line := range plan {
			if strings.HasPrefix(line, "USE TEMP B-TREE FOR ORDER BY") {
				return true
			}
		}
	default:
		panic("queryplan: unknown rule " + rule)
	}
	return false
}

// fromOrJoin finds the tables of a query and the names they go by.
var fromOrJoin = regexp.MustCompile("(?i)\\b(?:FROM|JOIN)\\s+[`\"\\[]?([A-Za-z_][A-Za-z0-9_]*)[`\"\\]]?(?:\\s+(?:AS\\s+)?[`\"\\[]?([A-Za-z_][A-Za-z0-9_]*)[`\"\\]]?)?")

var notAlias = map[string]bool{"WHERE": true, "LEFT": true, "INNER": true, "CROSS": true, "JOIN": true, "ON": true,
	"ORDER": true, "GROUP": true, "LIMIT": true, "UNION": true, "AND": true, "OR": true, "USING": true, "NATURAL": true,
	"OUTER": true, "HAVING": true, "WINDOW": true, "EXCEPT": true, "INTERSECT": true}

// tablesOf maps every name a query gives a table, and the table's own
// name, to the table.
func tablesOf(q string) map[string]string {
	out := map[string]string{}
	for _, m := range fromOrJoin.FindAllStringSubmatch(q, -1) {
		out[m[1]] = m[1]
		if alias := m[2]; alias != "" && !notAlias[strings.ToUpper(alias)] {
			out[alias] = m[1]
		}
	}
	return out
}

// mainTable is the table of the query's first FROM.
func mainTable(q string, tables map[string]string) string {
	if m := fromOrJoin.FindStringSubmatch(q); m != nil {
		return tables[m[1]]
	}
	return ""
}
