package yearreport

import (
	"fmt"
	"strings"
)

// Named is a thing and how many of it.
type Named struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

// AnnualInput is what the annual work report draft is made from.
type AnnualInput struct {
	Year       int
	Township   string // 思蒙镇
	Figures    Set
	Categories []Named  // what residents raised most, most first
	Hotspots   []string // 思蒙湾村·饮水安全（12件）
	Recurring  []string // 「饮水」在思蒙湾村：本年第9次反映
	Terms      []string // the year's most frequent words
}

// Chinese numerals for section headings.
var headings = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// draft collects paragraphs; a section with nothing to say is left out.
type draft struct {
	b        strings.Builder
	sections int
}

func (d *draft) para(s string) {
	if s == "" {
		return
	}
	if d.b.Len() > 0 {
		d.b.WriteString("\n\n")
	}
	d.b.WriteString(s)
}

func (d *draft) section(title string, paras ...string) {
	var body []string
	for _, p := range paras {
		if p != "" {
			body = append(body, p)
		}
	}
	if len(body) == 0 {
		return
	}
	d.para(headings[d.sections%len(headings)] + "、" + title)
	d.sections++
	for _, p := range body {
		d.para(p)
	}
}

// sentence joins the parts that are not empty with "，" and ends with "。";
// "" if all are empty.
func sentence(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, "，") + "。"
}

// phrase is format with the figure's text, or "" when the set has no such
// figure, a count is 0, or a rate has no cases.
func phrase(s Set, key, format string) string {
	f, ok := s.Get(key)
	if !ok || f.Value == nil || (!f.Rate && f.Numerator == 0) {
		return ""
	}
	return fmt.Sprintf(format, f.Text())
}

