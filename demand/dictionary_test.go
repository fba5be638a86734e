package demand

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDictionaryValidate(t *testing.T) {
	tests := []struct {
		name string
		d    Dictionary
		want *DictError // nil: valid
	}{
		{"empty", Dictionary{}, nil},
		{"place names and ignores", Dictionary{
			Words:  []Word{{Text: "思蒙湾村", POS: "ns"}, {Text: "桥思公路", Weight: 5000}, {Text: "堰"}},
			Ignore: []string{"一下", "思蒙湾村"}}, nil},
		{"empty word", Dictionary{Words: []Word{{Text: "  "}}}, &DictError{"words", 0, "text", "词语不能为空"}},
		{"too long", Dictionary{Words: []Word{{Text: "路"}, {Text: strings.Repeat("路", 21)}}}, &DictError{"words", 1, "text", "词语不能超过20个字"}},
		{"punctuation", Dictionary{Words: []Word{{Text: "路灯，不亮"}}}, &DictError{"words", 0, "text", "词语只能包含汉字、字母和数字，不能有空格或标点"}},
		{"space", Dictionary{Words: []Word{{Text: "路灯 不亮"}}}, &DictError{"words", 0, "text", "词语只能包含汉字、字母和数字，不能有空格或标点"}},
		{"weight too small", Dictionary{Words: []Word{{Text: "路灯", Weight: 0.5}}}, &DictError{"words", 0, "weight", "权重须在1到10000000之间，0表示自动"}},
		{"weight negative", Dictionary{Words: []Word{{Text: "路灯", Weight: -1}}}, &DictError{"words", 0, "weight", "权重须在1到10000000之间，0表示自动"}},
		{"weight too big", Dictionary{Words: []Word{{Text: "路灯", Weight: 1e8}}}, &DictError{"words", 0, "weight", "权重须在1到10000000之间，0表示自动"}},
		{"bad pos", Dictionary{Words: []Word{{Text: "路灯", POS: "名词"}}}, &DictError{"words", 0, "pos", "词性须为1到4个小写字母，例如 ns（地名）、n（名词），可留空"}},
		{"duplicate after folding", Dictionary{Words: []Word{{Text: "WiFi"}, {Text: "ｗｉｆｉ"}}}, &DictError{"words", 1, "text", "词语重复：wifi"}},
		{"bad ignore", Dictionary{Ignore: []string{"一下", ""}}, &DictError{"ignore", 1, "text", "词语不能为空"}},
		{"duplicate ignore", Dictionary{Ignore: []string{"一下", "一下"}}, &DictError{"ignore", 1, "text", "词语重复：一下"}},
	}
	for _, tt := range tests {
		err := tt.d.Validate()
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var de *DictError
		if !errors.As(err, &de) || *de != *tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestParseDictionary(t *testing.T) {
	good := `# 地名
思蒙湾村 0 ns
桥思公路 ns
饮用水 3000

-一下
-村委会
`
	d, err := ParseDictionary(good)
	if err != nil {
		t.Fatal(err)
	}
	want := Dictionary{
		Words:  []Word{{Text: "思蒙湾村", POS: "ns"}, {Text: "桥思公路", POS: "ns"}, {Text: "饮用水", Weight: 3000}},
		Ignore: []string{"一下", "村委会"},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("ParseDictionary = %+v, want %+v", d, want)
	}

	bad := []struct{ in, want string }{
		{"路灯\n-一下 多余", "第2行：忽略的词后面不能再有内容"},
		{"路灯 很多 n", "第1行：权重“很多”不是数字"},
		{"路灯 1 n x", "第1行：格式应为“词语 权重 词性”"},
		{"路灯\n\n路灯", "第3行：词语重复：路灯"},
		{"路灯 0.5", "第1行：权重须在1到10000000之间，0表示自动"},
		{"路灯 N", "第1行：词性须为1到4个小写字母，例如 ns（地名）、n（名词），可留空"},
		{"-", "第1行：词语不能为空"},
	}
	for _, tt := range bad {
		if _, err := ParseDictionary(tt.in); err == nil || err.Error() != tt.want {
			t.Errorf("ParseDictionary(%q) error %v, want %s", tt.in, err, tt.want)
		}
	}
}
