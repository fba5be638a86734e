package workdays_test

import (
	"sync"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"simeng/chinatime"
	"simeng/workdays"
)

// at returns 10:30 China time on the given date.
func at(t *testing.T, date string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(chinatime.DateLayout, date, chinatime.Location())
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(10*time.Hour + 30*time.Minute)
}

func TestFeedbackDue(t *testing.T) {
	tests := []struct {
		name      string
		overrides []workdays.Override
		received  string
		want      string
	}{
		// Required cases, checked against lunar-go's data and the State Council schedules.
		{name: "2025 春节: holiday 01-28..02-04, 调休 Sat 02-08", received: "2025-01-27", want: "2025-02-10"},
		{name: "2025 国庆中秋: holiday 10-01..10-08, 调休 Sat 10-11", received: "2025-09-30", want: "2025-10-14"},
		{name: "2026 春节: 调休 Sat 02-14, holiday 02-15..02-23", received: "2026-02-13", want: "2026-02-27"},
		{name: "2026 国庆: holiday 10-01..10-07, 调休 Sat 10-10", received: "2026-09-30", want: "2026-10-13"},

		{name: "ordinary week", received: "2025-03-03", want: "2025-03-10"},
		{name: "received on a Saturday", received: "2025-03-08", want: "2025-03-14"},
		{name: "received during a holiday", received: "2025-10-03", want: "2025-10-14"},
		{name: "received on a 调休 Sunday counts from the next day", received: "2025-01-26", want: "2025-02-08"},
		{name: "2026 元旦: 调休 Sun 01-04", received: "2025-12-31", want: "2026-01-08"},
		{name: "year without official schedule: weekends only", received: "2030-09-30", want: "2030-10-07"},

		{
			name:      "override makes a workday a holiday",
			overrides: []workdays.Override{{Date: "2026-02-27", Workday: false, Name: "镇停电"}},
			received:  "2026-02-13",
			want:      "2026-02-28", // the 调休 Saturday picks up the slack
		},
		{
			name:      "override makes an ordinary Saturday a workday",
			overrides: []workdays.Override{{Date: "2025-03-01", Workday: true, Name: "防汛值守"}},
			received:  "2025-02-27",
			want:      "2025-03-05",
		},
		{
			name:      "override cancels a 调休 Saturday",
			overrides: []workdays.Override{{Date: "2025-02-08", Workday: false}},
			received:  "2025-01-27",
			want:      "2025-02-11",
		},
		{
			name: "last override for a date wins",
			overrides: []workdays.Override{
				{Date: "2026-02-27", Workday: false},
				{Date: "2026-02-27", Workday: true},
			},
			received: "2026-02-13",
			want:     "2026-02-27",
		},
		{
			name:      "invalid override is ignored",
			overrides: []workdays.Override{{Date: "2026-02-30", Workday: false}, {Date: "27/02/2026"}},
			received:  "2026-02-13",
			want:      "2026-02-27",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := workdays.New(tt.overrides...)
			got := cal.FeedbackDue(at(t, tt.received))
			y, m, d := at(t, tt.want).Date()
			want := time.Date(y, m, d, 23, 59, 59, 999999999, chinatime.Location())
			if !got.Equal(want) || got.Location() != chinatime.Location() {
				t.Errorf("FeedbackDue(%s) = %v, want %v", tt.received, got, want)
			}
		})
	}
}

func TestFeedbackDueUsesReceivedLocation(t *testing.T) {
	cal := workdays.New()
	// 2025-02-04 17:00 UTC is 2025-02-05 01:00 in China: the first workday
	// after 春节 in China, but still the last holiday in UTC.
	received := time.Date(2025, 2, 4, 17, 0, 0, 0, time.UTC)

	got := cal.FeedbackDue(received.In(chinatime.Location()))
	want := time.Date(2025, 2, 11, 23, 59, 59, 999999999, chinatime.Location())
	if !got.Equal(want) {
		t.Errorf("China time: got %v, want %v", got, want)
	}

	got = cal.FeedbackDue(received)
	want = time.Date(2025, 2, 10, 23, 59, 59, 999999999, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("UTC: got %v, want %v", got, want)
	}
}