// AnnualDraft is the first draft of the presidium's annual work report to
// the congress: every figure it cites is one of in.Figures (their
// definitions are in the statistics), a section is left out when it has
// nothing to report, and the plans for next year are left to the presidium.
func AnnualDraft(in AnnualInput) string {
	s := in.Figures
	town := in.Township
	if town == "" {
		town = "思蒙镇"
	}
	var d draft
	d.para(fmt.Sprintf("%s人民代表大会主席团%d年工作报告（初稿）", town, in.Year))
	d.para("各位代表：")
	d.para(fmt.Sprintf("现将%d年镇人大主席团工作情况报告如下，请予审议。", in.Year))

	d.section("密切联系群众",
		sentence(phrase(s, "households_visited", "全镇人大代表全年走访农户%s"), phrase(s, "visits", "记录走访%s"),
			phrase(s, "deputies_met", "达到每名代表全年走访不少于12户要求的代表占%s")),
		sentence(phrase(s, "problems_raised", "梳理形成“急难愁盼”问题%s"), phrase(s, "problems_forwarded", "通过“代表直通车”转办%s"),
			phrase(s, "problems_closed", "办结%s")),
	)

	var sources []string
	for _, key := range []string{"suggestions_qr", "suggestions_hotline", "suggestions_station", "suggestions_paper", "suggestions_visit", "suggestions_enterprise"} {
		if f, ok := s.Get(key); ok && f.Numerator > 0 {
			sources = append(sources, strings.TrimPrefix(f.Label, "其中")+f.Short())
		}
	}
	bySource := ""
	if len(sources) > 0 {
		bySource = "其中" + strings.Join(sources, "、")
	}
	d.section("办理群众建议",
		sentence(phrase(s, "suggestions_received", "全年收到群众建议%s"), bySource),
		sentence(phrase(s, "ack_24h", "24小时内响应%s"), phrase(s, "feedback_5d", "5个工作日内答复%s"),
			phrase(s, "closed_rate", "办结率%s"), phrase(s, "satisfied_rate", "群众满意（含基本满意）率%s")),
	)

	var hot []string
	if len(in.Categories) > 0 {
		var names []string
		for _, c := range in.Categories[:min(5, len(in.Categories))] {
			names = append(names, fmt.Sprintf("%s（%d件）", c.Name, c.N))
		}
		hot = append(hot, "群众反映较多的是"+strings.Join(names, "、")+"。")
	}
	if len(in.Hotspots) > 0 {
		hot = append(hot, "问题相对集中的有："+strings.Join(in.Hotspots, "；")+"。")
	}
	if len(in.Recurring) > 0 {
		hot = append(hot, "反复反映、需要重点跟踪的问题有："+strings.Join(in.Recurring, "；")+"。")
	}
	if len(in.Terms) > 0 {
		hot = append(hot, "群众诉求中出现最多的词语是："+strings.Join(in.Terms, "、")+"。")
	}
	d.section("群众关注的热点问题", hot...)

	d.section("依法开展监督",
		sentence(phrase(s, "inspection_plan_done", "完成季度安全生产执法检查计划%s"), phrase(s, "inspections", "全年开展执法检查%s")),
		sentence(phrase(s, "hazards_found", "建立隐患台账，发现隐患%s"), phrase(s, "hazards_closed", "整改销号%s"),
			phrase(s, "hazards_overdue", "年底仍有%s逾期未整改，继续挂牌督办")),
	)

	var extra []string
	for _, g := range s.Groups() {
		if !builtinGroups[g] {
			var parts []string
			for _, f := range s {
				if f.Group == g && f.Value != nil {
					parts = append(parts, f.Label+f.Text())
				}
			}
			if len(parts) > 0 {
				extra = append(extra, g+"："+strings.Join(parts, "，")+"。")
			}
		}
	}
	d.section("议案建议和民生实事", extra...)

	var meetings []string
	for _, f := range s {
		if f.Group == GroupMeetings && !f.Rate && f.Numerator > 0 {
			meetings = append(meetings, f.Label+f.Short())
		}
	}
	meetingLine := ""
	if len(meetings) > 0 {
		meetingLine = "全年召开" + strings.Join(meetings, "、")
	}
	d.section("加强自身建设",
		sentence(meetingLine, phrase(s, "attendance_rate", "代表出席率%s")),
		sentence(phrase(s, "duty_reviews", "组织代表向选民述职%s"), phrase(s, "duty_approval", "选民评议满意（含基本满意）票占%s")),
	)
	d.section(fmt.Sprintf("%d年工作打算", in.Year+1), "（请主席团结合镇党委工作部署补充。）")
	return d.b.String() + "\n"
}

// Groups of the built-in figures.
const (
	GroupContact     = "联系群众"
	GroupSuggestions = "建议办理"
	GroupProblems    = "问题办理"
	GroupSupervision = "执法检查"
	GroupMeetings    = "会议"
	GroupReviews     = "述职评议"
)

var builtinGroups = map[string]bool{GroupContact: true, GroupSuggestions: true, GroupProblems: true,
	GroupSupervision: true, GroupMeetings: true, GroupReviews: true}

// Review is one 述职评议 of a deputy.
type Review struct {
	Date                          string // 2025-12-20
	Meeting                       string
	Satisfied, Basic, Unsatisfied int
}

// DutyInput is a deputy's year as their 述职 draft tells it.
type DutyInput struct {
	Year             int
	Name, Village    string
	Households       int // distinct households visited (the ≥12 rule's count)
	Visits           int
	Required         int // households the rule asks for
	MonthsVisited    int
	Suggestions      int // residents' suggestions addressed to them
	Answered         int // of those, answered or closed
	AnsweredOnTime   int // answered within 5 working days
	Problems         int // 急难愁盼 problems they raised
	MeetingsPresent  int
	MeetingsExpected int
	Leave            int
	Activities       []Named // inspections, station duty, proposals…
	Score            *float64
	Grade            string
	Rank, Of         int
	Reviews          []Review
}

