package demand

import (
	"bufio"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of a township dictionary entry.
const (
	MaxWordRunes = 20
	MaxWeight    = 10_000_000
)

// Word is a township word (乡镇词): a place name such as 思蒙湾村 or 桥思公路,
// or a local term, that segmentation must keep whole. A one-character word
// also lets that character count as a term (single characters are dropped
// otherwise).
type Word struct {
	Text string
	// Weight is the word's frequency in gse's sense (as in a jieba user
	// dictionary): 0 means automatic, just enough for the word on its own to
	// stay whole and never below the frequency it already has; a larger one
	// makes it win more often against its neighbours.
	Weight float64
	// POS is an optional part-of-speech tag (词性), e.g. ns for a place name
	// or n for a noun, kept for the staff's own sorting.
	POS string
}

// Dictionary is what staff edit: extra words and words to ignore (停用词),
// on top of gse's dictionary and the built-in lists. Words decide how text
// is cut, Ignore what is not counted: a word in both (a village's own name,
// 村委会) is kept whole and not counted.
type Dictionary struct {
	Words  []Word
	Ignore []string
}

// DictError names the entry of a Dictionary that is wrong, for PocketBase's
// 400 shape: List is "words" or "ignore", Index the entry, Field "text",
// "weight" or "pos", Message Chinese.
type DictError struct {
	List    string
	Index   int
	Field   string
	Message string
}

func (e *DictError) Error() string {
	return fmt.Sprintf("%s[%d].%s: %s", e.List, e.Index, e.Field, e.Message)
}

var posPattern = regexp.MustCompile(`^[a-z]{1,4}$`)

// CheckText returns the Chinese reason a word cannot be a dictionary entry,
// or "" if it can.
func CheckText(s string) string {
	n := Normalize(s)
	switch {
	case n == "":
		return "词语不能为空"
	case utf8.RuneCountInString(n) > MaxWordRunes:
		return fmt.Sprintf("词语不能超过%d个字", MaxWordRunes)
	case !validWordText(n):
		return "词语只能包含汉字、字母和数字，不能有空格或标点"
	}
	return ""
}

// CheckWeight returns the Chinese reason a weight is refused, or "".
func CheckWeight(w float64) string {
	if w != 0 && !(w >= 1 && w <= MaxWeight) {
		return fmt.Sprintf("权重须在1到%d之间，0表示自动", MaxWeight)
	}
	return ""
}

// CheckPOS returns the Chinese reason a part-of-speech tag is refused, or "".
func CheckPOS(p string) string {
	if p != "" && !posPattern.MatchString(p) {
		return "词性须为1到4个小写字母，例如 ns（地名）、n（名词），可留空"
	}
	return ""
}

// Validate reports the first wrong entry: a bad text, weight or POS, or a
// word listed twice in one list.
func (d Dictionary) Validate() error {
	seen := map[string]bool{}
	for i, w := range d.Words {
		if m := CheckText(w.Text); m != "" {
			return &DictError{"words", i, "text", m}
		}
		if m := CheckWeight(w.Weight); m != "" {
			return &DictError{"words", i, "weight", m}
		}
		if m := CheckPOS(w.POS); m != "" {
			return &DictError{"words", i, "pos", m}
		}
		n := Normalize(w.Text)
		if seen[n] {
			return &DictError{"words", i, "text", "词语重复：" + n}
		}
		seen[n] = true
	}
	ignored := map[string]bool{}
	for i, s := range d.Ignore {
		if m := CheckText(s); m != "" {
			return &DictError{"ignore", i, "text", m}
		}
		n := Normalize(s)
		if ignored[n] {
			return &DictError{"ignore", i, "text", "词语重复：" + n}
		}
		ignored[n] = true
	}
	return nil
}

// normalized returns d with every text normalised and sorted, so two
// dictionaries with the same entries compare equal.
func (d Dictionary) normalized() Dictionary {
	out := Dictionary{Words: make([]Word, len(d.Words)), Ignore: make([]string, len(d.Ignore))}
	for i, w := range d.Words {
		out.Words[i] = Word{Text: Normalize(w.Text), Weight: w.Weight, POS: w.POS}
	}
	for i, s := range d.Ignore {
		out.Ignore[i] = Normalize(s)
	}
	slices.SortFunc(out.Words, func(a, b Word) int { return strings.Compare(a.Text, b.Text) })
	slices.Sort(out.Ignore)
	return out
}

// ParseDictionary reads the text form staff can paste or import, one entry
// a line: `词语 [权重] [词性]` adds a word, `-词语` ignores one, and lines
// starting with # are comments. Errors name the line, in Chinese.
//
//	思蒙湾村 0 ns
//	桥思公路 ns
//	-一下
func ParseDictionary(text string) (Dictionary, error) {
	var d Dictionary
	var wordLine, ignoreLine []int
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(f[0], "-"); ok {
			if len(f) > 1 {
				return Dictionary{}, fmt.Errorf("第%d行：忽略的词后面不能再有内容", line)
			}
			d.Ignore = append(d.Ignore, rest)
			ignoreLine = append(ignoreLine, line)
			continue
		}
		w := Word{Text: f[0]}
		switch len(f) {
		case 1:
		case 2:
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				w.Weight = v
			} else {
				w.POS = f[1]
			}
		case 3:
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return Dictionary{}, fmt.Errorf("第%d行：权重“%s”不是数字", line, f[1])
			}
			w.Weight, w.POS = v, f[2]
		default:
			return Dictionary{}, fmt.Errorf("第%d行：格式应为“词语 权重 词性”", line)
		}
		d.Words = append(d.Words, w)
		wordLine = append(wordLine, line)
	}
	if err := sc.Err(); err != nil {
		return Dictionary{}, fmt.Errorf("词表读取失败：%w", err)
	}
	if err := d.Validate(); err != nil {
		de := err.(*DictError)
		line := wordLine
		if de.List == "ignore" {
			line = ignoreLine
		}
		return Dictionary{}, fmt.Errorf("第%d行：%s", line[de.Index], de.Message)
	}
	return d, nil
}
