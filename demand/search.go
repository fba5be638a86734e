package demand

import (
	"strings"
	"unicode"
)

// Full-text search (全文检索) runs on an SQLite FTS5 table whose one column
// holds IndexText of a record's text, with FTS5's default unicode61
// tokenizer:
//
//	CREATE VIRTUAL TABLE demand_fts USING fts5(grams, content='', tokenize='unicode61');
//	INSERT INTO demand_fts(rowid, grams) VALUES (?, ?);  -- IndexText(text)
//	SELECT rowid FROM demand_fts WHERE demand_fts MATCH ?; -- Query(input)
//
// IndexText writes Chinese as overlapping character pairs (bigrams, the
// CJK scheme of Lucene's CJKAnalyzer): 饮水难 → 饮水 水难 难. A query of
// two or more Han characters becomes the phrase of its pairs, so a match is
// exactly a substring match, as the trigram tokenizer gives, but down to two
// characters (饮水, 路灯), which trigram cannot match. A single character is
// a prefix query on the pairs it starts plus the run-final character. It
// needs no dictionary: indexing never loads gse and editing the township
// dictionary never calls for a re-index. The design notes give the
// measurements against trigram and gse-token indexes.

// Limits on what Query turns into an FTS5 expression, so an arbitrary
// input cannot make an arbitrarily costly one.
const (
	MaxQueryParts = 8  // AND-ed parts (words, numbers, runs of Han)
	MaxQueryRunes = 32 // characters of one part
)

// IndexText is what the FTS5 column stores for text: its Han runs as
// bigrams each followed by the run's last character, and other letters and
// digits as lower-case words, space-separated. Punctuation is dropped.
func IndexText(text string) string {
	var b strings.Builder
	b.Grow(len(text) * 2)
	for _, r := range searchRuns(Normalize(text)) {
		if !r.han {
			writeTok(&b, r.s)
			continue
		}
		rs := []rune(r.s)
		for i := 0; i+1 < len(rs); i++ {
			writeTok(&b, string(rs[i:i+2]))
		}
		writeTok(&b, string(rs[len(rs)-1]))
	}
	return b.String()
}

func writeTok(b *strings.Builder, tok string) {
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(tok)
}

// Query turns what a person typed into an FTS5 MATCH expression for a
// column filled by IndexText: every part must match (AND); a run of two or
// more Han characters is the phrase of its bigrams, one Han character a
// prefix query, a word or number itself. Every token is quoted and only
// letters and digits reach it, so no input can inject FTS5 syntax (NEAR,
// column filters, unbalanced quotes). It returns "" when the input has
// nothing to search for; the caller then lists without MATCH.
func Query(input string) string {
	var parts []string
	for _, r := range searchRuns(Normalize(input)) {
		if len(parts) == MaxQueryParts {
			break
		}
		rs := []rune(r.s)
		if len(rs) > MaxQueryRunes {
			rs = rs[:MaxQueryRunes]
		}
		switch {
		case !r.han:
			parts = append(parts, quote(string(rs)))
		case len(rs) == 1:
			parts = append(parts, quote(string(rs))+"*")
		default:
			grams := make([]string, 0, len(rs)-1)
			for i := 0; i+1 < len(rs); i++ {
				grams = append(grams, string(rs[i:i+2]))
			}
			parts = append(parts, quote(strings.Join(grams, " ")))
		}
	}
	return strings.Join(parts, " AND ")
}

// quote makes s an FTS5 string. searchRuns never lets a quote through;
// doubling it anyway keeps Query safe if that changes.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

type run struct {
	s   string
	han bool
}

// searchRuns splits a normalised text into runs of Han characters and runs
// of other letters and digits; everything else separates runs.
func searchRuns(s string) []run {
	var out []run
	start, han := -1, false
	flush := func(end int) {
		if start >= 0 {
			out = append(out, run{s[start:end], han})
			start = -1
		}
	}
	for i, r := range s {
		isHan := unicode.Is(unicode.Han, r)
		word := isHan || unicode.IsLetter(r) || unicode.IsNumber(r)
		switch {
		case !word:
			flush(i)
		case start < 0:
			start, han = i, isHan
		case isHan != han:
			flush(i)
			start, han = i, isHan
		}
	}
	flush(len(s))
	return out
}
