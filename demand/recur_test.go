package demand

import (
	"math"
	"slices"
	"testing"
)

// recurDocs: the first quarter of 2025. 思蒙湾村 raises its water supply
// four times in different words (one filed under another category), its
// street lights three times, and once both at once (r5); 桥头村 raises
// water twice, under MinReports. 老人 is in reports of every kind.
var recurDocs = []Doc{
	doc("r0", "思蒙湾村", "饮水安全", day(2024, 12, 20), []string{"自来水", "停水"}, nil), // before the window
	doc("r1", "思蒙湾村", "饮水安全", day(2025, 1, 5), []string{"自来水", "停水", "饮水"}, nil),
	doc("r2", "思蒙湾村", "饮水安全", day(2025, 1, 20), []string{"自来水", "停水", "老人"}, nil),
	doc("r3", "思蒙湾村", "农业生产", day(2025, 2, 2), []string{"停水", "饮水", "困难"}, nil),
	doc("r4", "思蒙湾村", "道路交通", day(2025, 2, 15), []string{"路灯", "不亮", "晚上", "出行", "老人"}, nil),
	doc("r5", "思蒙湾村", "饮水安全", day(2025, 2, 20), []string{"自来水", "停水", "路灯", "不亮"}, nil),
	doc("r6", "思蒙湾村", "饮水安全", day(2025, 3, 1), []string{"自来水", "饮水", "停水", "水压"}, nil),
	doc("r7", "思蒙湾村", "道路交通", day(2025, 3, 3), []string{"路灯", "不亮", "晚上"}, nil),
	doc("r8", "思蒙湾村", "道路交通", day(2025, 3, 5), []string{"路灯", "不亮", "维修"}, nil),
	doc("r9", "思蒙湾村", "医疗卫生", day(2025, 3, 9), []string{"医保", "报销", "老人"}, nil),
	doc("q1", "桥头村", "饮水安全", day(2025, 1, 9), []string{"自来水", "停水", "老人"}, nil),
	doc("q2", "桥头村", "饮水安全", day(2025, 2, 9), []string{"停水", "自来水"}, nil),
	doc("q3", "桥头村", "养老助残", day(2025, 2, 19), []string{"老人", "补贴"}, nil),
	doc("q4", "桥头村", "养老助残", day(2025, 3, 19), []string{"老人", "照料"}, nil),
	doc("x1", "", "饮水安全", day(2025, 2, 9), []string{"停水"}, nil),             // no village
	doc("r10", "思蒙湾村", "饮水安全", day(2025, 4, 1), []string{"自来水", "停水"}, nil), // after the window
}

func TestRecurrences(t *testing.T) {
	q1 := PeriodOf(Quarter, day(2025, 2, 1))
	got := Recurrences(recurDocs, RecurOptions{From: q1.Start, To: q1.End()})
	// r5 joins the lights, whose two terms it has in full, rather than
	// the water it shares with a centroid of three reports; either way it
	// must not merge the two problems.
	want := []Cluster{
		{Village: "思蒙湾村", Label: []string{"停水", "饮水", "自来水"}, IDs: []string{"r1", "r2", "r3", "r6"},
			First: day(2025, 1, 5), Last: day(2025, 3, 1), Categories: []string{"农业生产", "饮水安全"}},
		{Village: "思蒙湾村", Label: []string{"不亮", "路灯", "晚上"}, IDs: []string{"r4", "r5", "r7", "r8"},
			First: day(2025, 2, 15), Last: day(2025, 3, 5), Categories: []string{"道路交通", "饮水安全"}},
	}
	if !equalClusters(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	tests := []struct {
		name string
		o    RecurOptions
		want [][]string
	}{
		{"two reports are enough", RecurOptions{From: q1.Start, To: q1.End(), MinReports: 2},
			[][]string{{"r1", "r2", "r3", "r6"}, {"r4", "r5", "r7", "r8"}, {"q1", "q2"}}},
		{"same category only", RecurOptions{From: q1.Start, To: q1.End(), SameCategory: true},
			[][]string{{"r1", "r2", "r5", "r6"}, {"r4", "r7", "r8"}}},
		{"one village", RecurOptions{From: q1.Start, To: q1.End(), Village: "桥头村", MinReports: 2},
			[][]string{{"q1", "q2"}}},
		{"strict threshold", RecurOptions{From: q1.Start, To: q1.End(), Threshold: 0.8}, nil},
		{"open window", RecurOptions{MinReports: 6}, [][]string{{"r0", "r1", "r2", "r5", "r6", "r10"}}},
		{"nothing", RecurOptions{From: day(2030, 1, 1)}, nil},
	}
	for _, tt := range tests {
		var ids [][]string
		for _, c := range Recurrences(recurDocs, tt.o) {
			ids = append(ids, c.IDs)
		}
		if !slices.EqualFunc(ids, tt.want, slices.Equal) {
			t.Errorf("%s: %v, want %v", tt.name, ids, tt.want)
		}
	}
}

func equalClusters(a, b []Cluster) bool {
	return slices.EqualFunc(a, b, func(x, y Cluster) bool {
		return x.Village == y.Village && slices.Equal(x.Label, y.Label) && slices.Equal(x.IDs, y.IDs) &&
			x.First.Equal(y.First) && x.Last.Equal(y.Last) && slices.Equal(x.Categories, y.Categories)
	})
}

func TestSimilarity(t *testing.T) {
	idf := map[string]float64{"路灯": 1, "不亮": 1, "饮水": 2, "老人": 0.1}
	tests := []struct {
		a, b []string
		idf  map[string]float64
		want float64
	}{
		{[]string{"路灯", "不亮"}, []string{"路灯", "不亮", "晚上", "出行"}, nil, 1},
		{[]string{"路灯", "不亮", "晚上"}, []string{"路灯", "饮水"}, nil, 0.5},
		{[]string{"路灯", "不亮"}, []string{"饮水"}, nil, 0},
		{[]string{"路灯", "老人"}, []string{"饮水", "老人"}, idf, 0.1 / 1.1},
		{[]string{"路灯", "维修"}, []string{"路灯", "不亮"}, idf, 0.5}, // 维修 unknown: weighs 1
		{[]string{"路灯", "路灯"}, []string{"路灯"}, nil, 1},
		{nil, []string{"路灯"}, nil, 0},
		{[]string{"维修"}, []string{"维修"}, idf, 1},
	}
	for _, tt := range tests {
		got := Similarity(tt.a, tt.b, tt.idf)
		if math.Abs(got-tt.want) > 1e-9 || math.Abs(Similarity(tt.b, tt.a, tt.idf)-got) > 1e-9 {
			t.Errorf("Similarity(%v, %v) = %v, want %v (and symmetric)", tt.a, tt.b, got, tt.want)
		}
	}
}
