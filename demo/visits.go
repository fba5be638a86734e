package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/hooks/syncengine"
	"simeng/hooks/visits"
)

// Demo visit logs (走访日志): households in every village; the closed
// year's visits by each deputy as their profile says (some short of the
// 12 households), and this year's up to today, some deputies ahead of the
// 12-household pace, some on it, some behind (months without a visit).
// A visit's topic, notes and the problem raised on it share one theme.

func seedVisits(app core.App) error {
	rng := rand.New(rand.NewPCG(2025, 3)) // the same demo every time
	last, this, now := demoYears()
	cst := chinatime.Location()

	deputies, err := demoDeputies(app)
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

	visit := func(d, h *core.Record, at time.Time, n int, withProblem bool) error {
		th := themeOf(n)
		v := core.NewRecord(visitCol)
		v.Set("deputy", d.Id)
		v.Set("household", h.Id)
		v.Set("visited_at", at)
		v.Set("notes", th.note)
		v.Set("topics", []string{th.topic})
		v.Set("location", map[string]any{"lat": 27.70 + rng.Float64()/50, "lon": 110.45 + rng.Float64()/50})
		v.Set("location_accuracy", 10+rng.IntN(60))
		v.Set("schema_version", 1)
		v.Set("device", "demo")
		v.Set("received_at", at.Add(3*time.Hour)) // synced the same day (a late upload would be flagged)
		if withProblem {
			v.Set("problems", []map[string]string{{"id": core.GenerateDefaultRandomId(), "category": th.topic, "description": concernOf(th, n/len(themes)+at.Day()).problem}})
		}
		return app.SaveWithContext(syncengine.Replayed(context.Background()), v) // received when the phone synced, not now
	}

	// newOrKnown is a household for d's next visit: a new one, or (when
	// revisit) one d or a colleague visited before.
	newOrKnown := func(d *core.Record, mine []*core.Record, revisit bool) (*core.Record, error) {
		village := d.GetString("village")
		switch {
		case revisit && len(mine) > 0:
			return mine[rng.IntN(len(mine))], nil
		case !revisit && len(pool[village]) > len(mine)+3 && rng.IntN(3) == 0:
			// a household a colleague visited, new to d
			for _, h := range pool[village] {
				if !contains(mine, h) {
					return h, nil
				}
			}
		}
		return household(village, d.Id)
	}

	// The closed year: exactly the profile's households, spread over the
	// months, with a few second visits; a problem raised on one visit in four.
	n := 0
	for i, d := range deputies {
		want := lastYearProfiles[i].households
		var mine []*core.Record
		for k := 0; len(mine) < want; k++ {
			h, err := newOrKnown(d, mine, false)
			if err != nil {
				return err
			}
			if contains(mine, h) {
				continue
			}
			mine = append(mine, h)
			month := 1 + (k*12)/want
			at := time.Date(last, time.Month(month), 2+rng.IntN(25), 9+rng.IntN(8), rng.IntN(60), 0, 0, cst)
			if err := visit(d, h, at, i+k, n%4 == 0); err != nil {
				return err
			}
			n++
			if k%5 == 2 { // back to see how it went
				if err := visit(d, h, at.AddDate(0, 0, 20), i+k, false); err != nil {
					return err
				}
			}
		}
	}
	closeLast := func() error { _, err := visits.CloseYear(app, last, now, "演示数据"); return err }
	if staff := staffActor(app); staff != nil {
		closeLast = func() error { _, err := visits.CloseYearBy(app, last, now, staff); return err }
	}
	if err := closeLast(); err != nil {
		// Inside the grace period (early January) last year's visit logs
		// stay open for late uploads. Its assessment is closed here all
		// the same, where closing the logs would have closed it, so that
		// the closed year scores the same records whatever the date.
		app.Logger().Info("demo: last year's visit logs not closed", "error", err)
		if _, err := assessment.CloseYearBy(app, last, staffActor(app), "年终考核"); err != nil {
			return err
		}
	}

	// This year up to today: pace 0 ahead (2 new households most months),
	// 1 on pace (1 a month), 2 behind (skips months, revisits).
	for i, d := range deputies {
		pace := i % 3
		var mine []*core.Record
		for m := 1; m <= int(now.Month()); m++ {
			newOnes := 1
			switch pace {
			case 0:
				newOnes = 1 + rng.IntN(2)
			case 2:
				// every third month from February, behind from the first
				// monthly check; while it is January, one visit so far
				if m%3 != 2 && !(m == 1 && now.Month() == time.January) {
					continue
				}
			}
			for range newOnes {
				h, err := newOrKnown(d, mine, pace == 2 && rng.IntN(2) == 0)
				if err != nil {
					return err
				}
				if !contains(mine, h) {
					mine = append(mine, h)
				}
				at := time.Date(this, time.Month(m), 1+rng.IntN(27), 9+rng.IntN(8), rng.IntN(60), 0, 0, cst)
				if at.After(now) {
					at = now.Add(-time.Hour)
				}
				if err := visit(d, h, at, i+m, rng.IntN(4) == 0); err != nil {
					return err
				}
			}
		}
	}
	// The monthly pace check for every month that has ended.
	for m := 1; m < int(now.Month()); m++ {
		if _, err := visits.FlagBehindPace(app, this, m); err != nil {
			return err
		}
	}
	return nil
}

func contains(list []*core.Record, r *core.Record) bool {
	return slices.ContainsFunc(list, func(x *core.Record) bool { return x.Id == r.Id })
}
