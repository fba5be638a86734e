// Package visits is the visit logs (走访日志, R2–R4): households (农户) and
// visits written offline on the phones and synced through the sync engine,
// the problems a visit raises, and the ≥12 households rule (package
// visitpace) with its progress API, monthly pace flags and year close.
//
// Other capabilities read a deputy's year through YearVisits and Rule.
package visits

import (
	"encoding/json"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/fieldset"
	"simeng/hooks/problems"
	"simeng/hooks/syncengine"
	"simeng/hooks/verification"
	"simeng/vocab"
)

// Register wires households, visits and the ≥12 households rule.
func Register(app core.App) {
	registerHouseholds(app)
	registerRule(app)
	audit.Watch(app, "visit_years")
	syncengine.AddCollection(app, syncengine.Collection{
		Name:         "visits",
		OwnerField:   "deputy",
		Schema:       [2]int{1, 1},
		Fields:       []string{"household", "visited_at", "notes", "topics"},
		ExtraKeys:    []string{"location", "problems", "confirmation"},
		HashFields:   []string{"location", "location_accuracy", "problems", "confirmation"},
		ServerFields: []string{"late", "flags", "review", "review_note", "callback", "signed"},
		PhotoField:   "photos",
		MaxPhotos:    vocab.PhotosPerRecord + 1, // the household's signature rides along (hooks/verification)
		PhotosPer:    "每次走访",
		Prefetch:     prefetchHouseholds,
		Apply:        applyVisit,
	})

	// Server-side consequences of every visit write, whichever door it
	// came in by: the late flag of closed years, and the problems list.
	app.OnRecordCreateExecute("visits").BindFunc(func(e *core.RecordEvent) error {
		if err := markLate(e.App, e.Record); err != nil {
			return err
		}
		if err := e.Next(); err != nil {
			return err
		}
		if raw, _ := e.Record.Get("problems").(types.JSONRaw); len(raw) == 0 || string(raw) == "[]" || string(raw) == "null" {
			return nil // nothing raised, nothing to withdraw
		}
		return syncVisitProblems(e.App, e.Record)
	})
	app.OnRecordUpdateExecute("visits").BindFunc(func(e *core.RecordEvent) error {
		// A visit counted before its year closed stays counted unless its
		// date moves.
		if !e.Record.GetDateTime("visited_at").Equal(e.Record.Original().GetDateTime("visited_at")) {
			if err := markLate(e.App, e.Record); err != nil {
				return err
			}
		}
		if err := e.Next(); err != nil {
			return err
		}
		if string(jsonBytes(e.Record.Get("problems"))) == string(jsonBytes(e.Record.Original().Get("problems"))) {
			return nil
		}
		return syncVisitProblems(e.App, e.Record)
	})
}

// applyVisit checks and completes a visit pushed by a phone.
func applyVisit(c *syncengine.ApplyContext) error {
	app, rec := c.App, c.Record
	errs := validation.Errors{}

	// household: it must exist (pushed earlier, possibly in this push);
	// an id merged into another household follows the alias.
	known, _ := c.Prefetched.(householdIndex)
	if hid := rec.GetString("household"); hid == "" {
		errs["household"] = validation.NewError("validation_required", "请选择走访的农户。")
	} else if h, err := known.resolve(app, c.Auth, hid); err != nil {
		return err
	} else if h == "" {
		errs["household"] = validation.NewError("not_found", "农户不存在：请先上传这户农户，或重新选择。")
	} else {
		rec.Set("household", h)
	}

	switch c.CheckDeviceTime(rec.GetDateTime("visited_at").Time(), time.Now()) {
	case syncengine.TimeMissing:
		errs["visited_at"] = validation.NewError("validation_required", "请填写走访时间（格式 2026-03-05T09:30:00+08:00）。")
	case syncengine.TimeInFuture:
		errs["visited_at"] = validation.NewError("future_date", "走访时间不能晚于现在，请检查手机时间。")
	case syncengine.TimeTooOld:
		errs["visited_at"] = validation.NewError("too_old", "走访时间早于2020年，请检查手机时间。")
	}

	if err := applyLocation(rec, c.Data); err != nil {
		errs["location"] = err
	}
	if err := checkVisitProblems(app, rec, c.Data); err != nil {
		errs["problems"] = err
	}
	for k, err := range verification.ApplyConfirmation(c) {
		errs[k] = err
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func applyLocation(rec *core.Record, data syncengine.Data) error {
	if !data.Has("location") {
		return nil // left out: unchanged
	}
	if data.IsNull("location") {
		rec.Set("location", types.GeoPoint{})
		rec.Set("location_accuracy", 0)
		return nil
	}
	var loc struct {
		Lat      *float64 `json:"lat"`
		Lon      *float64 `json:"lon"`
		Accuracy float64  `json:"accuracy"`
	}
	if err := data.Decode("location", &loc); err != nil || loc.Lat == nil || loc.Lon == nil {
		return validation.NewError("invalid_location", "定位格式应为 {\"lat\":纬度,\"lon\":经度,\"accuracy\":精度米}。")
	}
	if *loc.Lat < -90 || *loc.Lat > 90 || *loc.Lon < -180 || *loc.Lon > 180 || loc.Accuracy < 0 {
		return validation.NewError("invalid_location", "定位超出范围。")
	}
	rec.Set("location", types.GeoPoint{Lat: *loc.Lat, Lon: *loc.Lon})
	rec.Set("location_accuracy", loc.Accuracy)
	return nil
}

// checkVisitProblems validates the problems raised (as the phone sent them,
// or as stored when it left them out) and normalises their shape.
func checkVisitProblems(app core.App, rec *core.Record, data syncengine.Data) error {
	var list []problems.Raised
	if data.Has("problems") {
		if sent := data["problems"]; len(sent) > 0 && sent[0] == '"' {
			// JSON inside a string: read as PocketBase reads such a value.
			var s string
			_ = json.Unmarshal(sent, &s)
			rec.Set("problems", s)
		} else {
			rec.Set("problems", types.JSONRaw(sent))
		}
	}
	raw, _ := rec.Get("problems").(types.JSONRaw)
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &list); err != nil {
			return validation.NewError("invalid_problems", "问题清单格式应为 [{\"id\":…,\"category\":…,\"description\":…}]。")
		}
	}
	if err := problems.CheckRaised(app, problems.FromVisit, rec.Id, list); err != nil {
		return err
	}
	if list == nil {
		list = []problems.Raised{}
	}
	rec.Set("problems", list)
	return nil
}

// syncVisitProblems makes the problems list (急难愁盼) match what the visit
// raised.
func syncVisitProblems(app core.App, visit *core.Record) error {
	var list []problems.Raised
	if raw, _ := visit.Get("problems").(types.JSONRaw); len(raw) > 0 {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil // validation let nothing else through; admin JSON edits may be partial
		}
	}
	var village string
	if h, err := app.FindRecordById("households", visit.GetString("household")); err == nil {
		village = h.GetString("village")
	}
	return problems.SyncRaised(app, problems.Origin{Source: problems.FromVisit, SourceID: visit.Id,
		Village: village, Household: visit.GetString("household"), Deputy: visit.GetString("deputy")}, list)
}

// markLate flags a visit dated in a closed year: stored, but not counted.
func markLate(app core.App, rec *core.Record) error {
	closed, err := yearClosed(app, chinatime.Year(rec.GetDateTime("visited_at").Time()))
	if err != nil {
		return err
	}
	fieldset.Set(rec, "late", closed)
	return nil
}

func jsonBytes(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
