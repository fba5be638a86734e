package household

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeAddress(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"3组12号", "3组12"},
		{"三组12号", "3组12"},
		{"3组 12 号", "3组12"},
		{"３组１２号", "3组12"},
		{"三组十二号", "3组12"},
		{"第三组12号", "3组12"},
		{"第 3 组 12#", "3组12"},
		{"  3组\t12号\n", "3组12"},
		{"3组12", "3组12"},
		{"十一组", "11组"},
		{"二十组", "20组"},
		{"二十三号", "23"},
		{"一百零五号", "105"},
		{"两百一十户", "210户"},
		{"一二号", "12"},
		{"〇三号", "03"},
		{"十 二组", "12组"},
		{"新一组", "新1组"},
		{"七星组", "七星组"},             // 星 is not a numeral: the run 七 precedes 星, not a unit
		{"双河村二组", "双河村2组"},         // 村 is not a unit: 双河 stays
		{"一百百组", "一百百组"},           // does not parse: left alone
		{"零十组", "零十组"},             // does not parse: left alone
		{"3栋2单元501室", "3栋2单元501室"}, // already Arabic
		{"三栋二单元", "3栋2单元"},
		{"三单", "三单"}, // 单 without 元 is not a unit
		{"12-3号", "12-3"},
		{"12－3号", "12-3"},
		{"12 — 3号", "12-3"},
		{"12号3室", "12-3室"},
		{"1-23号", "1-23"},
		{"思蒙镇·思蒙湾村，3组、12号。", "思蒙镇思蒙湾村3组12"},
		{"第第第第第第第第3组", "3组"},
		{"1号号 号2", "1-2"},
		{"1号第2", "1-2"},
		{"一第二组", "一2组"},
		{"号子巷5号", "号子巷5"}, // 号 not after a number stays
		{"ABC小区Ｂ栋", "abc小区b栋"},
		{"", ""},
		{" \t·-", ""},
		{"a\xffb", "ab"},
	}
	for _, tt := range tests {
		if got := NormalizeAddress(tt.in); got != tt.want {
			t.Errorf("NormalizeAddress(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"张三", "张三"},
		{" 张 三 ", "张三"},
		{"张\u3000三", "张三"},
		{"买买提·艾力", "买买提艾力"},
		{"买买提•艾力", "买买提艾力"},
		{"买买提・艾力", "买买提艾力"},
		{"Ｌｉ Ｍｉｎｇ", "liming"},
		{"e\u0301", "é"},
		{"e·\u0301", "é"}, // the mark lands on e once the dot is gone
		{"\xff", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestKey(t *testing.T) {
	const v = "abcdefghij12345"
	base := Key(v, "张三丰", "3组12号")
	if !hex32.MatchString(base) {
		t.Fatalf("Key = %q, want 32 lowercase hex chars", base)
	}
	same := [][2]string{
		{"张三丰", "三组12号"},
		{"张 三 丰", "3组 12 号"},
		{"张三丰", "３组１２号"},
		{"  张三丰", "第三组十二号"},
	}
	for _, s := range same {
		if got := Key(v, s[0], s[1]); got != base {
			t.Errorf("Key(%q, %q) = %s, want %s", s[0], s[1], got, base)
		}
	}
	if got := Key(" "+v+" ", "张三丰", "3组12号"); got != base {
		t.Errorf("village id not trimmed")
	}
	differ := []struct{ v, name, addr string }{
		{"abcdefghij12346", "张三丰", "3组12号"},
		{v, "张三", "3组12号"},
		{v, "张三丰", "3组13号"},
		{v, "张三丰", "31组2号"},
		// Fields are delimited: moving text from one to the other is a new key.
		{v, "张三丰3组", "12号"},
	}
	for _, d := range differ {
		if got := Key(d.v, d.name, d.addr); got == base {
			t.Errorf("Key(%q, %q, %q) collides with the base key", d.v, d.name, d.addr)
		}
	}
	if Key(v, "", "12-3") == Key(v, "", "1-23") {
		t.Error("12-3 and 1-23 must stay apart")
	}
}

func TestParseCNNumber(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"一", "1", true},
		{"十", "10", true},
		{"十五", "15", true},
		{"五十", "50", true},
		{"九十九", "99", true},
		{"一百", "100", true},
		{"一百零一", "101", true},
		{"一百一十", "110", true},
		{"一百十", "110", true},
		{"九百九十九", "999", true},
		{"二〇二五", "2025", true},
		{"零", "0", true},
		{"百", "", false},
		{"十十", "", false},
		{"一百零", "", false},
		{"零十", "", false},
		{"一十百", "", false},
		{"二十三四", "", false},
	}
	for _, tt := range tests {
		got, ok := parseCNNumber([]rune(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCNNumber(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// toFullWidth maps printable ASCII to its full-width form (全角).
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '\u3000'
		case '!' <= r && r <= '~':
			return r + 0xFEE0
		}
		return r
	}, s)
}

// insertAt inserts ins before the n-th rune of s (n taken modulo the length).
func insertAt(s string, n int, ins string) (string, rune, rune) {
	r := []rune(s)
	n %= len(r) + 1
	var before, after rune
	if n > 0 {
		before = r[n-1]
	}
	if n < len(r) {
		after = r[n]
	}
	return string(r[:n]) + ins + string(r[n:]), before, after
}

// plainLetter is a rune next to which an inserted space can never end up
// between two digits.
func plainLetter(r rune) bool {
	if r == 0 || isCNNumeral(r) || r == '第' || r == '号' {
		return false
	}
	f := fold(string(r))
	return f != "" && !strings.ContainsAny(f, "0123456789") && NormalizeName(string(r)) == f
}

func FuzzKey(f *testing.F) {
	f.Add("abcdefghij12345", "张三丰", "三组12号", uint16(2), " ")
	f.Add("abcdefghij12345", "买买提·艾力", "思蒙湾村第十二组 5 号", uint16(7), "\u3000")
	f.Add("v", "Ｌｉ Ｍｉｎｇ", "３组１２号", uint16(1), "\t")
	f.Add("", "", "", uint16(0), "")
	f.Add("x", "e\u0301", "a\u0301b·\u0301", uint16(1), " ")
	f.Add("\xff", "\xfe\xff", "1\xff2号", uint16(3), "\xc3")
	f.Add("v", "ﾊﾞ", "一百零五号3栋", uint16(4), "  ")
	f.Add("v", "张", "12号3室", uint16(2), "\n")
	f.Fuzz(func(t *testing.T, village, name, addr string, pos uint16, ws string) {
		k := Key(village, name, addr)
		if !hex32.MatchString(k) {
			t.Fatalf("Key = %q", k)
		}
		nn, na := NormalizeName(name), NormalizeAddress(addr)
		if !utf8.ValidString(nn) || !utf8.ValidString(na) {
			t.Fatalf("invalid UTF-8 out: %q %q", nn, na)
		}
		if NormalizeName(nn) != nn {
			t.Fatalf("NormalizeName not idempotent: %q → %q → %q", name, nn, NormalizeName(nn))
		}
		if NormalizeAddress(na) != na {
			t.Fatalf("NormalizeAddress not idempotent: %q → %q → %q", addr, na, NormalizeAddress(na))
		}
		if Key(village, nn, na) != k {
			t.Fatalf("Key of normalized input differs for %q %q", name, addr)
		}

		if !utf8.ValidString(name) || !utf8.ValidString(addr) {
			return
		}
		if NormalizeName(toFullWidth(name)) != nn {
			t.Fatalf("full-width name %q: %q != %q", name, NormalizeName(toFullWidth(name)), nn)
		}
		if NormalizeAddress(toFullWidth(addr)) != na {
			t.Fatalf("full-width address %q: %q != %q", addr, NormalizeAddress(toFullWidth(addr)), na)
		}

		space := strings.Map(func(r rune) rune {
			if strings.ContainsRune(" \t\n\r\u3000\u00a0", r) {
				return r
			}
			return -1
		}, ws)
		if space == "" {
			space = " "
		}
		n2, _, _ := insertAt(name, int(pos), space)
		if NormalizeName(n2) != nn {
			t.Fatalf("space in name %q → %q: %q != %q", name, n2, NormalizeName(n2), nn)
		}
		a2, before, after := insertAt(addr, int(pos), space)
		got := NormalizeAddress(a2)
		if strings.ReplaceAll(got, "-", "") != strings.ReplaceAll(na, "-", "") {
			t.Fatalf("space in address %q → %q: %q vs %q differ beyond '-'", addr, a2, got, na)
		}
		if (plainLetter(before) || plainLetter(after)) && got != na {
			t.Fatalf("space beside a letter in %q → %q: %q != %q", addr, a2, got, na)
		}
		if (plainLetter(before) || plainLetter(after)) && Key(village, n2, a2) != k {
			t.Fatalf("space changed the key: %q %q", n2, a2)
		}
	})
}
