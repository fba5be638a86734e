package hooks

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/migrations"
	"simeng/syncrule"
)

// Device-time bounds of visited_at (docs/SYNC.md): a few minutes of clock
// skew ahead, nothing before the platform's records began.
const maxClockSkew = 10 * time.Minute

var earliestVisit = time.Date(2020, 1, 1, 0, 0, 0, 0, chinatime.Location())

const maxVisitPhotos = 6

var photoKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// visitProblem is a problem (急难愁盼) raised in a visit, as the phone sends it.
type visitProblem struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
}

// bindVisits wires visit logs (走访日志): the generic sync routes, the
// households and visits synced through them, problems (急难愁盼) and the
// ≥12 households rule.
func bindVisits(app core.App) {
	bindSyncRoutes(app)
	bindHouseholds(app)
	bindProblems(app)
	bindVisitRule(app)
	RegisterSynced(app, SyncedCollection{
		Name:       "visits",
		OwnerField: "deputy",
		Schema:     [2]int{1, 1},
		Fields:     []string{"household", "visited_at", "notes", "topics", "problems"},
		ExtraKeys:  []string{"location", "photos"},
		HashFields: []string{"location", "location_accuracy"},
		PhotoField: "photos",
		Apply:      applyVisit,
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
func applyVisit(app core.App, auth, rec *core.Record, data map[string]any) error {
	errs := validation.Errors{}

	// household: it must exist (pushed earlier, possibly in this push);
	// an id merged into another household follows the alias.
	if hid := rec.GetString("household"); hid == "" {
		errs["household"] = validation.NewError("validation_required", "请选择走访的农户。")
	} else if h, err := resolveHousehold(app, hid); err != nil {
		return err
	} else if h == "" {
		errs["household"] = validation.NewError("not_found", "农户不存在：请先上传这户农户，或重新选择。")
	} else {
		rec.Set("household", h)
	}

	when := rec.GetDateTime("visited_at").Time()
	switch {
	case when.IsZero():
		errs["visited_at"] = validation.NewError("validation_required", "请填写走访时间（格式 2026-03-05T09:30:00+08:00）。")
	case when.After(futureLimit(rec, time.Now())):
		errs["visited_at"] = validation.NewError("future_date", "走访时间不能晚于现在，请检查手机时间。")
	case when.Before(earliestVisit):
		errs["visited_at"] = validation.NewError("too_old", "走访时间早于2020年，请检查手机时间。")
	}

	if err := applyLocation(rec, data); err != nil {
		errs["location"] = err
	}
	if err := applyManifest(rec, data); err != nil {
		errs["photos"] = err
	}
	if err := checkVisitProblems(app, rec); err != nil {
		errs["problems"] = err
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func applyLocation(rec *core.Record, data map[string]any) error {
	raw, ok := data["location"]
	if !ok {
		return nil // left out: unchanged
	}
	if raw == nil {
		rec.Set("location", types.GeoPoint{})
		rec.Set("location_accuracy", 0)
		return nil
	}
	var loc struct {
		Lat      *float64 `json:"lat"`
		Lon      *float64 `json:"lon"`
		Accuracy float64  `json:"accuracy"`
	}
	if err := remarshalJSON(raw, &loc); err != nil || loc.Lat == nil || loc.Lon == nil {
		return validation.NewError("invalid_location", "定位格式应为 {\"lat\":纬度,\"lon\":经度,\"accuracy\":精度米}。")
	}
	if *loc.Lat < -90 || *loc.Lat > 90 || *loc.Lon < -180 || *loc.Lon > 180 || loc.Accuracy < 0 {
		return validation.NewError("invalid_location", "定位超出范围。")
	}
	rec.Set("location", types.GeoPoint{Lat: *loc.Lat, Lon: *loc.Lon})
	rec.Set("location_accuracy", loc.Accuracy)
	return nil
}

// applyManifest stores the photos the phone declares. A photo already
// received stays if the phone still declares it with the same sha256; a
// photo no longer declared (or replaced) is removed.
func applyManifest(rec *core.Record, data map[string]any) error {
	raw, ok := data["photos"]
	if !ok {
		return nil // left out: unchanged
	}
	var declared []photoEntry
	if raw != nil {
		if err := remarshalJSON(raw, &declared); err != nil {
			return validation.NewError("invalid_photos", "照片清单格式应为 [{\"key\":…,\"sha256\":…,\"size\":…}]。")
		}
	}
	if len(declared) > maxVisitPhotos {
		return validation.NewError("too_many_photos", fmt.Sprintf("每次走访最多%d张照片。", maxVisitPhotos))
	}
	old := readManifest(rec)
	seen := map[string]bool{}
	for i := range declared {
		p := &declared[i]
		if !photoKeyPattern.MatchString(p.Key) || seen[p.Key] {
			return validation.NewError("invalid_photo_key", fmt.Sprintf("第%d张照片的 key 无效或重复。", i+1))
		}
		seen[p.Key] = true
		if b, err := hex.DecodeString(p.SHA256); err != nil || len(b) != 32 {
			return validation.NewError("invalid_sha256", fmt.Sprintf("第%d张照片的 sha256 无效。", i+1))
		}
		if p.Size <= 0 || p.Size > migrations.MaxPhotoBytes {
			return validation.NewError("photo_too_large", fmt.Sprintf("第%d张照片超过5MB或大小无效。", i+1))
		}
		p.File = ""
		for _, o := range old {
			if o.Key == p.Key && o.SHA256 == p.SHA256 && o.Size == p.Size {
				p.File = o.File
			}
		}
	}
	var drop []string
	for _, o := range old {
		if o.File != "" && !slices.ContainsFunc(declared, func(p photoEntry) bool { return p.File == o.File }) {
			drop = append(drop, o.File)
		}
	}
	if len(drop) > 0 {
		rec.Set("photos-", drop)
	}
	writeManifest(rec, declared)
	return nil
}

// checkVisitProblems validates the problems raised and normalises their shape.
func checkVisitProblems(app core.App, rec *core.Record) error {
	var list []visitProblem
	raw, _ := rec.Get("problems").(types.JSONRaw)
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &list); err != nil {
			return validation.NewError("invalid_problems", "问题清单格式应为 [{\"id\":…,\"category\":…,\"description\":…}]。")
		}
	}
	seen := map[string]bool{}
	for i, p := range list {
		switch {
		case !syncrule.ValidID(p.ID) || seen[p.ID]:
			return validation.NewError("invalid_problem_id", fmt.Sprintf("第%d个问题的编号无效或重复。", i+1))
		case !slices.Contains(migrations.Topics, p.Category):
			return validation.NewError("invalid_category", fmt.Sprintf("第%d个问题的类别无效。", i+1))
		case p.Description == "" || len([]rune(p.Description)) > 1000:
			return validation.NewError("invalid_description", fmt.Sprintf("第%d个问题请填写描述（不超过1000字）。", i+1))
		}
		seen[p.ID] = true
		existing, err := app.FindRecordById("problems", p.ID)
		if err == nil && (existing.GetString("source") != "visit" || existing.GetString("source_id") != rec.Id) {
			return validation.NewError("invalid_problem_id", fmt.Sprintf("第%d个问题的编号已被其他记录使用。", i+1))
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if list == nil {
		list = []visitProblem{}
	}
	rec.Set("problems", list)
	return nil
}

// syncVisitProblems makes the problems list match what the visit raised:
// new ones are created open, edited ones updated, withdrawn ones that are
// still open deleted (ones already forwarded stay: someone works on them).
func syncVisitProblems(app core.App, visit *core.Record) error {
	var list []visitProblem
	if raw, _ := visit.Get("problems").(types.JSONRaw); len(raw) > 0 {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil // validation let nothing else through; admin JSON edits may be partial
		}
	}
	col, err := app.FindCachedCollectionByNameOrId("problems")
	if err != nil {
		return err
	}
	var village string
	if h, err := app.FindRecordById("households", visit.GetString("household")); err == nil {
		village = h.GetString("village")
	}
	keep := map[string]bool{}
	for _, p := range list {
		keep[p.ID] = true
		rec, err := app.FindRecordById(col, p.ID)
		if errors.Is(err, sql.ErrNoRows) {
			rec = core.NewRecord(col)
			rec.Id = p.ID
			rec.Set("status", "open")
			rec.Set("source", "visit")
			rec.Set("source_id", visit.Id)
		} else if err != nil {
			return err
		}
		rec.Set("category", p.Category)
		rec.Set("description", p.Description)
		rec.Set("village", village)
		rec.Set("household", visit.GetString("household"))
		rec.Set("deputy", visit.GetString("deputy"))
		if err := app.Save(rec); err != nil {
			return err
		}
	}
	old, err := app.FindAllRecords(col, dbx.HashExp{"source": "visit", "source_id": visit.Id, "status": "open"})
	if err != nil {
		return err
	}
	for _, r := range old {
		if !keep[r.Id] {
			if err := app.Delete(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// markLate flags a visit dated in a closed year: stored, but not counted.
func markLate(app core.App, rec *core.Record) error {
	closed, err := yearClosed(app, rec.GetDateTime("visited_at").Time().In(chinatime.Location()).Year())
	if err != nil {
		return err
	}
	rec.Set("late", closed)
	return nil
}

func remarshalJSON(in any, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func jsonBytes(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
