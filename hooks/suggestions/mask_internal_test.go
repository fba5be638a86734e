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
