// Package survey holds the rules of the township's small surveys (微调研、
// 微协商, R14): what a questionnaire may ask (single choice, multiple
// choice, short text), what a resident's answers must be, how answers are
// counted without keeping who gave them, and how results are shown so that
// no small group's answers can be read off them. It knows nothing of
// PocketBase: hooks/surveys stores the questionnaire and the counts and
// calls these functions.
package survey

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the kind of a question.
type Kind string

// The kinds of question.
const (
	Single   Kind = "single"   // 单选
	Multiple Kind = "multiple" // 多选
	Text     Kind = "text"     // 简答
)

// Kinds lists the kinds, in the order the editor offers them.
var Kinds = []Kind{Single, Multiple, Text}

// Label is the Chinese name of k.
func (k Kind) Label() string {
	switch k {
	case Single:
		return "单选"
	case Multiple:
		return "多选"
	case Text:
		return "简答"
	}
	return string(k)
}

// Limits of a questionnaire: short enough for an elderly resident to finish
// on a phone in a few minutes.
const (
	MaxQuestions   = 20
	MinOptions     = 2
	MaxOptions     = 10
	MaxTitleRunes  = 100
	MaxOptionRunes = 30
	MaxTextRunes   = 500 // a short-text answer
)

// Question is one question of a questionnaire, as stored (JSON).
type Question struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Title    string   `json:"title"`
	Options  []string `json:"options,omitempty"`
	Required bool     `json:"required"`
	// Max is, for a multiple-choice question, the most options one may
	// tick (0: any number).
	Max int `json:"max,omitempty"`
}

// Error is what is wrong with a questionnaire or an answer, in Chinese for
// the person who wrote it.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

var idPattern = regexp.MustCompile(`^q[0-9]{1,3}$`)

// ParseQuestions reads a questionnaire (JSON), gives questions without an
// id the next free one (q1, q2, …), trims titles and options, and checks it
// (Check).
func ParseQuestions(raw []byte) ([]Question, error) {
	var qs []Question
	if err := json.Unmarshal(raw, &qs); err != nil {
		return nil, &Error{"invalid_json", "问卷格式不对：应是题目的列表。"}
	}
	used := map[string]bool{}
	for _, q := range qs {
		used[q.ID] = true
	}
	next := 1
	for i := range qs {
		q := &qs[i]
		q.Title = strings.TrimSpace(q.Title)
		for j := range q.Options {
			q.Options[j] = strings.TrimSpace(q.Options[j])
		}
		if q.ID == "" {
			for used["q"+strconv.Itoa(next)] {
				next++
			}
			q.ID = "q" + strconv.Itoa(next)
			used[q.ID] = true
		}
	}
	return qs, Check(qs)
}

// Check reports the first thing wrong with qs, nil if it can be asked.
func Check(qs []Question) error {
	if len(qs) == 0 {
		return &Error{"no_questions", "问卷至少要有1道题。"}
	}
	if len(qs) > MaxQuestions {
		return &Error{"too_many_questions", fmt.Sprintf("问卷最多%d道题。", MaxQuestions)}
	}
	seen := map[string]bool{}
	for i, q := range qs {
		n := i + 1
		fail := func(code, msg string) error { return &Error{code, fmt.Sprintf("第%d题：%s", n, msg)} }
		switch {
		case !idPattern.MatchString(q.ID) || seen[q.ID]:
			return fail("invalid_id", "题目编号无效或重复。")
		case q.Title == "" || utf8.RuneCountInString(q.Title) > MaxTitleRunes || !utf8.ValidString(q.Title):
			return fail("invalid_title", fmt.Sprintf("请填写题目，不超过%d个字。", MaxTitleRunes))
		}
		seen[q.ID] = true
		switch q.Kind {
		case Single, Multiple:
			if len(q.Options) < MinOptions || len(q.Options) > MaxOptions {
				return fail("invalid_options", fmt.Sprintf("选择题要有%d到%d个选项。", MinOptions, MaxOptions))
			}
			opts := map[string]bool{}
			for _, o := range q.Options {
				if o == "" || utf8.RuneCountInString(o) > MaxOptionRunes || !utf8.ValidString(o) {
					return fail("invalid_option", fmt.Sprintf("选项不能为空，不超过%d个字。", MaxOptionRunes))
				}
				if opts[o] {
					return fail("duplicate_option", "选项“"+o+"”重复了。")
				}
				opts[o] = true
			}
			if q.Kind == Single && q.Max != 0 {
				return fail("invalid_max", "单选题不能设置最多选几项。")
			}
			if q.Max < 0 || q.Max > len(q.Options) {
				return fail("invalid_max", "最多选几项应在1到选项个数之间（0表示不限）。")
			}
		case Text:
			if len(q.Options) > 0 || q.Max != 0 {
				return fail("invalid_options", "简答题没有选项。")
			}
		default:
			return fail("invalid_kind", "题型应是单选、多选或简答。")
		}
	}
	return nil
}
