package demo

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// What staff record in deputy_activities today, one seeder per source so
// that the capabilities that will record these themselves replace theirs:
// station duty (issue 15, the liaison station's duty records), proposals,
// 金点子 and the livelihood projects (issue 14), reports to voters and
// commendations. The closed year follows each deputy's profile; this year
// to date is about half of it.

// activity adds one deputy_activities record, unless it is in the future.
func activity(app core.App, now time.Time, d *core.Record, kind, title string, at time.Time) error {
	if at.After(now) {
		return nil
	}
	_, err := save(app, "deputy_activities", map[string]any{"deputy": d.Id, "kind": kind, "occurred_on": at, "title": title})
	return err
}

func villageName(app core.App, d *core.Record) string {
	if v, err := app.FindRecordById("villages", d.GetString("village")); err == nil {
		return v.GetString("name")
	}
	return "思蒙湾村"
}

// marketDays are the liaison station's reception days (逢四、九).
var marketDays = []int{4, 9, 14, 19, 24}

// seedStationDuty: liaison station duty and market-day reception (联络站值班
// 及逢"四""九"接待选民) as staff typed it before the station's roster went
// live (stationGoLive); from then on seedStation's duty records count.
func seedStationDuty(app core.App) error {
	last, this, now := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	for i, d := range deputies {
		v := villageName(app, d)
		for k := range lastYearProfiles[i].duties {
			at := on(last, time.Month(2+3*k), marketDays[(i+k)%len(marketDays)], 9)
			if err := activity(app, now, d, "station_duty", v+"代表联络站逢四九接待选民", at); err != nil {
				return err
			}
		}
		for k := range (lastYearProfiles[i].duties + 1) / 2 {
			at := on(this, time.Month(3+4*k), marketDays[(i+2*k)%len(marketDays)], 9)
			if !at.Before(stationGoLive(now)) {
				continue // from the station's go-live its roster records duty (station.go)
			}
			if err := activity(app, now, d, "station_duty", v+"代表联络站逢四九接待选民", at); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedProposalActivities: proposals and suggestions (议案建议), 金点子, and
// the livelihood projects' tracking and year-end evaluation, as staff type
// them today. Issue 14 replaces this seeder with proposals and projects.
func seedProposalActivities(app core.App) error {
	last, this, now := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	subjects := []string{"修缮机耕道", "增设路灯", "整治河道", "改善饮水", "建设文化广场"}
	projects := []string{"思蒙湾村饮水提质", "桥思公路路面硬化", "集镇农贸市场改造"}
	for i, d := range deputies {
		p, v := lastYearProfiles[i], villageName(app, d)
		for k := range p.proposals {
			title := fmt.Sprintf("关于%s%s的建议", v, subjects[(i+k)%len(subjects)])
			if err := activity(app, now, d, "proposal", title, on(last, 2, 20, 10)); err != nil {
				return err
			}
		}
		for k := range p.tracking {
			if err := activity(app, now, d, "project_tracking", "民生实事跟踪问效："+projects[(i+k)%len(projects)], on(last, time.Month(5+3*k), 15, 10)); err != nil {
				return err
			}
		}
		if p.evaluation {
			if err := activity(app, now, d, "project_evaluation", "民生实事年终评议", on(last, 12, 18, 10)); err != nil {
				return err
			}
		}
		// this year to date: the congress's proposals, a tracking visit
		for k := range (p.proposals + 1) / 2 {
			title := fmt.Sprintf("关于%s%s的建议", v, subjects[(i+k+2)%len(subjects)])
			if err := activity(app, now, d, "proposal", title, on(this, 2, 26, 10)); err != nil {
				return err
			}
		}
		if p.tracking > 0 {
			if err := activity(app, now, d, "project_tracking", "民生实事跟踪问效："+projects[i%len(projects)], on(this, 6, 16, 10)); err != nil {
				return err
			}
		}
	}
	for _, g := range []struct {
		deputy int
		title  string
		year   int
	}{{6, "“码上提建议”进村入户的建议获评金点子", last}, {2, "集镇逢四九错峰停车的建议获评金点子", last}} {
		if err := activity(app, now, deputies[g.deputy], "golden_idea", g.title, on(g.year, 12, 1, 10)); err != nil {
			return err
		}
	}
	return nil
}

// seedReportsToVoters: each deputy's report to voters (向选民述职), in the
// fourth quarter, and the 视察 and other presidium activities staff record.
func seedReportsToVoters(app core.App) error {
	last, this, now := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	for i, d := range deputies {
		p := lastYearProfiles[i]
		if p.reported {
			if err := activity(app, now, d, "report_to_voters", "向原选区选民述职", on(last, 11, 20+i%8, 14)); err != nil {
				return err
			}
		}
		// this year's reports are under way: the first few have reported
		if p.reported && i%3 == 0 {
			if err := activity(app, now, d, "report_to_voters", "向原选区选民述职", on(this, 11, 10+i%10, 14)); err != nil {
				return err
			}
		}
		for k := range p.supervised {
			title := []string{"视察集镇农贸市场改造工地", "视察思蒙湾村饮水提质工程"}[k%2]
			if err := activity(app, now, d, "supervision_activity", title, on(last, time.Month(8+k), 12, 9)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedCommendations: commendations (表彰), a bonus item.
func seedCommendations(app core.App) error {
	last, _, now := demoYears()
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	if err := activity(app, now, deputies[6], "commendation_county", "县人大常委会表彰优秀人大代表", on(last, 8, 1, 10)); err != nil {
		return err
	}
	return activity(app, now, deputies[0], "commendation_town", "镇党委表彰优秀人大代表", on(last, 7, 1, 10))
}
