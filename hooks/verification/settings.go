package verification

import (
	"encoding/json"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/plausibility"
)

// settingsKey caches the township's verification settings in the app
// store; any write to verification_settings drops it.
const settingsKey = "simeng.verificationSettings"

// Settings is the township's one verification_settings row.
type Settings struct {
	// Confirmation by the household: off, offered (default) or required.
	Confirmation string
	// CountMode decides which visits count toward the ≥12 households rule
	// and the assessment.
	CountMode plausibility.CountMode
	// FlagsOff switches every plausibility check off.
	FlagsOff bool
	// Thresholds of the checks (zero fields: the defaults).
	Thresholds plausibility.Settings
	// CallbackSampleSize is how many visits a month's callback sample draws.
	CallbackSampleSize int
	// SMSNotice: send a notice instead of a call where possible.
	SMSNotice bool
	// OfficePhone is the township office's number the notice gives.
	OfficePhone string
}

// Confirmation settings.
const (
	ConfirmationOff      = "off"
	ConfirmationOffered  = "offered"
	ConfirmationRequired = "required"
)

// Load returns the township's settings (the defaults if the row is gone).
func Load(app core.App) Settings {
	if s, ok := app.Store().Get(settingsKey).(Settings); ok {
		return s
	}
	s := Settings{Confirmation: ConfirmationOffered, CountMode: plausibility.CountNotExcluded, CallbackSampleSize: 20}
	recs, err := app.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if err != nil || len(recs) == 0 {
		return s // not cached: the next call tries again
	}
	r := recs[0]
	if c := r.GetString("confirmation"); c != "" {
		s.Confirmation = c
	}
	s.CountMode = plausibility.CountMode(r.GetString("count_mode")).Normalized()
	if s.Confirmation == ConfirmationRequired {
		s.CountMode = plausibility.CountConfirmedOnly
	}
	s.FlagsOff = r.GetBool("flags_off")
	if raw, err := json.Marshal(r.Get("thresholds")); err == nil {
		_ = json.Unmarshal(raw, &s.Thresholds) // a malformed row keeps the defaults
	}
	if n := r.GetInt("callback_sample_size"); n > 0 {
		s.CallbackSampleSize = n
	}
	s.SMSNotice = r.GetBool("sms_notice")
	s.OfficePhone = r.GetString("office_phone")
	app.Store().Set(settingsKey, s)
	return s
}

func bindSettings(app core.App) {
	drop := func(e *core.RecordEvent) error {
		e.App.Store().Remove(settingsKey)
		app.Store().Remove(settingsKey)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("verification_settings").BindFunc(drop)
	app.OnRecordAfterUpdateSuccess("verification_settings").BindFunc(drop)
	app.OnRecordAfterDeleteSuccess("verification_settings").BindFunc(drop)
	app.OnRecordValidate("verification_settings").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("count_mode") == string(plausibility.CountConfirmedOnly) &&
			e.Record.GetString("confirmation") == ConfirmationOff {
			return validation.Errors{"count_mode": validation.NewError("confirmation_off",
				"农户确认已关闭时不能只计经确认的走访：请先把农户确认设为可选或必须。")}
		}
		if e.Record.GetBool("sms_notice") && e.Record.GetString("office_phone") == "" {
			return validation.Errors{"office_phone": validation.NewError("validation_required",
				"用短信核实走访时，请填写镇人大办公室电话，农户如未被走访可以拨打。")}
		}
		if raw, err := json.Marshal(e.Record.Get("thresholds")); err == nil && string(raw) != "null" {
			var th plausibility.Settings
			if err := json.Unmarshal(raw, &th); err != nil {
				return validation.Errors{"thresholds": validation.NewError("invalid_thresholds",
					"核查阈值格式不对，请参照README填写，或留空使用默认值。")}
			}
		}
		return e.Next()
	})
}
