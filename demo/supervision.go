package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/chinatime"
	"simeng/evaluation"
	"simeng/hooks/assessment"
	"simeng/hooks/audit"
	"simeng/hooks/projects"
	"simeng/hooks/proposals"
	"simeng/hooks/supervision"
	"simeng/proposal"
)

// The supervision loops (issue 14) for last year and this one: deputies'
// proposals (议案建议) walked through the same rules as the routes at past
// dates (submit, 立案, 交办, 答复, 评价, one 重新办理, one lapsed, one
// 不予立案, one 转为建议), two 金点子; the 民生实事 candidates, a 票决 at
// each year's 人代会 cast ballot by ballot through the vote's own code
// (so the count is real), the chosen projects with units, budgets,
// milestones (one overdue this year) and progress reports; last year's
// 年终评议, three 专题询问 and a 监督通报 with rectification items.
type demoSupervision struct {
	app      core.App
	rnd      *rand.Rand
	loc      *time.Location
	now      time.Time
	deputies []*core.Record // 20; the first 5 sit on the presidium
	staff    *core.Record
	units    map[string]*core.Record // by name
	villages []*core.Record
}

func seedSupervision(app core.App) error {
	assessment.SetIncrementalScoring(app, false)
	defer assessment.SetIncrementalScoring(app, true)

	s := &demoSupervision{app: app, loc: chinatime.Location(), now: time.Now(), units: map[string]*core.Record{}}
	s.rnd = rand.New(rand.NewPCG(14, 2025))
	for i := range 20 {
		d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
		if err != nil {
			return err
		}
		s.deputies = append(s.deputies, d)
	}
	staff, err := app.FindFirstRecordByData("staff", "phone", StaffPhone(0))
	if err != nil {
		return err
	}
	s.staff = staff
	units, err := app.FindAllRecords("units")
	if err != nil {
		return err
	}
	for _, u := range units {
		s.units[u.GetString("name")] = u
	}
	if s.villages, err = app.FindRecordsByFilter("villages", "", "code", 0, 0); err != nil {
		return err
	}

	year := chinatime.CurrentYear()
	if err := s.proposalsLastYear(year - 1); err != nil {
		return fmt.Errorf("proposals %d: %w", year-1, err)
	}
	// This year's proposals are submitted and its projects voted at its
	// congress session: before the session (January, February) they have
	// not happened, and seeding them "by now" would date them last year.
	held, err := s.congressHeld(year)
	if err != nil {
		return err
	}
	if held {
		if err := s.proposalsThisYear(year); err != nil {
			return fmt.Errorf("proposals %d: %w", year, err)
		}
	}
	if err := s.projectsLastYear(year - 1); err != nil {
		return fmt.Errorf("projects %d: %w", year-1, err)
	}
	if held {
		if err := s.projectsThisYear(year); err != nil {
			return fmt.Errorf("projects %d: %w", year, err)
		}
	}
	if _, err := proposals.RunDaily(app, s.now); err != nil {
		return err
	}
	if _, err := projects.FlagOverdueMilestones(app, s.now); err != nil {
		return err
	}
	if _, err := supervision.FlagOverdueItems(app, s.now); err != nil {
		return err
	}
	for _, y := range []int{year - 1, year} {
		if _, err := assessment.RecomputeYear(app, y); err != nil {
			return err
		}
	}
	return nil
}

// congressOf is year's congress session (seedMeetings).
func (s *demoSupervision) congressOf(year int) (*core.Record, error) {
	return s.app.FindFirstRecordByFilter("meetings", "kind = 'congress_session' && starts_at >= {:from}",
		map[string]any{"from": s.at(year, 1, 1).UTC().Format("2006-01-02 15:04:05.000Z")})
}

// congressHeld reports whether year's congress session has ended.
func (s *demoSupervision) congressHeld(year int) (bool, error) {
	congress, err := s.congressOf(year)
	if err != nil {
		return false, fmt.Errorf("the congress session of %d: %w", year, err)
	}
	return congress.GetDateTime("ends_at").Time().Before(s.now), nil
}

func (s *demoSupervision) at(year, month, day int) time.Time {
	return time.Date(year, time.Month(month), day, 10, 0, 0, 0, s.loc)
}

func (s *demoSupervision) unit(name string) *core.Record { return s.units[name] }

