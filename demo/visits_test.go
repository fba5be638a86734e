package demo_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

func TestDemoVisitsShowAheadAndBehind(t *testing.T) {
	app := seededDemo(t)
	cst := time.FixedZone("CST", 8*3600)
	now := time.Now().In(cst)
	start := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, cst).UTC().Format("2006-01-02 15:04:05.000Z")
	var perDeputy []struct {
		Deputy     string `db:"deputy"`
		Households int    `db:"households"`
	}
	err := app.DB().NewQuery("SELECT deputy, COUNT(DISTINCT household) AS households FROM visits WHERE visited_at >= {:s} GROUP BY deputy").
		Bind(dbx.Params{"s": start}).All(&perDeputy)
	if err != nil {
		t.Fatal(err)
	}
	if len(perDeputy) != 20 {
		t.Fatalf("%d deputies visited this year, want all 20", len(perDeputy))
	}
	pace := int(now.Month()) - 1 // households expected by the end of last month
	ahead, behind := 0, 0
	for _, d := range perDeputy {
		if d.Households > pace {
			ahead++
		}
		if d.Households < pace {
			behind++
		}
	}
	if pace > 2 && (ahead == 0 || behind == 0) {
		t.Fatalf("the demo should show deputies ahead (%d) and behind (%d) the pace of %d", ahead, behind, pace)
	}
	for _, c := range []string{"households", "problems"} {
		if n, _ := app.CountRecords(c); n == 0 {
			t.Fatalf("no demo %s", c)
		}
	}
	if n, _ := app.CountRecords("problems", dbx.HashExp{"status": "answered"}); n == 0 {
		t.Fatal("no answered demo problems")
	}
	if pace > 0 {
		if n, _ := app.CountRecords("visit_pace_flags"); n == 0 {
			t.Fatal("no pace flags in the demo")
		}
	}
	if now.After(time.Date(now.Year(), 1, 16, 0, 0, 0, 0, cst)) {
		if n, _ := app.CountRecords("visit_year_results", dbx.HashExp{"year": now.Year() - 1}); n != 20 {
			t.Fatalf("%d closed results for last year, want 20", n)
		}
	}
}
