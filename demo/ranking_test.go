package demo_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/scoring"
)

// The closed year ranks like a real one: at least three grades, a few
// 优秀, most 称职, and every deputy below 称职 for a reason their dossier
// states; every item of every dossier explains itself.
func TestDemoClosedYearHasARealisticSpread(t *testing.T) {
	app := seededDemo(t)
	last := time.Now().In(chinatime.Location()).Year() - 1
	rows, err := app.FindRecordsByFilter("assessment_scores", "year = {:y}", "-total", 0, 0, map[string]any{"y": last})
	if err != nil || len(rows) != 20 {
		t.Fatalf("%d scores of %d: %v", len(rows), last, err)
	}
	grades := map[string]int{}
	var lines []string
	for _, r := range rows {
		if !r.GetBool("frozen") {
			t.Fatalf("%d is not closed", last)
		}
		var res scoring.Result
		if err := json.Unmarshal([]byte(r.GetString("result")), &res); err != nil {
			t.Fatal(err)
		}
		d, _ := app.FindRecordById("deputies", r.GetString("deputy"))
		grades[res.Grade]++
		lines = append(lines, fmt.Sprintf("%s %v %s %s", d.GetString("name"), res.Total, res.Grade, res.CapReason))
		for _, it := range res.Items {
			if it.Explanation == "" || len(it.Sources) == 0 {
				t.Errorf("%s: %s does not explain itself: %+v", d.GetString("name"), it.Key, it)
			}
		}
		if res.Grade == scoring.GradeBasic || res.Grade == scoring.GradeIncompetent {
			low := res.CapReason != ""
			for _, it := range res.Items {
				if !it.Bonus && !it.NotScored && it.Points < it.Max/2 {
					low = true
				}
			}
			if !low {
				t.Errorf("%s is %s with no item below half and no cap reason", d.GetString("name"), res.Grade)
			}
		}
	}
	t.Logf("%d ranking:\n%s", last, strings.Join(lines, "\n"))
	if len(grades) < 3 || grades[scoring.GradeExcellent] < 2 || grades[scoring.GradeCompetent] < 10 ||
		grades[scoring.GradeBasic]+grades[scoring.GradeIncompetent] < 2 {
		t.Fatalf("grades %v:\n%s", grades, strings.Join(lines, "\n"))
	}
}
