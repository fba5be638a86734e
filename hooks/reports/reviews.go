package reports

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/fielderr"
)

// bindReviews keeps 述职评议 results true whatever the door: the meeting is
// a 述职评议会, the votes are there and do not outnumber those present;
// who recorded them is stamped.
func bindReviews(app core.App) {
	app.OnRecordValidate("duty_reviews").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		errs := validation.Errors{}
		if id := r.GetString("meeting"); id != "" {
			m, err := e.App.FindRecordById("meetings", id)
			if err == nil && m.GetString("kind") != "duty_review" {
				errs["meeting"] = validation.NewError("validation_wrong_kind", "请选择类型为“述职评议会”的会议")
			}
		}
		votes := r.GetInt("satisfied") + r.GetInt("basic") + r.GetInt("unsatisfied")
		if votes == 0 {
			errs["satisfied"] = validation.NewError("validation_no_votes", "请填写满意、基本满意、不满意的票数")
		}
		if present := r.GetInt("voters_present"); present > 0 && votes > present {
			errs["voters_present"] = validation.NewError("validation_too_many_votes", "票数合计不能超过到会评议人数")
		}
		return fielderr.Merge(e.Next(), errs)
	})
	app.OnRecordCreateRequest("duty_reviews").BindFunc(func(e *core.RecordRequestEvent) error {
		e.Record.Set("recorded_by", actorName(e.Auth))
		return e.Next()
	})
	app.OnRecordUpdateRequest("duty_reviews").BindFunc(func(e *core.RecordRequestEvent) error {
		e.Record.Set("recorded_by", actorName(e.Auth))
		return e.Next()
	})
}

// bindDrafts stamps who last edited the annual report.
func bindDrafts(app core.App) {
	app.OnRecordUpdateRequest("annual_reports").BindFunc(func(e *core.RecordRequestEvent) error {
		e.Record.Set("updated_by", actorName(e.Auth))
		return e.Next()
	})
}
