package station

import (
	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/dutyroster"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
)

// Days a deputy cannot serve (不能值班的日期): a deputy marks their own
// future days; the next roster generated leaves them off those days. A day
// already on a published roster is changed by a swap or by staff, not here.
func bindUnavailability(app core.App) {
	app.OnRecordValidate("duty_unavailability").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		date := r.GetString("date")
		errs := validation.Errors{}
		switch {
		case !dutyroster.ValidDate(date):
			errs["date"] = validation.NewError("validation_invalid_date", "日期格式应为 2026-04-19")
		case r.IsNew() && date <= today(now(e.App)):
			errs["date"] = validation.NewError("validation_past_date", "只能登记明天及以后不能值班的日期")
		default:
			var n int
			err := e.App.DB().Select("count(*)").From("station_duties d").
				InnerJoin("station_rosters r", dbx.NewExp("r.id = d.roster")).
				Where(dbx.HashExp{"d.deputy": r.GetString("deputy"), "d.date": date, "r.status": "published"}).Row(&n)
			if err != nil {
				return err
			}
			if n > 0 && r.IsNew() {
				errs["date"] = validation.NewError("validation_already_rostered", "您 "+date+" 已排班，请申请换班或联系工作人员")
			}
		}
		return fielderr.Merge(e.Next(), errs)
	})
	// The duplicate of a day already marked is answered naming the field
	// rather than by the unique index's generic message.
	app.OnRecordCreateRequest("duty_unavailability").BindFunc(func(e *core.RecordRequestEvent) error {
		if !isOffice(e.Auth) && !access.IsSelf(e.Auth, e.Record.GetString("deputy")) {
			return fielderr.Forbidden("deputy", "只能登记自己不能值班的日期")
		}
		n, err := e.App.CountRecords("duty_unavailability", dbx.HashExp{"deputy": e.Record.GetString("deputy"), "date": e.Record.GetString("date")})
		if err != nil {
			return err
		}
		if n > 0 {
			return e.BadRequestError("该日期已登记", fielderr.New("date", "validation_duplicate", "这一天已登记过不能值班"))
		}
		return e.Next()
	})
}