func (s *demoSupervision) village(name string) string {
	for _, v := range s.villages {
		if v.GetString("name") == name {
			return v.Id
		}
	}
	return s.villages[0].Id
}

func (s *demoSupervision) save(col string, fields map[string]any) (*core.Record, error) {
	c, err := s.app.FindCachedCollectionByNameOrId(col)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	r.Load(fields)
	if err := s.app.Save(r); err != nil {
		return nil, fmt.Errorf("%s %v: %w", col, fields["title"], err)
	}
	return r, nil
}

// demoProposal is one proposal's story.
type demoProposal struct {
	motion    bool
	sponsor   int   // deputy index
	co        []int // co-sponsors who confirm
	title     string
	body      string
	category  string
	month     int    // submitted
	outcome   string // accept, convert, reject; "" = waiting for review
	grade     string
	main      string // main unit's name
	co_units  []string
	answer    string // "" = not answered yet
	class     string
	late      bool   // answered after its deadline
	rating    string // "" = not rated
	redo      string // first rating 不满意 with this comment, then answered again
	reanswer  string
	rerating  string
	golden    bool
	inviting  []int // still inviting these (this year)
	answerAgo int   // days before now the answer came (this year's in-flight ones)
}

func (s *demoSupervision) walk(year int, d demoProposal) (*core.Record, error) {
	app := s.app
	col, err := app.FindCachedCollectionByNameOrId(proposals.Collection)
	if err != nil {
		return nil, err
	}
	sponsor := s.deputies[d.sponsor]
	rec := core.NewRecord(col)
	rec.Set("client_id", security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"))
	kind := proposal.Suggestion
	if d.motion {
		kind = proposal.Motion
	}
	rec.Set("type", string(kind))
	rec.Set("title", d.title)
	rec.Set("body", d.body)
	rec.Set("category", d.category)
	rec.Set("sponsor", sponsor.Id)
	rec.Set("round", 0)

	t := s.at(year, d.month, 3+s.rnd.IntN(20))
	if lim := s.now.Add(-25 * 24 * time.Hour); t.After(lim) {
		t = lim // this year's: the story has happened by now
	}
	step := func(act proposal.Action, by *core.Record, days int) error {
		t = t.Add(time.Duration(days) * 24 * time.Hour)
		return proposals.Step(app, rec, act, by, t)
	}
	var co []string
	for _, i := range append(append([]int{}, d.co...), d.inviting...) {
		co = append(co, s.deputies[i].Id)
	}
	if len(co) > 0 {
		if err := step(proposal.Action{Kind: proposal.ActInvite, CoSponsors: co}, sponsor, 0); err != nil {
			return nil, err
		}
		for _, i := range d.co {
			if err := step(proposal.Action{Kind: proposal.ActConfirm}, s.deputies[i], 1); err != nil {
				return nil, err
			}
		}
		if len(d.inviting) > 0 {
			return rec, nil
		}
	}
	if err := step(proposal.Action{Kind: proposal.ActSubmit}, sponsor, 1); err != nil {
		return nil, err
	}
	if d.outcome == "" {
		return rec, nil
	}
	reg := proposal.Action{Kind: proposal.ActRegister, Outcome: proposal.Outcome(d.outcome), Category: d.category, Grade: proposal.Grade(d.grade)}
	switch d.outcome {
	case "convert":
		reg.Reason = "联名代表人数和内容符合建议要求，作为建议交办更利于尽快办理"
	case "reject":
		reg.Reason = "所提事项属于村民自治范围，已转村委会研究，不予立案"
	}
	reviewer := s.deputies[0] // the presidium reviews; staff when the member is a sponsor
	if d.sponsor == 0 || slices.Contains(d.co, 0) {
		reviewer = s.staff
	}
	if err := step(reg, reviewer, 5); err != nil || d.outcome == "reject" {
		return rec, err
	}
	var coUnits []string
	for _, n := range d.co_units {
		coUnits = append(coUnits, s.unit(n).Id)
	}
	assign := proposal.Action{Kind: proposal.ActAssign, MainUnit: s.unit(d.main).Id, CoUnits: coUnits, Grade: proposal.Grade(d.grade)}
	if err := step(assign, s.staff, 2); err != nil || d.answer == "" {
		return rec, err
	}
	days := 20 + s.rnd.IntN(15)
	if d.late {
		days = 100
	}
	if d.answerAgo > 0 {
		t = s.now.Add(-time.Duration(d.answerAgo) * 24 * time.Hour)
		days = 0
	}
	unit := s.unit(d.main)
	if err := step(proposal.Action{Kind: proposal.ActAnswer, ReplyClass: proposal.ReplyClass(d.class), Reply: d.answer}, unit, days); err != nil {
		return nil, err
	}
	if d.redo != "" {
		if err := step(proposal.Action{Kind: proposal.ActRate, Rating: proposal.Unsatisfied, Comment: d.redo}, sponsor, 4); err != nil {
			return nil, err
		}
		if err := step(proposal.Action{Kind: proposal.ActAnswer, ReplyClass: proposal.ClassA, Reply: d.reanswer}, unit, 15); err != nil {
			return nil, err
		}
		final := proposal.Action{Kind: proposal.ActRate, Rating: proposal.Rating(d.rerating)}
		if final.Rating == proposal.Unsatisfied {
			final.Comment = "重新办理后仍未解决，请继续跟踪。"
		}
		if err := step(final, sponsor, 3); err != nil {
			return nil, err
		}
	} else if d.rating != "" {
		if err := step(proposal.Action{Kind: proposal.ActRate, Rating: proposal.Rating(d.rating)}, sponsor, 3+s.rnd.IntN(4)); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

func (s *demoSupervision) proposalsLastYear(year int) error {
	list := []demoProposal{
		{motion: true, sponsor: 1, co: []int{6, 7, 8, 9}, title: "关于实施思蒙湾村至桥头村公路提质改造的议案", category: "交通水利", month: 3,
			body:    "思蒙湾村至桥头村公路全长4.2公里，路面窄、弯道多，雨季多处塌方，沿线两村近三千群众出行和柑橘外运困难。建议列入年度交通建设计划，实施拓宽硬化并增设安保设施。",
			outcome: "accept", grade: "key", main: "镇村建设办", co_units: []string{"自然资源所"},
			answer: "已将该路段提质改造列入本年度交通建设计划，争取县交通运输局补助资金180万元，10月开工，年底完成路基拓宽。", class: "A", rating: "satisfied", golden: true},
		{motion: true, sponsor: 2, co: []int{10, 11, 12, 13, 14}, title: "关于加强集镇农贸市场食品安全监管的议案", category: "医疗卫生", month: 3,
			body:    "集镇农贸市场摊位密集，部分熟食摊点无证经营、冷藏设施不足，群众反映强烈。建议建立快检室，落实每日抽检和公示制度。",
			outcome: "accept", grade: "key", main: "市场监管所", co_units: []string{"镇卫生院"},
			answer: "已在农贸市场设立食品快检室，每日抽检并在电子屏公示结果，对6户无证摊点依法取缔。", class: "A",
			redo: "快检结果只公示了两周就停了，熟食摊点仍有无证经营。", reanswer: "已落实专人负责快检公示，建立周报制度；6户无证摊点全部取缔，3户办证后规范经营。", rerating: "basic"},
		{motion: true, sponsor: 3, co: []int{15, 16, 17, 18}, title: "关于新建枫木村便民服务中心的议案", category: "社会治理", month: 3,
			body:    "枫木村村部年久失修，办事群众无处等候，建议新建便民服务中心，集中办理社保、医保、户籍等事项。",
			outcome: "convert", grade: "normal", main: "镇村建设办",
			answer: "已纳入明年村级阵地建设计划，先行对现有村部进行维修并设置便民服务窗口。", class: "B", rating: "basic"},
		{sponsor: 5, title: "关于在竹园村增设安全饮水净化设备的建议", category: "农业农村", month: 4,
			body:    "竹园村三组、四组饮用山泉水，雨后浑浊，建议增设净化设备并定期检测水质。",
			outcome: "accept", grade: "key", main: "农业综合服务中心", co_units: []string{"镇卫生院"},
			answer: "已为三组、四组安装一体化净水设备两套，镇卫生院每季度检测水质并公示。", class: "A", rating: "satisfied", golden: true},
		{sponsor: 6, title: "关于整治集镇主街占道经营的建议", category: "社会治理", month: 4,
			body:    "集镇主街逢场天占道经营严重，车辆通行困难，建议划定临时摊区，加强管理。",
			outcome: "accept", grade: "normal", main: "镇村建设办", co_units: []string{"派出所"},
			answer: "已在集镇东侧空坪划定临时摊区，逢场天安排人员疏导交通。", class: "A", rating: "satisfied"},
		{sponsor: 7, title: "关于加快新田村高标准农田建设的建议", category: "农业农村", month: 4,
			body:    "新田村部分农田灌溉渠道损毁，建议纳入高标准农田建设项目。",
			outcome: "accept", grade: "normal", main: "农业综合服务中心",
			answer: "已纳入明年高标准农田建设项目储备库，今年先行修复损毁渠道800米。", class: "B", late: true,
			redo: "渠道修复只做了一半，春灌前仍无法通水。", reanswer: "已补充修复剩余渠道，春灌前全线通水；高标准农田项目已报县农业农村局。",
			rerating: "unsatisfied"},
		{sponsor: 8, title: "关于加强校园周边交通安全管理的建议", category: "教育文化", month: 5,
			body:    "思蒙中学门口上下学时段车辆混行，存在安全隐患，建议设置减速带和护学岗。",
			outcome: "accept", grade: "normal", main: "派出所",
			answer: "已在学校门口设置减速带和警示标志，上下学时段安排护学岗。", class: "A", rating: "satisfied"},
		{sponsor: 9, title: "关于龙潭社区增设路灯的建议", category: "城乡建设", month: 5,
			body:    "龙潭社区新建安置区道路无路灯，夜间出行不便，老人孩子容易摔倒，建议增设太阳能路灯。",
			outcome: "accept", grade: "normal", main: "镇村建设办",
			answer: "已在安置区主次道路安装太阳能路灯24盏，由社区负责日常管护。", class: "A"}, // answered, never rated: 逾期未评价视为办结
		{sponsor: 10, title: "关于提高农村低保标准的建议", category: "社会保障", month: 5,
			body:    "近年物价上涨，部分低保户反映生活困难，建议提高农村低保标准并加强动态管理。",
			outcome: "accept", grade: "normal", main: "镇应急办",
			answer: "低保标准由县人民政府统一确定，已向县民政局反映代表意见。", class: "C", rating: "basic"},
		{sponsor: 11, title: "关于修缮桥头村祠堂的建议", category: "其他", month: 6,
			body:    "桥头村祠堂年久失修，屋顶漏雨，村民希望保护老建筑，建议由镇里出资修缮。",
			outcome: "reject"},
	}
	var golden []string
	for _, d := range list {
		r, err := s.walk(year, d)
		if err != nil {
			return err
		}
		if d.golden {
			golden = append(golden, r.Id)
		}
	}
	if _, err := proposals.RunDaily(s.app, s.at(year, 12, 31)); err != nil {
		return err
	}
	// 金点子: the presidium's round at year end; at most 2 a year.
	if _, err := s.save("golden_rounds", map[string]any{"year": year, "nominees": golden, "members": 5,
		"votes": map[string]int{golden[0]: 5, golden[1]: 4}, "named": golden, "status": "decided",
		"note": "主席团会议评选（演示）", "decided_by": s.deputies[0].GetString("name"), "decided_at": s.at(year, 12, 20)}); err != nil {
		return err
	}
	for _, id := range golden {
		r, err := s.app.FindRecordById(proposals.Collection, id)
		if err != nil {
			return err
		}
		r.Set("golden_year", year)
		if err := s.app.Save(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *demoSupervision) proposalsThisYear(year int) error {
	list := []demoProposal{
		{motion: true, sponsor: 0, co: []int{5, 6, 7, 8}, title: "关于实施集镇污水管网建设的议案", category: "生态环保", month: 3,
			body:    "集镇生活污水直排溆水河支流，夏季异味明显。建议实施集镇污水管网建设，接入污水处理站。",
			outcome: "accept", grade: "key", main: "镇村建设办", co_units: []string{"自然资源所"}},
		{sponsor: 12, title: "关于在思蒙湾村设立老年助餐点的建议", category: "社会保障", month: 3,
			body:    "思蒙湾村留守老人多，建议利用村部闲置用房设立老年助餐点。",
			outcome: "accept", grade: "normal", main: "镇应急办",
			answer: "已在思蒙湾村村部设立老年助餐点，每周一至周五供应午餐。", class: "A", answerAgo: 3},
		{sponsor: 13, title: "关于加强汛期地质灾害隐患点巡查的建议", category: "安全生产", month: 4,
			body:    "枫木村两处地质灾害隐患点临近民房，建议汛期加密巡查并设置监测设备。",
			outcome: "accept", grade: "key", main: "自然资源所", co_units: []string{"镇应急办"},
			answer: "已安装裂缝监测仪两台，汛期每日巡查并建立群测群防台账。", class: "A", rating: "satisfied"},
		{sponsor: 14, title: "关于规范集镇停车秩序的建议", category: "城乡建设", month: 10,
			body:    "集镇逢场天车辆乱停乱放，堵塞消防通道，建议施划停车位并安排人员加强管理。",
			outcome: "accept", grade: "normal", main: "派出所"},
		{sponsor: 15, title: "关于开展柑橘种植技术培训的建议", category: "乡村振兴", month: 11,
			body: "柑橘黄龙病防控需要技术指导，建议农业综合服务中心分片开展培训。"},
		{motion: true, sponsor: 1, co: []int{2, 3}, inviting: []int{0, 4, 9}, title: "关于建设思蒙湾村文化广场的议案", category: "教育文化", month: 11,
			body: "思蒙湾村人口集中，缺少群众文化活动场所，建议利用村部旁闲置地块建设文化广场，由镇村共同筹资。"},
	}
	for _, d := range list {
		if _, err := s.walk(year, d); err != nil {
			return err
		}
	}
	return nil
}

// demoCandidate is a 民生实事 candidate and, if chosen, its tracking.
type demoCandidate struct {
	title, desc string
	village     string
	funds       float64
	proposer    string // unit
	appeal      int    // how many of the deputies choose it
	unit        string // responsible, when chosen
	milestones  []string
}

func (s *demoSupervision) candidates(year int, list []demoCandidate) ([]*core.Record, error) {
	var out []*core.Record
	for _, c := range list {
		r, err := s.save(projects.Collection, map[string]any{"year": year, "title": c.title, "description": c.desc,
			"villages": []string{s.village(c.village)}, "est_funds": c.funds, "proposer_unit": s.unit(c.proposer).Id,
			"source_kind": "other", "status": projects.Candidate})
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// vote holds a 票决 at meeting: every expected deputy but skip votes in
// the app, choosing each candidate with its appeal (out of 20).
func (s *demoSupervision) vote(year int, meeting *core.Record, cands []*core.Record, list []demoCandidate, seats, skip int) error {
	var ids []string
	for _, c := range cands {
		ids = append(ids, c.Id)
	}
	v, err := s.save(projects.VotesCol, map[string]any{"meeting": meeting.Id, "year": year, "title": fmt.Sprintf("%d年民生实事项目票决", year),
		"candidates": ids, "seats": seats, "max_choices": seats, "majority": true, "status": "draft"})
	if err != nil {
		return err
	}
	v.Set("expected", meeting.GetStringSlice("expected"))
	v.Set("status", "open")
	v.Set("opened_at", meeting.GetDateTime("starts_at"))
	if err := s.app.Save(v); err != nil {
		return err
	}
	for i, d := range s.deputies {
		if i >= len(s.deputies)-skip {
			break
		}
		var choices []string
		for j, c := range list {
			if len(choices) < seats && (i+j)%20 < c.appeal {
				choices = append(choices, ids[j])
			}
		}
		if err := projects.CastBallot(s.app, v, d.Id, choices); err != nil {
			return err
		}
	}
	v.Set("status", "closed")
	v.Set("closed_at", meeting.GetDateTime("starts_at").Time().Add(2*time.Hour))
	if err := s.app.Save(v); err != nil {
		return err
	}
	_, err = projects.CountVote(s.app, v, audit.System("demo"))
	return err
}

// track gives each chosen project its unit, budget, milestones (done up to
// doneBy) and a report of progress with a photo.
func (s *demoSupervision) track(year int, cands []*core.Record, list []demoCandidate, doneBy time.Time, finish bool) ([]*core.Record, error) {
	var chosen []*core.Record
	for i, c := range cands {
		r, err := s.app.FindRecordById(projects.Collection, c.Id)
		if err != nil {
			return nil, err
		}
		if r.GetString("status") != projects.Chosen {
			continue
		}
		d := list[i]
		r.Set("unit", s.unit(d.unit).Id)
		r.Set("budget", d.funds)
		if err := s.app.Save(r); err != nil {
			return nil, err
		}
		chosen = append(chosen, r)
		for k, m := range d.milestones {
			due := s.at(year, 4+k*2+len(chosen)%2, 28)
			fields := map[string]any{"project": r.Id, "position": k + 1, "title": m, "due": due}
			if due.Before(doneBy) && !(len(chosen) == 2 && k == len(d.milestones)-1 && !finish) {
				fields["done_at"] = due.Add(-time.Duration(s.rnd.IntN(10)) * 24 * time.Hour)
			}
			if _, err := s.save(projects.MilestonesCol, fields); err != nil {
				return nil, err
			}
		}
		pct, spent := 60, math.Round(d.funds*55)/100
		if finish {
			pct, spent = 100, math.Round(d.funds*97)/100
		}
		photo, err := demoPhoto()
		if err != nil {
			return nil, err
		}
		if _, err := s.save(projects.ReportsCol, map[string]any{"project": r.Id, "unit": s.unit(d.unit).Id, "progress_pct": pct,
			"spent_total": spent, "photos": photo, "text": d.milestones[0] + "已完成，" + fmt.Sprintf("工程形象进度%d%%，", pct) + "现场照片附后。"}); err != nil {
			return nil, err
		}
		if finish {
			r, err = s.app.FindRecordById(projects.Collection, r.Id)
			if err != nil {
				return nil, err
			}
			r.Set("status", projects.Done)
			r.Set("done_at", s.at(year, 11, 30))
			if err := s.app.Save(r); err != nil {
				return nil, err
			}
		}
	}
	return chosen, nil
}

var lastYearCandidates = []demoCandidate{
	{"思蒙湾村至桥头村公路提质改造", "拓宽硬化4.2公里，增设波形护栏和会车道", "思蒙湾村", 220, "镇村建设办", 17, "镇村建设办", []string{"完成勘察设计", "完成路基拓宽", "完成路面硬化"}},
	{"竹园村安全饮水提质工程", "新建蓄水池两座，铺设管网6公里，惠及620户", "演示·竹园村", 85, "农业综合服务中心", 16, "农业综合服务中心", []string{"完成水源勘测", "完成管网铺设"}},
	{"集镇农贸市场提质改造", "改造雨棚和排水，设立食品快检室", "思蒙湾村", 60, "市场监管所", 15, "市场监管所", []string{"完成雨棚改造", "快检室投入使用"}},
	{"枫木村地质灾害隐患点治理", "对两处隐患点实施挡墙和排水工程", "演示·枫木村", 95, "自然资源所", 14, "自然资源所", []string{"完成治理方案", "完成挡墙施工"}},
	{"龙潭社区老年日间照料中心", "改造闲置用房300平方米，配置助餐和康复设施", "演示·龙潭社区", 45, "镇卫生院", 13, "镇卫生院", []string{"完成用房改造", "投入运营"}},
	{"新田村高标准农田建设", "建设高标准农田800亩", "演示·新田村", 160, "农业综合服务中心", 6, "", nil},
	{"集镇主街亮化工程", "安装路灯120盏", "思蒙湾村", 40, "镇村建设办", 5, "", nil},
	{"桥头村文化广场", "建设600平方米文化广场", "演示·桥头村", 55, "镇村建设办", 4, "", nil},
}

var thisYearCandidates = []demoCandidate{
	{"集镇污水管网建设", "铺设污水管网3.5公里，接入集镇污水处理站", "思蒙湾村", 260, "镇村建设办", 18, "镇村建设办", []string{"完成管网设计", "完成主管铺设", "完成入户接驳"}},
	{"思蒙湾村老年助餐点", "设立老年助餐点，配置厨房设备", "思蒙湾村", 25, "镇应急办", 16, "镇应急办", []string{"完成场地改造", "投入运营"}},
	{"桥头村渡口护栏改造", "更换渡口护栏和警示设施", "演示·桥头村", 18, "镇应急办", 15, "镇应急办", []string{"完成护栏更换"}},
	{"枫木村通组公路硬化", "硬化通组公路2.8公里", "演示·枫木村", 120, "镇村建设办", 14, "镇村建设办", []string{"完成路基", "完成硬化"}},
	{"竹园村柑橘冷链仓储", "建设冷库一座，容量300吨", "演示·竹园村", 90, "农业综合服务中心", 6, "", nil},
	{"新田村卫生室标准化建设", "改造村卫生室，配置基本设备", "演示·新田村", 30, "镇卫生院", 5, "", nil},
	{"龙潭社区停车场", "建设停车位80个", "演示·龙潭社区", 70, "镇村建设办", 3, "", nil},
}

func (s *demoSupervision) projectsLastYear(year int) error {
	var all []string
	for _, d := range s.deputies {
		all = append(all, d.Id)
	}
	congress, err := s.save("meetings", map[string]any{"title": fmt.Sprintf("思蒙镇第十九届人民代表大会第五次会议（%d年，演示）", year),
		"kind": "congress_session", "starts_at": s.at(year, 2, 18), "ends_at": s.at(year, 2, 18).Add(16 * time.Hour),
		"place": "镇政府大礼堂", "half_days": 4, "expected": all})
	if err != nil {
		return err
	}
	cands, err := s.candidates(year, lastYearCandidates)
	if err != nil {
		return err
	}
	if err := s.vote(year, congress, cands, lastYearCandidates, 5, 1); err != nil {
		return err
	}
	chosen, err := s.track(year, cands, lastYearCandidates, s.at(year, 12, 31), true)
	if err != nil {
		return err
	}
	// 年终评议: every active deputy but two hands in a sheet.
	var ids []string
	for _, p := range chosen {
		ids = append(ids, p.Id)
	}
	ev, err := s.save(projects.EvaluationsCol, map[string]any{"year": year, "title": fmt.Sprintf("%d年民生实事项目年终评议", year), "status": "draft"})
	if err != nil {
		return err
	}
	ev.Set("projects", ids)
	ev.Set("expected", all)
	ev.Set("status", "open")
	ev.Set("opened_at", s.at(year, 12, 20))
	if err := s.app.Save(ev); err != nil {
		return err
	}
	comments := []string{"群众普遍满意，建议加强后期管护", "", "进度总体按计划，资金使用规范", "", "建议公开工程量和决算"}
	for i, d := range s.deputies[:18] {
		var marks []evaluation.Mark
		for j, id := range ids {
			rating := evaluation.Satisfied
			switch (i + j*3) % 10 {
			case 7, 8:
				rating = evaluation.Basic
			case 9:
				rating = evaluation.Unsatisfied
			}
			c := comments[(i+j)%len(comments)]
			if rating == evaluation.Unsatisfied {
				c = "施工期间对群众出行影响较大，协调不够"
			}
			marks = append(marks, evaluation.Mark{Project: id, Rating: rating, Comment: c})
		}
		if err := projects.SubmitSheet(s.app, ev, d.Id, marks); err != nil {
			return err
		}
	}
	if err := projects.CloseEvaluation(s.app, ev, audit.System("demo")); err != nil {
		return err
	}
	// 专题询问 on three projects.
	inquiries := []struct {
		project   int
		q, a      string
		askers    []int
		answerer  string
		month     int
		unitOfAns string
	}{
		{0, "公路改造期间如何保障沿线群众出行？", "分段半幅施工，设置临时便道和专人值守。", []int{1, 6}, "镇村建设办负责人", 7, "镇村建设办"},
		{1, "饮水工程建成后由谁负责日常管护？", "由村委会聘请管水员，农业综合服务中心每季度检查。", []int{5, 12}, "农业综合服务中心负责人", 8, "农业综合服务中心"},
		{2, "快检室的抽检结果如何向群众公开？", "每日在市场电子屏和村务公开栏公示。", []int{2, 13, 14}, "市场监管所负责人", 9, "市场监管所"},
	}
	for _, q := range inquiries {
		p := chosen[q.project]
		inq, err := s.save("inquiries", map[string]any{"year": year, "topic": p.GetString("title") + "推进情况", "project": p.Id,
			"unit": s.unit(q.unitOfAns).Id, "status": "held", "held_on": s.at(year, q.month, 16),
			"summary": "主席团组织代表就项目推进情况开展专题询问，责任单位负责人到会回答。"})
		if err != nil {
			return err
		}
		for _, a := range q.askers {
			if _, err := s.save("inquiry_items", map[string]any{"inquiry": inq.Id, "deputy": s.deputies[a].Id, "question": q.q,
				"answer": q.a, "answered_by": q.answerer, "answered_at": s.at(year, q.month, 16)}); err != nil {
				return err
			}
		}
	}
	// 监督通报 with rectification items: two rectified, one overdue, one open.
	rep, err := s.save("supervision_reports", map[string]any{"year": year, "number": fmt.Sprintf("思蒙人大通〔%d〕1号", year),
		"title": "关于民生实事项目推进情况的监督通报", "status": "issued", "issued_at": s.at(year, 9, 25), "issued_by": s.deputies[0].GetString("name"),
		"summary": "镇人大主席团于9月组织代表对民生实事项目开展专题视察，发现以下问题，请责任单位限期整改并书面报告。"})
	if err != nil {
		return err
	}
	items := []struct {
		problem, requirement, unit string
		deadline                   time.Time
		rectified                  bool
	}{
		{"公路改造施工路段警示标志不足", "三日内补齐警示标志和夜间警示灯", "镇村建设办", s.at(year, 9, 30), true},
		{"快检室公示屏未按日更新", "落实专人每日更新", "市场监管所", s.at(year, 10, 15), true},
		{"地质灾害治理工程资金拨付滞后", "十月底前完成第二期资金拨付", "自然资源所", s.at(year, 10, 31), false},
		{"照料中心消防设施未验收", "完成消防验收后再投入运营", "镇卫生院", s.now.Add(20 * 24 * time.Hour), false},
	}
	for i, it := range items {
		r, err := s.save("rectification_items", map[string]any{"report": rep.Id, "position": i + 1, "problem_text": it.problem,
			"requirement": it.requirement, "unit": s.unit(it.unit).Id, "deadline": it.deadline, "status": "open"})
		if err != nil {
			return err
		}
		if i == 2 || it.rectified {
			r.Set("status", "rectifying")
			if err := s.app.Save(r); err != nil {
				return err
			}
		}
		if it.rectified {
			photo, err := demoPhoto()
			if err != nil {
				return err
			}
			r.Set("status", "rectified")
			r.Set("rectification", "已按要求整改到位，照片附后。")
			r.Set("photos_after", photo)
			r.Set("rectified_at", it.deadline.Add(-24*time.Hour))
			if err := s.app.Save(r); err != nil {
				return err
			}
		}
		if i == 3 {
			if err := s.insistedReturn(r, rep, year); err != nil {
				return err
			}
		}
	}
	return nil
}

// insistedReturn is a 退办 the office turned down: two days after the
// report was issued the health centre asked to give back the fire
// inspection item, and staff insisted, saying why.
func (s *demoSupervision) insistedReturn(item, rep *core.Record, year int) error {
	asked, decided := s.at(year, 9, 27), s.at(year, 9, 28)
	r, err := s.save("unit_returns", map[string]any{"kind": "rectification", "record_id": item.Id, "title": item.GetString("problem_text"),
		"unit": item.GetString("unit"), "reason": "消防验收由县消防救援大队组织，本院没有验收职能，建议改由镇应急办牵头办理。",
		"assigned_at": rep.GetDateTime("issued_at"), "last_day": s.at(year, 10, 10), "status": "insisted",
		"note":       "照料中心由镇卫生院运营，消防验收须由运营单位申请，镇应急办协助联系，请卫生院按期完成。",
		"decided_by": s.staff.GetString("name") + "（工作人员）", "decided_at": decided})
	if err != nil {
		return err
	}
	_, err = s.app.DB().NewQuery("UPDATE unit_returns SET created = {:at}, updated = {:up} WHERE id = {:id}").
		Bind(map[string]any{"at": asked.UTC().Format("2006-01-02 15:04:05.000Z"), "up": decided.UTC().Format("2006-01-02 15:04:05.000Z"), "id": r.Id}).Execute()
	return err
}

func (s *demoSupervision) projectsThisYear(year int) error {
	congress, err := s.congressOf(year)
	if err != nil {
		return err
	}
	cands, err := s.candidates(year, thisYearCandidates)
	if err != nil {
		return err
	}
	if err := s.vote(year, congress, cands, thisYearCandidates, 4, 2); err != nil {
		return err
	}
	_, err = s.track(year, cands, thisYearCandidates, s.now, false)
	if err != nil {
		return err
	}
	_, err = s.save(projects.EvaluationsCol, map[string]any{"year": year, "title": fmt.Sprintf("%d年民生实事项目年终评议", year), "status": "draft"})
	return err
}