// DutyDraft is the first draft of a deputy's report to their voters, from
// their own record; the deputy edits it before printing.
func DutyDraft(in DutyInput) string {
	var d draft
	d.para(fmt.Sprintf("%s%d年度履职情况报告（述职初稿）", in.Name, in.Year))
	d.para("各位选民：")
	who := "思蒙镇人大代表"
	if in.Village != "" {
		who = in.Village + "选出的思蒙镇人大代表"
	}
	d.para(fmt.Sprintf("我是%s%s。现将%d年度履职情况报告如下，请予评议。", who, in.Name, in.Year))

	met := ""
	if in.Required > 0 {
		if in.Households >= in.Required {
			met = fmt.Sprintf("达到了每年走访不少于%d户的要求", in.Required)
		} else {
			met = fmt.Sprintf("距每年走访不少于%d户的要求还差%d户", in.Required, in.Required-in.Households)
		}
	}
	visits := ""
	if in.Visits > 0 {
		visits = fmt.Sprintf("全年走访农户%d户、%d次，有%d个月入户走访", in.Households, in.Visits, in.MonthsVisited)
	} else {
		visits = "全年没有登记入户走访"
	}
	problems := ""
	if in.Problems > 0 {
		problems = fmt.Sprintf("收集并提交“急难愁盼”问题%d个", in.Problems)
	}
	d.section("联系走访群众", sentence(visits, met, problems))

	sugg := ""
	if in.Suggestions > 0 {
		sugg = sentence(fmt.Sprintf("全年收到群众通过代表码、热线、联络站等反映的建议%d件", in.Suggestions),
			fmt.Sprintf("已答复或办结%d件", in.Answered), fmt.Sprintf("其中5个工作日内答复%d件", in.AnsweredOnTime))
	}
	d.section("办理群众建议", sugg)

	meet := ""
	if in.MeetingsExpected > 0 {
		meet = fmt.Sprintf("应参加会议%d次，出席%d次", in.MeetingsExpected, in.MeetingsPresent)
		if in.Leave > 0 {
			meet += fmt.Sprintf("，请假%d次", in.Leave)
		}
	}
	var acts []string
	for _, a := range in.Activities {
		if a.N > 0 {
			acts = append(acts, fmt.Sprintf("%s%d次", a.Name, a.N))
		}
	}
	actLine := ""
	if len(acts) > 0 {
		actLine = "参加" + strings.Join(acts, "、")
	}
	d.section("参加会议和履职活动", sentence(meet, actLine))

	score := ""
	if in.Score != nil {
		score = fmt.Sprintf("年度量化考核得分%s分", trim(*in.Score))
		if in.Grade != "" {
			score += "，等次为" + in.Grade
		}
		if in.Rank > 0 {
			score += fmt.Sprintf("，在全镇%d名代表中排第%d名", in.Of, in.Rank)
		}
	}
	var reviews []string
	for _, r := range in.Reviews {
		reviews = append(reviews, fmt.Sprintf("%s在%s述职，满意%d票、基本满意%d票、不满意%d票", r.Date, r.Meeting, r.Satisfied, r.Basic, r.Unsatisfied))
	}
	d.section("考核和评议情况", sentence(score), sentence(reviews...))
	d.section("存在的不足和今后打算", "（请代表本人补充。）")
	d.para("以上报告，请各位选民评议。")
	return d.b.String() + "\n"
}

// Paragraphs splits a report's text into its paragraphs (blank lines
// between them) and says which are headings (一、… 十、).
func Paragraphs(text string) []Paragraph {
	var out []Paragraph
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		out = append(out, Paragraph{Text: p, Heading: isHeading(p)})
	}
	return out
}

// Paragraph is one paragraph of a report.
type Paragraph struct {
	Text    string
	Heading bool
}

func isHeading(p string) bool {
	if strings.Contains(p, "\n") || len([]rune(p)) > 30 {
		return false
	}
	for _, h := range headings {
		if strings.HasPrefix(p, h+"、") {
			return true
		}
	}
	return false
}
