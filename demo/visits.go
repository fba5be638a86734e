package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/vocab"
)

// Demo visit logs (走访日志): households in every village, and this year's
// visits by each deputy up to today, some ahead of the 12-household pace,
// some on it, some behind (months without a visit), with problems raised
// and some of them forwarded or answered. Last year is closed, so the
// assessment has stored results to read.
var demoNotes = []string{
	"了解春耕备耕和用水情况，农户反映灌溉渠需要清淤。",
	"走访独居老人，询问身体状况和医保缴费情况。",
	"了解家庭务工收入，宣传就业技能培训政策。",
	"查看房屋安全情况，提醒雨季注意防范。",
	"听取对村道硬化和路灯安装的意见。",
	"了解孩子上学和校车接送情况。",
	"宣传森林防火和安全用电知识。",
}

var demoProblems = []struct{ category, text string }{
	{"道路交通", "组里的村道雨天泥泞，希望硬化。"},
	{"饮水安全", "自来水水压不足，高处几户经常停水。"},
	{"养老助残", "独居老人行动不便，希望安排定期探访。"},
	{"农业生产", "灌溉渠堵塞，影响春耕用水。"},
	{"医疗卫生", "村卫生室缺少常用药。"},
}

func seedVisits(app core.App) error {
	rng := rand.New(rand.NewPCG(2025, 3)) // the same demo every time
	now := time.Now()
	cst := chinatime.Location()
	year := now.In(cst).Year()

	deputies, err := app.FindRecordsByFilter("deputies", "active = true", "phone", 0, 0)
	if err != nil {
		return err
	}
	households, err := app.FindCollectionByNameOrId("households")
	if err != nil {
		return err
	}
	visitCol, err := app.FindCollectionByNameOrId("visits")
	if err != nil {
		return err
	}

	// A pool of households per village, made as deputies first visit them.
	pool := map[string][]*core.Record{}
	household := func(village string, deputy string) (*core.Record, error) {
		n := len(pool[village])
		h := core.NewRecord(households)
		h.Set("village", village)
		h.Set("deputy", deputy)
		h.Set("head_name", demoSurnames[(n*7+3)%len(demoSurnames)]+demoGiven[(n*3+1)%len(demoGiven)])
		h.Set("address", fmt.Sprintf("%d组%d号", n%9+1, n/9*3+n%5+1))
		if n%3 == 0 {
			h.Set("phone", fmt.Sprintf("1390000%04d", 1000+n)) // demo range, see DeputyPhone
		}
		h.Set("schema_version", 1)
		if err := app.Save(h); err != nil {
			return nil, err
		}
		pool[village] = append(pool[village], h)
		return h, nil
	}

	visit := func(d, h *core.Record, at time.Time, withProblem bool) error {
		v := core.NewRecord(visitCol)
		v.Set("deputy", d.Id)
		v.Set("household", h.Id)
		v.Set("visited_at", at)
		v.Set("notes", demoNotes[rng.IntN(len(demoNotes))])
		v.Set("topics", []string{vocab.Topics[rng.IntN(len(vocab.Topics)-1)]})
		v.Set("location", map[string]any{"lat": 27.70 + rng.Float64()/50, "lon": 110.45 + rng.Float64()/50})
		v.Set("location_accuracy", 10+rng.IntN(60))
		v.Set("schema_version", 1)
		v.Set("device", "demo")
		v.Set("received_at", at.Add(3*time.Hour)) // synced the same day (a late upload would be flagged)
		if withProblem {
			p := demoProblems[rng.IntN(len(demoProblems))]
			v.Set("problems", []map[string]string{{"id": core.GenerateDefaultRandomId(), "category": p.category, "description": p.text}})
		}
		return app.Save(v)
	}

	// visitYear logs a deputy's visits in the months of y up to lastMonth:
	// pace 0 ahead (2 new households most months), 1 on pace (1 a month),
	// 2 behind (skips months, revisits the same households).
	visitYear := func(d *core.Record, y, lastMonth, pace int) error {
		village := d.GetString("village")
		var mine []*core.Record
		for m := 1; m <= lastMonth; m++ {
			newOnes := 1
			switch pace {
			case 0:
				newOnes = 1 + rng.IntN(2)
			case 2:
				if m%3 != 1 {
					continue // months without a visit
				}
			}
			for range newOnes {
				var h *core.Record
				if pace == 2 && len(mine) > 0 && rng.IntN(2) == 0 {
					h = mine[rng.IntN(len(mine))]
				} else if p := pool[village]; len(p) > len(mine)+3 && rng.IntN(3) == 0 {
					h = p[rng.IntN(len(p))] // a household a colleague visited
				} else {
					var err error
					if h, err = household(village, d.Id); err != nil {
						return err
					}
				}
				mine = append(mine, h)
				day := 1 + rng.IntN(27)
				at := time.Date(y, time.Month(m), day, 9+rng.IntN(8), rng.IntN(60), 0, 0, cst)
				if at.After(now) {
					at = now.Add(-time.Hour)
				}
				if err := visit(d, h, at, rng.IntN(4) == 0); err != nil {
					return err
				}
			}
		}
		return nil
	}

	// Last year, complete, then closed.
	for i, d := range deputies {
		if err := visitYear(d, year-1, 12, i%3); err != nil {
			return err
		}
	}
	if _, err := visits.CloseYear(app, year-1, now, "演示数据"); err != nil {
		// Inside the grace period (early January): last year stays open.
		app.Logger().Info("demo: last year not closed", "error", err)
	}
	// This year up to today.
	for i, d := range deputies {
		if err := visitYear(d, year, int(now.In(cst).Month()), i%3); err != nil {
			return err
		}
	}
	// The monthly pace check for every month that has ended.
	for m := 1; m < int(now.In(cst).Month()); m++ {
		if _, err := visits.FlagBehindPace(app, year, m); err != nil {
			return err
		}
	}
	return progressProblems(app, rng)
}

// progressProblems moves some demo problems along: forwarded through 代表直通车,
// answered, closed.
func progressProblems(app core.App, rng *rand.Rand) error {
	problems, err := app.FindRecordsByFilter("problems", "source = 'visit'", "created", 0, 0)
	if err != nil {
		return err
	}
	units := []string{"镇农业综合服务中心", "镇水利站", "镇卫生院", "县交通运输局", "镇民政办"}
	for i, p := range problems {
		switch i % 4 {
		case 1:
			p.Set("status", "forwarded")
			p.Set("forwarded_to", units[rng.IntN(len(units))])
		case 2:
			p.Set("status", "answered")
			p.Set("forwarded_to", units[rng.IntN(len(units))])
			p.Set("reply", "已安排人员实地查看，计划本月内处理完毕。")
		case 3:
			p.Set("status", "closed")
			p.Set("forwarded_to", units[rng.IntN(len(units))])
			p.Set("reply", "已处理完毕，群众表示满意。")
		default:
			continue
		}
		if err := app.Save(p); err != nil {
			return err
		}
	}
	return nil
}
