package problems

import (
	"database/sql"
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/problem"
)

// The settings staff change (problem_settings, one row): the working days
// a forward gives its unit. A missing row means the defaults.

func loadConfig(app core.App) (problem.Config, error) {
	cfg := problem.DefaultConfig()
	r, err := app.FindFirstRecordByFilter("problem_settings", "")
	if errors.Is(err, sql.ErrNoRows) {
		return cfg, nil
	}
	if err != nil {
		return cfg, err
	}
	if n := r.GetInt("forward_workdays"); n > 0 {
		cfg.ForwardWorkdays = n
	}
	return cfg, nil
}

func bindSettings(app core.App) {
	app.OnRecordValidate("problem_settings").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			if n, _ := e.App.CountRecords("problem_settings"); n > 0 {
				return validation.Errors{"forward_workdays": validation.NewError("validation_singleton", "设置只有一条，请编辑已有的那条")}
			}
		}
		if errs := (problem.Config{ForwardWorkdays: e.Record.GetInt("forward_workdays")}).Validate(); errs != nil {
			return fieldErrors(errs)
		}
		return e.Next()
	})
}
