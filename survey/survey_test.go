package survey

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseQuestions(t *testing.T) {
	long := strings.Repeat("字", MaxTitleRunes+1)
	cases := []struct {
		name, raw string
		code      string // "" = valid
		ids       []string
	}{
		{"ids given to those without", `[{"kind":"single","title":" 您是否赞成？ ","options":["赞成"," 不赞成"]},{"id":"q1","kind":"text","title":"建议"}]`, "", []string{"q2", "q1"}},
		{"not JSON", `{`, "invalid_json", nil},
		{"not a list", `{"kind":"text"}`, "invalid_json", nil},
		{"empty", `[]`, "no_questions", nil},
		{"one option", `[{"kind":"single","title":"a","options":["x"]}]`, "invalid_options", nil},
		{"empty option", `[{"kind":"multiple","title":"a","options":["x"," "]}]`, "invalid_option", nil},
		{"duplicate option", `[{"kind":"multiple","title":"a","options":["x","x"]}]`, "duplicate_option", nil},
		{"title missing", `[{"kind":"text","title":"  "}]`, "invalid_title", nil},
		{"title too long", `[{"kind":"text","title":"` + long + `"}]`, "invalid_title", nil},
		{"unknown kind", `[{"kind":"rating","title":"a"}]`, "invalid_kind", nil},
		{"text with options", `[{"kind":"text","title":"a","options":["x","y"]}]`, "invalid_options", nil},
		{"single with max", `[{"kind":"single","title":"a","options":["x","y"],"max":1}]`, "invalid_max", nil},
		{"max over options", `[{"kind":"multiple","title":"a","options":["x","y"],"max":3}]`, "invalid_max", nil},
		{"max ok", `[{"kind":"multiple","title":"a","options":["x","y","z"],"max":2}]`, "", []string{"q1"}},
		{"duplicate ids", `[{"id":"q1","kind":"text","title":"a"},{"id":"q1","kind":"text","title":"b"}]`, "invalid_id", nil},
		{"bad id", `[{"id":"x; drop","kind":"text","title":"a"}]`, "invalid_id", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			qs, err := ParseQuestions([]byte(c.raw))
			var e *Error
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				var ids []string
				for _, q := range qs {
					ids = append(ids, q.ID)
				}
				if !slices.Equal(ids, c.ids) {
					t.Fatalf("ids %v, want %v", ids, c.ids)
				}
				return
			}
			if !errors.As(err, &e) || e.Code != c.code {
				t.Fatalf("error %v, want code %s", err, c.code)
			}
			if !strings.ContainsAny(e.Message, "题问") {
				t.Errorf("message %q is not for a person", e.Message)
			}
		})
	}
	qs, _ := ParseQuestions([]byte(`[{"kind":"single","title":" 您是否赞成？ ","options":["赞成"," 不赞成"]}]`))
	if qs[0].Title != "您是否赞成？" || qs[0].Options[1] != "不赞成" {
		t.Errorf("not trimmed: %+v", qs[0])
	}
	many := "[" + strings.Repeat(`{"kind":"text","title":"a"},`, MaxQuestions) + `{"kind":"text","title":"a"}]`
	if _, err := ParseQuestions([]byte(many)); err == nil {
		t.Error("more than MaxQuestions accepted")
	}
}

var sample = []Question{
	{ID: "q1", Kind: Single, Title: "是否赞成集镇改造方案", Options: []string{"赞成", "不赞成", "说不清"}, Required: true},
	{ID: "q2", Kind: Multiple, Title: "最关心哪些问题", Options: []string{"停车", "排水", "摊位", "路灯"}, Max: 2},
	{ID: "q3", Kind: Text, Title: "其他建议"},
}

