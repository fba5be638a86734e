package demand

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize is the form every text, term and dictionary word is compared
// in: valid UTF-8, NFKC (full-width letters and digits folded, so ＡＢＣ１
// is abc1), lower case, and runs of white space as one space, trimmed.
func Normalize(s string) string {
	s = norm.NFKC.String(strings.ToValidUTF8(s, ""))
	s = strings.ToLower(s)
	return strings.Join(strings.Fields(s), " ")
}

// isBreak reports whether a token ends a clause: it holds no letter or
// digit (punctuation, symbols, white space).
func isBreak(tok string) bool {
	for _, r := range tok {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return false
		}
	}
	return true
}

// numerals are the characters a count or date is written with.
const numerals = "0123456789.%〇零一二两三四五六七八九十百千万亿几半"

// units may follow a number in a count or date (3组, 五月, 一个多月).
const units = "个月日号组年户人次天米元块条盏亩栋间岁期处里座点分家名位趟遍多余来周"

// isNumeric reports whether tok is a number, possibly followed by units:
// 2024, 3组, 五月, 一个多月, 十几. 三农 or 一户一表 are words, not numbers.
func isNumeric(tok string) bool {
	i := 0
	for i < len(tok) {
		r, n := utf8.DecodeRuneInString(tok[i:])
		if !strings.ContainsRune(numerals, r) && !unicode.IsDigit(r) {
			break
		}
		i += n
	}
	if i == 0 {
		return false
	}
	for _, r := range tok[i:] {
		if !strings.ContainsRune(units, r) {
			return false
		}
	}
	return true
}

// validWordText reports whether a normalised word is only letters, digits
// and marks (no space, punctuation or symbol), so it can be one term.
func validWordText(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return s != ""
}

func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// clauses splits a normalised text into runs of letters and digits, the
// pieces gse cuts one by one (as jieba cuts Han blocks): anything else —
// punctuation, symbols, white space — ends a clause. Cutting a whole
// sentence lets gse's HMM glue punctuation to a neighbour (，打过热线 came
// out as 打/过热/线).
func clauses(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}
