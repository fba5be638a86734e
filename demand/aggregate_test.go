package demand

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, China) }

func doc(id, village, category string, at time.Time, words, phrases []string) Doc {
	return Doc{ID: id, Village: village, Category: category, At: at, Words: words, Phrases: phrases}
}

// aggDocs: February and March 2025 in two villages. 饮水 rises (1 → 3),
// 路灯 falls (3 → 1), 医保 is new (0 → 2), 低保 is steady (2 → 2), 垃圾
// is gone (2 → 0).
var aggDocs = []Doc{
	doc("f1", "A", "道路交通", day(2025, 2, 3), []string{"路灯", "不亮"}, []string{"路灯不亮"}),
	doc("f2", "A", "道路交通", day(2025, 2, 9), []string{"路灯", "不亮"}, []string{"路灯不亮"}),
	doc("f3", "B", "道路交通", day(2025, 2, 12), []string{"路灯"}, nil),
	doc("f4", "A", "饮水安全", day(2025, 2, 20), []string{"饮水"}, nil),
	doc("f5", "B", "社会保障", day(2025, 2, 21), []string{"低保"}, nil),
	doc("f6", "B", "社会保障", day(2025, 2, 22), []string{"低保", "垃圾"}, nil),
	doc("f7", "A", "生态环境", day(2025, 2, 28), []string{"垃圾"}, nil),
	doc("m3", "A", "饮水安全", day(2025, 3, 20), []string{"饮水", "停水"}, []string{"饮水停水"}),
	doc("m1", "A", "饮水安全", day(2025, 3, 1), []string{"饮水", "停水"}, []string{"饮水停水"}),
	doc("m2", "B", "饮水安全", day(2025, 3, 5), []string{"饮水"}, nil),
	doc("m4", "A", "道路交通", day(2025, 3, 8), []string{"路灯", "不亮"}, []string{"路灯不亮"}),
	doc("m5", "B", "医疗卫生", day(2025, 3, 9), []string{"医保"}, nil),
	doc("m6", "B", "医疗卫生", day(2025, 3, 10), []string{"医保", "低保"}, nil),
	doc("m7", "A", "社会保障", day(2025, 3, 11), []string{"低保"}, nil),
	doc("old", "A", "饮水安全", day(2024, 3, 11), []string{"饮水"}, nil), // outside both periods
	doc("apr", "A", "饮水安全", day(2025, 4, 1), []string{"饮水"}, nil),  // after
}

func ptr(f float64) *float64 { return &f }

func TestTopTerms(t *testing.T) {
	march := PeriodOf(Month, day(2025, 3, 15))
	got := TopTerms(aggDocs, TopOptions{Period: march, MinCount: 1})
	if got.Records != 7 || got.PreviousRecords != 7 {
		t.Errorf("records %d/%d, want 7/7", got.Records, got.PreviousRecords)
	}
	wantWords := []TermStat{
		{Term: "饮水", Count: 3, Previous: 1, Delta: 2, Change: ptr(2), Trend: Rising, IDs: []string{"m1", "m2", "m3"}},
		{Term: "低保", Count: 2, Previous: 2, Delta: 0, Change: ptr(0), Trend: Steady, IDs: []string{"m6", "m7"}},
		{Term: "停水", Count: 2, Previous: 0, Delta: 2, Trend: New, IDs: []string{"m1", "m3"}},
		{Term: "医保", Count: 2, Previous: 0, Delta: 2, Trend: New, IDs: []string{"m5", "m6"}},
		{Term: "不亮", Count: 1, Previous: 2, Delta: -1, Change: ptr(-0.5), Trend: Falling, IDs: []string{"m4"}},
		{Term: "路灯", Count: 1, Previous: 3, Delta: -2, Change: ptr(-2.0 / 3), Trend: Falling, IDs: []string{"m4"}},
	}
	if !reflect.DeepEqual(got.Words, wantWords) {
		t.Errorf("words\n got %+v\nwant %+v", show(got.Words), show(wantWords))
	}
	wantFalling := []string{"垃圾", "路灯", "不亮"} // -2 (gone), -2, -1
	if terms(got.Falling) != terms(toStats(wantFalling)) || got.Falling[0].Count != 0 || len(got.Falling[0].IDs) != 0 {
		t.Errorf("falling %v, want %v", show(got.Falling), wantFalling)
	}
	if terms(got.Phrases) != "饮水停水 路灯不亮" || got.Phrases[1].Trend != Falling {
		t.Errorf("phrases %v", show(got.Phrases))
	}
}

func TestTopTermsOptions(t *testing.T) {
	march := PeriodOf(Month, day(2025, 3, 15))
	tests := []struct {
		name string
		o    TopOptions
		want string // words in order
	}{
		{"default min count 2 drops single records", TopOptions{Period: march}, "饮水 低保 停水 医保"},
		{"limit", TopOptions{Period: march, Limit: 2}, "饮水 低保"},
		{"village", TopOptions{Period: march, Village: "B", MinCount: 1}, "医保 低保 饮水"},
		{"category", TopOptions{Period: march, Category: "饮水安全", MinCount: 1}, "饮水 停水"},
		{"quarter", TopOptions{Period: PeriodOf(Quarter, day(2025, 3, 1))}, "低保 路灯 饮水 不亮 停水 医保 垃圾"},
		{"empty period", TopOptions{Period: PeriodOf(Month, day(2023, 1, 1))}, ""},
	}
	for _, tt := range tests {
		if got := terms(TopTerms(aggDocs, tt.o).Words); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	capped := TopTerms(aggDocs, TopOptions{Period: march, MaxIDs: 2})
	if ids := capped.Words[0].IDs; len(ids) != 2 || ids[0] != "m1" || capped.Words[0].Count != 3 {
		t.Errorf("MaxIDs 2: %v (count %d)", ids, capped.Words[0].Count)
	}
}

func TestTopTermsByVillage(t *testing.T) {
	got := TopTermsByVillage(aggDocs, TopOptions{Period: PeriodOf(Month, day(2025, 3, 15)), MinCount: 1})
	if len(got) != 2 || got[0].Village != "A" || got[1].Village != "B" {
		t.Fatalf("villages %+v", got)
	}
	if w := terms(got[0].Words); w != "停水 饮水 不亮 低保 路灯" {
		t.Errorf("A: %s", w)
	}
	if got[0].Words[1].Previous != 1 || got[0].Records != 4 || got[0].PreviousRecords != 4 {
		t.Errorf("A: %+v", got[0].Top)
	}
}

func toStats(ts []string) []TermStat {
	out := make([]TermStat, len(ts))
	for i, s := range ts {
		out[i].Term = s
	}
	return out
}

func terms(s []TermStat) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x.Term
	}
	return out
}

func show(s []TermStat) []string {
	var out []string
	for _, x := range s {
		c := "nil"
		if x.Change != nil {
			c = fmt.Sprintf("%.3f", *x.Change)
		}
		out = append(out, x.Term+"/"+string(x.Trend)+"/"+c+"/"+terms(toStats(x.IDs)))
	}
	return out
}
