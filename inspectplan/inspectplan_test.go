package inspectplan

import (
	"testing"
	"time"

	"simeng/chinatime"
)

func TestOf(t *testing.T) {
	cst := chinatime.Location()
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, cst), "2026-Q1"},
		{time.Date(2026, 3, 31, 23, 30, 0, 0, cst), "2026-Q1"},
		// 16:30 UTC on 31 March is 00:30 on 1 April in China: second quarter.
		{time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC), "2026-Q2"},
		{time.Date(2026, 7, 1, 8, 0, 0, 0, cst), "2026-Q3"},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, cst), "2026-Q4"},
	}
	for _, c := range cases {
		if got := Of(c.t).String(); got != c.want {
			t.Errorf("Of(%v) = %s, want %s", c.t, got, c.want)
		}
	}
}

func TestParseAndBounds(t *testing.T) {
	p, err := Parse("2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	if p.Label() != "2026年第四季度" {
		t.Fatalf("label %q", p.Label())
	}
	if !p.Start().Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, chinatime.Location())) ||
		!p.End().Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, chinatime.Location())) {
		t.Fatalf("bounds %v %v", p.Start(), p.End())
	}
	if p.Next().String() != "2027-Q1" {
		t.Fatalf("next %v", p.Next())
	}
	for _, bad := range []string{"", "2026Q1", "2026-Q5", "2026-Q0", "abcd-Q1", "1999-Q1", "2026-q1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestStatusAt(t *testing.T) {
	q1 := Period{2026, 1}
	inQ := time.Date(2026, 2, 1, 0, 0, 0, 0, chinatime.Location())
	after := q1.End().Add(time.Second)
	cases := []struct {
		inspected bool
		now       time.Time
		want      Status
	}{
		{false, inQ, Due},
		{true, inQ, Done},
		{false, q1.End().Add(-time.Nanosecond), Due},
		{false, q1.End(), Missed},
		{false, after, Missed},
		{true, after, Done}, // synced late from an offline phone
	}
	for _, c := range cases {
		if got := StatusAt(q1, c.inspected, c.now); got != c.want {
			t.Errorf("StatusAt(%v, %v) = %s, want %s", c.inspected, c.now, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("2026-Q1")
	f.Add("9999-Q4")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, p.String())
		}
		if Of(p.Start()) != p {
			t.Fatalf("Of(Start(%v)) = %v", p, Of(p.Start()))
		}
	})
}