func TestRead(t *testing.T) {
	cases := []struct {
		name    string
		form    map[string][]string
		errs    []string // question ids with a message
		choices map[string][]int
		texts   map[string]string
	}{
		{"all answered", map[string][]string{"q1": {"0"}, "q2": {"3", "1", "3"}, "q3": {"  多装路灯 "}}, nil,
			map[string][]int{"q1": {0}, "q2": {1, 3}}, map[string]string{"q3": "多装路灯"}},
		{"only the required", map[string][]string{"q1": {"2"}, "q2": {""}, "q3": {""}}, nil,
			map[string][]int{"q1": {2}}, map[string]string{}},
		{"required missing", map[string][]string{}, []string{"q1"}, map[string][]int{}, map[string]string{}},
		{"two for single", map[string][]string{"q1": {"0", "1"}}, []string{"q1"}, map[string][]int{}, map[string]string{}},
		{"over max", map[string][]string{"q1": {"0"}, "q2": {"0", "1", "2"}}, []string{"q2"}, map[string][]int{"q1": {0}}, map[string]string{}},
		{"not an option", map[string][]string{"q1": {"3"}, "q2": {"-1"}}, []string{"q1", "q2"}, map[string][]int{}, map[string]string{}},
		{"option by text", map[string][]string{"q1": {"赞成"}}, []string{"q1"}, map[string][]int{}, map[string]string{}},
		{"leading zero", map[string][]string{"q1": {"01"}}, []string{"q1"}, map[string][]int{}, map[string]string{}},
		{"text too long", map[string][]string{"q1": {"0"}, "q3": {strings.Repeat("长", MaxTextRunes+1)}}, []string{"q3"}, map[string][]int{"q1": {0}}, map[string]string{}},
		{"broken UTF-8", map[string][]string{"q1": {"0"}, "q3": {"坏\xff"}}, []string{"q3"}, map[string][]int{"q1": {0}}, map[string]string{}},
		{"text twice", map[string][]string{"q1": {"0"}, "q3": {"a", "b"}}, []string{"q3"}, map[string][]int{"q1": {0}}, map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, errs := Read(sample, c.form)
			var got []string
			for id, msg := range errs {
				got = append(got, id)
				if msg == "" {
					t.Errorf("%s: empty message", id)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.errs) {
				t.Fatalf("errors on %v, want %v (%v)", got, c.errs, errs)
			}
			if len(a.Choices) != len(c.choices) {
				t.Fatalf("choices %v, want %v", a.Choices, c.choices)
			}
			for id, want := range c.choices {
				if !slices.Equal(a.Choices[id], want) {
					t.Errorf("%s: %v, want %v", id, a.Choices[id], want)
				}
			}
			if len(a.Texts) != len(c.texts) {
				t.Fatalf("texts %v, want %v", a.Texts, c.texts)
			}
			for id, want := range c.texts {
				if a.Texts[id] != want {
					t.Errorf("%s: %q, want %q", id, a.Texts[id], want)
				}
			}
		})
	}
}

func respond(t *Tally, texts *[]TextAnswer, village string, q1 int, q2 []int, text string) {
	a := Answers{Choices: map[string][]int{"q1": {q1}}, Texts: map[string]string{}}
	if len(q2) > 0 {
		a.Choices["q2"] = q2
	}
	if text != "" {
		a.Texts["q3"] = text
		*texts = append(*texts, TextAnswer{Question: "q3", Village: village, Text: text})
	}
	t.Add(sample, a, village)
}

var names = map[string]string{"smw": "思蒙湾村", "qt": "桥头村", "fm": "枫木村"}

func name(id string) string { return names[id] }

