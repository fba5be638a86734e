package survey

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Answers are one resident's answers, keyed by question id. They are
// counted into a Tally and the texts stored apart; they are never kept
// together, so no stored row holds one person's set of answers.
type Answers struct {
	Choices map[string][]int  // choice questions: the options ticked, by index, ascending
	Texts   map[string]string // short-text questions answered
}

// Read takes the answers a form sent (one value per ticked option, named by
// the question id; a short text as it was typed) and returns them with a
// message per question that was answered wrongly or not at all.
func Read(qs []Question, form map[string][]string) (Answers, map[string]string) {
	a := Answers{Choices: map[string][]int{}, Texts: map[string]string{}}
	errs := map[string]string{}
	for _, q := range qs {
		values := form[q.ID]
		switch q.Kind {
		case Single, Multiple:
			picked, bad := options(q, values)
			switch {
			case bad:
				errs[q.ID] = "请从给出的选项中选择"
			case len(picked) == 0 && q.Required:
				errs[q.ID] = "这道题必须回答"
			case q.Kind == Single && len(picked) > 1:
				errs[q.ID] = "这道题只能选一项"
			case q.Kind == Multiple && q.Max > 0 && len(picked) > q.Max:
				errs[q.ID] = fmt.Sprintf("这道题最多选%d项", q.Max)
			case len(picked) > 0:
				a.Choices[q.ID] = picked
			}
		case Text:
			text := ""
			if len(values) > 0 {
				text = strings.TrimSpace(values[0])
			}
			switch {
			case len(values) > 1 || !utf8.ValidString(text):
				errs[q.ID] = "回答内容无法识别，请重新填写"
			case utf8.RuneCountInString(text) > MaxTextRunes:
				errs[q.ID] = fmt.Sprintf("回答不超过%d个字", MaxTextRunes)
			case text == "" && q.Required:
				errs[q.ID] = "这道题必须回答"
			case text != "":
				a.Texts[q.ID] = text
			}
		}
	}
	return a, errs
}

// options reads the ticked option indexes of a choice question, dropping
// empty values and repeats; bad is true when a value names no option.
func options(q Question, values []string) (picked []int, bad bool) {
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(q.Options) || strconv.Itoa(i) != v {
			return nil, true
		}
		if !slices.Contains(picked, i) {
			picked = append(picked, i)
		}
	}
	slices.Sort(picked)
	return picked, false
}

// Empty reports whether nothing at all was answered.
func (a Answers) Empty() bool { return len(a.Choices) == 0 && len(a.Texts) == 0 }
