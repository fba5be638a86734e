package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskNumbersInText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		// Mobile numbers, however they were typed.
		{"plain", "请回电13812345678", "请回电138****5678"},
		{"spaces", "请联系 138 1234 5678。", "请联系 138 **** 5678。"},
		{"dashes", "电话：138-1234-5678", "电话：138-****-5678"},
		{"dots", "电话138.1234.5678", "电话138.****.5678"},
		{"spaced dashes", "138 - 1234 - 5678", "138 - **** - 5678"},
		{"ideographic spaces", "电话 138　1234　5678", "电话 138　****　5678"},
		{"full-width", "请回电１３８１２３４５６７８", "请回电１３８****５６７８"},
		{"full-width with full-width dashes", "１３８－１２３４－５６７８", "１３８－****－５６７８"},
		{"half and full width mixed", "138１２３４5678", "138****5678"},
		{"+86", "+86 138 1234 5678", "+86 138 **** 5678"},
		{"0086", "008613812345678", "0086138****5678"},
		{"Chinese numerals", "我的电话一三八一二三四五六七八", "我的电话一三八****五六七八"},
		{"Chinese numerals spaced", "一三八 一二三四 五六七八", "一三八 **** 五六七八"},
		{"Chinese numerals mixed", "138一二三四5678", "138****5678"},
		{"幺 for one", "幺三八幺二三四五六七八", "幺三八****五六七八"},
		{"two numbers", "13812345678或13912345678", "138****5678或139****5678"},
		{"after a date", "2026-03-05 13812345678", "2026-03-05 138****5678"},
		{"after an area code", "0745 138 1234 5678", "0745 138 **** 5678"},
		// Landlines.
		{"landline with a dash", "村委会0745-1234567", "村委会0745-*****67"},
		{"landline in parentheses", "(0745)1234567", "(0745)*****67"},
		{"landline in full-width parentheses", "（0745）1234567", "（0745）*****67"},
		{"landline run together", "07451234567", "0745*****67"},
		{"Beijing landline", "010-12345678", "010-******78"},
		{"landline in Chinese numerals", "零七四五一二三四五六七", "零七四五*****六七"},
		{"local number alone", "小卖部电话5234567", "小卖部电话*****67"},
		// ID numbers.
		{"id", "身份证430523198001011234", "身份证430*************34"},
		{"id with X", "身份证43052319800101123X号", "身份证430*************3X号"},
		{"id in full width", "身份证４３１２２７１９８００１０１１２３４", "身份证４３１*************３４"},
		{"id in groups", "430523 19800101 1234", "430*** ******** **34"},
		// Other long numbers.
		{"bank card", "卡号6222 0212 3456 7890 123", "卡号**** **** **** **** *23"},
		// What stays exactly as written.
		{"date in Chinese", "2026年3月5日来过", "2026年3月5日来过"},
		{"iso date", "已于2026-03-05处理", "已于2026-03-05处理"},
		{"dotted date range", "2026.03.05—2026.04.05", "2026.03.05—2026.04.05"},
		{"compact date", "20260305", "20260305"},
		{"house", "3组12号", "3组12号"},
		{"amount", "补助1500元", "补助1500元"},
		{"large amount", "项目资金1500000元", "项目资金1500000元"},
		{"yuan sign", "￥2000000", "￥2000000"},
		{"months", "村口路灯坏了三个月，晚上出行不便", "村口路灯坏了三个月，晚上出行不便"},
		{"punctuation", "您好，已联系村委会（电工班）：", "您好，已联系村委会（电工班）："},
		{"counting", "一二三四五六七八九十", "一二三四五六七八九十"},
		{"hotline", "拨打12345热线或400-123-4567", "拨打12345热线或400-123-4567"},
		{"years", "2024 2025 2026年", "2024 2025 2026年"},
		{"time", "14:30-16:00", "14:30-16:00"},
		{"few lamps", "村口路灯坏了3盏", "村口路灯坏了3盏"},
		{"empty", "", ""},
		{"invalid utf-8 kept", "\xff13812345678\xfe", "\xff138****5678\xfe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskNumbersInText(tt.in); got != tt.want {
				t.Errorf("MaskNumbersInText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// The acceptance text of issue 12 keeps its Chinese punctuation and loses
// the phone.
func TestMaskNumbersKeepsWhatWasWritten(t *testing.T) {
	in := "村口路灯坏了三个月，晚上出行不便（电工班）：请联系 138 1234 5678。"
	got := MaskNumbersInText(in)
	for _, keep := range []string{"三个月，晚上", "（电工班）：", "。"} {
		if !strings.Contains(got, keep) {
			t.Errorf("%q lost %q", got, keep)
		}
	}
	if strings.Contains(got, "1234 5678") || strings.Contains(got, "12345678") {
		t.Errorf("%q still shows the phone", got)
	}
}

func FuzzMaskNumbersInText(f *testing.F) {
	f.Add("请联系", "。谢谢", uint64(3812345678), uint8(0))
	f.Add("2026-03-05 ", " 0745-1234567", uint64(9912345678), uint8(3))
	f.Add("（电工班）：", "1500元", uint64(0), uint8(7))
	f.Add("\xff86", "X", uint64(1), uint8(5))
	f.Fuzz(func(t *testing.T, prefix, suffix string, n uint64, style uint8) {
		// A phone, written in one of the ways people write them, between
		// whatever came before and after (kept apart from their digits).
		phone := "1" + string(rune('3'+n%7)) + pad9(n/7)
		if needsGap(prefix, true) {
			prefix += "，"
		}
		if needsGap(suffix, false) {
			suffix = "，" + suffix
		}
		written, digitAt := render(phone, style)
		in := prefix + written + suffix
		out := MaskNumbersInText(in)

		// Nothing outside a masked digit changes, byte for byte.
		ir, or := splitRunes(in), splitRunes(out)
		if len(ir) != len(or) {
			t.Fatalf("%q → %q changed the number of characters", in, out)
		}
		for i := range ir {
			if ir[i] != or[i] && (or[i] != "*" || !isDigitRune(ir[i])) {
				t.Fatalf("%q → %q changed %q into %q", in, out, ir[i], or[i])
			}
		}
		// The phone never shows 7 of its digits in a row.
		base := utf8.RuneCountInString(prefix)
		shown := 0
		for _, k := range digitAt {
			if or[base+k] == "*" {
				shown = 0
			} else if shown++; shown >= 7 {
				t.Fatalf("%q → %q shows the phone %s", in, out, phone)
			}
		}
		// And no other phone number, delimited, survives anywhere.
		if p := visibleMobile(out); p != "" {
			t.Fatalf("%q → %q still shows the mobile number %s", in, out, p)
		}
	})
}

func pad9(n uint64) string {
	s := strings.Repeat("0", 9)
	v := []byte(s)
	for i := 8; i >= 0 && n > 0; i-- {
		v[i] = byte('0' + n%10)
		n /= 10
	}
	return string(v)
}

var chineseNumerals = []rune("〇一二三四五六七八九")

// render writes phone one of 8 ways, returning the rune index of each digit.
func render(phone string, style uint8) (string, []int) {
	var b []rune
	var at []int
	seps := []string{"", " ", "-", "　", "－", " - ", ".", ""}
	sep := []rune(seps[style%8])
	for i, c := range phone {
		if i == 3 || i == 7 {
			b = append(b, sep...)
		}
		d := c
		switch {
		case style&8 != 0:
			d = '０' + (c - '0')
		case style&16 != 0:
			d = chineseNumerals[c-'0']
		case style&32 != 0 && i%2 == 0:
			d = '０' + (c - '0')
		}
		at = append(at, len(b))
		b = append(b, d)
	}
	return string(b), at
}

// needsGap: s touches the phone with a digit or separator, which would make
// it part of the number.
func needsGap(s string, atEnd bool) bool {
	rs := scan(s)
	if len(rs) == 0 {
		return false
	}
	r := rs[0]
	if atEnd {
		r = rs[len(rs)-1]
	}
	return r.class != other || r.start == r.end
}

func splitRunes(s string) []string {
	var out []string
	for _, r := range scan(s) {
		out = append(out, s[r.start:r.end])
	}
	return out
}

func isDigitRune(s string) bool {
	rs := scan(s)
	return len(rs) == 1 && (rs[0].class == digit || rs[0].class == letterX)
}

// visibleMobile is an independent look for a mobile number in the text:
// separators dropped, digits folded, 1[3-9] and 9 digits with no digit on
// either side.
func visibleMobile(s string) string {
	var d []byte
	for _, r := range scan(s) {
		switch r.class {
		case digit:
			d = append(d, r.value)
		case separator:
		default:
			d = append(d, '#')
		}
	}
	for i := 0; i+11 <= len(d); i++ {
		if (i == 0 || d[i-1] == '#') && (i+11 == len(d) || d[i+11] == '#') && ValidMobile(string(d[i:i+11])) {
			return string(d[i : i+11])
		}
	}
	return ""
}

// A long text of digit groups is masked in linear time: bytes allocated
// grow with the text, not with its square.
func TestMaskNumbersInTextIsLinear(t *testing.T) {
	small, large := strings.Repeat("1 ", 1_000), strings.Repeat("1 ", 10_000)
	a := testing.AllocsPerRun(3, func() { MaskNumbersInText(small) })
	b := testing.AllocsPerRun(3, func() { MaskNumbersInText(large) })
	if b > 20*a {
		t.Fatalf("allocations grew from %.0f to %.0f for a text 10× longer", a, b)
	}
}