func TestSummarizeCountsPerVillage(t *testing.T) {
	var tally Tally
	var texts []TextAnswer
	for i := range 6 {
		respond(&tally, &texts, "smw", i%2, []int{0}, "")
	}
	for range 5 {
		respond(&tally, &texts, "qt", 1, []int{1, 3}, "")
	}
	respond(&tally, &texts, "fm", 2, nil, "多装路灯")
	respond(&tally, &texts, "", 2, nil, "")
	respond(&tally, &texts, "smw", 0, nil, "集镇要有停车场")

	r := Summarize(sample, tally, texts, name, MinGroup)
	if r.Suppressed || r.Respondents != 14 {
		t.Fatalf("result %+v", r)
	}
	// fm (1) and none given (1) are only 2: the smallest shown village
	// (桥头村, 5) joins them, so the pool has 7.
	var labels []string
	for _, g := range r.Groups {
		labels = append(labels, g.Label)
		if g.Respondents < MinGroup {
			t.Errorf("group %s has %d respondents", g.Label, g.Respondents)
		}
	}
	if !slices.Equal(labels, []string{"思蒙湾村", PoolLabel}) {
		t.Fatalf("groups %v", labels)
	}
	q1 := r.Questions[0]
	if q1.Answered != 14 || q1.Options[0].Count != 4 || q1.Options[1].Count != 8 || q1.Options[2].Count != 2 {
		t.Fatalf("q1 %+v", q1)
	}
	if !slices.Equal(q1.Options[1].ByGroup, []int{3, 5}) || !slices.Equal(q1.AnsweredBy, []int{7, 7}) {
		t.Fatalf("q1 by group %+v / %v", q1.Options[1].ByGroup, q1.AnsweredBy)
	}
	if q2 := r.Questions[1]; q2.Answered != 11 || q2.Options[3].Count != 5 || q2.Options[0].Share != 6.0/11 {
		t.Fatalf("q2 %+v", q2)
	}
	q3 := r.Questions[2]
	want := []GroupText{{PoolLabel, "多装路灯"}, {"思蒙湾村", "集镇要有停车场"}}
	if !slices.Equal(q3.Texts, want) {
		t.Fatalf("texts %+v, want %+v (sorted by group and text, not arrival)", q3.Texts, want)
	}
}

func TestSummarizeSuppressesSmallSurveys(t *testing.T) {
	var tally Tally
	var texts []TextAnswer
	for range MinGroup - 1 {
		respond(&tally, &texts, "smw", 0, nil, "一条意见")
	}
	r := Summarize(sample, tally, texts, name, MinGroup)
	if !r.Suppressed || r.Respondents != MinGroup-1 || len(r.Questions) != 0 || len(r.Groups) != 0 {
		t.Fatalf("a survey under %d respondents shows %+v", MinGroup, r)
	}
	empty := Summarize(sample, Tally{}, nil, name, MinGroup)
	if empty.Suppressed || empty.Respondents != 0 || len(empty.Questions) != len(sample) {
		t.Fatalf("an empty survey: %+v", empty)
	}
}

// The pool never holds between 1 and MinGroup-1 respondents, so the total
// minus the shown villages never gives a small group away.
func TestSummarizePoolIsNeverSmall(t *testing.T) {
	for _, counts := range [][]int{{5, 5, 1}, {9, 6, 5, 1, 1}, {5, 4}, {20, 1}, {5, 5, 5}, {3, 3}, {7}} {
		var tally Tally
		var texts []TextAnswer
		villages := []string{"smw", "qt", "fm", "v4", "v5"}
		for i, n := range counts {
			for range n {
				respond(&tally, &texts, villages[i], 0, nil, "")
			}
		}
		r := Summarize(sample, tally, texts, name, MinGroup)
		sum := 0
		for _, g := range r.Groups {
			sum += g.Respondents
			if g.Respondents < MinGroup {
				t.Errorf("%v: group %s of %d", counts, g.Label, g.Respondents)
			}
		}
		if sum != r.Respondents {
			t.Errorf("%v: groups hold %d of %d", counts, sum, r.Respondents)
		}
	}
}

func TestKindLabels(t *testing.T) {
	for _, k := range Kinds {
		if k.Label() == string(k) {
			t.Errorf("%s has no label", k)
		}
	}
}
