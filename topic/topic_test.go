package topic

import (
	"strings"
	"testing"
	"time"
)

var (
	now      = time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC)
	tomorrow = now.Add(24 * time.Hour)
	lastWeek = now.Add(-7 * 24 * time.Hour)
	enough   = "同意在集镇东头规划停车场，由镇政府牵头办理。"
)

func TestCheckSave(t *testing.T) {
	open := &Topic{Status: Open, Audience: Both, Deadline: tomorrow}
	closed := &Topic{Status: Closed, Audience: Both, Deadline: lastWeek, Conclusion: enough}
	cases := []struct {
		name  string
		old   *Topic
		t     Topic
		field string // "" = allowed
	}{
		{"new draft", nil, Topic{Status: Draft, Audience: Both, Deadline: tomorrow}, ""},
		{"new open", nil, Topic{Status: Open, Audience: Residents, Deadline: tomorrow}, ""},
		{"new open, deadline past", nil, Topic{Status: Open, Audience: Residents, Deadline: lastWeek}, "deadline"},
		{"new closed", nil, Topic{Status: Closed, Audience: Both, Deadline: tomorrow, Conclusion: enough}, "status"},
		{"no deadline", nil, Topic{Status: Draft, Audience: Both}, "deadline"},
		{"bad audience", nil, Topic{Status: Draft, Audience: "everyone", Deadline: tomorrow}, "audience"},
		{"bad status", nil, Topic{Status: "archived", Audience: Both, Deadline: tomorrow}, "status"},
		{"open stays open after its deadline", &Topic{Status: Open, Audience: Both, Deadline: lastWeek}, Topic{Status: Open, Audience: Both, Deadline: lastWeek}, ""},
		{"deadline extended", open, Topic{Status: Open, Audience: Both, Deadline: tomorrow.Add(time.Hour)}, ""},
		{"close without conclusion", open, Topic{Status: Closed, Audience: Both, Deadline: tomorrow, Conclusion: " 同意 "}, "conclusion"},
		{"close", open, Topic{Status: Closed, Audience: Both, Deadline: tomorrow, Conclusion: enough}, ""},
		{"reopen", closed, Topic{Status: Open, Audience: Both, Deadline: tomorrow, Conclusion: enough}, "status"},
		{"back to draft", open, Topic{Status: Draft, Audience: Both, Deadline: tomorrow}, "status"},
		{"conclusion rewritten", closed, Topic{Status: Closed, Audience: Both, Deadline: lastWeek, Conclusion: enough + "补充"}, "conclusion"},
		{"audience changed once open", open, Topic{Status: Open, Audience: Deputies, Deadline: tomorrow}, "audience"},
		{"audience changed in draft", &Topic{Status: Draft, Audience: Both, Deadline: tomorrow}, Topic{Status: Draft, Audience: Deputies, Deadline: tomorrow}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckSave(c.old, c.t, now)
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.field != "" && err == nil:
				t.Fatalf("allowed, want refusal on %s", c.field)
			case c.field != "" && (err.Field != c.field || !strings.ContainsAny(err.Message, "。")):
				t.Fatalf("refused on %s (%q), want %s", err.Field, err.Message, c.field)
			}
		})
	}
}

func TestCommentRefusal(t *testing.T) {
	open := func(a Audience) Topic { return Topic{Status: Open, Audience: a, Deadline: now} }
	hourAgo := now.Add(-time.Hour)
	cases := []struct {
		name    string
		t       Topic
		by      Author
		written time.Time
		at      time.Time
		code    string
	}{
		{"deputy before deadline", open(Both), ByDeputy, hourAgo, hourAgo, ""},
		{"resident before deadline", open(Residents), ByResident, time.Time{}, hourAgo, ""},
		{"resident after deadline", open(Both), ByResident, time.Time{}, now.Add(time.Minute), "past_deadline"},
		{"resident cannot backdate", open(Both), ByResident, hourAgo, now.Add(time.Minute), "past_deadline"},
		{"deputy wrote offline before deadline", open(Both), ByDeputy, hourAgo, now.Add(48 * time.Hour), ""},
		{"deputy wrote after deadline", open(Both), ByDeputy, now.Add(time.Minute), now.Add(time.Hour), "past_deadline"},
		{"deputy clock ahead counts as now", open(Both), ByDeputy, now.Add(time.Hour), hourAgo, ""},
		{"deputy on residents' topic", open(Residents), ByDeputy, hourAgo, hourAgo, "not_audience"},
		{"resident on deputies' topic", open(Deputies), ByResident, time.Time{}, hourAgo, "not_audience"},
		{"draft", Topic{Status: Draft, Audience: Both, Deadline: now}, ByDeputy, hourAgo, hourAgo, "not_open"},
		{"closed", Topic{Status: Closed, Audience: Both, Deadline: now, Conclusion: enough}, ByDeputy, hourAgo, hourAgo, "closed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.t.CommentRefusal(c.by, c.written, c.at)
			got := ""
			if err != nil {
				got = err.Code
			}
			if got != c.code {
				t.Fatalf("code %q, want %q", got, c.code)
			}
		})
	}
}

func TestConvertRefusal(t *testing.T) {
	closed := Topic{Status: Closed, Audience: Both, Deadline: now, Conclusion: enough}
	cases := []struct {
		name string
		t    Topic
		to   Outcome
		done Outcome
		code string
	}{
		{"closed to problem", closed, ToProblem, "", ""},
		{"closed to proposal", closed, ToProposal, "", ""},
		{"again the same (a retry)", closed, ToProblem, ToProblem, ""},
		{"other outcome after one", closed, ToProposal, ToProblem, "already_converted"},
		{"still open", Topic{Status: Open, Audience: Both, Deadline: now}, ToProblem, "", "not_closed"},
		{"unknown", closed, "meeting", "", "invalid_outcome"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.t.ConvertRefusal(c.to, c.done)
			got := ""
			if err != nil {
				got = err.Code
			}
			if got != c.code {
				t.Fatalf("code %q, want %q", got, c.code)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	for _, s := range Statuses {
		if s.Label() == string(s) {
			t.Errorf("status %s has no label", s)
		}
	}
	for _, a := range Audiences {
		if a.Label() == string(a) {
			t.Errorf("audience %s has no label", a)
		}
	}
	for _, o := range Outcomes {
		if o.Label() == string(o) {
			t.Errorf("outcome %s has no label", o)
		}
	}
}

// Whatever a request sends as status, audience and conclusion, a save is
// refused with a field and a message, or it is a listed move.
func FuzzCheckSave(f *testing.F) {
	f.Add("open", "closed", "both", "both", enough)
	f.Add("draft", "closed", "residents", "deputies", "")
	f.Add("closed", "open", "x", "both", "\xff")
	f.Fuzz(func(t *testing.T, from, to, audFrom, audTo, conclusion string) {
		old := &Topic{Status: Status(from), Audience: Audience(audFrom), Deadline: tomorrow}
		err := CheckSave(old, Topic{Status: Status(to), Audience: Audience(audTo), Deadline: tomorrow, Conclusion: conclusion}, now)
		if err != nil {
			if err.Field == "" || err.Message == "" {
				t.Fatalf("refusal without field or message: %+v", err)
			}
			return
		}
		if from != to {
			allowed := false
			for _, s := range next[Status(from)] {
				allowed = allowed || s == Status(to)
			}
			if !allowed {
				t.Fatalf("%s → %s allowed", from, to)
			}
		}
	})
}
