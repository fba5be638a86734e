package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/assessment"
)

// Login is a demo account printed at start.
type Login struct {
	Role     string // 主席团, 代表, 工作人员 or 承办单位
	Name     string
	Phone    string
	Password string
}

// The demo villages; 思蒙湾村 is named in the 2025 work plan, the others are
// made up for the demo.
var demoVillages = []struct{ name, code string }{
	{"思蒙湾村", "smw"},
	{"演示·桥头村", "qt"},
	{"演示·枫木村", "fm"},
	{"演示·竹园村", "zy"},
	{"演示·新田村", "xt"},
	{"演示·龙潭社区", "lt"},
}

var demoSurnames = []string{"向", "舒", "谌", "张", "李", "王", "刘", "陈", "杨", "黄",
	"周", "吴", "邓", "米", "瞿", "唐", "蒋", "贺", "严", "梁"}
var demoGiven = []string{"建国", "秀英", "红梅", "志强", "桂花", "永福", "春兰", "国平", "小燕", "德胜",
	"玉兰", "海军", "金凤", "长青", "丽华", "卫东", "冬梅", "运来", "翠萍", "光明"}

// demoGenders go with demoGiven: names and genders agree.
var demoGenders = []string{"男", "女", "女", "男", "女", "男", "女", "男", "女", "男",
	"女", "男", "女", "男", "女", "男", "女", "男", "女", "男"}

// Seeder adds a capability's demo records after the township exists. Each
// lives in demo/<capability>.go.
type Seeder func(app core.App) error

// seeders run in this order after the township, one per source of
// records, so that a capability that takes over a source replaces its
// seeder here (issue 14: seedProposalActivities).
// The last one closes the past year and scores both years.
var seeders = []Seeder{
	seedAccounts,           // the office's staff and the handling units (承办单位)
	seedMeetings,           // meetings, attendance and leave, follow-up tasks
	seedStationDuty,        // liaison station duty typed by staff before the station's roster went live
	seedProposalActivities, // proposals, 金点子, livelihood projects (staff-typed until proposals exist)
	seedReportsToVoters,    // reports to voters, 视察
	seedCommendations,      // commendations
	seedLedger,             // inspections (confirmed), the quarterly plan, hazards
	seedSuggestions,        // residents' suggestions, answered on time and late, rated
	seedVisits,             // visits and households; closes the past year of the visit logs
	seedStation,            // the liaison station: 六有, rosters and duties from its go-live, bookings, receptions
	seedProblems,           // 急难愁盼 followed through 代表直通车
	seedDeliberation,       // 云端议事: topics and comments
	seedSurveys,            // 微调研 with answers
	seedResearch,           // 调研报告, counted by the assessment
	seedLearning,           // 学习园地 articles and read receipts
	seedSupervision,        // proposals, 附议, 民生实事 votes and tracking, 年终评议, 专题询问, 监督通报 as records
	seedDemands,            // two years of demands for the analysis (高频诉求分析)
	seedReports,            // last year's 述职评议 and report drafts
	seedVerification,       // 走访核查: signed visits, a flag of each kind, callbacks, reviews
	seedYearEnd,            // the past year's assessment closed, this year's scored
	seedNotices,            // the outbox as on the demo's day: settled matters dropped, today's deadlines
}

// Seed writes the demo township: villages, 20 deputies of whom the first 5
// are presidium members each paired (包联) with a village, a superuser, and
// then whatever the registered seeders add.
func Seed(app core.App, appURL string) error {
	if err := seedTownship(app, appURL); err != nil {
		return err
	}
	// One scoring at the end (seedYearEnd) instead of one per record.
	assessment.SetIncrementalScoring(app, false)
	defer assessment.SetIncrementalScoring(app, true)
	for i, s := range seeders {
		if err := s(app); err != nil {
			return fmt.Errorf("demo seeder %d: %w", i, err)
		}
	}
	return nil
}

func seedTownship(app core.App, appURL string) error {
	s := app.Settings()
	s.Meta.AppName = "思蒙镇智慧人大（演示）"
	s.Meta.AppURL = appURL
	if err := app.Save(s); err != nil {
		return err
	}

	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	su := core.NewRecord(superusers)
	su.SetEmail(SuperuserEmail)
	su.SetPassword(Password)
	if err := app.Save(su); err != nil {
		return fmt.Errorf("superuser: %w", err)
	}

	villagesCol, err := app.FindCollectionByNameOrId("villages")
	if err != nil {
		return err
	}
	villages := make([]*core.Record, len(demoVillages))
	for i, v := range demoVillages {
		r := core.NewRecord(villagesCol)
		r.Set("name", v.name)
		r.Set("code", v.code)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("village %s: %w", v.name, err)
		}
		villages[i] = r
	}

	deputiesCol, err := app.FindCollectionByNameOrId("deputies")
	if err != nil {
		return err
	}
	for i := range 20 {
		village := villages[i%len(villages)]
		d := core.NewRecord(deputiesCol)
		d.Set("name", demoSurnames[i]+demoGiven[i])
		d.Set("phone", DeputyPhone(i))
		d.SetPassword(Password)
		d.Set("gender", demoGenders[i])
		d.Set("village", village.Id)
		d.Set("constituency", fmt.Sprintf("第%d选区", i%8+1))
		d.Set("level", "township")
		if i%7 == 0 {
			d.Set("level", "county")
		}
		d.Set("presidium", i < 5)
		d.Set("term", "第十九届")
		d.Set("active", true)
		d.Set("intro", "演示数据："+village.GetString("name")+"人大代表，欢迎扫码提建议。")
		if err := app.Save(d); err != nil {
			return fmt.Errorf("deputy %d: %w", i, err)
		}
		if i < 5 {
			village.Set("liaison", d.Id)
			if err := app.Save(village); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeputyPhone is the demo phone of the i-th deputy: 139 0000 00ii, a range
// no real subscriber is given in the demo's printed logins.
func DeputyPhone(i int) string { return fmt.Sprintf("139000000%02d", i+1) }

func demoLogins(app core.App) ([]Login, error) {
	var logins []Login
	for _, i := range []int{0, 1, 5, 6} {
		d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
		if err != nil {
			return nil, err
		}
		role := "代表"
		if d.GetBool("presidium") {
			role = "主席团"
		}
		logins = append(logins, Login{Role: role, Name: d.GetString("name"), Phone: DeputyPhone(i), Password: Password})
	}
	accounts, err := accountLogins(app)
	if err != nil {
		return nil, err
	}
	return append(logins, accounts...), nil
}
