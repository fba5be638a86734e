package notify

import (
	"errors"
	"testing"
)

func TestParseTemplateCodes(t *testing.T) {
	cases := []struct {
		raw  string
		want map[TemplateID]string
		bad  bool
	}{
		{"", map[TemplateID]string{}, false},
		{"null", map[TemplateID]string{}, false},
		{`{"suggestion_new": " SMS_465120001 ", "login_code": "SMS_1"}`,
			map[TemplateID]string{TplSuggestionNew: "SMS_465120001", TplLoginCode: "SMS_1"}, false},
		{`[]`, nil, true},
		{`"SMS_1"`, nil, true},
		{`{"no_such": "SMS_1"}`, nil, true},
		{`{"delivery_problem": "SMS_1"}`, nil, true}, // sends no SMS
		{`{"suggestion_new": 465120001}`, nil, true},
		{`{"suggestion_new": ""}`, nil, true},
		{`{"suggestion_new": "SMS 1"}`, nil, true},
		{`{"suggestion_new": "SMS_11111111111111111111111111111111111111"}`, nil, true},
	}
	for _, c := range cases {
		got, err := ParseTemplateCodes(c.raw)
		if c.bad {
			if !errors.Is(err, ErrTemplateCodes) {
				t.Errorf("%s: err = %v, want ErrTemplateCodes", c.raw, err)
			}
			continue
		}
		if err != nil || len(got) != len(c.want) {
			t.Errorf("%s: %v, %v", c.raw, got, err)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.raw, k, got[k], v)
			}
		}
	}
}
