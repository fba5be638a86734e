package suggestions

import (
	"strings"
	"testing"
)

func TestMaskPersonalNumbers(t *testing.T) {
	cases := []struct{ in, hidden string }{
		{"请回电13812345678", "13812345678"},
		{"请回电138-1234-5678", "1234"},
		{"请回电１３８１２３４５６７８", "12345678"},
		{"电话 138　1234　5678", "1234"},
		{"电话138.1234.5678", "1234"},
		{"身份证４３１２２７１９８００１０１１２３４", "19800101"},
	}
	for _, c := range cases {
		got := maskPersonalNumbers(c.in)
		if strings.Contains(got, c.hidden) || !strings.Contains(got, "****") {
			t.Errorf("maskPersonalNumbers(%q) = %q: %q still shows", c.in, got, c.hidden)
		}
	}
	if got := maskPersonalNumbers("村口路灯坏了3盏"); got != "村口路灯坏了3盏" {
		t.Errorf("text without numbers changed: %q", got)
	}
}

// Issue 12, item 11: the /t page masks numbers however they are written
// (the middle digits hidden, as 138****5678) and changes nothing else:
// Chinese punctuation stays as typed.
func TestMaskPersonalNumbersKeepsEverythingElse(t *testing.T) {
	for _, c := range []struct{ in, hidden string }{
		{"请联系 138 1234 5678。", "1234 5678"},
		{"请联系１３８-１２３４ ５６７８", "１２３４"},
		{"电话一三八一二三四五六七八", "一二三四"},
		{"座机0745-3221234", "3221234"},
	} {
		if got := maskPersonalNumbers(c.in); strings.Contains(got, c.hidden) {
			t.Errorf("maskPersonalNumbers(%q) = %q: %q still shows", c.in, got, c.hidden)
		}
	}
	for _, keep := range []string{"村口路灯坏了三个月，晚上出行不便", "您好，已联系村委会（电工班）：", "２０２６年３月，修好了！"} {
		if got := maskPersonalNumbers(keep); got != keep {
			t.Errorf("maskPersonalNumbers(%q) = %q: changed", keep, got)
		}
	}
}
