package proposals

import (
	"encoding/json"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/ballot"
	"simeng/hooks/internal/fielderr"
	"simeng/proposal"
)

// Settings are the supervision loops' settings (one supervision_settings
// row, staff edit it): the proposal rules' Config, 金点子 a year and the
// defaults of a 民生实事 vote.
type Settings struct {
	Config         proposal.Config
	GoldenMax      int
	VoteSeats      int
	VoteMaxChoices int
	VoteMajority   bool
}

// ReadSettings reads the settings row; without one (never in a migrated
// database) the shipped defaults apply.
func ReadSettings(app core.App) (Settings, error) {
	s := Settings{Config: proposal.DefaultConfig(), GoldenMax: proposal.GoldenMax, VoteSeats: 5, VoteMaxChoices: 5, VoteMajority: true}
	rows, err := app.FindRecordsByFilter(SettingsCol, "", "", 1, 0)
	if err != nil || len(rows) == 0 {
		return s, err
	}
	return settingsOf(rows[0]), nil
}

func settingsOf(r *core.Record) Settings {
	s := Settings{
		Config: proposal.Config{
			MinJointSponsors:     r.GetInt("min_joint_sponsors"),
			KeyWorkdays:          r.GetInt("key_workdays"),
			NormalWorkdays:       r.GetInt("normal_workdays"),
			RedoWorkdays:         r.GetInt("redo_workdays"),
			RatingWindowWorkdays: r.GetInt("rating_window_workdays"),
		},
		GoldenMax:      r.GetInt("golden_max"),
		VoteSeats:      r.GetInt("vote_seats"),
		VoteMaxChoices: r.GetInt("vote_max_choices"),
		VoteMajority:   r.GetBool("vote_majority"),
	}
	var cats []string
	if raw, err := json.Marshal(r.Get("categories")); err == nil {
		_ = json.Unmarshal(raw, &cats)
	}
	s.Config.Categories = cats
	return s
}

// VoteRules are the default rules of a vote for expected deputies.
func (s Settings) VoteRules(expected int) ballot.Rules {
	return ballot.Rules{Seats: s.VoteSeats, MaxChoices: s.VoteMaxChoices, Expected: expected, Majority: s.VoteMajority}
}

// bindSettings checks the settings row on every save with the rules' own
// validation, and keeps it the only row.
func bindSettings(app core.App) {
	app.OnRecordValidate(SettingsCol).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if e.Record.IsNew() {
			if n, _ := e.App.CountRecords(SettingsCol); n > 0 {
				errs["id"] = validation.NewError("validation_single_row", "设置只有一行，请修改现有的设置")
			}
		}
		s := settingsOf(e.Record)
		for f, msg := range s.Config.Validate() {
			errs[f] = validation.NewError("validation_invalid_setting", msg)
		}
		if s.VoteMaxChoices > s.VoteSeats {
			errs["vote_max_choices"] = validation.NewError("validation_invalid_setting", "每张选票可选项目数不能多于拟确定的项目数")
		}
		if len(errs) == 0 {
			return e.Next()
		}
		return fielderr.Merge(e.Next(), errs)
	})
	app.OnRecordDelete(SettingsCol).BindFunc(func(e *core.RecordEvent) error {
		return validation.Errors{"id": validation.NewError("validation_single_row", "设置不能删除")}
	})
}
