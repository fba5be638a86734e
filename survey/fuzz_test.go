package survey

import (
	"encoding/json"
	"strings"
	"testing"
)

// A questionnaire typed by a presidium member: whatever comes in is either
// refused with a message or can be asked (and asked again after a round
// trip through JSON, as it is stored).
func FuzzParseQuestions(f *testing.F) {
	f.Add(`[{"kind":"single","title":"是否赞成","options":["赞成","不赞成"]}]`)
	f.Add(`[{"id":"q9","kind":"multiple","title":"x","options":["a","b","c"],"max":2},{"kind":"text","title":"y"}]`)
	f.Add(`[{"kind":"text","title":"\u0000"}]`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, raw string) {
		qs, err := ParseQuestions([]byte(raw))
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Message == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		stored, _ := json.Marshal(qs)
		again, err := ParseQuestions(stored)
		if err != nil || len(again) != len(qs) {
			t.Fatalf("stored questionnaire refused: %v", err)
		}
	})
}

// A resident's form, whatever it holds: answers are within the
// questionnaire or the question is named with a message, and counting them
// keeps every total consistent.
func FuzzRead(f *testing.F) {
	f.Add("q1", "0", "q2", "1", "q3", "路灯")
	f.Add("q1", "9", "q2", "-1", "q3", strings.Repeat("长", 600))
	f.Add("q2", "0", "q2", "0", "q1", "\xff")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3 string) {
		form := map[string][]string{}
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}, {k3, v3}} {
			form[kv[0]] = append(form[kv[0]], kv[1])
		}
		a, errs := Read(sample, form)
		for _, q := range sample {
			if _, bad := errs[q.ID]; bad {
				continue
			}
			for _, i := range a.Choices[q.ID] {
				if i < 0 || i >= len(q.Options) {
					t.Fatalf("%s: option %d out of range", q.ID, i)
				}
			}
			if q.Kind == Single && len(a.Choices[q.ID]) > 1 {
				t.Fatalf("%s: %v for a single choice", q.ID, a.Choices[q.ID])
			}
		}
		if len(errs) > 0 {
			return
		}
		var tally Tally
		for range MinGroup {
			tally.Add(sample, a, "v")
		}
		r := Summarize(sample, tally, nil, nil, MinGroup)
		for _, q := range r.Questions {
			for _, o := range q.Options {
				if o.Count > q.Answered || o.Count < 0 {
					t.Fatalf("%s: %d ticked of %d answered", q.ID, o.Count, q.Answered)
				}
			}
		}
	})
}
