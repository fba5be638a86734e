package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaskNumbersInText masks the personal numbers a resident or a deputy wrote
// into free text (suggestions, replies) for a public page: mainland mobile
// numbers (138****5678, also with +86), resident ID numbers (身份证号,
// first 3 and last 2 kept), landlines (0745*****67, area code kept) and
// any other long number (bank cards, accounts: last 2 kept). Numbers are
// found however they were typed: with spaces, dashes, dots or parentheses,
// in full-width digits, or in Chinese numerals (一三八…, 幺, 〇/零).
//
// Only masked digits change, each into one '*': every other character,
// Chinese punctuation included, is returned byte for byte as written.
// Ordinary numbers stay: dates (2026年3月5日, 2026-03-05, 20260305),
// amounts (1500元, 1500000元), places (3组12号), counts (三个月).
func MaskNumbersInText(s string) string {
	rs := scan(s)
	masked := make([]bool, len(rs))
	any := false
	for _, run := range runs(rs) {
		for _, i := range maskRun(rs, run) {
			masked[i] = true
			any = true
		}
	}
	if !any {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		if masked[i] {
			b.WriteByte('*')
		} else {
			b.WriteString(s[r.start:r.end])
		}
	}
	return b.String()
}

type runeClass uint8

const (
	other     runeClass = iota
	digit               // any digit: ASCII, full-width, other scripts, Chinese numeral
	separator           // what people put between groups of a number
	letterX             // the check character of an ID number
)

// textRune is one rune of the original text with its folded meaning. Only
// this copy is folded: the text itself is never rewritten.
type textRune struct {
	start, end int // byte offsets in the original text
	class      runeClass
	value      byte // '0'–'9' for a digit
	chinese    bool // a Chinese numeral (一, 幺, 〇…)
	latin      bool // a Latin letter: an X before one is a word, not an ID's check letter
	unit       bool // a unit after an amount (元, 万, 米, %…)
	currency   bool // ¥ before an amount
}

var chineseDigits = map[rune]byte{
	'〇': '0', '零': '0',
	'一': '1', '幺': '1', '二': '2', '三': '3', '四': '4', '五': '5', '六': '6', '七': '7', '八': '8', '九': '9',
	'壹': '1', '贰': '2', '叁': '3', '肆': '4', '伍': '5', '陆': '6', '柒': '7', '捌': '8', '玖': '9',
}

const separators = " \t\u00a0\u3000-－‐‑‒–—―.．()（）"

const units = "元块角万亿千百米斤亩吨克平个人户次度%％‰"

func scan(s string) []textRune {
	rs := make([]textRune, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		t := textRune{start: i, end: i + size}
		i += size
		if size == 1 && r == utf8.RuneError {
			rs = append(rs, t) // an invalid byte: kept as it is
			continue
		}
		switch {
		case r >= '0' && r <= '9':
			t.class, t.value = digit, byte(r)
		case chineseDigits[r] != 0:
			t.class, t.value, t.chinese = digit, chineseDigits[r], true
		case unicode.IsNumber(r):
			// Full-width, circled, superscript and mathematical digits fold
			// to one ASCII digit each (NFKC of this one rune only).
			if f := norm.NFKC.String(string(r)); len(f) == 1 && f[0] >= '0' && f[0] <= '9' {
				t.class, t.value = digit, f[0]
			}
		case r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ':
			t.class = letterX
		case strings.ContainsRune(separators, r) || unicode.Is(unicode.Cf, r):
			t.class = separator
		}
		t.latin = unicode.Is(unicode.Latin, r) && t.class == other
		t.unit = strings.ContainsRune(units, r)
		t.currency = r == '¥' || r == '￥'
		rs = append(rs, t)
	}
	return rs
}

// A segment is a group of digits typed together (no separator inside), and
// a run is a sequence of segments joined by at most maxGap separators.
type segment struct {
	digits []int // indexes in the text of the segment's digits
	x      int   // index of a trailing ID check letter X, or -1
}

type run struct {
	segs []segment
	end  int // index just after the run's last rune
}

const maxGap = 3 // "138 - 1234 - 5678"

func runs(rs []textRune) []run {
	var out []run
	for i := 0; i < len(rs); {
		if rs[i].class != digit {
			i++
			continue
		}
		var cur run
		for i < len(rs) && rs[i].class == digit {
			seg := segment{x: -1}
			for i < len(rs) && rs[i].class == digit {
				seg.digits = append(seg.digits, i)
				i++
			}
			if i < len(rs) && rs[i].class == letterX && (i+1 == len(rs) || !rs[i+1].latin && rs[i+1].class != digit && rs[i+1].class != letterX) {
				seg.x = i
				i++
			}
			cur.segs = append(cur.segs, seg)
			cur.end = i
			if seg.x >= 0 {
				break
			}
			// Step over a short gap of separators when a digit follows it.
			j := i
			for j < len(rs) && j-i < maxGap && rs[j].class == separator {
				j++
			}
			if j > i && j < len(rs) && rs[j].class == digit {
				i = j
			}
		}
		out = append(out, cur)
	}
	return out
}
