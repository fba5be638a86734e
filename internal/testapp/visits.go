package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Visit-log fixtures: IDs["household_a"] (village A, recorded by Deputy,
// with a phone), IDs["household_b"] (village B, also by Deputy: Deputy2
// owns nothing, so the deputies test can still delete them) and
// IDs["visit_a"] (Deputy's visit to household_a raising IDs["problem_a"]).
func seedVisits(app core.App, f *Fixture) error {
	households := []struct{ key, village, deputy, head, addr, phone string }{
		{"household_a", f.VillageA, f.Deputy, "向德胜", "3组12号", "13912340001"},
		{"household_b", f.VillageB, f.Deputy, "舒玉兰", "桥头5组8号", ""},
	}
	for _, h := range households {
		r := core.NewRecord(mustCollection(app, "households"))
		r.Set("village", h.village)
		r.Set("deputy", h.deputy)
		r.Set("head_name", h.head)
		r.Set("address", h.addr)
		r.Set("phone", h.phone)
		r.Set("schema_version", 1)
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[h.key] = r.Id
	}
	when := InThisYear(time.Now().Add(-48 * time.Hour))
	visits := []struct{ key, deputy, household string }{
		{"visit_a", f.Deputy, f.IDs["household_a"]},
	}
	for _, v := range visits {
		r := core.NewRecord(mustCollection(app, "visits"))
		r.Set("deputy", v.deputy)
		r.Set("household", v.household)
		r.Set("visited_at", when)
		r.Set("notes", "了解春耕用水情况")
		r.Set("topics", []string{"农业生产"})
		r.Set("schema_version", 1)
		if v.key == "visit_a" {
			r.Set("problems", []map[string]string{{"id": "prob0000000000a", "category": "饮水安全", "description": "3组自来水压力不足"}})
		}
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[v.key] = r.Id
	}
	f.IDs["problem_a"] = "prob0000000000a"
	return nil
}
