package testapp

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// SeedReports adds the reports fixtures (述职评议), in F(t).IDs (with Use): meeting_duty_review, a
// 述职评议会 of village A on 2025-12-20 where Deputy reported
// (IDs["duty_review_a"]: 满意 40, 基本满意 5, 不满意 1 of 50 present).
func SeedReports(app core.App, f *Fixture) error {
	m := core.NewRecord(mustCollection(app, "meetings"))
	m.Set("title", "思蒙湾村人大代表述职评议会")
	m.Set("kind", "duty_review")
	m.Set("starts_at", time.Date(2025, 12, 20, 2, 0, 0, 0, time.UTC))
	m.Set("place", "思蒙湾村村部")
	m.Set("expected", []string{f.Deputy})
	if err := app.Save(m); err != nil {
		return err
	}
	f.IDs["meeting_duty_review"] = m.Id
	r := core.NewRecord(mustCollection(app, "duty_reviews"))
	r.Set("deputy", f.Deputy)
	r.Set("meeting", m.Id)
	r.Set("evaluators", "voters")
	r.Set("satisfied", 40)
	r.Set("basic", 5)
	r.Set("unsatisfied", 1)
	r.Set("voters_present", 50)
	if err := app.Save(r); err != nil {
		return err
	}
	f.IDs["duty_review_a"] = r.Id
	return nil
}
