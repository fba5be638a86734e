package yearreport

import (
	"strings"
	"testing"
)

func TestFigureText(t *testing.T) {
	tests := []struct {
		f           Figure
		text, short string
	}{
		{Count("h", GroupContact, "走访农户", "户", "", 120), "120户", "120户"},
		{Rate("r", GroupSuggestions, "办结率", "", 35, 40), "87.5%（35/40）", "87.5%"},
		{Rate("r", GroupSuggestions, "办结率", "", 2, 3), "66.7%（2/3）", "66.7%"},
		{Rate("r", GroupSuggestions, "办结率", "", 3, 3), "100%（3/3）", "100%"},
		{Rate("r", GroupSuggestions, "满意率", "", 0, 0), "无（没有可统计的事项）", "无"},
	}
	for _, tt := range tests {
		if got := tt.f.Text(); got != tt.text {
			t.Errorf("Text = %q, want %q", got, tt.text)
		}
		if got := tt.f.Short(); got != tt.short {
			t.Errorf("Short = %q, want %q", got, tt.short)
		}
	}
	if f := Rate("r", "", "", "", 0, 0); f.Value != nil {
		t.Error("a rate of nothing has a value")
	}
}

func set() Set {
	return Set{
		Count("households_visited", GroupContact, "走访农户", "户", "", 236),
		Count("visits", GroupContact, "走访记录", "次", "", 301),
		Rate("deputies_met", GroupContact, "达标代表", "", 17, 20),
		Count("suggestions_received", GroupSuggestions, "收到群众建议", "件", "", 412),
		Count("suggestions_qr", GroupSuggestions, "其中扫码", "件", "", 300),
		Count("suggestions_hotline", GroupSuggestions, "其中热线", "件", "", 112),
		Count("suggestions_paper", GroupSuggestions, "其中来信", "件", "", 0),
		Rate("ack_24h", GroupSuggestions, "24小时内响应率", "", 400, 412),
		Rate("satisfied_rate", GroupSuggestions, "满意率", "", 0, 0),
		Count("inspections", GroupSupervision, "执法检查", "次", "", 12),
		Count("meetings_presidium", GroupMeetings, "主席团会议", "次", "", 4),
		Rate("attendance_rate", GroupMeetings, "出席率", "", 90, 100),
		Count("proposals", "议案建议", "代表提出议案建议", "件", "", 8),
	}
}

// The annual draft cites the year's figures as the statistics word them,
// leaves out what has no cases and sections with nothing to say, and
// includes figures registered by other capabilities in their own group.
func TestAnnualDraft(t *testing.T) {
	text := AnnualDraft(AnnualInput{Year: 2025, Figures: set(),
		Categories: []Named{{"饮水安全", 120}, {"道路交通", 90}},
		Hotspots:   []string{"思蒙湾村·饮水安全（48件）"},
		Recurring:  []string{"「停水」在思蒙湾村：2025年第9次反映"},
		Terms:      []string{"停水", "路灯"},
	})
	for _, want := range []string{
		"思蒙镇人民代表大会主席团2025年工作报告（初稿）",
		"一、密切联系群众", "全镇人大代表全年走访农户236户，记录走访301次，达到每名代表全年走访不少于12户要求的代表占85%（17/20）。",
		"全年收到群众建议412件，其中扫码300件、热线112件。", "24小时内响应97.1%（400/412）",
		"饮水安全（120件）", "思蒙湾村·饮水安全（48件）", "「停水」在思蒙湾村", "停水、路灯",
		"全年开展执法检查12次", "议案建议：代表提出议案建议8件。", "主席团会议4次", "代表出席率90%（90/100）",
		"2026年工作打算",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("draft lacks %q:\n%s", want, text)
		}
	}
	for _, absent := range []string{"来信0件", "满意（含基本满意）率", "隐患", "述职"} {
		if strings.Contains(text, absent) {
			t.Errorf("draft says %q:\n%s", absent, text)
		}
	}
	// headings are numbered in order with no gaps
	var heads []string
	for _, p := range Paragraphs(text) {
		if p.Heading {
			heads = append(heads, p.Text[:strings.Index(p.Text, "、")])
		}
	}
	if got := strings.Join(heads, ""); got != "一二三四五六七" {
		t.Errorf("headings %q", got)
	}
}

func TestDutyDraft(t *testing.T) {
	score := 86.5
	text := DutyDraft(DutyInput{Year: 2025, Name: "张三", Village: "思蒙湾村", Households: 14, Visits: 19, Required: 12,
		MonthsVisited: 10, Suggestions: 9, Answered: 8, AnsweredOnTime: 7, Problems: 3, MeetingsPresent: 6, MeetingsExpected: 7, Leave: 1,
		Activities: []Named{{"执法检查", 2}, {"联络站值班接待", 0}}, Score: &score, Grade: "称职", Rank: 4, Of: 20,
		Reviews: []Review{{Date: "2025-12-20", Meeting: "思蒙湾村述职评议会", Satisfied: 40, Basic: 5, Unsatisfied: 1}}})
	for _, want := range []string{
		"张三2025年度履职情况报告（述职初稿）", "我是思蒙湾村选出的思蒙镇人大代表张三",
		"全年走访农户14户、19次，有10个月入户走访，达到了每年走访不少于12户的要求，收集并提交“急难愁盼”问题3个。",
		"收到群众通过代表码、热线、联络站等反映的建议9件，已答复或办结8件，其中5个工作日内答复7件。",
		"应参加会议7次，出席6次，请假1次，参加执法检查2次。",
		"年度量化考核得分86.5分，等次为称职，在全镇20名代表中排第4名。",
		"满意40票、基本满意5票、不满意1票", "（请代表本人补充。）",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("draft lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "联络站值班接待0次") {
		t.Error("an activity never done is listed")
	}
	short := DutyDraft(DutyInput{Year: 2025, Name: "李四", Households: 5, Required: 12})
	if !strings.Contains(short, "全年没有登记入户走访，距每年走访不少于12户的要求还差7户。") || strings.Contains(short, "办理群众建议") {
		t.Errorf("a thin year:\n%s", short)
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("标题\r\n\r\n一、联系群众\n\n正文第一段\n第二行\n\n\n十、打算\n\n一、这一段很长很长很长很长很长很长很长很长很长很长很长很长很长，不是标题")
	want := []Paragraph{{"标题", false}, {"一、联系群众", true}, {"正文第一段\n第二行", false}, {"十、打算", true},
		{"一、这一段很长很长很长很长很长很长很长很长很长很长很长很长很长，不是标题", false}}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// Whatever a person types into a report, splitting it loses no text.
func FuzzParagraphs(f *testing.F) {
	for _, s := range []string{"一、标题\n\n正文", "\r\n\r\n", "二、\n\n\n三、x", "<script>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		for _, p := range Paragraphs(s) {
			if p.Text == "" || strings.Contains(p.Text, "\n\n") {
				t.Fatalf("paragraph %q", p.Text)
			}
			b.WriteString(p.Text)
		}
		strip := func(x string) string { return strings.Join(strings.Fields(x), "") }
		if strip(b.String()) != strip(s) {
			t.Fatalf("text lost: %q → %q", s, b.String())
		}
	})
}
