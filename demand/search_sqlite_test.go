package demand_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"simeng/demand"
	"simeng/demand/sample"
)

// These tests and benchmarks open modernc's SQLite directly, as PocketBase
// would (same driver, same pragmas), to prove and measure the search
// design: (a) FTS5 trigram, which needs a LIKE scan below 3 characters,
// (b) FTS5 over gse tokens, (c) FTS5 over IndexText's bigrams (chosen).

const pbPragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"

type searchDB struct {
	db   *sql.DB
	path string
}

func openSearchDB(tb testing.TB, dir string) *searchDB {
	tb.Helper()
	path := filepath.Join(dir, "data.db")
	db, err := sql.Open("sqlite", path+pbPragmas)
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`CREATE TABLE docs (id INTEGER PRIMARY KEY, rid TEXT NOT NULL, village TEXT, category TEXT,
			status TEXT, at TEXT NOT NULL, content TEXT NOT NULL)`,
		`CREATE INDEX docs_at ON docs (at)`,
		`CREATE INDEX docs_village_at ON docs (village, at)`,
	} {
		mustExec(tb, db, q)
	}
	return &searchDB{db: db, path: path}
}

func mustExec(tb testing.TB, db *sql.DB, q string, args ...any) {
	tb.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

// insertDocs stores the demands and fills the FTS tables named in variants:
// "tri" (trigram, external content), "bi" (IndexText), "gse" (gse tokens;
// index is the function that produces them).
func (s *searchDB) insertDocs(tb testing.TB, ds []sample.Demand, variants []string, gseIndex func(string) string) map[string]time.Duration {
	tb.Helper()
	took := map[string]time.Duration{}
	start := time.Now()
	tx, _ := s.db.Begin()
	st, _ := tx.Prepare(`INSERT INTO docs (id, rid, village, category, status, at, content) VALUES (?,?,?,?,?,?,?)`)
	for i, d := range ds {
		if _, err := st.Exec(i+1, d.ID, d.Village, d.Category, d.Status, d.At.UTC().Format("2006-01-02 15:04:05.000Z"), d.Text); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	took["docs"] = time.Since(start)
	for _, v := range variants {
		start := time.Now()
		switch v {
		case "tri":
			mustExec(tb, s.db, `CREATE VIRTUAL TABLE tri USING fts5(content, tokenize='trigram', content='docs', content_rowid='id')`)
			mustExec(tb, s.db, `INSERT INTO tri(tri) VALUES('rebuild')`)
		case "bi", "gse":
			mustExec(tb, s.db, fmt.Sprintf(`CREATE VIRTUAL TABLE %s USING fts5(grams, content='', tokenize='unicode61')`, v))
			index := demand.IndexText
			if v == "gse" {
				index = gseIndex
			}
			tx, _ := s.db.Begin()
			st, _ := tx.Prepare(fmt.Sprintf(`INSERT INTO %s (rowid, grams) VALUES (?, ?)`, v))
			for i, d := range ds {
				if _, err := st.Exec(i+1, index(d.Text)); err != nil {
					tb.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				tb.Fatal(err)
			}
		}
		mustExec(tb, s.db, fmt.Sprintf(`INSERT INTO %s(%s) VALUES('optimize')`, v, v))
		took[v] = time.Since(start)
	}
	return took
}

// search runs one search as an analysis route would: the newest 20 matches
// and the total, optionally for one village and year. For variant "tri" a
// query under 3 characters falls back to LIKE over the content.
func (s *searchDB) search(tb testing.TB, variant, match, like, village string, year int) (ids []string, total int) {
	tb.Helper()
	where, args := []string{}, []any{}
	from := "docs d"
	switch {
	case variant == "like" || (variant == "tri" && match == ""):
		where = append(where, "d.content LIKE ?")
		args = append(args, "%"+like+"%")
	default:
		// CROSS JOIN keeps the FTS table the outer loop: with a plain JOIN
		// and a village or date filter, SQLite drives from the docs index
		// and probes FTS5 row by row, about a second at 100k.
		from = variant + " f CROSS JOIN docs d ON d.id = f.rowid"
		where = append(where, variant+" MATCH ?")
		args = append(args, match)
	}
	if village != "" {
		where = append(where, "d.village = ?")
		args = append(args, village)
	}
	if year != 0 {
		where = append(where, "d.at >= ? AND d.at < ?")
		args = append(args, fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-01-01", year+1))
	}
	cond := strings.Join(where, " AND ")
	rows, err := s.db.Query(`SELECT d.rid FROM `+from+` WHERE `+cond+` ORDER BY d.at DESC LIMIT 20`, args...)
	if err != nil {
		tb.Fatalf("%s %q: %v", variant, match, err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if err := s.db.QueryRow(`SELECT count(*) FROM `+from+` WHERE `+cond, args...).Scan(&total); err != nil {
		tb.Fatalf("%s %q count: %v", variant, match, err)
	}
	return ids, total
}

func trigramMatch(q string) string {
	if len([]rune(q)) < 3 {
		return ""
	}
	return `"` + strings.ReplaceAll(q, `"`, `""`) + `"`
}

// TestBigramSearchIsSubstringSearch: for any query of Han characters, the
// bigram index finds exactly the records whose text contains it, as a LIKE
// scan does, including 2-character queries that trigram cannot match.
func TestBigramSearchIsSubstringSearch(t *testing.T) {
	s := openSearchDB(t, t.TempDir())
	ds := sample.Generate(3000, sample.Config{Seed: 7})
	ds = append(ds,
		sample.Demand{ID: "edge1", Village: "思蒙湾村", At: ds[0].At, Text: "饮水，难！路灯"},
		sample.Demand{ID: "edge2", Village: "思蒙湾村", At: ds[0].At, Text: "水"},
		sample.Demand{ID: "edge3", Village: "思蒙湾村", At: ds[0].At, Text: "ＷＩＦＩ信号差，4G也没有"},
	)
	s.insertDocs(t, ds, []string{"tri", "bi"}, nil)
	for _, q := range []string{"饮水", "路灯", "低保", "医保", "水", "灯", "思蒙湾村", "桥思公路", "路灯不亮", "自来水", "留守儿童", "征地拆迁", "饮水难", "难路", "不存在的词"} {
		_, want := s.search(t, "like", "", q, "", 0)
		_, got := s.search(t, "bi", demand.Query(q), "", "", 0)
		if got != want {
			t.Errorf("bigram %q (%s): %d records, LIKE finds %d", q, demand.Query(q), got, want)
		}
		if m := trigramMatch(q); m != "" {
			if _, tri := s.search(t, "tri", m, q, "", 0); tri != want {
				t.Errorf("trigram %q: %d records, LIKE finds %d", q, tri, want)
			}
		}
	}
	// Words and numbers match whole tokens, case- and width-folded.
	for q, want := range map[string]int{"wifi": 1, "ＷｉＦｉ 信号": 1, "4g": 1, "5g": 0} {
		if _, got := s.search(t, "bi", demand.Query(q), "", "", 0); got != want {
			t.Errorf("bigram %q (%s): %d records, want %d", q, demand.Query(q), got, want)
		}
	}
	// Several words must all match, in any order.
	_, both := s.search(t, "bi", demand.Query("路灯 不亮"), "", "", 0)
	_, one := s.search(t, "bi", demand.Query("路灯不亮"), "", "", 0)
	if both < one || one == 0 {
		t.Errorf("路灯 不亮 finds %d, 路灯不亮 %d: AND of parts must find at least the phrase", both, one)
	}
}

// TestQueryIsSafeFTS5: whatever a person types, Query yields an expression
// FTS5 accepts (or "" for nothing to search), never an error or a match
// on syntax such as column filters.
func TestQueryIsSafeFTS5(t *testing.T) {
	s := openSearchDB(t, t.TempDir())
	s.insertDocs(t, []sample.Demand{{ID: "a", At: time.Now(), Text: "路灯不亮 NEAR grams 饮水"}}, []string{"bi"}, nil)
	for _, in := range []string{
		`"`, `""`, `"路灯`, `路灯"`, `*`, `路灯*`, `^路灯`, `grams:饮水`, `{grams}: 饮水`, `NEAR(路灯 饮水)`,
		`路灯 OR 饮水`, `路灯 NOT 饮水`, `AND`, `OR`, `NOT`, `(`, `)`, `-路灯`, `+`, `'; DROP TABLE docs; --`,
		"\x00", "\xff\xfe", `路灯 AND`, `"" OR ""`, strings.Repeat("路", 500), strings.Repeat("灯 ", 100),
	} {
		q := demand.Query(in)
		if q == "" {
			continue
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM bi WHERE bi MATCH ?`, q).Scan(&n); err != nil {
			t.Errorf("Query(%q) = %q: %v", in, q, err)
		}
	}
	// Operators typed by a person are searched as words, not obeyed: the
	// record has NEAR and 路灯 but OR must not widen the search.
	for in, want := range map[string]int{`路灯 OR 不存在`: 0, `NEAR`: 1, `grams:饮水`: 1, `路灯 NOT 饮水`: 0} {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM bi WHERE bi MATCH ?`, demand.Query(in)).Scan(&n); err != nil || n != want {
			t.Errorf("Query(%q) = %q: %d matches (%v), want %d", in, demand.Query(in), n, err, want)
		}
	}
}

// BenchmarkSearch measures the three designs on 10k and 100k generated
// demands: each op is one search as a route runs it (newest 20 and the
// total), "+filter" adds a village and a year. Build times, database sizes
// and recall against LIKE are reported once per size with b.Log.
//
//	go test ./demand -run '^$' -bench 'BenchmarkSearch$' -benchtime 20x -v
func BenchmarkSearch(b *testing.B) {
	queries := []string{"饮水", "路灯", "水", "思蒙湾村", "路灯不亮", "医保 报销"}
	for _, n := range []int{10_000, 100_000} {
		s, ds := searchFixture(b, n)
		for _, variant := range []string{"tri", "gse", "bi"} {
			for _, q := range queries {
				for _, filter := range []bool{false, true} {
					name := fmt.Sprintf("%s/%s/n=%d", variant, q, n)
					if filter {
						name = fmt.Sprintf("%s/%s+filter/n=%d", variant, q, n)
					}
					match := matchFor(variant, q)
					village, year := "", 0
					if filter {
						village, year = ds[0].Village, 2025
					}
					b.Run(name, func(b *testing.B) {
						for b.Loop() {
							s.search(b, variant, match, strings.ReplaceAll(q, " ", ""), village, year)
						}
					})
				}
			}
		}
	}
}

func matchFor(variant, q string) string {
	switch variant {
	case "tri":
		parts := strings.Fields(q)
		for _, p := range parts {
			if len([]rune(p)) < 3 {
				return ""
			}
		}
		for i, p := range parts {
			parts[i] = trigramMatch(p)
		}
		return strings.Join(parts, " AND ")
	case "gse":
		return gseQuery(q)
	}
	return demand.Query(q)
}

func searchFixture(b *testing.B, n int) (*searchDB, []sample.Demand) {
	s := openSearchDB(b, b.TempDir())
	ds := sample.Generate(n, sample.Config{Seed: 1})
	took := s.insertDocs(b, ds, []string{"tri", "gse", "bi"}, gseIndex)
	b.Logf("n=%d build: docs %v, trigram %v, gse %v (segmentation included), bigram %v",
		n, took["docs"].Round(time.Millisecond), took["tri"].Round(time.Millisecond),
		took["gse"].Round(time.Millisecond), took["bi"].Round(time.Millisecond))
	for _, v := range []string{"tri", "gse", "bi"} {
		var pages int
		s.db.QueryRow(`SELECT count(*) FROM dbstat WHERE name LIKE ?`, v+"%").Scan(&pages)
		b.Logf("n=%d %s index: %.1f MB", n, v, float64(pages)*4096/1e6)
	}
	for _, q := range []string{"饮水", "路灯", "低保", "思蒙湾村", "路灯不亮", "医保报销"} {
		_, like := s.search(b, "like", "", q, "", 0)
		_, gse := s.search(b, "gse", gseQuery(q), "", "", 0)
		_, bi := s.search(b, "bi", demand.Query(q), "", "", 0)
		b.Logf("n=%d %s: LIKE %d, bigram %d, gse %d", n, q, like, bi, gse)
	}
	return s, ds
}

// gseIndex and gseQuery are design (b): gse's search-mode tokens (words
// plus the dictionary words inside them) indexed, the query cut the same
// way, every token required.
func gseIndex(text string) string {
	toks, err := demand.CutSearch(text)
	if err != nil {
		panic(err)
	}
	return strings.Join(toks, " ")
}

func gseQuery(q string) string {
	toks, err := demand.Cut(q)
	if err != nil {
		panic(err)
	}
	toks = slices.DeleteFunc(toks, func(s string) bool { return strings.TrimSpace(s) == "" })
	for i, t := range toks {
		toks[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(toks, " AND ")
}

// BenchmarkTermsFromSQLite measures the read path an analysis view takes
// if terms are stored per record (demand_terms: words and phrases
// space-joined): read a year and the year before, then TopTerms.
func BenchmarkTermsFromSQLite(b *testing.B) {
	for _, n := range sizes {
		docs := corpus(n)
		s := openSearchDB(b, b.TempDir())
		mustExec(b, s.db, `CREATE TABLE demand_terms (record TEXT PRIMARY KEY, village TEXT, category TEXT, at TEXT, words TEXT, phrases TEXT)`)
		mustExec(b, s.db, `CREATE INDEX demand_terms_at ON demand_terms (at)`)
		tx, _ := s.db.Begin()
		st, _ := tx.Prepare(`INSERT INTO demand_terms VALUES (?,?,?,?,?,?)`)
		for _, d := range docs {
			st.Exec(d.ID, d.Village, d.Category, d.At.UTC().Format("2006-01-02 15:04:05.000Z"), strings.Join(d.Words, " "), strings.Join(d.Phrases, " "))
		}
		tx.Commit()
		year := demand.PeriodOf(demand.Year, time.Date(2025, 6, 1, 0, 0, 0, 0, demand.China))
		from, to := year.Prev().Start.UTC().Format("2006-01-02 15:04:05.000Z"), year.End().UTC().Format("2006-01-02 15:04:05.000Z")
		b.Run(fmt.Sprintf("read/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				readTerms(b, s.db, from, to)
			}
		})
		b.Run(fmt.Sprintf("read+top/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				demand.TopTerms(readTerms(b, s.db, from, to), demand.TopOptions{Period: year})
			}
		})
	}
}

func readTerms(b *testing.B, db *sql.DB, from, to string) []demand.Doc {
	rows, err := db.Query(`SELECT record, village, category, at, words, phrases FROM demand_terms WHERE at >= ? AND at < ?`, from, to)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []demand.Doc
	for rows.Next() {
		var d demand.Doc
		var at, words, phrases string
		rows.Scan(&d.ID, &d.Village, &d.Category, &at, &words, &phrases)
		d.At, _ = time.Parse("2006-01-02 15:04:05.000Z", at)
		d.Words, d.Phrases = strings.Fields(words), strings.Fields(phrases)
		out = append(out, d)
	}
	return out
}
