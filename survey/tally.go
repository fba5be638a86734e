package survey

import (
	"slices"
	"strconv"
	"strings"
)

// Tally is everything kept of the choice answers: counts per question,
// option and village. Counts cannot be split back into people: no row, no
// order and no time says which answers one resident gave together.
type Tally struct {
	// Respondents counts responses by the village the resident chose ("" =
	// none given).
	Respondents map[string]int `json:"respondents"`
	// Answered counts, per question, the responses that answered it, by
	// village.
	Answered map[string]map[string]int `json:"answered"`
	// Choices counts, per question and option index, the responses that
	// ticked it, by village.
	Choices map[string]map[string]map[string]int `json:"choices"`
}

// TextAnswer is one short-text answer as stored: the question, the village
// the resident chose, the text. Nothing else.
type TextAnswer struct {
	Question string
	Village  string
	Text     string
}

// Add counts one response from village.
func (t *Tally) Add(qs []Question, a Answers, village string) {
	if t.Respondents == nil {
		t.Respondents = map[string]int{}
	}
	if t.Answered == nil {
		t.Answered = map[string]map[string]int{}
	}
	if t.Choices == nil {
		t.Choices = map[string]map[string]map[string]int{}
	}
	t.Respondents[village]++
	for _, q := range qs {
		picked, chose := a.Choices[q.ID]
		_, wrote := a.Texts[q.ID]
		if !chose && !wrote {
			continue
		}
		if t.Answered[q.ID] == nil {
			t.Answered[q.ID] = map[string]int{}
		}
		t.Answered[q.ID][village]++
		for _, i := range picked {
			opt := strconv.Itoa(i)
			if t.Choices[q.ID] == nil {
				t.Choices[q.ID] = map[string]map[string]int{}
			}
			if t.Choices[q.ID][opt] == nil {
				t.Choices[q.ID][opt] = map[string]int{}
			}
			t.Choices[q.ID][opt][village]++
		}
	}
}

// Total is the number of responses counted.
func (t Tally) Total() int {
	n := 0
	for _, c := range t.Respondents {
		n += c
	}
	return n
}

// MinGroup is the smallest number of respondents whose answers are shown
// as a group (a village, or the whole survey): fewer, and a neighbour who
// knows who answered could read their answers off the counts.
const MinGroup = 5

// Group is one column of the results: a village with enough respondents,
// or the pool of the villages with too few.
type Group struct {
	Key         string `json:"key"` // village id, "" for none given, "*" for the pool
	Label       string `json:"label"`
	Respondents int    `json:"respondents"`
}

// PoolKey names the pooled group.
const PoolKey = "*"

// Result is what the presidium sees of a survey.
type Result struct {
	Respondents int  `json:"respondents"`
	MinGroup    int  `json:"min_group"`
	Suppressed  bool `json:"suppressed"` // too few respondents: only their number is shown
	// Groups are the villages shown on their own, then the pool.
	Groups    []Group          `json:"groups"`
	Questions []QuestionResult `json:"questions"`
}

// QuestionResult is one question's results.
type QuestionResult struct {
	ID         string         `json:"id"`
	Kind       Kind           `json:"kind"`
	Title      string         `json:"title"`
	Answered   int            `json:"answered"`
	AnsweredBy []int          `json:"answered_by"` // per group, in Groups' order
	Options    []OptionResult `json:"options,omitempty"`
	Texts      []GroupText    `json:"texts,omitempty"`
}

// OptionResult is one option's count, overall and per group.
type OptionResult struct {
	Label   string  `json:"label"`
	Count   int     `json:"count"`
	Share   float64 `json:"share"` // of those who answered the question, 0–1
	ByGroup []int   `json:"by_group"`
}

// GroupText is a short-text answer labelled with its group only.
type GroupText struct {
	Group string `json:"group"`
	Text  string `json:"text"`
}

// Labels name the groups: villageName names a village id; the pool and
// "no village given" have fixed labels.
const (
	PoolLabel      = "其他村（人数较少，合并统计）"
	NoVillageLabel = "未填写村"
)

