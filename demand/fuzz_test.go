package demand_test

import (
	"database/sql"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"simeng/demand"
	"simeng/demand/sample"
)

var fuzzSeeds = func() []string {
	seeds := []string{"", "饮水", "路灯 不亮", `"`, `路灯" OR "饮水`, "grams:饮水", "NEAR(路灯 饮水)", "ＷｉＦｉ",
		"\xff\xfe路灯", "水", "a", "思蒙湾村5组", strings.Repeat("路灯", 40), "١٢٣ 𠀀𠀁", "e\u0301cole 路\u0301灯"}
	for _, d := range sample.Generate(20, sample.Config{Seed: 3}) {
		seeds = append(seeds, d.Text)
	}
	return seeds
}()

var fuzzDB = sync.OnceValues(func() (*sql.DB, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE VIRTUAL TABLE f USING fts5(grams, tokenize='unicode61')`)
	return db, err
})

// FuzzSearch: for any text and any query, IndexText keeps only words,
// Query yields only quoted tokens that FTS5 accepts, and a record is always
// found by a search for its own text.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		db, err := fuzzDB()
		if err != nil {
			t.Fatal(err)
		}
		idx := demand.IndexText(text)
		if idx != strings.TrimSpace(idx) || strings.Contains(idx, "  ") {
			t.Fatalf("IndexText(%q) = %q: stray spaces", text, idx)
		}
		for _, r := range idx {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				t.Fatalf("IndexText(%q) = %q: %q is not a word character", text, idx, r)
			}
		}
		for _, r := range demand.Normalize(text) {
			if unicode.Is(unicode.Han, r) && !strings.ContainsRune(idx, r) {
				t.Fatalf("IndexText(%q) lost %q", text, r)
			}
		}
		for _, q := range []string{query, text} {
			m := demand.Query(q)
			checkQueryShape(t, q, m)
			if m == "" {
				continue
			}
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM f WHERE f MATCH ?`, m).Scan(&n); err != nil {
				t.Fatalf("Query(%q) = %q: %v", q, m, err)
			}
		}
		// Self-match, unless a word had to be cut short.
		m := demand.Query(text)
		if m == "" || longWord(text) {
			return
		}
		tx, _ := db.Begin()
		defer tx.Rollback()
		if _, err := tx.Exec(`INSERT INTO f (rowid, grams) VALUES (1, ?)`, idx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM f WHERE f MATCH ?`, m).Scan(&n); err != nil || n != 1 {
			t.Fatalf("text %q indexed as %q not found by its own query %q (%d, %v)", text, idx, m, n, err)
		}
	})
}

// checkQueryShape: parts joined by " AND ", each a quoted run of letters,
// digits and spaces, optionally followed by * (prefix).
func checkQueryShape(t *testing.T, in, m string) {
	t.Helper()
	if m == "" {
		return
	}
	parts := strings.Split(m, " AND ")
	if len(parts) > demand.MaxQueryParts {
		t.Fatalf("Query(%q) = %q: %d parts", in, m, len(parts))
	}
	for _, p := range parts {
		p = strings.TrimSuffix(p, "*")
		if len(p) < 3 || p[0] != '"' || p[len(p)-1] != '"' {
			t.Fatalf("Query(%q) = %q: part %q not quoted", in, m, p)
		}
		inner := p[1 : len(p)-1]
		if strings.TrimSpace(inner) != inner || inner == "" {
			t.Fatalf("Query(%q) = %q: empty or padded part", in, m)
		}
		for _, r := range inner {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				t.Fatalf("Query(%q) = %q: %q inside a part", in, m, r)
			}
		}
	}
}

// longWord reports whether Query had to shorten a part of text, or drop
// parts past MaxQueryParts (it still matches then, but only if what was
// cut was Han; a shortened word matches nothing).
func longWord(text string) bool {
	n := 0
	for _, f := range strings.FieldsFunc(demand.Normalize(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}) {
		n++
		if utf8.RuneCountInString(f) > demand.MaxQueryRunes {
			return true
		}
	}
	return false
}

// FuzzExtract: any resident's text gives distinct terms without
// punctuation, each in the text, and phrases made of two of them.
func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := demand.Extract(text)
		if err != nil {
			t.Fatal(err)
		}
		norm := demand.Normalize(text)
		words := map[string]bool{}
		for _, w := range got.Words {
			if words[w] || w == "" || !strings.Contains(norm, w) {
				t.Fatalf("Extract(%q): word %q repeated, empty or not in the text", text, w)
			}
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
					t.Fatalf("Extract(%q): word %q has %q", text, w, r)
				}
			}
			words[w] = true
		}
		phrases := map[string]bool{}
		for _, p := range got.Phrases {
			if phrases[p] || !madeOfTwo(p, words) {
				t.Fatalf("Extract(%q): phrase %q repeated or not two of %q", text, p, got.Words)
			}
			phrases[p] = true
		}
	})
}

func madeOfTwo(p string, words map[string]bool) bool {
	for i := range p {
		if i > 0 && words[p[:i]] && words[p[i:]] {
			return true
		}
	}
	return false
}

// FuzzParseDictionary: whatever staff paste is either refused with a
// Chinese message naming the line or is a valid dictionary.
func FuzzParseDictionary(f *testing.F) {
	f.Add("思蒙湾村 0 ns\n桥思公路 ns\n-一下\n# 注释")
	f.Add("-\n")
	f.Add("路灯 1e400 n")
	f.Add("路灯 NaN")
	f.Add("路灯 -0")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := demand.ParseDictionary(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "第") && !strings.HasPrefix(err.Error(), "词表") {
				t.Fatalf("ParseDictionary(%q) error %q names no line", text, err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDictionary(%q) accepted an invalid dictionary: %v", text, err)
		}
	})
}
