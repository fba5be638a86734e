// Package household computes the dedupe key of a rural household (农户), so
// that two deputies who record the same household offline end up with one
// household on the server, and masks residents' personal data for lists (X2).
//
// Key design: Key returns a 32-char lowercase hex string, the first 128 bits
// of a SHA-256 over the normalized village id, head-of-household name and
// address. A digest rather than the readable normalized text because
//   - the unique index stays small and fixed-width;
//   - the key column does not hold a second copy of the name and address
//     (personal information under PIPL) that would need its own access rules.
//
// The normalization rules are versioned inside the digest. Changing them
// changes every key, so a change needs a migration that recomputes the keys
// (and merges the households that now collide).
package household

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const keyVersion = "household-key/v1"

// Key returns the dedupe key of a household. It does not validate: callers
// must reject an empty NormalizeName or NormalizeAddress before saving,
// otherwise every nameless household of a village shares one key.
func Key(villageID, headName, address string) string {
	h := sha256.New()
	for _, part := range []string{
		keyVersion,
		strings.TrimSpace(strings.ToValidUTF8(villageID, "")),
		NormalizeName(headName),
		NormalizeAddress(address),
	} {
		// Length-prefixed, so text cannot move from one part to the next.
		fmt.Fprintf(h, "%d:%s", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// NormalizeName folds a head-of-household name for comparison: NFKC
// (full-width → half-width), lower case, and only letters, marks and
// numbers kept, so spaces and middle dots (间隔号, as in 买买提·艾力) go.
func NormalizeName(s string) string {
	return fixpoint(s, func(s string) string {
		return strings.Map(func(r rune) rune {
			if keep(r) {
				return r
			}
			return -1
		}, fold(s))
	})
}

// NormalizeAddress folds an address for comparison. After NFKC and lower
// casing:
//   - whitespace, punctuation and symbols are separators and are removed,
//     except that a separator between two digits becomes "-", so that
//     "12-3" (12号3室) and "1-23" do not both become "123";
//   - Chinese numerals right before a unit (组 队 号 栋 幢 单元 户 楼 层 室)
//     become Arabic: 三组 → 3组, 十二户 → 12户, 一百零五号 → 105号 (then 105);
//   - 第 before a number is dropped: 第三组 → 3组;
//   - 号 after a number is a separator: 3组12号 → 3组12, 12号3室 → 12-3室.
//
// So "三组12号", "3组12号", "3组 12 号" and "３组１２号" all give "3组12".
func NormalizeAddress(s string) string {
	return fixpoint(s, normalizeAddressOnce)
}

// fixpoint applies f until the result stops changing. Removing separators
// can put a combining mark next to a new base letter, which the next NFKC
// composes; a second pass settles it, the bound is only a safety net.
func fixpoint(s string, f func(string) string) string {
	s = f(s)
	for range 4 {
		t := f(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func fold(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = norm.NFKC.String(s)
	s = strings.ToLower(s)
	// Lower casing can leave a string that is not NFKC (and vice versa).
	return norm.NFKC.String(s)
}

func keep(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// atom is a kept rune; sep records that separators preceded it.
type atom struct {
	r   rune
	sep bool
}

func normalizeAddressOnce(s string) string {
	var atoms []atom
	sep := false
	for _, r := range fold(s) {
		if !keep(r) {
			sep = true
			continue
		}
		atoms = append(atoms, atom{r, sep})
		sep = false
	}

	atoms = convertNumerals(atoms)
	atoms = dropNumberMarks(atoms)

	var b strings.Builder
	for i, a := range atoms {
		if a.sep && i > 0 && isDigit(atoms[i-1].r) && isDigit(a.r) {
			b.WriteByte('-')
		}
		b.WriteRune(a.r)
	}
	return b.String()
}

// dropNumberMarks turns 号 after a number into a separator and drops 第
// before a number. Both loops see their own output, so 12号号 and 第第3
// settle in one pass.
func dropNumberMarks(atoms []atom) []atom {
	out := make([]atom, 0, len(atoms))
	for i, a := range atoms {
		if a.r == '号' && len(out) > 0 && isDigit(out[len(out)-1].r) {
			if i+1 < len(atoms) {
				atoms[i+1].sep = true
			}
			continue
		}
		out = append(out, a)
	}

	// Backwards, so that the digit after a 第 is already final.
	rev := make([]atom, 0, len(out))
	for i := len(out) - 1; i >= 0; i-- {
		a := out[i]
		if a.r == '第' && len(rev) > 0 && isDigit(rev[len(rev)-1].r) {
			rev[len(rev)-1].sep = rev[len(rev)-1].sep || a.sep
			continue
		}
		rev = append(rev, a)
	}
	slices.Reverse(rev)
	return rev
}

var cnDigit = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

func isCNNumeral(r rune) bool {
	_, ok := cnDigit[r]
	return ok || r == '十' || r == '百'
}

// unitAt reports whether a unit word (组, 单元, ...) starts at atoms[i].
func unitAt(atoms []atom, i int) bool {
	if i >= len(atoms) {
		return false
	}
	switch atoms[i].r {
	case '组', '队', '号', '栋', '幢', '户', '楼', '层', '室':
		return true
	case '单':
		return i+1 < len(atoms) && atoms[i+1].r == '元'
	}
	return false
}

// convertNumerals replaces each run of Chinese numerals that directly
// precedes a unit by Arabic digits. Separators inside the run are ignored
// ("十 二组" is 12组); a run that does not parse is left alone.
func convertNumerals(atoms []atom) []atom {
	out := make([]atom, 0, len(atoms))
	for i := 0; i < len(atoms); {
		if !isCNNumeral(atoms[i].r) {
			out = append(out, atoms[i])
			i++
			continue
		}
		j := i
		for j < len(atoms) && isCNNumeral(atoms[j].r) {
			j++
		}
		run := make([]rune, 0, j-i)
		for _, a := range atoms[i:j] {
			run = append(run, a.r)
		}
		digits, ok := parseCNNumber(run)
		if !ok || !unitAt(atoms, j) {
			out = append(out, atoms[i:j]...)
			i = j
			continue
		}
		for k, r := range digits {
			out = append(out, atom{r: r, sep: k == 0 && atoms[i].sep})
		}
		i = j
	}
	return out
}

// parseCNNumber parses 一二 (digit by digit, as in house numbers) or the
// positional forms up to 999: 十, 十二, 二十, 二十三, 一百, 一百零五, 两百一十.
func parseCNNumber(run []rune) (string, bool) {
	positional := false
	for _, r := range run {
		if r == '十' || r == '百' {
			positional = true
		}
	}
	if !positional {
		var b strings.Builder
		for _, r := range run {
			b.WriteByte(byte('0' + cnDigit[r]))
		}
		return b.String(), true
	}

	n, i := 0, 0
	digit := func() (int, bool) {
		if i < len(run) {
			if d, ok := cnDigit[run[i]]; ok && d > 0 {
				i++
				return d, true
			}
		}
		return 0, false
	}
	// Hundreds: D百, optionally followed by 零 (一百零五).
	if i+1 < len(run) && run[i+1] == '百' {
		d, ok := digit()
		if !ok {
			return "", false
		}
		i++ // 百
		n += d * 100
		if i < len(run) && (run[i] == '零' || run[i] == '〇') {
			i++
			if i == len(run) {
				return "", false
			}
		}
	}
	// Tens: D十 or a bare 十 (= 一十).
	if i < len(run) && run[i] == '十' {
		n += 10
		i++
	} else if i+1 < len(run) && run[i+1] == '十' {
		d, ok := digit()
		if !ok {
			return "", false
		}
		i++ // 十
		n += d * 10
	}
	if i < len(run) {
		d, ok := digit()
		if !ok {
			return "", false
		}
		n += d
	}
	if i != len(run) || n == 0 {
		return "", false
	}
	return strconv.Itoa(n), true
}