// Summarize is the survey's results with every group at least minGroup
// strong. Villages with fewer respondents go into a pool; if the pool
// itself is not empty but smaller than minGroup, the smallest shown
// villages join it until it is large enough (otherwise the total minus the
// shown villages would give the pool's answers away). With fewer than
// minGroup respondents in all, nothing but their number is shown. Short
// texts carry only their group, sorted by group and text, never in the
// order they came in.
func Summarize(qs []Question, t Tally, texts []TextAnswer, villageName func(string) string, minGroup int) Result {
	if minGroup < 1 {
		minGroup = 1
	}
	r := Result{Respondents: t.Total(), MinGroup: minGroup, Groups: []Group{}, Questions: []QuestionResult{}}
	if r.Respondents < minGroup {
		r.Suppressed = r.Respondents > 0
		if r.Respondents == 0 {
			r.Questions = questionsOnly(qs)
		}
		return r
	}

	// Which village goes to which group.
	type village struct {
		key string
		n   int
	}
	var shown []village
	pool := 0
	for k, n := range t.Respondents {
		if n >= minGroup {
			shown = append(shown, village{k, n})
		} else if n > 0 {
			pool += n
		}
	}
	// Smallest first, then by key: deterministic.
	slices.SortFunc(shown, func(a, b village) int {
		if a.n != b.n {
			return a.n - b.n
		}
		return strings.Compare(a.key, b.key)
	})
	for pool > 0 && pool < minGroup && len(shown) > 0 {
		pool += shown[0].n
		shown = shown[1:]
	}
	label := func(key string) string {
		if key == "" {
			return NoVillageLabel
		}
		if villageName != nil {
			if name := villageName(key); name != "" {
				return name
			}
		}
		return "（已删除的村）"
	}
	slices.SortFunc(shown, func(a, b village) int { return strings.Compare(label(a.key), label(b.key)) })
	index := map[string]int{}
	for i, v := range shown {
		index[v.key] = i
		r.Groups = append(r.Groups, Group{Key: v.key, Label: label(v.key), Respondents: v.n})
	}
	if pool > 0 {
		r.Groups = append(r.Groups, Group{Key: PoolKey, Label: PoolLabel, Respondents: pool})
	}
	groupOf := func(village string) int {
		if i, ok := index[village]; ok {
			return i
		}
		return len(shown) // the pool
	}
	perGroup := func(byVillage map[string]int) (total int, by []int) {
		by = make([]int, len(r.Groups))
		for v, n := range byVillage {
			if n <= 0 {
				continue
			}
			total += n
			if g := groupOf(v); g < len(by) {
				by[g] += n
			}
		}
		return total, by
	}

	for _, q := range qs {
		qr := QuestionResult{ID: q.ID, Kind: q.Kind, Title: q.Title}
		qr.Answered, qr.AnsweredBy = perGroup(t.Answered[q.ID])
		for i, o := range q.Options {
			or := OptionResult{Label: o}
			or.Count, or.ByGroup = perGroup(t.Choices[q.ID][strconv.Itoa(i)])
			if qr.Answered > 0 {
				or.Share = float64(or.Count) / float64(qr.Answered)
			}
			qr.Options = append(qr.Options, or)
		}
		if q.Kind == Text {
			qr.Texts = []GroupText{}
			for _, ta := range texts {
				if ta.Question != q.ID {
					continue
				}
				g := PoolLabel
				if i, ok := index[ta.Village]; ok {
					g = r.Groups[i].Label
				}
				qr.Texts = append(qr.Texts, GroupText{Group: g, Text: ta.Text})
			}
			slices.SortFunc(qr.Texts, func(a, b GroupText) int {
				if c := strings.Compare(a.Group, b.Group); c != 0 {
					return c
				}
				return strings.Compare(a.Text, b.Text)
			})
		}
		r.Questions = append(r.Questions, qr)
	}
	return r
}

// questionsOnly lists the questions with nothing counted.
func questionsOnly(qs []Question) []QuestionResult {
	out := []QuestionResult{}
	for _, q := range qs {
		qr := QuestionResult{ID: q.ID, Kind: q.Kind, Title: q.Title, AnsweredBy: []int{}}
		for _, o := range q.Options {
			qr.Options = append(qr.Options, OptionResult{Label: o, ByGroup: []int{}})
		}
		out = append(out, qr)
	}
	return out
}
