package meetingplan

import (
	"slices"
	"testing"
	"time"

	"simeng/chinatime"
)

func at(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, chinatime.Location())
}

func TestGridFlagsWhatDidNotHappen(t *testing.T) {
	meetings := []Meeting{
		{ID: "p1", Kind: "presidium", At: at(2026, 1, 9, 9)},
		// Q2: none → missed
		{ID: "p3", Kind: "presidium", At: at(2026, 7, 10, 9)},
		{ID: "p4", Kind: "presidium", At: at(2026, 12, 20, 9)}, // on the calendar
		{ID: "t1", Kind: "training", At: at(2026, 3, 31, 23)},  // 23:00 Beijing on 31 March: still Q1
		{ID: "w1", Kind: "wuchang", At: at(2026, 5, 19, 9)},
		{ID: "x", Kind: "presidium", At: at(2025, 12, 30, 9)}, // last year
		{ID: "i1", Kind: "inquiry", At: at(2026, 6, 12, 9)},   // no rhythm
	}
	now := at(2026, 12, 1, 12)
	rows := Grid(2026, DefaultRhythm(), meetings, now)
	want := map[string][]Status{
		"presidium":       {Done, Missed, Done, Scheduled},
		"training":        {Done, Missed, Missed, Due},
		"wuchang":         {Done, Due},
		"party_committee": {Due},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		var got []Status
		for _, c := range r.Cells {
			got = append(got, c.Status)
			if c.Label == "" || c.Required != r.Count {
				t.Errorf("%s %s: %+v", r.Kind, c.Period.Label, c)
			}
		}
		if !slices.Equal(got, want[r.Kind]) {
			t.Errorf("%s: %v, want %v", r.Kind, got, want[r.Kind])
		}
	}
	if rows[0].Missed != 1 || rows[1].Missed != 2 {
		t.Errorf("missed counts %d %d", rows[0].Missed, rows[1].Missed)
	}
	if len(rows[0].Cells[0].Meetings) != 1 || rows[0].Cells[0].Meetings[0].ID != "p1" {
		t.Errorf("Q1 presidium meetings %+v", rows[0].Cells[0].Meetings)
	}
}

func TestGridBeforeAndAfterTheYear(t *testing.T) {
	r := []Rhythm{{Kind: "presidium", Per: Quarter, Count: 2}, {Kind: "bad", Per: "month", Count: 1}, {Kind: "zero", Per: Year}}
	rows := Grid(2027, r, []Meeting{{Kind: "presidium", At: at(2027, 2, 1, 9)}, {Kind: "presidium", At: at(2027, 2, 20, 9)}}, at(2026, 12, 1, 0))
	if len(rows) != 1 {
		t.Fatalf("invalid rhythms kept: %d rows", len(rows))
	}
	if got := rows[0].Cells; got[0].Status != Scheduled || got[1].Status != Upcoming {
		t.Fatalf("next year: %v %v", got[0].Status, got[1].Status)
	}
	rows = Grid(2025, r[:1], nil, at(2026, 12, 1, 0))
	for _, c := range rows[0].Cells {
		if c.Status != Missed {
			t.Fatalf("a past year without meetings: %v", c.Status)
		}
	}
}

func TestPeriodsCoverTheYear(t *testing.T) {
	for _, p := range []Per{Quarter, Half, Year} {
		ps := Periods(2026, p)
		if !ps[0].From.Equal(chinatime.YearStart(2026)) || !ps[len(ps)-1].To.Equal(chinatime.YearStart(2027)) {
			t.Errorf("%s: %v … %v", p, ps[0].From, ps[len(ps)-1].To)
		}
		for i := 1; i < len(ps); i++ {
			if !ps[i].From.Equal(ps[i-1].To) {
				t.Errorf("%s: gap before %s", p, ps[i].Label)
			}
		}
	}
}

func FuzzGrid(f *testing.F) {
	f.Add(int64(0), int64(100), uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, meetingHour, nowHour int64, count, per uint8) {
		pers := []Per{Quarter, Half, Year, "x"}
		r := []Rhythm{{Kind: "presidium", Per: pers[int(per)%4], Count: int(count % 5)}}
		start := chinatime.YearStart(2026)
		m := []Meeting{{Kind: "presidium", At: start.Add(time.Duration(meetingHour%20000) * time.Hour)}}
		now := start.Add(time.Duration(nowHour%20000) * time.Hour)
		for _, row := range Grid(2026, r, m, now) {
			for _, c := range row.Cells {
				if c.Held+c.Scheduled > 1 || c.Label == "" {
					t.Fatalf("%+v", c)
				}
				if c.Status == Missed && now.Before(c.To) {
					t.Fatalf("missed before the period ended: %+v at %v", c, now)
				}
				if c.Status == Done && c.Held < c.Required {
					t.Fatalf("done without enough held: %+v", c)
				}
			}
		}
	})
}