func TestIsWorkday(t *testing.T) {
	cal := workdays.New()
	tests := []struct {
		date string
		want bool
	}{
		{"2025-03-03", true},  // Monday
		{"2025-03-01", false}, // Saturday, no 调休
		{"2025-03-02", false}, // Sunday, no 调休
		{"2025-01-26", true},  // Sunday, 春节调休
		{"2025-02-08", true},  // Saturday, 春节调休
		{"2025-01-28", false}, // Tuesday, 除夕 (春节)
		{"2025-02-04", false}, // Tuesday, 春节
		{"2025-02-05", true},  // first workday after 春节
		{"2025-09-28", true},  // Sunday, 国庆中秋调休
		{"2025-10-08", false}, // Wednesday, 国庆中秋
		{"2025-10-11", true},  // Saturday, 国庆中秋调休
		{"2026-01-04", true},  // Sunday, 元旦调休
		{"2026-02-14", true},  // Saturday, 春节调休
		{"2026-02-23", false}, // Monday, 春节
		{"2026-02-28", true},  // Saturday, 春节调休
		{"2026-05-09", true},  // Saturday, 劳动节调休
		{"2026-09-20", true},  // Sunday, 国庆节调休
		{"2026-09-25", false}, // Friday, 中秋节
		{"2026-10-10", true},  // Saturday, 国庆节调休
		{"2027-02-05", false}, // Friday, 除夕 (春节)
		{"2030-01-01", true},  // 元旦, but lunar-go has no 2030 schedule
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(at(t, tt.date)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestIsWorkdayUsesOwnLocation(t *testing.T) {
	cal := workdays.New()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// Friday 2025-03-07 20:00 in New York is Saturday 2025-03-08 09:00 in China.
	friday := time.Date(2025, 3, 7, 20, 0, 0, 0, ny)
	if !cal.IsWorkday(friday) {
		t.Error("Friday in New York should be a workday")
	}
	if cal.IsWorkday(friday.In(chinatime.Location())) {
		t.Error("Saturday in China should not be a workday")
	}
}

// TestMatchesHolidayUtil checks every date of the covered years against
// lunar-go's own per-date lookup, so a data or parsing change cannot slip by.
func TestMatchesHolidayUtil(t *testing.T) {
	cal := workdays.New()
	for d := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2028; d = d.AddDate(0, 0, 1) {
		want := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		if h := HolidayUtil.GetHoliday(d.Format(chinatime.DateLayout)); h != nil {
			want = h.IsWork()
		}
		if got := cal.IsWorkday(d); got != want {
			t.Errorf("IsWorkday(%s) = %v, HolidayUtil says %v", d.Format(chinatime.DateLayout), got, want)
		}
	}
}

func TestHasSchedule(t *testing.T) {
	cal := workdays.New()
	for y := 2002; y <= 2027; y++ {
		if !cal.HasSchedule(y) {
			t.Errorf("HasSchedule(%d) = false", y)
		}
	}
	for _, y := range []int{2001, 2028, 2030} {
		if cal.HasSchedule(y) {
			t.Errorf("HasSchedule(%d) = true", y)
		}
	}
}

func TestLookup(t *testing.T) {
	cal := workdays.New(workdays.Override{Date: "2025-03-01", Workday: true, Name: "防汛值守"})
	tests := []struct {
		date string
		want workdays.Special
		ok   bool
	}{
		{"2025-01-29", workdays.Special{Date: "2025-01-29", Name: "春节", Source: workdays.SourceOfficial}, true},
		{"2025-02-08", workdays.Special{Date: "2025-02-08", Workday: true, Name: "春节", Source: workdays.SourceOfficial}, true},
		{"2025-03-01", workdays.Special{Date: "2025-03-01", Workday: true, Name: "防汛值守", Source: workdays.SourceOverride}, true},
		{"2025-03-02", workdays.Special{}, false},
	}
	for _, tt := range tests {
		got, ok := cal.Lookup(at(t, tt.date))
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%s) = %+v, %v; want %+v, %v", tt.date, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	cal := workdays.New()
	tests := []struct {
		day  string
		n    int
		want string
	}{
		{"2025-01-27", 1, "2025-02-05"},
		{"2025-01-27", 4, "2025-02-08"},
		{"2025-01-27", 5, "2025-02-10"},
		{"2025-03-07", 1, "2025-03-10"},
		{"2025-03-07", 0, "2025-03-07"},
		{"2025-03-07", -3, "2025-03-07"},
		// 2026: 261 weekdays - 19 weekday holidays + 6 调休 weekend days = 248.
		{"2025-12-31", 248, "2026-12-31"},
		{"2025-12-31", 249, "2027-01-04"}, // 01-01..01-03 元旦

	}
	for _, tt := range tests {
		got := cal.AddWorkdays(at(t, tt.day), tt.n)
		want, _ := time.ParseInLocation(chinatime.DateLayout, tt.want, chinatime.Location())
		if !got.Equal(want) {
			t.Errorf("AddWorkdays(%s, %d) = %v, want %s", tt.day, tt.n, got, tt.want)
		}
	}
}

func TestNewCopiesOverrides(t *testing.T) {
	overrides := []workdays.Override{{Date: "2025-03-01", Workday: true}}
	cal := workdays.New(overrides...)
	overrides[0].Workday = false
	if !cal.IsWorkday(at(t, "2025-03-01")) {
		t.Error("changing the caller's slice changed the calendar")
	}
}

func TestOverrideValidate(t *testing.T) {
	for _, date := range []string{"2025-03-01", "2024-02-29"} {
		if err := (workdays.Override{Date: date}).Validate(); err != nil {
			t.Errorf("Validate(%q) = %v", date, err)
		}
	}
	for _, date := range []string{"", "2025-02-29", "2025-3-1", "2025/03/01", "2025-03-01T00:00:00Z"} {
		if err := (workdays.Override{Date: date}).Validate(); err == nil {
			t.Errorf("Validate(%q) = nil, want error", date)
		}
	}
}

func TestAckDue(t *testing.T) {
	received := at(t, "2025-01-27")
	if got, want := workdays.AckDue(received), at(t, "2025-01-28"); !got.Equal(want) {
		t.Errorf("AckDue = %v, want %v", got, want)
	}
}

func TestIsMarketDay(t *testing.T) {
	// Expected lunar dates from well-known anchors, not from lunar-go:
	// 2025-01-29 is 正月初一 (春节); 正月 has 30 days so 二月初一 is 2025-02-28;
	// 2025-10-06 is 八月十五 (中秋); 2025 has a 闰六月 starting 2025-07-25;
	// 2026-09-25 is 八月十五 (中秋).
	tests := []struct {
		date string
		want bool
	}{
		{"2025-01-29", false}, // 正月初一
		{"2025-02-01", true},  // 正月初四
		{"2025-02-02", false}, // 正月初五
		{"2025-02-06", true},  // 正月初九
		{"2025-02-11", true},  // 正月十四
		{"2025-02-16", true},  // 正月十九
		{"2025-02-21", true},  // 正月廿四
		{"2025-02-26", true},  // 正月廿九
		{"2025-02-27", false}, // 正月三十
		{"2025-03-03", true},  // 二月初四
		{"2025-07-28", true},  // 闰六月初四
		{"2025-09-25", true},  // 八月初四
		{"2025-10-05", true},  // 八月十四
		{"2025-10-06", false}, // 八月十五
		{"2025-10-10", true},  // 八月十九
		{"2026-09-24", true},  // 八月十四
		{"2026-09-25", false}, // 八月十五
		{"1582-10-10", false}, // outside the supported range, must not panic
		{"2200-01-01", false},
	}
	for _, tt := range tests {
		if got := workdays.IsMarketDay(at(t, tt.date)); got != tt.want {
			t.Errorf("IsMarketDay(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestIsMarketDayEveryFifthDayOrSo(t *testing.T) {
	// Market days are 5 days apart within a lunar month; across a month
	// boundary 廿九 -> 初四 is 4 days after a 29-day month, 5 after a 30-day one.
	first, last := 1900, 2100 // the whole supported range takes ~2s
	if testing.Short() {
		first, last = 2020, 2035
	}
	prev := time.Time{}
	for d := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= last; d = d.AddDate(0, 0, 1) {
		if !workdays.IsMarketDay(d) {
			continue
		}
		if !prev.IsZero() {
			if gap := int(d.Sub(prev).Hours() / 24); gap != 4 && gap != 5 {
				t.Fatalf("market days %s and %s are %d days apart", prev.Format(chinatime.DateLayout), d.Format(chinatime.DateLayout), gap)
			}
		}
		prev = d
	}
}

func TestConcurrentUse(t *testing.T) {
	cal := workdays.New(workdays.Override{Date: "2025-03-01", Workday: true})
	start := time.Date(2024, 12, 1, 9, 0, 0, 0, chinatime.Location())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				day := start.AddDate(0, 0, g*50+i)
				cal.IsWorkday(day)
				cal.FeedbackDue(day)
				workdays.IsMarketDay(day)
			}
		})
	}
	wg.Wait()
}

func BenchmarkIsWorkday(b *testing.B) {
	cal := workdays.New()
	day := time.Date(2025, 10, 1, 9, 0, 0, 0, chinatime.Location())
	for b.Loop() {
		cal.IsWorkday(day)
	}
}

func BenchmarkFeedbackDue(b *testing.B) {
	cal := workdays.New()
	day := time.Date(2025, 9, 30, 9, 0, 0, 0, chinatime.Location())
	for b.Loop() {
		cal.FeedbackDue(day)
	}
}

func BenchmarkIsMarketDay(b *testing.B) {
	day := time.Date(2025, 10, 5, 9, 0, 0, 0, chinatime.Location())
	for b.Loop() {
		workdays.IsMarketDay(day)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		workdays.New()
	}
}
